-- A create no longer waits on Keystone: the request stores the caller's token, sealed (AES-256-GCM
-- under baystack.secrets.key, bound to the bay's uuid), and the Heat function makes the bay's trust
-- from it before its first Heat call, then clears it in the same update that records the trust.
-- The roles to delegate and the token's expiry travel with it (neither is a secret).
alter table bay add column trustor_token text;
alter table bay add column trustor_roles text;
alter table bay add column trustor_expires_at timestamptz;
