#!/usr/bin/env bash
# Real OpenStack Nova (compute API, :8774/v2.1) on loopback for the local cloud: nova-api, -conductor,
# -scheduler and one nova-compute with Nova's fake virt driver (servers go ACTIVE, nothing boots), RPC over
# the local RabbitMQ, databases nova_api/nova/nova_cell0 in the local PostgreSQL, cells v2 (cell0 + cell1).
# Registers Nova in Keystone and seeds flavors m1.tiny/m1.small and the demo user's keypair `testkey`.
#   nova.sh [start]   start (or reuse) Nova       nova.sh stop   stop what start started
# Needs scripts/local-up.sh's cloud, RabbitMQ, and Glance + Placement (scripts/os/glance.sh, placement.sh);
# Neutron (scripts/os/neutron.sh) only for servers with networks (`--nic none` works without it).
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

NOVA_URL=http://127.0.0.1:$NOVA_PORT/v2.1
CONF_DIR=$LOCAL/nova
CONF=$CONF_DIR/nova.conf
SERVICES=(nova-conductor nova-scheduler nova-api nova-compute)

nova_api_up() { curl -sf -m 3 "http://127.0.0.1:$NOVA_PORT/" | grep -q '"versions"'; }

# stop_all NAME...: stops the process groups named by $RUNDIR/NAME.pid (os_run starts each in its own
# session); all are told at once, since each takes seconds to wind down its RPC consumers
stop_all() {
  local name file pids=()
  for name in "$@"; do
    file=$RUNDIR/$name.pid
    pid_alive "$file" || { rm -f "$file"; continue; }
    pids+=("$(cat "$file")")
    log "stopping $name (pid ${pids[-1]})"
    kill -TERM -- "-${pids[-1]}" 2>/dev/null || kill -TERM "${pids[-1]}" 2>/dev/null || true
  done
  local pid
  for _ in $(seq 1 40); do
    local alive=false
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=true; done
    $alive || break
    sleep 0.25
  done
  for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; done
  for name in "$@"; do rm -f "$RUNDIR/$name.pid"; done
}

if [ "${1:-start}" = stop ]; then
  stop_all "${SERVICES[@]}"
  rm -f "$RUNDIR/nova.conf.running"
  exit 0
fi
[ "${1:-start}" = start ] || die "usage: $0 [start|stop]"

mkdir -p "$LOGDIR" "$RUNDIR" "$CONF_DIR/state" "$CONF_DIR/instances" "$CONF_DIR/lock"

