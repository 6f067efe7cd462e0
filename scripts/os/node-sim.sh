#!/usr/bin/env bash
# The node simulator (scripts/os/node-sim.py), the local cloud's stand-in for booted bay servers: it
# reads each new server's user data from Nova, fetches a master's CA key from baystack and signals the
# node's Heat wait condition, as the bootstrap scripts on a real server would (Kubernetes itself does
# not run here: see the README's stand-ins).
#   node-sim.sh [start]   start (or reuse) it        node-sim.sh stop   stop what start started
# Needs scripts/local-up.sh's Keystone and Nova.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

PIDFILE=$RUNDIR/node-sim.pid

if [ "${1:-start}" = stop ]; then
  if pid_alive "$PIDFILE"; then
    log "stopping the node simulator (pid $(cat "$PIDFILE"))"
    kill -TERM "$(cat "$PIDFILE")" 2>/dev/null || true
  fi
  rm -f "$PIDFILE"
  exit 0
fi
[ "${1:-start}" = start ] || die "usage: $0 [start|stop]"

mkdir -p "$LOGDIR" "$RUNDIR"
if pid_alive "$PIDFILE"; then
  log "the node simulator already runs: reusing it"
  exit 0
fi
# a new log: its first line is the start the wait below looks for
: >"$LOGDIR/node-sim.log"
KEYSTONE_URL=$KEYSTONE_URL ADMIN_PASSWORD=$ADMIN_PASSWORD NODE_SIM_LOG=$LOGDIR/node-sim.log NODE_SIM_STATE=$LOCAL/node-sim.done \
  setsid nohup "$OS_PYTHON" "$ROOT/scripts/os/node-sim.py" >"$LOGDIR/node-sim.out" 2>&1 </dev/null &
echo $! >"$PIDFILE"
wait_for "node simulator" 30 grep -q "node simulator started" "$LOGDIR/node-sim.log"
