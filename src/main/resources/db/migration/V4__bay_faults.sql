-- The failed Heat resources (nested included) of a failed bay, resource -> Heat's reason, as
-- Magnum shows them under "faults". Read from Heat when the bay turns *_FAILED.
alter table bay add column faults text not null default '{}';
