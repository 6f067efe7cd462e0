-- Heat does not keep stack names unique when two creates race (seen with the legacy engine: two
-- stacks, one name). So one hand-off at a time may create a bay's stack: it claims the bay until
-- this time (longer than a Heat create call may take); others leave it alone, and after a crash
-- the claim runs out and the redrive tries again, looking the stack up by name first.
alter table bay add column create_claim_until timestamp(6) with time zone;
