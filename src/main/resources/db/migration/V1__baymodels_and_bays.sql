-- baystack's first schema: bay models (templates) and bays. PostgreSQL is the only source of truth:
-- a bay row with status CREATE_IN_PROGRESS and no stack_id is work the Heat function still owes.

create table baymodel (
    id                  bigserial    primary key,
    uuid                varchar(36)  not null unique,
    name                varchar(255) not null,
    project_id          varchar(64)  not null,
    user_id             varchar(64)  not null,
    coe                 varchar(32)  not null,
    image_id            varchar(255) not null,
    flavor_id           varchar(255),
    master_flavor_id    varchar(255),
    keypair_id          varchar(255),
    external_network_id varchar(255),
    fixed_network       varchar(255),
    fixed_subnet        varchar(255),
    dns_nameserver      varchar(255),
    docker_volume_size  integer,
    network_driver      varchar(255),
    volume_driver       varchar(255),
    labels              text         not null default '{}',
    public              boolean      not null default false,
    hidden              boolean      not null default false,
    tls_disabled        boolean      not null default false,
    floating_ip_enabled boolean      not null default true,
    master_lb_enabled   boolean      not null default false,
    server_type         varchar(8)   not null default 'vm',
    cluster_distro      varchar(255),
    created_at          timestamp(6) with time zone not null,
    updated_at          timestamp(6) with time zone
);
create index baymodel_project_idx on baymodel (project_id);
create index baymodel_name_idx on baymodel (name);

create table bay (
    id                  bigserial    primary key,
    uuid                varchar(36)  not null unique,
    name                varchar(242) not null,
    project_id          varchar(64)  not null,
    user_id             varchar(64)  not null,
    baymodel_id         varchar(36)  not null references baymodel (uuid),
    node_count          integer      not null,
    master_count        integer      not null,
    discovery_url       varchar(255),
    create_timeout      integer      not null,
    docker_volume_size  integer,
    labels              text         not null default '{}',
    flavor_id           varchar(255),
    master_flavor_id    varchar(255),
    fixed_network       varchar(255),
    fixed_subnet        varchar(255),
    floating_ip_enabled boolean      not null default true,
    master_lb_enabled   boolean      not null default false,
    -- derived from name and uuid when the bay is accepted, so every retry looks for the same stack
    stack_name          varchar(255) not null unique,
    stack_id            varchar(36),
    -- the Keystone trust (user -> baystack) the Heat function acts through
    trust_id            varchar(64),
    api_address         varchar(255),
    master_addresses    text         not null default '[]',
    node_addresses      text         not null default '[]',
    status              varchar(32)  not null,
    status_reason       text,
    version             integer      not null default 0,
    created_at          timestamp(6) with time zone not null,
    updated_at          timestamp(6) with time zone
);
create index bay_project_idx on bay (project_id);
create index bay_name_idx on bay (name);
create index bay_status_idx on bay (status);
