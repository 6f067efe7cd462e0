#!/usr/bin/env bash
# Brings up, on loopback, the real services baystack talks to: PostgreSQL and RabbitMQ (each reused when one runs),
# Keystone (uwsgi, :5000), Heat (heat-all: API + engine, :8004), and behind Heat Glance (:9292), Placement
# (:8778), Neutron (:9696), Nova (:8774) and Cinder (:8776) from scripts/os/. Installs missing Debian packages
# first. Idempotent: services already answering are reused. Writes .local/openrc (demo user) and
# .local/baystack.env (what the application reads). Stop with scripts/local-down.sh.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
mkdir -p "$LOGDIR" "$RUNDIR" "$LOCAL/keystone" "$LOCAL/heat"

"$ROOT/scripts/install-deps.sh"
"$ROOT/scripts/pg-up.sh"
"$ROOT/scripts/rabbitmq-up.sh"

keystone_up() { curl -sf "$KEYSTONE_URL" >/dev/null; }
heat_up() { curl -s -o /dev/null -w '%{http_code}' "$HEAT_URL/" | grep -q '^300$'; }

# ---------------------------------------------------------------- memcached
# The cache Keystone's four processes share (validated tokens, the catalog, role assignments, the
# revocation list; invalidations go through it, so every process sees a revocation at once), and the
# services' token cache (keystonemiddleware: a token is validated once, not once by each process of
# each service). Without it Keystone built each token's roles and catalog from SQL on every issue and
# validation, ~0.1 s of CPU each, and was the busiest process in every stage of make test.
memcached_up() { (exec 3<>/dev/tcp/127.0.0.1/$MEMCACHED_PORT) 2>/dev/null; }
if memcached_up; then
  log "memcached already answers on :$MEMCACHED_PORT: reusing it"
else
  log "starting memcached"
  memcached -d -l 127.0.0.1 -p "$MEMCACHED_PORT" -U 0 -m 128 -c 2048 -u root -P "$RUNDIR/memcached.pid"
  wait_for memcached 20 memcached_up
fi

# ---------------------------------------------------------------- Keystone
kconf=$LOCAL/keystone/keystone.conf
cat > "$kconf" <<CONF
[DEFAULT]
log_file = $LOGDIR/keystone.log
[database]
connection = $(pg_url keystone)
# the local PostgreSQL (max_connections raised to 300 by pg-up.sh) also serves Heat, the services behind it and baystack: bounded pools share it
# (4 single-threaded processes, see the uwsgi command below)
max_pool_size = 2
max_overflow = 2
[token]
provider = fernet
expiration = 3600
[fernet_tokens]
key_repository = $LOCAL/keystone/fernet-keys
[fernet_receipts]
key_repository = $LOCAL/keystone/fernet-receipts
[credential]
key_repository = $LOCAL/keystone/credential-keys
[trust]
# baystack's per-bay trust is handed to Heat, which builds its own trust from it: a redelegation
allow_redelegation = true
[identity]
# this loopback cloud's passwords guard nothing: bcrypt's cheapest cost (4) instead of 12 makes each
# password login ~1 ms instead of ~250 ms of CPU. Heat logs in as its trustee for every stack it works
# on, so at the default cost Keystone's single process was the suite's bottleneck. Hashes are made
# when a password is set (keystone-bootstrap.py sets them on every start).
password_hash_rounds = 4
[cache]
enabled = true
backend = oslo_cache.memcache_pool
memcache_servers = 127.0.0.1:$MEMCACHED_PORT
CONF

if keystone_up; then
  log "Keystone already answers on :$KEYSTONE_PORT: reusing it"
