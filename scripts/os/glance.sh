#!/usr/bin/env bash
# Real OpenStack Glance (image API, :9292) on loopback for the local cloud: one glance-api process with a
# file store under .local/glance/images, its database in the local PostgreSQL, registered in Keystone.
# On start it also uploads tiny public images named like cloud images (scripts/os/seed.py: debian-12,
# ubuntu-24.04, ...) so that templates and Magnum-style clusters can name one.
#   glance.sh [start]   start (or reuse) Glance        glance.sh stop   stop what start started
# Needs scripts/local-up.sh's Keystone and PostgreSQL.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

GLANCE_URL=http://127.0.0.1:$GLANCE_PORT
CONF_DIR=$LOCAL/glance
PIDFILE=$RUNDIR/glance-api.pid

glance_up() { curl -s -o /dev/null -m 3 -w '%{http_code}' "$GLANCE_URL/" | grep -q '^300$'; }

# stop_one NAME: stops the process group named by $RUNDIR/NAME.pid (os_run starts each in its own session)
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
  stop_one glance-api
  rm -f "$RUNDIR/glance.conf.running"
  exit 0
fi
[ "${1:-start}" = start ] || die "usage: $0 [start|stop]"

mkdir -p "$LOGDIR" "$RUNDIR" "$CONF_DIR/images" "$CONF_DIR/lock"

cat > "$CONF_DIR/glance-api.conf" <<CONF
[DEFAULT]
bind_host = 127.0.0.1
bind_port = $GLANCE_PORT
# 0: the parent process serves requests itself (no forked child), the smallest footprint on 2 cores
workers = 0
log_file = $LOGDIR/glance-api.log
# image URLs in API answers name loopback, not this machine's host name
public_endpoint = $GLANCE_URL
# nothing listens for image notifications here
[oslo_messaging_notifications]
driver = noop
[database]
connection = $(pg_url glance)
# the local PostgreSQL (max_connections 100) is shared by every service: bounded pool
max_pool_size = 2
max_overflow = 3
[glance_store]
stores = file
default_store = file
filesystem_store_datadir = $CONF_DIR/images
[oslo_concurrency]
lock_path = $CONF_DIR/lock
[paste_deploy]
config_file = $CONF_DIR/glance-api-paste.ini
flavor = keystone
[keystone_authtoken]
# shared by every process of every service (scripts/local-up.sh, memcached)
memcached_servers = 127.0.0.1:$MEMCACHED_PORT
www_authenticate_uri = http://127.0.0.1:$KEYSTONE_PORT
auth_url = http://127.0.0.1:$KEYSTONE_PORT
auth_type = password
username = glance
password = $GLANCE_PASSWORD
project_name = service
user_domain_name = Default
project_domain_name = Default
# service tokens (Nova sends one with its calls) count only with the service role, as the nova user has
service_token_roles_required = true
CONF

# Debian's python3-glance ships no paste file: the API pipeline (keystone flavor) written out here
cat > "$CONF_DIR/glance-api-paste.ini" <<'PASTE'
[pipeline:glance-api-keystone]
pipeline = request_id http_proxy_to_wsgi versionnegotiation authtoken context rootapp

[composite:rootapp]
paste.composite_factory = glance.api:root_app_factory
/: apiversions
/v2: apiv2app

[app:apiversions]
paste.app_factory = glance.api.versions:create_resource

[app:apiv2app]
paste.app_factory = glance.api.v2.router:API.factory

[filter:request_id]
paste.filter_factory = oslo_middleware:RequestId.factory

[filter:http_proxy_to_wsgi]
paste.filter_factory = oslo_middleware:HTTPProxyToWSGI.factory

[filter:versionnegotiation]
paste.filter_factory = glance.api.middleware.version_negotiation:VersionNegotiationFilter.factory

[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory
delay_auth_decision = true

[filter:context]
paste.filter_factory = glance.api.middleware.context:ContextMiddleware.factory
PASTE

# before the start: registering (re)sets the service user's password, which revokes the tokens Keystone
# issued to that user up to that second
keystone_service glance "$GLANCE_PASSWORD" glance image "$GLANCE_URL"

# what the running Glance was started with: a Glance of ours started with other settings is restarted
settings() { cat "$CONF_DIR/glance-api.conf" "$CONF_DIR/glance-api-paste.ini"; }
if pid_alive "$PIDFILE" && ! settings | cmp -s - "$RUNDIR/glance.conf.running"; then
  log "Glance's settings changed: restarting it"
  stop_one glance-api
fi
if glance_up; then
  log "Glance already answers on :$GLANCE_PORT: reusing it"
else
  stop_one glance-api   # a stale process that no longer answers
  t0=$SECONDS
  ensure_db glance
  $OS_PYTHON -c "import sys; sys.argv[0] = 'glance-manage'; from glance.cmd.manage import main; sys.exit(main())" \
    --config-file "$CONF_DIR/glance-api.conf" db_sync >>"$LOGDIR/glance-manage.log" 2>&1 \
    || die "glance db_sync failed (see $LOGDIR/glance-manage.log)"
  log "Glance database ready ($((SECONDS - t0))s)"
  log "starting Glance"
  os_run glance-api "$PIDFILE" glance.cmd.api:main --config-file "$CONF_DIR/glance-api.conf"
  settings > "$RUNDIR/glance.conf.running"
  wait_for Glance 60 glance_up
fi

# the image the templates and the tests name (idempotent: uploaded only when missing)
KEYSTONE_URL=$KEYSTONE_URL ADMIN_PASSWORD=$ADMIN_PASSWORD LOCAL=$LOCAL \
  $OS_PYTHON "$ROOT/scripts/os/seed.py" image 2>>"$LOGDIR/os-seed.log" | while read -r l; do log "$l"; done \
  || die "registering the image failed (see $LOGDIR/os-seed.log)"
log "Glance ready at $GLANCE_URL"
