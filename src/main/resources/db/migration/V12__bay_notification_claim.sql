-- A round takes the notifications it sends for a while (claimed_until): two rounds that overlap (a slow
-- one and the next, or two reconciler pods) do not send the same ones, and a round that died mid-send
-- leaves its batch to the next round once the claim runs out. A notification a send failed stays claimed
-- until then too, so one that the broker keeps refusing does not stop the ones behind it.
alter table bay_notification add column claimed_until timestamp(6) with time zone;