# psql on a Nova database as the owning role
nova_sql() { PGPASSWORD=$PG_PASSWORD psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$1" -Atqc "$2"; }
# service_fresh BINARY SINCE: the service's row in cell1 was updated (its heartbeat) after SINCE, a UTC
# time as Nova stores them. A stopped service's row stays fresh for a while: a started one must beat anew.
service_fresh() {
  [ -n "$(nova_sql nova "select 1 from services where deleted = 0 and \"binary\" = '$1'
           and host = '$NOVA_COMPUTE_HOST' and coalesce(updated_at, created_at) > '$2'")" ]
}
declare -A since   # per service: the time its heartbeat must be newer than
compute_node_known() {
  [ -n "$(nova_sql nova "select 1 from compute_nodes where deleted = 0 and host = '$NOVA_COMPUTE_HOST'")" ]
}
nova_manage() {
  $OS_PYTHON -c "import sys; sys.argv[0] = 'nova-manage'; from nova.cmd.manage import main; sys.exit(main())" \
    --config-file "$CONF" "$@" 2>>"$LOGDIR/nova-manage.log"
}

# one user (nova) for Keystone, Placement, the service token; Neutron's own user for port binding
auth_section() { # auth_section USER PASSWORD
  cat <<AUTH
auth_type = password
auth_url = http://127.0.0.1:$KEYSTONE_PORT
username = $1
password = $2
project_name = service
user_domain_name = Default
project_domain_name = Default
region_name = RegionOne
AUTH
}

# nova-compute's settings: all but the databases. nova-compute reaches them only through the conductor;
# with [api_database] set (even empty) it queries every cell's database for the minimum service version at
# start and logs "No DB access allowed in nova-compute" tracebacks
cat > "$CONF_DIR/nova-compute.conf" <<CONF
[DEFAULT]
# the compute's host name as Neutron's ML2 test driver expects it (lib.sh); every Nova service reports it
host = $NOVA_COMPUTE_HOST
my_ip = 127.0.0.1
state_path = $CONF_DIR/state
instances_path = $CONF_DIR/instances
transport_url = $OS_TRANSPORT_URL
compute_driver = fake.FakeDriver
enabled_apis = osapi_compute
osapi_compute_listen = 127.0.0.1
osapi_compute_listen_port = $NOVA_PORT
osapi_compute_workers = 1
# the fake driver plugs nothing and Neutron sends no network-vif-plugged here: do not wait for it
vif_plugging_is_fatal = false
vif_plugging_timeout = 0
# one compute host: resizes stay on it
allow_resize_to_same_host = true
# periodic work slowed down on 2 cores (the fake hypervisor's state does not drift)
report_interval = 20
service_down_time = 90
heal_instance_info_cache_interval = 300
update_resources_interval = 120
sync_power_state_interval = 600
# stop promptly (the default waits up to 60 s for RPC work in flight)
graceful_shutdown_timeout = 5
[wsgi]
api_paste_config = $CONF_DIR/api-paste.ini
[conductor]
workers = 1
[scheduler]
workers = 1
[quota]
# ~10 small servers per project and a few bigger ones (defaults: 10 instances, 20 cores, 50 GB RAM)
instances = 100
cores = 200
ram = 512000
[oslo_concurrency]
lock_path = $CONF_DIR/lock
[oslo_messaging_notifications]
driver = noop
[vnc]
enabled = false
[glance]
# found through the catalog (service type image)
region_name = RegionOne
[cinder]
# catalog_info keeps its default (volumev3 in the catalog)
os_region_name = RegionOne
$(auth_section nova "$NOVA_PASSWORD")
[neutron]
endpoint_override = http://127.0.0.1:$NEUTRON_PORT
$(auth_section neutron "$NEUTRON_PASSWORD")
[placement]
$(auth_section nova "$NOVA_PASSWORD")
[service_user]
send_service_user_token = true
$(auth_section nova "$NOVA_PASSWORD")
[keystone_authtoken]
# shared by every process of every service (scripts/local-up.sh, memcached)
memcached_servers = 127.0.0.1:$MEMCACHED_PORT
www_authenticate_uri = http://127.0.0.1:$KEYSTONE_PORT
# service tokens count only with the service role, which the service users have
service_token_roles_required = true
$(auth_section nova "$NOVA_PASSWORD")
CONF

# the other services': the same and the databases
{ cat "$CONF_DIR/nova-compute.conf"; cat <<CONF; } > "$CONF"
[api_database]
connection = $(pg_url nova_api)
# the local PostgreSQL (max_connections 100) is shared by every service: bounded pools
max_pool_size = 2
max_overflow = 3
[database]
connection = $(pg_url nova)
max_pool_size = 2
max_overflow = 3
CONF

# Debian's python3-nova ships no paste file: the compute API (keystone auth only), with the version
# documents at / and /v2.1 answered without a token
cat > "$CONF_DIR/api-paste.ini" <<'PASTE'
[composite:osapi_compute]
use = call:nova.api.openstack.urlmap:urlmap_factory
/: versions
/v2.1: versions_v21
/v2.1/+: compute_api_v21

[pipeline:versions]
pipeline = faultwrap request_log http_proxy_to_wsgi versions_app

[app:versions_app]
paste.app_factory = nova.api.openstack.compute.versions:Versions.factory

[pipeline:versions_v21]
pipeline = compute_req_id faultwrap request_log http_proxy_to_wsgi versions_v21_app

[app:versions_v21_app]
paste.app_factory = nova.api.openstack.compute.versions:VersionsV2.factory

[composite:compute_api_v21]
use = call:nova.api.auth:pipeline_factory_v21
keystone = compute_req_id faultwrap request_log sizelimit http_proxy_to_wsgi authtoken keystonecontext compute_app_v21

[app:compute_app_v21]
paste.app_factory = nova.api.openstack.compute:APIRouterV21.factory

[filter:compute_req_id]
paste.filter_factory = nova.api.compute_req_id:ComputeReqIdMiddleware.factory

[filter:faultwrap]
paste.filter_factory = nova.api.openstack:FaultWrapper.factory

[filter:request_log]
paste.filter_factory = nova.api.openstack.requestlog:RequestLog.factory

[filter:sizelimit]
paste.filter_factory = oslo_middleware:RequestBodySizeLimiter.factory

[filter:http_proxy_to_wsgi]
paste.filter_factory = oslo_middleware.http_proxy_to_wsgi:HTTPProxyToWSGI.factory

[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory

[filter:keystonecontext]
paste.filter_factory = nova.api.auth:NovaKeystoneContext.factory
PASTE

# before the start: registering (re)sets the service user's password, which revokes the tokens Keystone
# issued to that user up to that second
keystone_service nova "$NOVA_PASSWORD" nova compute "$NOVA_URL"

# what the running services were started with: Nova processes of ours started with other settings are
# restarted, all of them
settings() { cat "$CONF" "$CONF_DIR/nova-compute.conf" "$CONF_DIR/api-paste.ini"; }
running=true any=false
for s in "${SERVICES[@]}"; do
  if pid_alive "$RUNDIR/$s.pid"; then any=true; else running=false; fi
done
if $any && ! settings | cmp -s - "$RUNDIR/nova.conf.running"; then
  log "Nova's settings changed: restarting it"
  stop_all "${SERVICES[@]}"
  running=false
fi
if ! $any && nova_api_up; then
  # started from another checkout (no pid file of ours), as Keystone and Heat may be: the same service
  log "Nova answers on :$NOVA_PORT but was not started from here: reusing it"
elif $running && nova_api_up; then
  log "Nova already runs (${SERVICES[*]}): reusing it"
else
  t0=$SECONDS
  ensure_db nova_api nova nova_cell0
  # cells v2: cell0 (instances that never got a host) and cell1 (this one compute), both idempotent
  nova_manage api_db sync >>"$LOGDIR/nova-manage.log" || die "nova api_db sync failed (see $LOGDIR/nova-manage.log)"
  nova_manage cell_v2 map_cell0 --database_connection "$(pg_url nova_cell0)" >>"$LOGDIR/nova-manage.log" \
    || die "nova cell_v2 map_cell0 failed (see $LOGDIR/nova-manage.log)"
  # syncs the main database and cell0's
  nova_manage db sync >>"$LOGDIR/nova-manage.log" || die "nova db sync failed (see $LOGDIR/nova-manage.log)"
  if ! nova_sql nova_api "select name from cell_mappings" | grep -qx cell1; then
    nova_manage cell_v2 create_cell --name cell1 --database_connection "$(pg_url nova)" \
      --transport-url "$OS_TRANSPORT_URL" >>"$LOGDIR/nova-manage.log" || die "creating cell1 failed"
    log "created Nova's cell1"
  fi
  log "Nova databases and cells ready ($((SECONDS - t0))s)"
  # the scheduler and the API read the cell list when they start: cells exist by now
  now=$(nova_sql nova "select now() at time zone 'utc'")
  for s in "${SERVICES[@]}"; do
    if pid_alive "$RUNDIR/$s.pid"; then
      log "$s already runs: reusing it"
      continue
    fi
    since[$s]=$now
    log "starting $s"
    conf=$CONF
    [ "$s" = nova-compute ] && conf=$CONF_DIR/nova-compute.conf
    os_run "$s" "$RUNDIR/$s.pid" "nova.cmd.${s#nova-}:main" --config-file "$conf" --log-file "$LOGDIR/$s.log"
  done
  settings > "$RUNDIR/nova.conf.running"
  wait_for nova-api 90 nova_api_up
fi
recent=$(nova_sql nova "select now() at time zone 'utc' - interval '60 seconds'")
for s in nova-conductor nova-scheduler nova-compute; do wait_for "$s" 90 service_fresh "$s" "${since[$s]:-$recent}"; done

# the compute node's record appears with the resource tracker's first run; then map it to cell1
if [ -z "$(nova_sql nova_api "select 1 from host_mappings where host = '$NOVA_COMPUTE_HOST'")" ]; then
  wait_for "compute node $NOVA_COMPUTE_HOST" 60 compute_node_known
  nova_manage cell_v2 discover_hosts >>"$LOGDIR/nova-manage.log" || die "nova cell_v2 discover_hosts failed"
  log "mapped compute host $NOVA_COMPUTE_HOST to cell1"
fi

KEYSTONE_URL=$KEYSTONE_URL ADMIN_PASSWORD=$ADMIN_PASSWORD DEMO_PASSWORD=$DEMO_PASSWORD ALT_PASSWORD=$ALT_PASSWORD LOCAL=$LOCAL \
  $OS_PYTHON "$ROOT/scripts/os/seed.py" compute 2>>"$LOGDIR/os-seed.log" | while read -r l; do log "$l"; done \
  || die "seeding flavors and keypair failed (see $LOGDIR/os-seed.log)"
log "Nova ready at $NOVA_URL"
