-- The health of a *_COMPLETE bay's Kubernetes (issue 17): health_status (HEALTHY, UNHEALTHY, UNKNOWN, as
-- Magnum) existed; its reason ({"api": "ok", "<node>.Ready": "True"}) and when it was last checked, on the
-- database's clock, so that any process's status sync knows which bays are due.
alter table bay add column health_status_reason text;
alter table bay add column health_checked_at timestamptz;
create index bay_health_due_idx on bay (health_checked_at nulls first)
    where api_address is not null and pending_op is null;
