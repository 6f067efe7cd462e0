#!/usr/bin/env bash
# Stops only what scripts/local-up.sh (and scripts/run-app.sh) started, found through .local/run.
# With the argument `app`, stops baystack alone.
set -uo pipefail
source "$(dirname "$0")/lib.sh"

stop_pid() {
  local name=$1 file=$RUNDIR/$1.pid
  pid_alive "$file" || { rm -f "$file"; return 0; }
  local pid; pid=$(cat "$file")
  log "stopping $name (pid $pid)"
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
  rm -f "$file"
}

stop_pid baystack
if [ "${1:-}" = app ]; then
  log "baystack stopped (local cloud left running)"
  exit 0
fi
for svc in node-sim cinder nova neutron placement glance; do
  bash "$ROOT/scripts/os/$svc.sh" stop
done
stop_pid heat
stop_pid keystone
stop_pid memcached
if [ -f "$RUNDIR/postgres.datadir" ]; then
  datadir=$(cat "$RUNDIR/postgres.datadir")
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  log "stopping the PostgreSQL cluster in $datadir"
  runuser -u postgres -- "$pgbin/pg_ctl" -D "$datadir" -m fast -w stop >/dev/null 2>&1
  rm -f "$RUNDIR/postgres.datadir"
fi
bash "$ROOT/scripts/rabbitmq-up.sh" stop
# the fault tests' throw-away PostgreSQL, should a test run have left it running
bash "$ROOT/scripts/pg-fault-db.sh" stop 2>/dev/null || true
log "local services stopped"
