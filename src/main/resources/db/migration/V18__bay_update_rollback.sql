-- Magnum's PATCH ?rollback=True (1.3+): a failed stack update is rolled back by Heat. Kept with the pending
-- update, so that the Heat function sends it with the update whenever it does.
alter table bay add column update_rollback boolean not null default false;
