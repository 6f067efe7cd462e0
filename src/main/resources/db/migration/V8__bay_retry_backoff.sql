-- What the Heat function is waiting for is retried with capped exponential backoff and jitter.
-- The schedule lives in the row, so a restart (or another pod) keeps it: how many tries failed in a
-- row, and not before when the redrive hands the bay over again.
alter table bay add column heat_attempts integer not null default 0;
alter table bay add column retry_at timestamp(6) with time zone;
