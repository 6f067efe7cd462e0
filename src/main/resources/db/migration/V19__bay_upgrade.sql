-- Magnum's cluster upgrade (1.8): the pending update moves the bay to another model, its minions replaced
-- max_batch_size at a time; kept with the pending update for the Heat function.
alter table bay add column upgrade_max_batch_size integer;
