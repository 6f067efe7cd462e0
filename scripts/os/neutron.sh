#!/usr/bin/env bash
# A real Neutron server (ML2 + L3 router plugin) on 127.0.0.1:9696 for the local cloud, with no agents:
#   scripts/os/neutron.sh [start|stop]
# Ports bind through ML2's `test` mechanism driver (shipped by Debian's python3-neutron), which binds
# only for known host names: NOVA_COMPUTE_HOST (lib.sh) is one of them. Routers and floating IPs are
# API and database objects only (no L3 agent wires them; floating IPs stay DOWN). `start` reuses a
# server that answers, else creates the database, registers the service in Keystone and starts one;
# either way it makes sure of the external networks `public` (with the floating-IP subnet) and
# `public-nosubnet`. `stop` stops only the process group its pid file names.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

NEUTRON_URL=http://127.0.0.1:$NEUTRON_PORT
pidfile=$RUNDIR/neutron-server.pid
conf_dir=$LOCAL/neutron
conf=$conf_dir/neutron.conf
ml2=$conf_dir/ml2_conf.ini

neutron_up() { curl -fsS -m 3 "$NEUTRON_URL/" >/dev/null 2>&1; }

stop_neutron() {
  pid_alive "$pidfile" || { rm -f "$pidfile"; log "Neutron is not running (no live pid in $pidfile)"; return 0; }
  local pid; pid=$(cat "$pidfile")
  log "stopping Neutron (pid $pid)"
  # the server forks its RPC/plugin workers into its session (os_run's setsid): the group takes them all
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  rm -f "$pidfile"
  log "Neutron stopped"
}

case ${1:-start} in
  start) ;;
  stop) stop_neutron; exit 0 ;;
  *) die "usage: $0 [start|stop]" ;;
esac

mkdir -p "$LOGDIR" "$RUNDIR" "$conf_dir/lock" "$conf_dir/state"

# No neutron-common package here, hence no /etc/neutron/api-paste.ini: our own, the API behind
# Keystone tokens (neutron.auth picks the `keystone` pipeline from auth_strategy).
cat > "$conf_dir/api-paste.ini" <<'PASTE'
[composite:neutron]
use = call:paste.urlmap:urlmap_factory
/: versions
/v2.0: api_v2

[composite:versions]
use = call:neutron.auth:pipeline_factory
keystone = request_id versions_app
noauth = request_id versions_app

[composite:api_v2]
use = call:neutron.auth:pipeline_factory
keystone = request_id catch_errors authtoken keystonecontext extensions api_v2_app
noauth = request_id catch_errors extensions api_v2_app

