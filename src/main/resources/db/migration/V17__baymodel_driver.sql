-- Magnum's cluster template `driver` (18.0+; set by users from python-magnumclient's next release):
-- which driver builds clusters from the template. Null: the service's default.
alter table baymodel add column driver varchar(255);
