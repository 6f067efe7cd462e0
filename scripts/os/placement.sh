#!/usr/bin/env bash
# Real OpenStack Placement (:8778) on loopback for the local cloud's Nova: the placement WSGI app served by
# uwsgi (one process), its database in the local PostgreSQL, registered in Keystone.
#   placement.sh [start]   start (or reuse) Placement      placement.sh stop   stop what start started
# Needs scripts/local-up.sh's Keystone and PostgreSQL.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

PLACEMENT_URL=http://127.0.0.1:$PLACEMENT_PORT
CONF_DIR=$LOCAL/placement
PIDFILE=$RUNDIR/placement-api.pid

# the version document at / needs no token
placement_up() { curl -sf -m 3 "$PLACEMENT_URL/" | grep -q '"versions"'; }

# stop_one NAME: stops the process group named by $RUNDIR/NAME.pid (each service runs in its own session)
stop_one() {
  local file=$RUNDIR/$1.pid
  pid_alive "$file" || { rm -f "$file"; return 0; }
  local pid; pid=$(cat "$file")
  log "stopping $1 (pid $pid)"
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  rm -f "$file"
}

if [ "${1:-start}" = stop ]; then
  stop_one placement-api
  rm -f "$RUNDIR/placement.conf.running"
  exit 0
fi
[ "${1:-start}" = start ] || die "usage: $0 [start|stop]"

mkdir -p "$LOGDIR" "$RUNDIR" "$CONF_DIR"

# placement.wsgi reads $OS_PLACEMENT_CONFIG_DIR/placement.conf
cat > "$CONF_DIR/placement.conf" <<CONF
[DEFAULT]
log_file = $LOGDIR/placement.log
[placement_database]
connection = $(pg_url placement)
# the local PostgreSQL (max_connections 100) is shared by every service: bounded pool
max_pool_size = 2
max_overflow = 3
[api]
auth_strategy = keystone
[keystone_authtoken]
# shared by every process of every service (scripts/local-up.sh, memcached)
memcached_servers = 127.0.0.1:$MEMCACHED_PORT
www_authenticate_uri = http://127.0.0.1:$KEYSTONE_PORT
auth_url = http://127.0.0.1:$KEYSTONE_PORT
auth_type = password
username = placement
password = $PLACEMENT_PASSWORD
project_name = service
user_domain_name = Default
project_domain_name = Default
# service tokens (Nova sends one with its calls) count only with the service role, as the nova user has
service_token_roles_required = true
CONF

# uwsgi wants a module-level `application`; placement exposes a factory
cat > "$CONF_DIR/placement-api.wsgi" <<'WSGI'
from placement.wsgi import init_application

application = init_application()
WSGI

# before the start: registering (re)sets the service user's password, which revokes the tokens Keystone
# issued to that user up to that second
keystone_service placement "$PLACEMENT_PASSWORD" placement placement "$PLACEMENT_URL"

# what the running Placement was started with: a Placement of ours started with other settings is restarted
settings() { cat "$CONF_DIR/placement.conf" "$CONF_DIR/placement-api.wsgi"; }
if pid_alive "$PIDFILE" && ! settings | cmp -s - "$RUNDIR/placement.conf.running"; then
  log "Placement's settings changed: restarting it"
  stop_one placement-api
fi
if placement_up; then
  log "Placement already answers on :$PLACEMENT_PORT: reusing it"
else
  stop_one placement-api   # a stale process that no longer answers
  t0=$SECONDS
  ensure_db placement
  OS_PLACEMENT_CONFIG_DIR=$CONF_DIR $OS_PYTHON -c \
    "import sys; sys.argv[0] = 'placement-manage'; from placement.cmd.manage import main; sys.exit(main())" \
    --config-file "$CONF_DIR/placement.conf" db sync >>"$LOGDIR/placement-manage.log" 2>&1 \
    || die "placement db sync failed (see $LOGDIR/placement-manage.log)"
  log "Placement database ready ($((SECONDS - t0))s)"
  log "starting Placement"
  # Connection: close, because uwsgi's http-socket does not keep connections alive (as for Keystone)
  OS_PLACEMENT_CONFIG_DIR=$CONF_DIR setsid nohup uwsgi_python3 --http-socket 127.0.0.1:$PLACEMENT_PORT \
    --wsgi-file "$CONF_DIR/placement-api.wsgi" --master --processes 1 --threads 1 --lazy-apps \
    --need-app --die-on-term --add-header 'Connection: close' \
    >"$LOGDIR/placement-uwsgi.log" 2>&1 < /dev/null &
  echo $! > "$PIDFILE"
  settings > "$RUNDIR/placement.conf.running"
  wait_for Placement 60 placement_up
fi
log "Placement ready at $PLACEMENT_URL"
