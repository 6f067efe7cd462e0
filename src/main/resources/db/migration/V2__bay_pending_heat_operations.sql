-- An update or delete the user asked for and the Heat function has not yet sent to Heat. The API
-- sets it in the same commit as the new status; the Heat function clears it once Heat accepted the
-- request, so a crash in between leaves it set and the reconciler's redrive sends it again.
alter table bay add column pending_op varchar(16);
-- the stack's updated_time as it was just before an update was sent: a status of Heat's from
-- before our update started (same updated_time) is not taken for the update's result
alter table bay add column stack_mark varchar(64);
create index bay_pending_idx on bay (pending_op) where pending_op is not null;
