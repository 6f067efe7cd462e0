-- Each bay's certificate authority (one row per bay, made once before its stack; replaced by a
-- rotation). The private key is never stored in clear: key_sealed is AES-256-GCM under
-- baystack.secrets.key (SecretBox), bound to the bay's uuid. Deleting the bay deletes its CA.
create table bay_ca (
    bay_id      bigint       primary key references bay (id) on delete cascade,
    cert_pem    text         not null,
    key_sealed  text         not null,
    generation  integer      not null default 1,
    created_at  timestamptz  not null default clock_timestamp(),
    rotated_at  timestamptz
);
