-- What a bay is doing, for its owner to see (issue 6). Both tables go with their bay (on delete cascade).

-- The bay's story, oldest first by id: baystack's own state changes (accepted, handed to Heat, waiting
-- for Heat, each status change with its reason), written in the transaction of the change itself, and
-- the events of its Heat stack (nested stacks' included), copied by the reconciler while the bay is in
-- progress. Heat's events keep Heat's id as uuid, so a copy made twice is stored once.
create table bay_event (
    id            bigserial    primary key,
    uuid          varchar(36)  not null unique,
    bay_id        bigint       not null references bay (id) on delete cascade,
    source        varchar(16)  not null,
    kind          varchar(32)  not null,
    stack_name    varchar(255),
    resource_name varchar(255),
    status        varchar(32),
    reason        text,
    event_time    timestamp(6) with time zone not null
);
create index bay_event_bay_idx on bay_event (bay_id, id);

-- How far the bay's stack is, from Heat's nested resource list: read once per reconciler round for
-- bays in progress only, and kept here between rounds (the API reads only this).
create table bay_progress (
    bay_id      bigint       primary key references bay (id) on delete cascade,
    total       integer      not null,
    complete    integer      not null,
    in_progress integer      not null,
    failed      integer      not null,
    -- the resources not started yet (INIT_COMPLETE), "parent.resource" for nested ones, as JSON
    pending     text         not null default '[]',
    updated_at  timestamp(6) with time zone not null
);
