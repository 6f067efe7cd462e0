-- Node groups (1.9): a cluster's extra worker groups, each its own group of servers in the bay's one stack
-- (resource kube_minions_<stack_key>). default-master and default-worker are not rows: they are the bay's
-- own master_count/node_count, flavors and image. group_nodes on the bay is the extra groups' node_count
-- sum (a cluster's node_count is every worker's), kept by the transitions that change a group.
create table nodegroup (
    id                  bigserial    primary key,
    uuid                varchar(36)  not null unique,
    bay_id              bigint       not null references bay (id) on delete cascade,
    project_id          varchar(64)  not null,
    name                varchar(255) not null,
    role                varchar(64)  not null,
    stack_key           varchar(32)  not null,
    flavor_id           varchar(255),
    image_id            varchar(255),
    node_count          integer      not null,
    min_node_count      integer      not null,
    max_node_count      integer,
    docker_volume_size  integer,
    labels              text,
    node_labels         text,
    node_taints         text,
    minions_to_remove   text,
    node_addresses      text,
    status              varchar(32)  not null,
    status_reason       text,
    created_at          timestamptz  not null default clock_timestamp(),
    updated_at          timestamptz,
    unique (bay_id, name),
    unique (bay_id, stack_key)
);
alter table bay add column group_nodes integer not null default 0;
