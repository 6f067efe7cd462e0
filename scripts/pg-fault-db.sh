#!/usr/bin/env bash
# A throw-away PostgreSQL for baystack alone, on 127.0.0.1:$PG_FAULT_PORT, for the tests that take the
# database away (the shared one on :5432 also holds Keystone's and Heat's, so it must stay up).
#   pg-fault-db.sh start    initdb if needed, start, create role baystack and database baystack_fault (idempotent)
#   pg-fault-db.sh stop     stop it at once, as a crash would (pg_ctl -m immediate); nothing when it is not running
#   pg-fault-db.sh status   exit 0 when it runs
set -euo pipefail
source "$(dirname "$0")/lib.sh"

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
running() { [ -n "$pgbin" ] && [ -f "$PG_FAULT_DATA/PG_VERSION" ] \
  && runuser -u postgres -- "$pgbin/pg_ctl" -D "$PG_FAULT_DATA" status >/dev/null 2>&1; }
ready() { "$pgbin/pg_isready" -q -h 127.0.0.1 -p "$PG_FAULT_PORT" -U postgres -d postgres; }
super() { "$pgbin/psql" -h 127.0.0.1 -p "$PG_FAULT_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -Atq "$@"; }

start() {
  [ -n "$pgbin" ] || die "no PostgreSQL binaries under /usr/lib/postgresql (scripts/install-deps.sh installs them)"
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  if [ ! -f "$PG_FAULT_DATA/PG_VERSION" ]; then
    log "initialising the fault-test PostgreSQL in $PG_FAULT_DATA"
    install -d -o postgres -g postgres -m 700 "$PG_FAULT_DATA"
    runuser -u postgres -- "$pgbin/initdb" -D "$PG_FAULT_DATA" -U postgres --auth=trust -E UTF8 >/dev/null
  fi
  if running; then
    log "the fault-test PostgreSQL already runs on 127.0.0.1:$PG_FAULT_PORT"
  else
    log "starting the fault-test PostgreSQL on 127.0.0.1:$PG_FAULT_PORT"
    # Its socket lives in its own directory: nothing shared with the system PostgreSQL.
    # synchronous_commit stays on: with it off, a commit is acknowledged before its WAL leaves
    # PostgreSQL's memory, so the immediate stop below (a crash) drops the last bays the API answered
    # 202 for; that is what the outage test checks never happens. fsync=off is safe here: an immediate
    # stop kills processes, not the kernel, whose page cache keeps everything already written.
    runuser -u postgres -- "$pgbin/pg_ctl" -D "$PG_FAULT_DATA" -l "$PG_FAULT_DATA/server.log" -w -t 60 start \
      -o "-c listen_addresses=127.0.0.1 -p $PG_FAULT_PORT -c unix_socket_directories=$PG_FAULT_DATA -c fsync=off -c full_page_writes=off" >/dev/null
  fi
  wait_for "fault-test PostgreSQL" 30 ready
  if [ -z "$(super -c "select 1 from pg_roles where rolname='$PG_USER'")" ]; then
    super -c "create role $PG_USER login password '$PG_PASSWORD'"
  fi
  if [ -z "$(super -c "select 1 from pg_database where datname='$PG_FAULT_DB'")" ]; then
    super -c "create database $PG_FAULT_DB owner $PG_USER"
    log "created database $PG_FAULT_DB"
  fi
}

stop() {
  if ! running; then
    log "the fault-test PostgreSQL is not running"
    return 0
  fi
  log "stopping the fault-test PostgreSQL on 127.0.0.1:$PG_FAULT_PORT (immediate)"
  runuser -u postgres -- "$pgbin/pg_ctl" -D "$PG_FAULT_DATA" -m immediate -w -t 30 stop >/dev/null
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  status) running ;;
  *) die "usage: $0 start|stop|status" ;;
esac
