-- when the status sync last looked at the bay: the sync takes those looked at longest ago first, so
-- every bay in progress is looked at within a bounded number of rounds (no head-of-line starvation)
alter table bay add column synced_at timestamp(6) with time zone;
create index bay_in_progress_sync_idx on bay (synced_at nulls first, id)
    where stack_id is not null and pending_op is null
      and status in ('CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'DELETE_IN_PROGRESS', 'ROLLBACK_IN_PROGRESS');
-- the catch-up of bays that ended without their last look reads a window of updated_at
create index bay_updated_idx on bay (updated_at);
-- the redrive: bays accepted without a stack, or with an operation not yet sent to Heat
create index bay_awaiting_heat_idx on bay (coalesce(retry_at, updated_at, created_at), id)
    where (status = 'CREATE_IN_PROGRESS' and stack_id is null) or pending_op is not null;
-- paged lists of one project, ordered by id
create index bay_project_id_idx on bay (project_id, id);
drop index if exists bay_project_idx;
-- the purge of notifications sent long ago
create index bay_notification_sent_idx on bay_notification (sent_at) where sent_at is not null;
