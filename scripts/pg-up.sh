#!/usr/bin/env bash
# Makes sure a PostgreSQL answers on 127.0.0.1:$PG_PORT: reuses a running one, else starts a cluster of
# our own. Then creates (idempotently) the baystack role and the databases baystack, baystack_test,
# keystone and heat (and baystack_crash, baystack_restart, baystack_secrets, baystack_skew for the tests that run the packaged app;
# baystack_real and baystack_exclusive, the real-cloud and exclusive test JVMs', and baystack_it, the failsafe JVM's own test database, which holds no bay).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
mkdir -p "$LOGDIR" "$RUNDIR"

pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
ready() { "$pgbin/pg_isready" -q -h "$PG_HOST" -p "$PG_PORT"; }

if ready; then
  log "PostgreSQL already answers on $PG_HOST:$PG_PORT: reusing it"
else
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  if [ ! -f "$PG_OWN_DATA/PG_VERSION" ]; then
    log "initialising a PostgreSQL cluster in $PG_OWN_DATA"
    install -d -o postgres -g postgres -m 700 "$PG_OWN_DATA"
    runuser -u postgres -- "$pgbin/initdb" -D "$PG_OWN_DATA" -U postgres --auth=trust -E UTF8 >/dev/null
  fi
  log "starting PostgreSQL on $PG_HOST:$PG_PORT"
  install -d -o postgres -g postgres /var/run/postgresql
  # durable as an operator's would be (baystack's 202 promises the bay is stored): no fsync or
  # synchronous_commit shortcuts
  runuser -u postgres -- "$pgbin/pg_ctl" -D "$PG_OWN_DATA" -l "$PG_OWN_DATA/server.log" -w start \
    -o "-c listen_addresses=$PG_HOST -p $PG_PORT -c max_connections=300" >/dev/null
  # remembered so that local-down.sh stops only what we started
  echo "$PG_OWN_DATA" > "$RUNDIR/postgres.datadir"
  wait_for PostgreSQL 30 ready
fi

# a superuser session: trust over TCP where the cluster allows it, else the postgres user's socket
if psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
  super() { psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -Atq "$@"; }
else
  super() { runuser -u postgres -- psql -p "$PG_PORT" -d postgres -v ON_ERROR_STOP=1 -Atq "$@"; }
fi

# Keystone, Heat, Glance, Placement, Neutron, Nova (three databases), Cinder and baystack (the tests start
# several) each keep a pool here: ~50 connections idle, well over 100 under the tests. A Debian cluster we
# reuse with a lower limit is raised and restarted once (ours starts with 300).
if [ "$(super -c 'show max_connections')" -lt 300 ]; then
  cluster=$(pg_lsclusters -h 2>/dev/null | awk -v p="$PG_PORT" '$3 == p && $4 == "online" {print $1, $2; exit}')
  if [ -n "$cluster" ]; then
    log "raising PostgreSQL's max_connections to 300 (cluster $cluster; restarts it)"
    super -c "alter system set max_connections = 300" >/dev/null
    # shellcheck disable=SC2086
    pg_ctlcluster --skip-systemctl-redirect $cluster restart
    wait_for PostgreSQL 30 ready
  else
    log "warning: PostgreSQL on :$PG_PORT allows $(super -c 'show max_connections') connections, fewer than the local cloud may use"
  fi
fi

if [ -z "$(super -c "select 1 from pg_roles where rolname='$PG_USER'")" ]; then
  super -c "create role $PG_USER login createdb password '$PG_PASSWORD'"
fi
for db in baystack baystack_test baystack_real baystack_exclusive baystack_it baystack_skew baystack_crash baystack_restart baystack_secrets keystone heat; do
  if [ -z "$(super -c "select 1 from pg_database where datname='$db'")" ]; then
    super -c "create database $db owner $PG_USER"
    log "created database $db"
  fi
done
