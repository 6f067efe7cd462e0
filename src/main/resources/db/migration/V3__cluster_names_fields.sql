-- Fields that cluster templates (and Zed's bay models) carry beyond Kilo's.
alter table baymodel add column docker_storage_driver varchar(255);
alter table baymodel add column http_proxy varchar(255);
alter table baymodel add column https_proxy varchar(255);
alter table baymodel add column no_proxy varchar(255);
alter table baymodel add column registry_enabled boolean not null default false;
alter table baymodel add column insecure_registry varchar(255);
alter table baymodel add column apiserver_port integer;
alter table baymodel add column tags varchar(255);
-- A cluster's keypair (defaults to its template's keypair_id) and health, as clusters show them.
alter table bay add column keypair varchar(255);
alter table bay add column health_status varchar(16);
