#!/usr/bin/env bash
# Installs, from Debian's packages, whatever the local stack needs and this machine lacks.
# Idempotent: does nothing (and never calls apt) when everything is present.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

need=()
have() { command -v "$1" >/dev/null 2>&1; }
have java || need+=(openjdk-17-jdk-headless)
have curl || need+=(curl)
have jq || need+=(jq)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
have rabbitmq-server || need+=(rabbitmq-server)
# the dashboard's browser test (tests/browser) drives Debian's Chromium
[ -x /usr/bin/chromium ] || need+=(chromium)
have heat-all || need+=(heat-common)
have keystone-manage || need+=(python3-keystone)
have uwsgi_python3 || need+=(uwsgi-plugin-python3)
have openstack || need+=(python3-openstackclient)
$OS_PYTHON -c 'import heatclient' 2>/dev/null || need+=(python3-heatclient)
$OS_PYTHON -c "import magnumclient" 2>/dev/null || need+=(python3-magnumclient)
$OS_PYTHON -c 'import psycopg2' 2>/dev/null || need+=(python3-psycopg2)
# the cache Keystone's processes share and the services' token caches (scripts/local-up.sh)
have memcached || need+=(memcached)
$OS_PYTHON -c 'import memcache' 2>/dev/null || need+=(python3-memcache)
# the services behind Heat, as libraries only (their -api/-compute packages would start system daemons):
# scripts/os/*.sh run them from these modules
for mod in glance:python3-glance placement:python3-placement neutron:python3-neutron nova:python3-nova \
           cinder:python3-cinder; do
  $OS_PYTHON -c "import ${mod%%:*}" 2>/dev/null || need+=("${mod##*:}")
done
# the stock-client test checks the certificates `coe cluster config` writes with openssl
have openssl || need+=(openssl)
# the bays' user data (heat/bootstrap) is checked as cloud-init reads it, and its scripts by shellcheck
have cloud-init || need+=(cloud-init)
have shellcheck || need+=(shellcheck)
# libfaketime: SkewedClockIT runs one baystack process with its clock ten minutes ahead
[ -e /usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1 ] || need+=(libfaketime)

# ... and reads its kubeconfig with Debian's kubectl (package kubernetes-client), unpacked into
# .local/tools: a machine may already have another package's /usr/bin/kubectl (Google's `kubectl`),
# which installing kubernetes-client would collide with
if [ ! -x "$KUBECTL" ]; then
  tmp=$(mktemp -d)
  (cd "$tmp" && { apt-get download -qq kubernetes-client 2>/dev/null \
    || { apt-get update -qq && apt-get download -qq kubernetes-client; }; })
  mkdir -p "$LOCAL/tools/kubernetes-client"
  dpkg-deb -x "$tmp"/kubernetes-client_*.deb "$LOCAL/tools/kubernetes-client"
  rm -rf "$tmp"
  log "unpacked Debian's kubernetes-client: $("$KUBECTL" version --client --short 2>/dev/null || "$KUBECTL" version --client)"
fi

if [ ${#need[@]} -eq 0 ]; then
  log "all packages present"
  exit 0
fi
log "installing: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# --no-install-recommends: heat-api/heat-engine/keystone service packages would start system daemons on our ports
# --force-unsafe-io: dpkg unpacks without an fsync per file (a crash mid-install means installing again, which
# this script does anyway)
apt-get install -y -qq --no-install-recommends -o Dpkg::Options::=--force-unsafe-io "${need[@]}" >/dev/null
log "installed"