[filter:request_id]
paste.filter_factory = oslo_middleware:RequestId.factory
[filter:catch_errors]
paste.filter_factory = oslo_middleware:CatchErrors.factory
[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory
[filter:keystonecontext]
paste.filter_factory = neutron.auth:NeutronKeystoneContext.factory
[filter:extensions]
paste.filter_factory = neutron.api.extensions:plugin_aware_extension_middleware_factory
[app:versions_app]
paste.app_factory = neutron.pecan_wsgi.app:versions_factory
[app:api_v2_app]
paste.app_factory = neutron.api.v2.router:APIRouter.factory
PASTE

cat > "$conf" <<CONF
[DEFAULT]
bind_host = 127.0.0.1
bind_port = $NEUTRON_PORT
log_file = $LOGDIR/neutron-server.log
state_path = $conf_dir/state
api_paste_config = $conf_dir/api-paste.ini
auth_strategy = keystone
core_plugin = ml2
# routers and floating IPs at the API level; no L3 agent runs, so they are never wired (floating IPs DOWN)
service_plugins = router
transport_url = $OS_TRANSPORT_URL
# api_workers 0 serves the API from the parent process itself (1 would fork a separate API child).
# Neutron always forks one RPC worker (rpc_workers below 1 counts as 1); with no agents it idles.
api_workers = 0
rpc_workers = 1
rpc_state_report_workers = 0
# no DHCP agent runs: do not cast network/subnet/port events to one
dhcp_agent_notification = false
# port status/data changes become Nova external events (vif-plugged...). Nova may not run: the
# notifier logs the failed send and goes on, requests never wait for it.
notify_nova_on_port_status_changes = true
notify_nova_on_port_data_changes = true
[quotas]
# every bay has a router, three security groups, a network, a subnet and 1 + N ports and floating IPs;
# the tests keep dozens of bays in one project (defaults: 10 routers, 10 security groups, 50 floating IPs)
quota_router = 200
quota_security_group = 400
quota_security_group_rule = 4000
quota_network = 200
quota_subnet = 200
quota_port = 2000
quota_floatingip = 1000
[database]
connection = $(pg_url neutron)
# the shared local PostgreSQL (max_connections 100) also serves Keystone, Heat, baystack and the
# other OpenStack services: a small pool per process
max_pool_size = 4
max_overflow = 6
[oslo_concurrency]
lock_path = $conf_dir/lock
[keystone_authtoken]
# shared by every process of every service (scripts/local-up.sh, memcached)
memcached_servers = 127.0.0.1:$MEMCACHED_PORT
www_authenticate_uri = http://127.0.0.1:$KEYSTONE_PORT
auth_url = http://127.0.0.1:$KEYSTONE_PORT
auth_type = password
username = neutron
password = $NEUTRON_PASSWORD
project_name = service
user_domain_name = Default
project_domain_name = Default
[nova]
auth_url = http://127.0.0.1:$KEYSTONE_PORT
auth_type = password
username = nova
password = $NOVA_PASSWORD
project_name = service
user_domain_name = Default
project_domain_name = Default
region_name = RegionOne
endpoint_type = public
CONF

cat > "$ml2" <<CONF
[ml2]
# flat: the external networks, one per physical network name; vxlan: tenant networks (a VNI is a
# database allocation only, nothing needs a tunnel endpoint)
type_drivers = flat,vxlan
tenant_network_types = vxlan
# no switch agent can run here: the \`test\` driver binds ports by host name alone. For the host
# $NOVA_COMPUTE_HOST it binds vif_type ovs and sets the port ACTIVE.
mechanism_drivers = test
extension_drivers = port_security
[ml2_type_flat]
flat_networks = *
[ml2_type_vxlan]
vni_ranges = 1:10000
[securitygroup]
# the API and its rules work; nothing enforces them (no agent)
enable_security_group = true
firewall_driver = noop
CONF

# neutron-server with the `test` mechanism driver made fit for a long-lived server. A unit-test helper,
# it asserts on every port call that its in-memory record of the ports it bound matches the port, and
# drops a port from that record when the port is unbound: after a restart (empty record) unbinding a
# port bound before (as Nova does when it deletes a server) failed with a 500 (KeyError in
# update_port_precommit). Its binding decision (bind_port) is kept as it is.
cat > "$conf_dir/baystack_neutron_server.py" <<'PY'
from neutron.cmd.eventlet import server
from neutron.tests.unit.plugins.ml2.drivers import mechanism_test


class _NoRecord(set):
    def add(self, item):
        pass

    def remove(self, item):
        pass


def _initialize(self):
    self.bound_ports = _NoRecord()


def main():
    driver = mechanism_test.TestMechanismDriver
    driver.initialize = _initialize
    driver._check_port_context = lambda self, context, original_expected: None
    return server.main()
PY

if neutron_up && pid_alive "$pidfile" && ! cat "$conf" "$ml2" | cmp -s - "$RUNDIR/neutron.conf.running"; then
  # ours, started with other settings (an older checkout's): restart it with these
  log "Neutron's settings changed: restarting it"
  stop_neutron
  for _ in $(seq 1 40); do neutron_up || break; sleep 0.25; done
fi
if neutron_up && pid_alive "$pidfile"; then
  log "Neutron already answers on :$NEUTRON_PORT: reusing it"
elif neutron_up; then
  # started from another checkout (no pid file of ours), as Keystone and Heat may be: the same service
  log "Neutron answers on :$NEUTRON_PORT but was not started from here: reusing it"
else
  ensure_db neutron
  t0=$SECONDS
  $OS_PYTHON -c "import sys; sys.argv[0] = 'neutron-db-manage'; from neutron.db.migration.cli import main; sys.exit(main())" \
    --config-file "$conf" --config-file "$ml2" upgrade heads >>"$LOGDIR/neutron-db-manage.log" 2>&1 \
    || die "neutron-db-manage upgrade heads failed (see $LOGDIR/neutron-db-manage.log)"
  log "Neutron's schema is current ($((SECONDS - t0))s)"
  # (keystone-service.py leaves a working password alone: setting it again revokes every token of the
  # user, a running server's own too, whose token checks then answered 503 until it logged in again)
  keystone_service neutron "$NEUTRON_PASSWORD" neutron network "$NEUTRON_URL"
  rm -f "$pidfile"
  log "starting Neutron"
  PYTHONPATH=$conf_dir os_run neutron-server "$pidfile" baystack_neutron_server:main \
    --config-file "$conf" --config-file "$ml2"
  cat "$conf" "$ml2" > "$RUNDIR/neutron.conf.running"
  wait_for Neutron 120 neutron_up
fi

# ---------------------------------------------------------------- the external networks (as admin)
NEUTRON_URL=$NEUTRON_URL KEYSTONE_URL=$KEYSTONE_URL ADMIN_PASSWORD=$ADMIN_PASSWORD $OS_PYTHON - <<'PY' 2>>"$LOGDIR/neutron-setup.log" | while read -r l; do log "$l"; done
import os
from keystoneauth1 import session
from keystoneauth1.identity import v3
from neutronclient.v2_0 import client

env = os.environ
auth = v3.Password(auth_url=env["KEYSTONE_URL"], username="admin", password=env["ADMIN_PASSWORD"],
                   project_name="admin", user_domain_id="default", project_domain_id="default")
nc = client.Client(session=session.Session(auth=auth), endpoint_override=env["NEUTRON_URL"])


def network(name, physnet):
    found = nc.list_networks(name=name)["networks"]
    if found:
        return found[0]
    # a flat network per physical network name (flat_networks = *): two external networks coexist
    return nc.create_network({"network": {
        "name": name, "router:external": True, "shared": False,
        "provider:network_type": "flat", "provider:physical_network": physnet}})["network"]


public = network("public", "public")
if not nc.list_subnets(name="public-subnet", network_id=public["id"])["subnets"]:
    nc.create_subnet({"subnet": {
        "name": "public-subnet", "network_id": public["id"], "ip_version": 4,
        "cidr": "172.24.4.0/24", "gateway_ip": "172.24.4.1", "enable_dhcp": False,
        "allocation_pools": [{"start": "172.24.4.10", "end": "172.24.4.250"}]}})
# an external network without a subnet: routers' gateways and floating IPs on it get Neutron's own error
network("public-nosubnet", "public-nosubnet")
print("neutron: external networks public (172.24.4.0/24) and public-nosubnet ready")
PY
log "Neutron ready at $NEUTRON_URL"
