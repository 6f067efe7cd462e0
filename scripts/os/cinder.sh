#!/usr/bin/env bash
# Real OpenStack Cinder (block storage API, :8776) on loopback for the local cloud: cinder-api,
# cinder-scheduler and cinder-volume, RPC over the local RabbitMQ, database in the local PostgreSQL,
# registered in Keystone as volumev3 (name cinderv3). There are no disks here: the one backend (`fake`)
# runs the fake driver python3-cinder ships for its own tests, whose operations only log, so volumes
# exist as database rows only (create, attach/detach bookkeeping, delete, quotas are all real).
#   cinder.sh [start]   start (or reuse) Cinder        cinder.sh stop   stop what start started
# Needs scripts/local-up.sh's Keystone, PostgreSQL and RabbitMQ.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

CINDER_URL=http://127.0.0.1:$CINDER_PORT
CONF_DIR=$LOCAL/cinder
CONF=$CONF_DIR/cinder.conf
# the volume service's host name in Cinder (services table, volumes' os-vol-host-attr:host): fixed,
# so that a new machine name does not leave the volumes on a backend that no longer reports
CINDER_HOST=baystack
SERVICES=(cinder-api cinder-scheduler cinder-volume)

cinder_up() { curl -s -o /dev/null -m 3 -w '%{http_code}' "$CINDER_URL/" | grep -q '^300$'; }

# stop_all: stops the process groups the pid files name (os_run starts each in its own session; cinder-api
# and cinder-volume fork a worker each), all at once: each may take seconds to leave RabbitMQ
stop_all() {
  local s pids=()
  for s in "${SERVICES[@]}"; do
    if pid_alive "$RUNDIR/$s.pid"; then
      pids+=("$(cat "$RUNDIR/$s.pid")")
      log "stopping $s (pid ${pids[-1]})"
      kill -TERM -- "-${pids[-1]}" 2>/dev/null || kill -TERM "${pids[-1]}" 2>/dev/null || true
    fi
  done
  local pid
  for _ in $(seq 1 40); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.25
  done
  for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; done
  for s in "${SERVICES[@]}"; do rm -f "$RUNDIR/$s.pid"; done
  rm -f "$RUNDIR/cinder.conf.running"
}

if [ "${1:-start}" = stop ]; then
  stop_all
  exit 0
fi
[ "${1:-start}" = start ] || die "usage: $0 [start|stop]"

mkdir -p "$LOGDIR" "$RUNDIR" "$CONF_DIR/lock" "$CONF_DIR/state"

cat > "$CONF" <<CONF
[DEFAULT]
transport_url = $OS_TRANSPORT_URL
auth_strategy = keystone
api_paste_config = $CONF_DIR/api-paste.ini
osapi_volume_listen = 127.0.0.1
osapi_volume_listen_port = $CINDER_PORT
# one forked API worker: the smallest footprint on 2 cores
osapi_volume_workers = 1
# links in API answers name loopback, not this machine's host name
public_endpoint = $CINDER_URL
host = $CINDER_HOST
# on SIGTERM the scheduler otherwise waits up to 60 s for its RPC server to wind down
graceful_shutdown_timeout = 5
my_ip = 127.0.0.1
state_path = $CONF_DIR/state
enabled_backends = fake
# volumes without a type get __DEFAULT__ (made by db sync): no extra specs, so it matches the one backend
default_volume_type = __DEFAULT__
resource_query_filters_file = $CONF_DIR/resource_filters.json
# a project's default quota (10 volumes, 10 snapshots, 1000 GB) would refuse the 11th volume; the fake
# backend holds any number, so a project may have ~100 (openstack quota set lowers it for one project).
# db sync writes those defaults as the "default" quota class, which wins over these options unless
# use_default_quota_class is off.
use_default_quota_class = false
quota_volumes = 200
quota_snapshots = 200
quota_gigabytes = 2000
# nothing listens for Cinder's notifications
[oslo_messaging_notifications]
driver = noop
[fake]
# python3-cinder's FakeLoggingVolumeDriver: an LVM subclass whose every data-path call only logs (no
# vgs/lvcreate/tgtadm runs), reporting infinite capacity, so any number of volumes fits. Its
# initialize_connection answers {driver_volume_type: iscsi, data: {access_mode}}, which Nova's fake
# virt driver stores without looking at it.
volume_driver = cinder.tests.fake_driver.FakeLoggingVolumeDriver
volume_backend_name = fake
[database]
connection = $(pg_url cinder)
# the local PostgreSQL (max_connections 100) is shared by every service: bounded pool per process
max_pool_size = 2
max_overflow = 3
[oslo_concurrency]
lock_path = $CONF_DIR/lock
[keystone_authtoken]
# shared by every process of every service (scripts/local-up.sh, memcached)
memcached_servers = 127.0.0.1:$MEMCACHED_PORT
www_authenticate_uri = http://127.0.0.1:$KEYSTONE_PORT
auth_url = http://127.0.0.1:$KEYSTONE_PORT
auth_type = password
username = cinder
password = $CINDER_PASSWORD
project_name = service
user_domain_name = Default
project_domain_name = Default
[nova]
# Cinder's calls back to Nova (volume-extended events and the like) as the nova service user
auth_type = password
auth_url = http://127.0.0.1:$KEYSTONE_PORT
username = nova
password = $NOVA_PASSWORD
project_name = service
user_domain_name = Default
project_domain_name = Default
region_name = RegionOne
interface = public
CONF

