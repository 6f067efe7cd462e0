# Shared settings for the local real services (sourced, not run).
# Everything listens on loopback only; the passwords guard nothing but this machine's own test cloud.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOCAL=${BAYSTACK_LOCAL_DIR:-$ROOT/.local}
LOGDIR=$LOCAL/log
RUNDIR=$LOCAL/run
# Debian's kubectl, unpacked by install-deps.sh (another package may own /usr/bin/kubectl)
KUBECTL=$LOCAL/tools/kubernetes-client/usr/bin/kubectl

PG_HOST=127.0.0.1
PG_PORT=${BAYSTACK_PG_PORT:-5432}
# one role owns the databases of baystack, Keystone and Heat
PG_USER=baystack
PG_PASSWORD=baystack
# own cluster (only when no PostgreSQL answers): outside the work tree so the postgres user can reach it
PG_OWN_DATA=/var/tmp/baystack-pg-$PG_PORT
# the fault tests' throw-away PostgreSQL (scripts/pg-fault-db.sh): baystack's alone, so it may be stopped
PG_FAULT_PORT=${BAYSTACK_PGFAULT_PORT:-5439}
PG_FAULT_DATA=/var/tmp/baystack-pgfault-$PG_FAULT_PORT
PG_FAULT_DB=baystack_fault

# the broker of the profile `rabbitmq` (scripts/rabbitmq-up.sh); guest/guest over loopback
RABBIT_PORT=${BAYSTACK_RABBITMQ_PORT:-5672}
RABBIT_NODE=baystack-$RABBIT_PORT@localhost
RABBIT_BASE=/var/tmp/baystack-rabbitmq-$RABBIT_PORT

KEYSTONE_PORT=5000
MEMCACHED_PORT=11211
KEYSTONE_URL=http://127.0.0.1:$KEYSTONE_PORT/v3
HEAT_PORT=8004
HEAT_URL=http://127.0.0.1:$HEAT_PORT
BAYSTACK_PORT=${BAYSTACK_PORT:-9511}
BAYSTACK_URL=http://127.0.0.1:$BAYSTACK_PORT

ADMIN_PASSWORD=admin-local
HEAT_PASSWORD=heat-local
HEAT_DOMAIN_ADMIN_PASSWORD=heat-domain-local
BAYSTACK_SERVICE_PASSWORD=baystack-local
DEMO_PASSWORD=demo-local
ALT_PASSWORD=alt-local
PEER_PASSWORD=peer-local
GLANCE_PASSWORD=glance-local
PLACEMENT_PASSWORD=placement-local
NOVA_PASSWORD=nova-local
NEUTRON_PASSWORD=neutron-local
CINDER_PASSWORD=cinder-local
GLANCE_PORT=9292
PLACEMENT_PORT=8778
NOVA_PORT=8774
NEUTRON_PORT=9696
CINDER_PORT=8776
# the OpenStack services' RPC (Nova, Neutron, Cinder run several processes each)
OS_TRANSPORT_URL=rabbit://guest:guest@127.0.0.1:${BAYSTACK_RABBITMQ_PORT:-5672}/

# /usr/bin/python3: the Debian interpreter that has the OpenStack libraries
OS_PYTHON=/usr/bin/python3

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# wait_for NAME SECONDS COMMAND...: polls until COMMAND succeeds
wait_for() {
  local name=$1 limit=$2; shift 2
  local start=$SECONDS
  until "$@" >/dev/null 2>&1; do
    (( SECONDS - start >= limit )) && die "$name did not answer within ${limit}s (logs: $LOGDIR)"
    sleep 0.5
  done
  log "$name is up ($(( SECONDS - start ))s)"
}

# ensure_db NAME...: creates each database (owner $PG_USER) unless it exists; PostgreSQL must answer
ensure_db() {
  local super
  if psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
    super=(psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -Atq)
  else
    super=(runuser -u postgres -- psql -p "$PG_PORT" -d postgres -v ON_ERROR_STOP=1 -Atq)
  fi
  local db
  for db in "$@"; do
    if [ -z "$("${super[@]}" -c "select 1 from pg_database where datname='$db'")" ]; then
      "${super[@]}" -c "create database $db owner $PG_USER" >/dev/null
      log "created database $db"
    fi
  done
}

# pg_url DB: the SQLAlchemy URL of a local database for the OpenStack services
pg_url() { echo "postgresql+psycopg2://$PG_USER:$PG_PASSWORD@$PG_HOST:$PG_PORT/$1"; }

# keystone_service USER PASSWORD NAME TYPE URL: registers a service of the local cloud in Keystone
keystone_service() {
  KEYSTONE_URL=$KEYSTONE_URL ADMIN_PASSWORD=$ADMIN_PASSWORD $OS_PYTHON "$ROOT/scripts/os/keystone-service.py" "$@" \
    2>>"$LOGDIR/keystone-bootstrap.log" | while read -r l; do log "$l"; done
}

# pid_alive FILE: true when FILE names a running process
pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# ensure_app [fresh]: the packaged baystack for the calling script. It starts the jar if baystack does
# not run (with `fresh`, it restarts it so the jar just built answers). The EXIT trap is set before the
# start, so that a failed start does not leave a jar running; it stops baystack only if the caller
# started it. Call it before setting any EXIT trap of your own, and chain to `app_cleanup` in yours.
app_cleanup() { :; }
ensure_app() {
  local was_running=false
  pid_alive "$RUNDIR/baystack.pid" && was_running=true
  if ! $was_running; then
    app_cleanup() { bash "$ROOT/scripts/local-down.sh" app >/dev/null 2>&1 || true; }
    trap app_cleanup EXIT
  elif [ "${1:-}" = fresh ]; then
    bash "$ROOT/scripts/local-down.sh" app >/dev/null 2>&1
  fi
  bash "$ROOT/scripts/run-app.sh"
}

# The one nova-compute's host name. Neutron's ML2 `test` mechanism driver (our stand-in for a switch
# agent, see scripts/os/neutron.sh) binds ports only for certain host names; Nova reports this one.
NOVA_COMPUTE_HOST=${NOVA_COMPUTE_HOST:-host-ovs-filter-active}

# os_run NAME PIDFILE MODULE:FUNC ARGS...: starts an OpenStack command (the Debian python3-* packages
# ship the modules, not the console scripts) in its own session, logging to $LOGDIR/NAME.out
os_run() {
  local name=$1 pidfile=$2 entry=$3; shift 3
  setsid nohup $OS_PYTHON -c "import sys; sys.argv[0] = '$name'; from ${entry%%:*} import ${entry##*:} as m; sys.exit(m())" \
    "$@" >"$LOGDIR/$name.out" 2>&1 < /dev/null &
  echo $! > "$pidfile"
}
