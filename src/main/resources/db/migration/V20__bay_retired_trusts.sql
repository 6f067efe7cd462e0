-- A credential rotation's replaced trusts: the bay's stack still holds Heat's own trust, which Keystone made
-- as a redelegation of the bay's trust at the time and deletes with it (Heat then cannot load the stack), so
-- a replaced trust is kept, no longer used by baystack, and deleted with the bay. Comma-separated ids.
alter table bay add column retired_trust_ids text;
