-- Notifications of bay state changes (CloudEvents io.baystack.bay.<operation>.<start|end|error>), an
-- outbox: written in the transaction of the change, with the bay's public fields as they were then, and
-- sent by the reconciler's rounds until the broker confirms. No reference to bay: a deleted bay's last
-- notification outlives it.
create table bay_notification (
    id         bigserial    primary key,
    event_id   varchar(36)  not null unique,
    type       varchar(64)  not null,
    bay_uuid   varchar(36)  not null,
    data       text         not null,
    created_at timestamp(6) with time zone not null,
    sent_at    timestamp(6) with time zone
);
create index bay_notification_unsent_idx on bay_notification (id) where sent_at is null;