else
  export OS_KEYSTONE_CONFIG_FILES=$kconf
  keystone-manage --config-file "$kconf" db_sync >>"$LOGDIR/keystone-manage.log" 2>&1
  for repo in fernet_setup credential_setup; do
    keystone-manage --config-file "$kconf" $repo --keystone-user root --keystone-group root >>"$LOGDIR/keystone-manage.log" 2>&1
  done
  # fernet receipts share the fernet_setup command's key format
  [ -d "$LOCAL/keystone/fernet-receipts" ] || cp -r "$LOCAL/keystone/fernet-keys" "$LOCAL/keystone/fernet-receipts"
  keystone-manage --config-file "$kconf" bootstrap --bootstrap-password "$ADMIN_PASSWORD" \
    --bootstrap-admin-url "$KEYSTONE_URL" --bootstrap-public-url "$KEYSTONE_URL" \
    --bootstrap-internal-url "$KEYSTONE_URL" --bootstrap-region-id RegionOne >>"$LOGDIR/keystone-manage.log" 2>&1
  log "starting Keystone"
  # Connection: close, because uwsgi's http-socket does not keep connections alive.
  # Single-threaded processes: Keystone 22 is not thread-safe where a trust is made from a trust-scoped
  # token (a redelegation, as Heat does for every stack from baystack's per-bay trust). With 8 threads in
  # one process, 8 of 12 concurrent trust creates got another request's trust as their parent (measured),
  # so stacks ran on another bay's trust and failed once that bay was deleted.
  OS_KEYSTONE_CONFIG_FILES=$kconf setsid nohup uwsgi_python3 --http-socket 127.0.0.1:$KEYSTONE_PORT \
    --wsgi-file /usr/bin/keystone-wsgi-public --master --processes 4 --threads 1 --lazy-apps \
    --need-app --die-on-term --add-header 'Connection: close' \
    --pidfile "$RUNDIR/keystone.pid" >"$LOGDIR/keystone-uwsgi.log" 2>&1 < /dev/null &
  wait_for Keystone 60 keystone_up
fi

KEYSTONE_URL=$KEYSTONE_URL HEAT_URL=$HEAT_URL BAYSTACK_URL=$BAYSTACK_URL ADMIN_PASSWORD=$ADMIN_PASSWORD \
HEAT_PASSWORD=$HEAT_PASSWORD HEAT_DOMAIN_ADMIN_PASSWORD=$HEAT_DOMAIN_ADMIN_PASSWORD \
BAYSTACK_SERVICE_PASSWORD=$BAYSTACK_SERVICE_PASSWORD DEMO_PASSWORD=$DEMO_PASSWORD ALT_PASSWORD=$ALT_PASSWORD PEER_PASSWORD=$PEER_PASSWORD \
  $OS_PYTHON "$ROOT/scripts/keystone-bootstrap.py" 2>>"$LOGDIR/keystone-bootstrap.log" | while read -r l; do log "$l"; done

# ---------------------------------------------------------------- Heat
hconf=$LOCAL/heat/heat.conf
cat > "$hconf" <<CONF
[DEFAULT]
log_file = $LOGDIR/heat.log
# API and engine share the heat-all process, so in-memory RPC is enough
transport_url = fake://
num_engine_workers = 1
# RPC handlers at once (API -> engine, parent -> nested stack calls, each answered promptly); Heat sizes
# its database pool's overflow after it (see [database])
executor_thread_pool_size = 24
# the legacy engine finishes small stacks 2-4x faster than convergence here
convergence_engine = false
graceful_shutdown_timeout = 5
# the test projects keep the stacks of every run; the default (512) would fill up
max_stacks_per_tenant = 100000
auth_encryption_key = baystack-local-heat-enc-key-32ch
stack_user_domain_name = heat
stack_domain_admin = heat_domain_admin
stack_domain_admin_password = $HEAT_DOMAIN_ADMIN_PASSWORD
deferred_auth_method = trusts
region_name_for_services = RegionOne
[oslo_messaging_notifications]
# stack notifications (orchestration.stack.*) to RabbitMQ, which baystack follows to sync a bay at once
# (BAYSTACK_HEAT_NOTIFICATIONS); the RPC above stays in memory. A broker away costs a few retries, never
# a stuck engine.
driver = messagingv2
transport_url = rabbit://guest:guest@127.0.0.1:$RABBIT_PORT/
topics = baystack-heat
retry = 3
[cache]
# Heat's own caches (constraint checks 60 s; name -> id look-ups and service extensions 1 h), in its one
# process's memory. Off by default: every nested stack's validation then asked Neutron, Nova and Glance
# again for the same public network, flavor, image and keypair; in the real-cloud tests neutron-server
# was the busiest process on the machine (0.07 s of CPU a request, 9 requests/s, most of them those
# look-ups). A real cloud's Heat runs with a cache too (memcached when there are several engines).
enabled = true
backend = dogpile.cache.memory
[heat_all]
enabled_services = api,engine
[heat_api]
bind_host = 127.0.0.1
bind_port = $HEAT_PORT
workers = 1
[paste_deploy]
api_paste_config = /etc/heat/api-paste.ini
[database]
connection = $(pg_url heat)
# Heat's engine raises max_overflow to executor_thread_pool_size (64 by default), so heat-all opened 67
# connections under the 200-request concurrency test: the local PostgreSQL (then max_connections 100, shared
# with Keystone and baystack) ran out and Heat's own resources failed. Bounded (see
# executor_thread_pool_size above), a greenthread waits for a pooled connection instead.
max_pool_size = 10
max_overflow = 24
pool_timeout = 60
[oslo_concurrency]
lock_path = $LOCAL/heat/lock
[clients_keystone]
auth_uri = http://127.0.0.1:$KEYSTONE_PORT
[keystone_authtoken]
# shared by every process of every service (scripts/local-up.sh, memcached)
memcached_servers = 127.0.0.1:$MEMCACHED_PORT
www_authenticate_uri = http://127.0.0.1:$KEYSTONE_PORT
auth_url = http://127.0.0.1:$KEYSTONE_PORT
auth_type = password
username = heat
password = $HEAT_PASSWORD
project_name = service
user_domain_name = Default
project_domain_name = Default
[trustee]
auth_type = password
auth_url = http://127.0.0.1:$KEYSTONE_PORT
username = heat
password = $HEAT_PASSWORD
user_domain_name = Default
CONF

