-- How many bays each project has: the quota check reads its project's row instead of counting the
-- project's bays. A create counts its bay in, last thing before its commit (BayRepository.accept), so
-- the row's lock, which keeps two concurrent creates from both taking a project's last place, is held
-- for as short a time as can be (it replaces a project-wide advisory lock held across the whole
-- create transaction); a bay's row deleted, however, counts it out (a trigger).
create table project_bay_count (
    project_id  varchar(255) primary key,
    bays        integer      not null
);
insert into project_bay_count (project_id, bays) select project_id, count(*) from bay group by project_id;

create function project_bay_count_out() returns trigger language plpgsql as $$
begin
    update project_bay_count set bays = bays - 1 where project_id = old.project_id;
    return null;
end $$;

create trigger project_bay_count_out after delete on bay
    for each row execute function project_bay_count_out();
