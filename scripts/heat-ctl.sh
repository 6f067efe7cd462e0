#!/usr/bin/env bash
# Stops or starts the local Heat alone (for tests that take Heat away and bring it back):
#   heat-ctl.sh stop | start
set -euo pipefail
source "$(dirname "$0")/lib.sh"
hconf=$LOCAL/heat/heat.conf
heat_up() { curl -fsS -m 2 "$HEAT_URL/" >/dev/null 2>&1; }

case ${1:-} in
  stop)
    pids=$(cat "$RUNDIR/heat.pid" 2>/dev/null || true)
    [ -n "$pids" ] && kill -0 "$pids" 2>/dev/null || pids=$(pgrep -f "heat-all --config-file" || true)
    [ -n "$pids" ] || die "no local Heat is running"
    for pid in $pids; do kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; done
    for _ in $(seq 1 40); do heat_up || break; sleep 0.25; done
    for pid in $pids; do kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; done
    for _ in $(seq 1 40); do heat_up || break; sleep 0.25; done
    heat_up && die "Heat still answers"
    rm -f "$RUNDIR/heat.pid"
    log "Heat stopped"
    ;;
  start)
    if heat_up; then log "Heat already answers"; exit 0; fi
    [ -f "$hconf" ] || die "$hconf is missing: run scripts/local-up.sh first"
    # the launcher local-up.sh writes (Heat's scheduler step)
    setsid nohup "$LOCAL/heat/bin/heat-all" --config-file "$hconf" >>"$LOGDIR/heat-all.out" 2>&1 < /dev/null &
    echo $! > "$RUNDIR/heat.pid"
    cat "$hconf" "$LOCAL/heat/bin/heat-all" > "$RUNDIR/heat.conf.running"
    wait_for Heat 60 heat_up
    ;;
  *) die "usage: $0 stop|start" ;;
esac