# heat-all as Debian ships it, its task scheduler stepping every $HEAT_STEP s rather than every second.
# Heat's legacy engine sleeps a whole step between two looks at a stack's resources, at every level of
# nesting: a bay of placeholders (no work in it at all) took 10 s to create and 23 s to scale by one,
# the machine idle meanwhile, and the tests wait on hundreds of them. A step is also how often Heat asks
# a service whether its resource is done (a server ACTIVE, a volume attached, a port gone): each of its
# OpenStack resources is still asked at most every $HEAT_POLL s, as a real cloud's Heat (one step a
# second) asks. At 0.2 s, a server being built was read five times a second, and each read of a
# server costs Nova a Neutron call or two. Nothing else of Heat changes; a real cloud's Heat steps every
# second, which baystack only sees as slower progress.
HEAT_STEP=${BAYSTACK_HEAT_STEP:-0.2}
HEAT_POLL=${BAYSTACK_HEAT_POLL:-1.0}
mkdir -p "$LOCAL/heat/bin"
cat > "$LOCAL/heat/bin/heat-all" <<PY
#!/usr/bin/python3
import sys
import time

from heat.cmd import all as heat_all  # first: it monkey-patches for eventlet
from heat.engine import resource
from heat.engine import resources
from heat.engine import scheduler

scheduler.TaskRunner.__call__.__defaults__ = ($HEAT_STEP, None, None)
scheduler.TaskRunner.run_to_completion.__defaults__ = ($HEAT_STEP, None)


def at_most_every(check, seconds):
    """check_*_complete asking its service at most every SECONDS per resource; in between: not yet."""
    def throttled(self, *args, **kwargs):
        if self.__dict__.get("_baystack_checking"):
            return check(self, *args, **kwargs)  # a subclass's check calling its parent's: one ask
        asked = self.__dict__.setdefault("_baystack_asked", {})
        now = time.monotonic()
        if now - asked.get(check.__name__, -seconds) < seconds:
            return False
        asked[check.__name__] = now
        self.__dict__["_baystack_checking"] = True
        try:
            return check(self, *args, **kwargs)
        finally:
            self.__dict__["_baystack_checking"] = False
    throttled.__name__ = check.__name__
    return throttled


def throttle_openstack_checks():
    """The resources of heat.engine.resources.openstack but Heat's own (OS::Heat::*: nested stacks, waits)."""
    seen, todo = set(), [resource.Resource]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    for cls in seen:
        module = cls.__module__
        if not module.startswith("heat.engine.resources.openstack.") or module.startswith("heat.engine.resources.openstack.heat."):
            continue
        for name, member in list(vars(cls).items()):
            if name.startswith("check_") and name.endswith("_complete") and callable(member):
                setattr(cls, name, at_most_every(member, $HEAT_POLL))


initialise = resources.initialise


def initialise_and_throttle():
    first = resources._environment is None
    initialise()
    if first:
        throttle_openstack_checks()


resources.initialise = initialise_and_throttle
sys.exit(heat_all.main())
PY
chmod +x "$LOCAL/heat/bin/heat-all"
# the settings a running Heat was started with: its configuration and its launcher
running_heat() { cat "$hconf" "$LOCAL/heat/bin/heat-all"; }
if heat_up && [ -f "$RUNDIR/heat.pid" ] && ! running_heat | cmp -s - "$RUNDIR/heat.conf.running"; then
  # ours, started with other settings (an older checkout's): restart it with these
  log "Heat's settings changed: restarting it"
  bash "$ROOT/scripts/heat-ctl.sh" stop
fi
if heat_up; then
  log "Heat already answers on :$HEAT_PORT: reusing it"
