-- A pending scale-down's choice of minions (comma-separated indexes or addresses), sent with the update.
alter table bay add column minions_to_remove text;
