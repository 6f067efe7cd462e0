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