else
  heat-manage --config-file "$hconf" db_sync >>"$LOGDIR/heat-manage.log" 2>&1
  # as an operator's cron would: stacks deleted over an hour ago leave Heat's database (their rows stay
  # until purged, and every run of the tests deletes hundreds)
  t0=$SECONDS
  if heat-manage --config-file "$hconf" purge_deleted -g hours 1 >>"$LOGDIR/heat-manage.log" 2>&1; then
    log "purged Heat's stacks deleted over an hour ago ($((SECONDS - t0))s)"
  else
    log "warning: heat-manage purge_deleted failed (see $LOGDIR/heat-manage.log); going on"
  fi
  log "starting Heat"
  setsid nohup "$LOCAL/heat/bin/heat-all" --config-file "$hconf" >"$LOGDIR/heat-all.out" 2>&1 < /dev/null &
  echo $! > "$RUNDIR/heat.pid"
  running_heat > "$RUNDIR/heat.conf.running"
  wait_for Heat 60 heat_up
fi

# Heat 19's schema has no index on event.stack_id: a stack's event list with nested_depth (baystack reads it
# for a bay's events) scanned the whole table, seconds per call once the test cloud held thousands of events
PGPASSWORD=$PG_PASSWORD psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d heat -qc \
  "create index if not exists baystack_event_stack_id on event (stack_id)" >/dev/null

# ---------------------------------------------------------------- Glance, Placement, Neutron, Nova, Cinder
# the services a bay is built of, behind Heat (each script is idempotent; scripts/os/*.sh say how each runs
# without hypervisor, switch agent or disks). BAYSTACK_CLOUD=heat-only skips them: Keystone and Heat alone.
if [ "${BAYSTACK_CLOUD:-full}" != heat-only ]; then
  t0=$SECONDS
  for svc in glance placement neutron nova cinder node-sim; do
    bash "$ROOT/scripts/os/$svc.sh" start
  done
  log "Glance, Placement, Neutron, Nova, Cinder and the node simulator ready ($((SECONDS - t0))s)"
fi

# ---------------------------------------------------------------- credentials for people and the app
cat > "$LOCAL/openrc" <<RC
# the local demo tenant (generated by scripts/local-up.sh)
export OS_AUTH_URL=$KEYSTONE_URL
export OS_IDENTITY_API_VERSION=3
export OS_USERNAME=demo
export OS_PASSWORD=$DEMO_PASSWORD
export OS_PROJECT_NAME=demo
export OS_USER_DOMAIN_NAME=Default
export OS_PROJECT_DOMAIN_NAME=Default
export OS_REGION_NAME=RegionOne
# openstack server create --nic none (and automatic networks) needs compute API 2.37 or later
export OS_COMPUTE_API_VERSION=2.37
export BAYSTACK_URL=$BAYSTACK_URL
RC
sed -e "s/OS_USERNAME=demo/OS_USERNAME=admin/" -e "s/OS_PASSWORD=.*/OS_PASSWORD=$ADMIN_PASSWORD/" \
    -e "s/OS_PROJECT_NAME=demo/OS_PROJECT_NAME=admin/" -e 's/local demo tenant/local cloud admin/' \
    "$LOCAL/openrc" > "$LOCAL/openrc.admin"
# baystack's secrets key (seals the bays' CA keys in PostgreSQL): made once, kept across restarts,
# readable by this user only. Losing it makes every stored CA key unreadable (README, "Secrets key").
if [ ! -s "$LOCAL/secrets.key" ]; then
  (umask 077; head -c 32 /dev/urandom | base64 > "$LOCAL/secrets.key")
  log "generated baystack's secrets key into $LOCAL/secrets.key"
fi
cat > "$LOCAL/baystack.env" <<ENV
BAYSTACK_DB_HOST=$PG_HOST
BAYSTACK_DB_PORT=$PG_PORT
BAYSTACK_DB_USER=$PG_USER
BAYSTACK_DB_PASSWORD=$PG_PASSWORD
BAYSTACK_KEYSTONE_URL=$KEYSTONE_URL
BAYSTACK_KEYSTONE_PASSWORD=$BAYSTACK_SERVICE_PASSWORD
BAYSTACK_SECRETS_KEY=$(cat "$LOCAL/secrets.key")
BAYSTACK_HEAT_NOTIFICATIONS=true
ENV
chmod 600 "$LOCAL/baystack.env"
log "local cloud ready: Keystone $KEYSTONE_URL, Heat $HEAT_URL (credentials in $LOCAL/openrc)"