# Debian's python3-cinder ships no paste file: the API's app (osapi_volume) is put together here.
# `/` answers the version list (clients discover the microversions there), `/v3` the API behind Keystone.
cat > "$CONF_DIR/api-paste.ini" <<'PASTE'
[composite:osapi_volume]
use = call:cinder.api:root_app_factory
/ = versions
/v3 = v3_api

[composite:v3_api]
# Cinder picks the pipeline named after auth_strategy
use = call:cinder.api.middleware.auth:pipeline_factory
keystone = request_id faults authtoken context v3_router

[app:versions]
paste.app_factory = cinder.api.versions:Versions.factory

[app:v3_router]
paste.app_factory = cinder.api.v3.router:APIRouter.factory

[filter:request_id]
paste.filter_factory = cinder.api.middleware.request_id:RequestId.factory

[filter:faults]
paste.filter_factory = cinder.api.middleware.fault:FaultWrapper.factory

[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory

[filter:context]
paste.filter_factory = cinder.api.middleware.auth:CinderKeystoneContext.factory
PASTE

# Which query filters a non-admin may use on list calls. Without this file (Debian puts it in cinder-common's
# /etc/cinder) Cinder drops every filter below microversion 3.33 (a name filter lists all volumes) and
# refuses every filter from 3.33 on ("Invalid filters ... are found in query options").
cat > "$CONF_DIR/resource_filters.json" <<'JSON'
{
  "volume": ["name", "status", "metadata", "bootable", "migration_status", "availability_zone", "group_id",
             "size", "created_at", "updated_at"],
  "snapshot": ["name", "status", "volume_id", "metadata", "availability_zone"],
  "backup": ["name", "status", "volume_id"],
  "attachment": ["volume_id", "instance_id", "status", "attach_status"],
  "group": [],
  "group_snapshot": ["status", "group_id"],
  "message": ["resource_uuid", "resource_type", "event_id", "request_id", "message_level"],
  "pool": ["name", "volume_type"],
  "volume_type": ["is_public"]
}
JSON

cinder_manage() {
  $OS_PYTHON -c "import sys; sys.argv[0] = 'cinder-manage'; from cinder.cmd.manage import main; sys.exit(main())" \
    --config-file "$CONF" "$@" >>"$LOGDIR/cinder-manage.log" 2>&1
}

# the services table row of BINARY was written since epoch second $2: that process is connected to the
# database (it writes the row as it starts; cinder-volume's fake driver is ready a fraction of a second
# later, and a create sent before the scheduler has the backend's capabilities waits in the scheduler)
reported_since() {
  [ "$(PGPASSWORD=$PG_PASSWORD psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d cinder -Atqc \
    "select count(*) from services where not deleted and \"binary\" = '$1' and host like '$CINDER_HOST%'
       and coalesce(updated_at, created_at) >= to_timestamp($2) at time zone 'UTC'")" -gt 0 ]
}

# what the processes run with: a change (an older checkout's settings) restarts them
settings() { cat "$CONF" "$CONF_DIR/api-paste.ini" "$CONF_DIR/resource_filters.json"; }

running=0
for s in "${SERVICES[@]}"; do pid_alive "$RUNDIR/$s.pid" && running=$((running + 1)); done
if [ "$running" = 0 ] && cinder_up; then
  # started from another checkout (no pid file of ours), as Keystone and Heat may be: the same service
  log "Cinder answers on :$CINDER_PORT but was not started from here: reusing it"
elif [ "$running" = "${#SERVICES[@]}" ] && cinder_up && settings | cmp -s - "$RUNDIR/cinder.conf.running"; then
  log "Cinder already answers on :$CINDER_PORT: reusing it"
else
  # one process gone, the API not answering or other settings: start the three afresh (they work together)
  stop_all
  cinder_up && die "something else answers on :$CINDER_PORT"
  t0=$SECONDS
  ensure_db cinder
  cinder_manage db sync || die "cinder db sync failed (see $LOGDIR/cinder-manage.log)"
  log "Cinder database ready ($((SECONDS - t0))s)"
  log "starting Cinder"
  since=$(date +%s)
  settings > "$RUNDIR/cinder.conf.running"
  for s in "${SERVICES[@]}"; do
    os_run "$s" "$RUNDIR/$s.pid" "cinder.cmd.${s#cinder-}:main" --config-file "$CONF" --log-file "$LOGDIR/$s.log"
  done
  wait_for "Cinder API" 90 cinder_up
  wait_for "cinder-scheduler" 90 reported_since cinder-scheduler "$since"
  wait_for "cinder-volume" 90 reported_since cinder-volume "$since"
fi

keystone_service cinder "$CINDER_PASSWORD" cinderv3 volumev3 "$CINDER_URL/v3/%(project_id)s"
log "Cinder ready at $CINDER_URL"
