-- the W3C traceparent of the request that accepted a bay's current operation: the Heat function and
-- the reconciler continue that trace, in whichever process and whenever they run
alter table bay add column trace_parent varchar(55);
