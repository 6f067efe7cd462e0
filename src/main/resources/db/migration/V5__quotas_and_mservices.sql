-- Per-project limits set by an admin; a project without a row gets the configured default.
create table quota (
    id          bigserial    primary key,
    project_id  varchar(64)  not null,
    resource    varchar(32)  not null,
    hard_limit  integer      not null,
    created_at  timestamp(6) with time zone not null,
    updated_at  timestamp(6) with time zone,
    unique (project_id, resource)
);

-- What each running process reports about the functions it runs (GET /v1/mservices).
create table mservice (
    id               bigserial    primary key,
    host             varchar(255) not null,
    binary_name      varchar(64)  not null,
    report_count     bigint       not null default 0,
    disabled         boolean      not null default false,
    disabled_reason  varchar(255),
    created_at       timestamp(6) with time zone not null,
    updated_at       timestamp(6) with time zone not null,
    unique (host, binary_name)
);
