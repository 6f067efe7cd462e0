#!/usr/bin/env bash
# The stock OpenStack clients, unmodified, against the packaged baystack and the local Keystone and
# Heat: Debian's python3-magnumclient (`magnum`) and python3-openstackclient (`openstack coe`), each
# with a token + endpoint override and with password auth through the Keystone catalog. Every
# command's output is checked. The four flows run side by side; each logs to .local/log/cli-*.log.
# The token flows run every command; the catalog flows run the same client with password auth, finding
# baystack in the Keystone catalog, for a request of each kind the commands make (create, list, show,
# update, the certificates, delete), the cluster deleted while it is still being built: past
# authentication and the endpoint, a command's code is the same in both modes, and each full flow costs
# a cluster built on the real Nova, Neutron and Cinder, its CA rotation, resizes, node groups and an upgrade.
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"
# shellcheck disable=SC1091
source "$LOCAL/openrc"

# always against the jar just built: restart baystack if it runs, and stop it after if it did not
ensure_app fresh

WAIT=${BAYSTACK_CLI_WAIT:-240}
TOKEN=$(openstack token issue -f value -c id)
RUN_ID=$(date +%H%M%S)$RANDOM

fail() { echo "FAIL [$FLOW] $*" >&2; exit 1; }
# No command of a flow should take long; one that hangs fails the flow while baystack is still in the state
# that hangs it, so that `diagnose` below shows that state (a CI run once saw two template deletes hang).
CMD_BOUND=${BAYSTACK_CLI_COMMAND_BOUND:-180}
# diagnose: what baystack was doing when a flow failed: its threads, its database sessions that are not
# idle (and the locks they wait for), its last warnings. CI keeps this output, not the logs.
diagnose() {
  echo "---- baystack when a flow failed ($(date +%T)) ----"
  local pid; pid=$(cat "$RUNDIR/baystack.pid" 2>/dev/null || true)
  local jcmd=${JAVA_HOME:+$JAVA_HOME/bin/}jcmd   # the JDK that runs baystack (run-app.sh's choice)
  if [ -n "$pid" ] && command -v "$jcmd" >/dev/null; then
    "$jcmd" "$pid" Thread.print 2>&1 | grep -A12 -E '^"(vert\.x-|executor-thread)' | grep -v '^\s*- ' | head -150
  fi
  PGPASSWORD=$PG_PASSWORD psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -X -P pager=off -c "
    select a.pid, a.datname, a.state, now() - a.xact_start as in_xact, a.wait_event_type, a.wait_event,
           pg_blocking_pids(a.pid) as blocked_by, left(a.query, 160) as query
      from pg_stat_activity a
     where a.usename = '$PG_USER' and a.state <> 'idle' and a.pid <> pg_backend_pid()
     order by a.xact_start" 2>&1 | head -60
  grep -E ' (WARN|ERROR) ' "$LOGDIR/baystack.log" 2>/dev/null | cut -c1-400 | tail -40
  echo "---- end ----"
}

# bounded COMMAND...: runs COMMAND; after CMD_BOUND seconds, prints `diagnose` (while baystack still hangs)
# and kills it: exit 124
bounded() {
  local fired
  fired=$(mktemp -u)
  "$@" & local cmd=$!
  # the watcher reports (and kills) only a command still running at the bound: one that ended in the same
  # instant keeps its own exit status
  ( sleep "$CMD_BOUND" >/dev/null 2>&1; if kill -0 "$cmd" 2>/dev/null; then diagnose; kill "$cmd" 2>/dev/null && : >"$fired"; fi ) &
  local watch=$!
  local rc=0
  wait "$cmd" || rc=$?
  kill "$watch" 2>/dev/null || true
  wait "$watch" 2>/dev/null || true
  if [ -e "$fired" ]; then
    rm -f "$fired"
    return 124
  fi
  return $rc
}
# expect DESCRIPTION REGEX COMMAND...: runs COMMAND, checks its output matches REGEX
expect() {
  local what=$1 pattern=$2; shift 2
  local out rc=0
  out=$(bounded "$@" 2>&1) || rc=$?
  [ $rc -ne 124 ] || fail "$what: no answer within ${CMD_BOUND}s: $out"
  [ $rc -eq 0 ] || fail "$what: exit $rc: $out"
  grep -Eq -- "$pattern" <<<"$out" || fail "$what: output does not match /$pattern/:
$out"
  echo "ok   [$FLOW] $what"
}
# until_match DESCRIPTION REGEX COMMAND...: polls COMMAND until its output (errors included) matches
until_match() {
  local what=$1 pattern=$2; shift 2
  local start=$SECONDS out="" rc
  while (( SECONDS - start < WAIT )); do
    rc=0
    out=$(bounded "$@" 2>&1) || rc=$?
    [ $rc -ne 124 ] || fail "$what: no answer within ${CMD_BOUND}s: $out"
    if grep -Eq -- "$pattern" <<<"$out"; then
      echo "ok   [$FLOW] $what ($(( SECONDS - start ))s)"
      return 0
    fi
    sleep 2
  done
  fail "$what: still not /$pattern/ after ${WAIT}s:
$out"
}

# api_until PATH REGEX: polls baystack's API at /v1/PATH with curl until "HTTP-CODE STATUS" matches REGEX
# (STATUS: the resource's status, empty for none). The stock CLIs are polled only once this holds: each
# of their calls costs a second or two of CPU, and four flows polling them every 2 s kept both cores busy.
api_until() {
  local path=$1 pattern=$2 start=$SECONDS out="" resp
  while (( SECONDS - start < WAIT )); do
    resp=$(curl -sS -m 10 -H "X-Auth-Token: $TOKEN" -H 'OpenStack-API-Version: container-infra latest' \
      -w '\n%{http_code}' "$BAYSTACK_URL/v1/$path" 2>&1 || true)
    out="${resp##*$'\n'} $(jq -r '.status // empty' <<<"${resp%$'\n'*}" 2>/dev/null || true)"
    grep -Eq -- "$pattern" <<<"$out" && return 0
    sleep 1
  done
  fail "$path: still not /$pattern/ after ${WAIT}s: $out"
}

# api_until_handed PATH: polls baystack's API at /v1/PATH until the cluster has a stack_id (the Heat function
# took it: its CA exists from then on)
api_until_handed() {
  local path=$1 start=$SECONDS stack=""
  while (( SECONDS - start < WAIT )); do
    stack=$(curl -sS -m 10 -H "X-Auth-Token: $TOKEN" "$BAYSTACK_URL/v1/$path" 2>/dev/null | jq -r '.stack_id // empty' 2>/dev/null || true)
    [ -n "$stack" ] && return 0
    sleep 1
  done
  fail "$path: no stack_id after ${WAIT}s"
}

# expect_failure DESCRIPTION REGEX COMMAND...: COMMAND must fail, its output matching REGEX
expect_failure() {
  local what=$1 pattern=$2; shift 2
  local out
  if out=$("$@" 2>&1); then fail "$what: succeeded, expected a failure: $out"; fi
  grep -Eq -- "$pattern" <<<"$out" || fail "$what: output does not match /$pattern/:
$out"
  echo "ok   [$FLOW] $what"
}
# same_ca DESCRIPTION FILE1 FILE2: the two PEM files hold the same certificate
same_ca() {
  [ "$(openssl x509 -noout -fingerprint -sha256 -in "$2")" = "$(openssl x509 -noout -fingerprint -sha256 -in "$3")" ] \
    || fail "$1: $2 and $3 differ"
  echo "ok   [$FLOW] $1"
}
# kubeconfig_reads DIR: Debian's kubectl reads the kubeconfig in DIR, which names the bay's API
kubeconfig_reads() {
  expect "kubectl config view reads the kubeconfig" "server: https://[0-9.]+:6443" env KUBECONFIG="$1/config" "$KUBECTL" config view
}
# kubeconfig_embeds DIR: ... and embeds the bay's CA and a client certificate that chains to it
kubeconfig_embeds() {
  local d=$1
  kubeconfig_reads "$d"
  KUBECONFIG="$d/config" "$KUBECTL" config view --raw -o jsonpath='{.clusters[0].cluster.certificate-authority-data}' \
    | base64 -d > "$d/embedded-ca.pem"
  same_ca "the kubeconfig embeds the bay's CA" "$d/embedded-ca.pem" "$d/shown-ca.pem"
  KUBECONFIG="$d/config" "$KUBECTL" config view --raw -o jsonpath='{.users[0].user.client-certificate-data}' \
    | base64 -d > "$d/embedded-cert.pem"
  expect "the kubeconfig's client certificate chains to the bay's CA" "embedded-cert.pem: OK" \
    openssl verify -CAfile "$d/shown-ca.pem" "$d/embedded-cert.pem"
}

# magnum_ca_steps CLUSTER: the bay's CA: show, cluster-config (the client makes a key and CSR, the CA signs it), sign, rotate
magnum_ca_steps() {
  local c=$1
  local d; d=$(mktemp -d "${TMPDIR:-/tmp}/baystack-cli-$FLOW.XXXX")
  expect "ca-show" "BEGIN CERTIFICATE" "${CLI[@]}" ca-show "$c"
  "${CLI[@]}" ca-show --cluster "$c" 2>/dev/null > "$d/shown-ca.pem"
  expect "cluster-config" "export KUBECONFIG=$d/config" "${CLI[@]}" cluster-config "$c" --dir "$d"
  same_ca "cluster-config's ca.pem is the bay's CA" "$d/ca.pem" "$d/shown-ca.pem"
  expect "cluster-config's cert.pem chains to the bay's CA" "cert.pem: OK" openssl verify -CAfile "$d/ca.pem" "$d/cert.pem"
  # the legacy CLI (4.0.0) writes the certificates as files and a kubeconfig naming the API only
  kubeconfig_reads "$d"
  openssl req -new -newkey rsa:2048 -nodes -keyout "$d/ops.key" -subj "/O=system:masters/CN=ops" -out "$d/ops.csr" 2>/dev/null
  expect "ca-sign" "BEGIN CERTIFICATE" "${CLI[@]}" ca-sign --cluster "$c" --csr "$d/ops.csr"
  "${CLI[@]}" ca-sign --cluster "$c" --csr "$d/ops.csr" 2>/dev/null > "$d/ops.pem"
  expect "ca-sign's certificate chains to the bay's CA" "ops.pem: OK" openssl verify -CAfile "$d/shown-ca.pem" "$d/ops.pem"
  if [ "$FLOW" = magnum-token ]; then
    # python-magnumclient 4.0.0 in token mode (its own httplib client) sends the PATCH, then fails on
    # any body-less PATCH's answer whatever the server says (it makes a resource of the unread body
    # stream): the rotation itself is checked below
    expect_failure "ca-rotate (the legacy client's token mode fails after sending it)" \
      "'_io.StringIO' object has no attribute 'items'" "${CLI[@]}" ca-rotate --cluster "$c"
  else
    expect "ca-rotate" "^$|deprecated" "${CLI[@]}" ca-rotate --cluster "$c"
  fi
  api_until "clusters/$c" "^200 (UPDATE_COMPLETE|UPDATE_FAILED)$"
  until_match "cluster-show reaches UPDATE_COMPLETE after ca-rotate" "\| status +\| UPDATE_COMPLETE +\|" "${CLI[@]}" cluster-show "$c"
  "${CLI[@]}" ca-show "$c" 2>/dev/null > "$d/rotated-ca.pem"
  expect_failure "after ca-rotate the old client certificate no longer chains" "verification failed|error" \
    openssl verify -CAfile "$d/rotated-ca.pem" "$d/cert.pem"
  rm -rf "$d"
}

magnum_flow() {
  local t=ct-$FLOW-$RUN_ID c=c-$FLOW-$RUN_ID
  expect "cluster-template-create" "\| name +\| $t +\|" \
    "${CLI[@]}" cluster-template-create "$t" --image debian-12 --external-network public --coe kubernetes --keypair testkey
  expect "cluster-template-list" "\| $t +\|" "${CLI[@]}" cluster-template-list
  expect "cluster-template-show" "\| image_id +\| debian-12 +\|" "${CLI[@]}" cluster-template-show "$t"
  expect "cluster-template-update" "\| labels +\| \{'a': 'b', 'c': 'd'\} +\|" \
    "${CLI[@]}" cluster-template-update "$t" replace labels=a=b,c=d
  expect "cluster-create" "Request to create cluster [0-9a-f-]{36} has been accepted" \
    "${CLI[@]}" cluster-create "$c" --cluster-template "$t" --node-count 1
  expect "cluster-list" "\| $c +\| testkey +\| 1 +\| 1 +\| CREATE_" "${CLI[@]}" cluster-list
  expect "cluster-template-delete refused while in use" "referenced by one or multiple clusters" \
    "${CLI[@]}" cluster-template-delete "$t"
  if full; then
    api_until "clusters/$c" "^200 (CREATE_COMPLETE|CREATE_FAILED)$"
    until_match "cluster-show reaches CREATE_COMPLETE" "\| status +\| CREATE_COMPLETE +\|" "${CLI[@]}" cluster-show "$c"
    expect "cluster-show addresses" "\| api_address +\| https://[0-9.]+:6443 +\|" "${CLI[@]}" cluster-show "$c"
    magnum_ca_steps "$c"
    expect "cluster-update node_count=2" "Request to update cluster $c has been accepted" \
      "${CLI[@]}" cluster-update "$c" replace node_count=2
    api_until "clusters/$c" "^200 (UPDATE_COMPLETE|UPDATE_FAILED)$"
    until_match "cluster-show reaches UPDATE_COMPLETE" "\| status +\| UPDATE_COMPLETE +\|" "${CLI[@]}" cluster-show "$c"
    expect "cluster-show node_count 2" "\| node_count +\| 2 +\|" "${CLI[@]}" cluster-show "$c"
  else
    # through the catalog, a request of each kind on a cluster still being built (its CA exists once
    # the Heat function has taken it); the update is the template's above, the delete comes mid-build
    expect "cluster-show" "\| name +\| $c +\|" "${CLI[@]}" cluster-show "$c"
    api_until_handed "clusters/$c"
    expect "ca-show" "BEGIN CERTIFICATE" "${CLI[@]}" ca-show "$c"
  fi
  expect "cluster-delete" "Request to delete cluster $c has been accepted" "${CLI[@]}" cluster-delete "$c"
  api_until "clusters/$c" "^404"
  until_match "cluster gone" "Cluster $c could not be found" "${CLI[@]}" cluster-show "$c"
  expect "cluster-template-delete" "Request to delete cluster template $t has been accepted" \
    "${CLI[@]}" cluster-template-delete "$t"
  api_until "clustertemplates/$t" "^404"
  until_match "cluster-template gone" "ClusterTemplate $t could not be found \(HTTP 404\)" \
    "${CLI[@]}" cluster-template-show "$t"
}

# osc_ca_steps CLUSTER: the bay's CA through `openstack coe`: show, cluster config, sign, rotate
osc_ca_steps() {
  local c=$1
  local d; d=$(mktemp -d "${TMPDIR:-/tmp}/baystack-cli-$FLOW.XXXX")
  expect "coe ca show" "BEGIN CERTIFICATE" "${CLI[@]}" coe ca show "$c"
  "${CLI[@]}" coe ca show "$c" > "$d/shown-ca.pem"
  expect "coe cluster config --output-certs" "export KUBECONFIG=$d/config" \
    "${CLI[@]}" coe cluster config "$c" --dir "$d" --output-certs
  same_ca "coe cluster config's ca.pem is the bay's CA" "$d/ca.pem" "$d/shown-ca.pem"
  expect "coe cluster config's cert.pem chains to the bay's CA" "cert.pem: OK" openssl verify -CAfile "$d/ca.pem" "$d/cert.pem"
  kubeconfig_embeds "$d"
  openssl req -new -newkey rsa:2048 -nodes -keyout "$d/ops.key" -subj "/O=system:masters/CN=ops" -out "$d/ops.csr" 2>/dev/null
  "${CLI[@]}" coe ca sign "$c" "$d/ops.csr" > "$d/ops.pem"
  expect "coe ca sign's certificate chains to the bay's CA" "ops.pem: OK" openssl verify -CAfile "$d/shown-ca.pem" "$d/ops.pem"
  expect "coe ca rotate" "Request to rotate the CA certificate for cluster [0-9a-f-]{36} has been accepted" \
    "${CLI[@]}" coe ca rotate "$c"
  api_until "clusters/$c" "^200 (UPDATE_COMPLETE|UPDATE_FAILED)$"
  until_match "coe cluster show reaches UPDATE_COMPLETE after ca rotate" "^UPDATE_COMPLETE$" \
    "${CLI[@]}" coe cluster show "$c" -f value -c status
  "${CLI[@]}" coe ca show "$c" > "$d/rotated-ca.pem"
  expect_failure "after coe ca rotate the old client certificate no longer chains" "verification failed|error" \
    openssl verify -CAfile "$d/rotated-ca.pem" "$d/cert.pem"
  expect "coe cluster config --force after the rotation" "export KUBECONFIG=$d/config" \
    "${CLI[@]}" coe cluster config "$c" --dir "$d" --output-certs --force
  expect "after coe ca rotate a new cluster config chains to the new CA" "cert.pem: OK" \
    openssl verify -CAfile "$d/rotated-ca.pem" "$d/cert.pem"
  rm -rf "$d"
}

# osc_upgrade_steps CLUSTER TEMPLATE WORKERS: to a template with another image and kube_tag, one node at a time
osc_upgrade_steps() {
  local c=$1 t=$2 servers=$(($3 + 1))
  local t2=$t-v2
  expect "coe cluster template create (the upgrade's)" "Request to create cluster template $t2 accepted" \
    "${CLI[@]}" coe cluster template create "$t2" --image debian-13 --external-network public \
    --coe kubernetes --labels kube_tag=v1.35.0
  expect "coe cluster upgrade" "Request to upgrade cluster $c has been accepted" \
    "${CLI[@]}" coe cluster upgrade "$c" "$t2" --max-batch-size 1
  api_until "clusters/$c" "^200 (UPDATE_COMPLETE|UPDATE_FAILED)$"
  until_match "coe cluster show reaches UPDATE_COMPLETE after the upgrade" "^UPDATE_COMPLETE$" \
    "${CLI[@]}" coe cluster show "$c" -f value -c status
  expect "coe cluster show names the new template" "^$("${CLI[@]}" coe cluster template show "$t2" -f value -c uuid)$" \
    "${CLI[@]}" coe cluster show "$c" -f value -c cluster_template_id
  expect "openstack server list: $c's $servers servers run the new image" "^$servers$" bash -c \
    "openstack server list -f value -c Name -c Image | grep -cE '^$c-[0-9a-f]{12}-(master|minion-[0-9]+) debian-13$'"
}

osc_flow() {
  local t=ot-$FLOW-$RUN_ID c=oc-$FLOW-$RUN_ID
  expect "coe cluster template create" "Request to create cluster template $t accepted" \
    "${CLI[@]}" coe cluster template create "$t" --image debian-12 --external-network public --coe kubernetes
  expect "coe cluster template list" "\| $t +\|" "${CLI[@]}" coe cluster template list
  expect "coe cluster template show" "^overlay2$" "${CLI[@]}" coe cluster template show "$t" -f value -c docker_storage_driver
  expect "coe cluster create (template by name)" "Request to create cluster [0-9a-f-]{36} accepted" \
    "${CLI[@]}" coe cluster create "$c" --cluster-template "$t"
  expect "coe cluster list" "^$c CREATE_" "${CLI[@]}" coe cluster list -f value -c name -c status
  if full; then
    api_until "clusters/$c" "^200 (CREATE_COMPLETE|CREATE_FAILED)$"
    until_match "coe cluster show reaches CREATE_COMPLETE" "^CREATE_COMPLETE$" \
      "${CLI[@]}" coe cluster show "$c" -f value -c status
  fi
  if [ "$FLOW" = osc-token ]; then
    cloud_holds "$c" 1
    osc_ca_steps "$c"
    expect "coe cluster resize 2" "Request to resize cluster $c has been accepted" "${CLI[@]}" coe cluster resize "$c" 2
    api_until "clusters/$c" "^200 (UPDATE_COMPLETE|UPDATE_FAILED)$"
    until_match "coe cluster show reaches UPDATE_COMPLETE" "^UPDATE_COMPLETE$" \
      "${CLI[@]}" coe cluster show "$c" -f value -c status
    expect "coe cluster show 2 minions" '"node_count": 2' "${CLI[@]}" coe cluster show "$c" -f json
    cloud_holds "$c" 2
    # (on a cluster of their own in a flow beside this one, the clients took as long: the machine was the limit)
    nodegroup_steps "$c" 2
    osc_upgrade_steps "$c" "$t" 2
  else
    # through the catalog, a request of each kind on a cluster still being built (as magnum_flow's)
    expect "coe cluster show" "^$c$" "${CLI[@]}" coe cluster show "$c" -f value -c name
    api_until_handed "clusters/$c"
    expect "coe ca show" "BEGIN CERTIFICATE" "${CLI[@]}" coe ca show "$c"
  fi
  expect "coe cluster delete" "Request to delete cluster $c has been accepted" "${CLI[@]}" coe cluster delete "$c"
  api_until "clusters/$c" "^404"
  until_match "coe cluster gone" "Cluster $c could not be found \(HTTP 404\)" "${CLI[@]}" coe cluster show "$c"
  if full; then
    cloud_holds "$c" none
  fi
  if [ "$FLOW" = osc-token ]; then
    expect "coe cluster template delete (the upgrade's)" "Request to delete cluster template $t-v2 has been accepted" \
      "${CLI[@]}" coe cluster template delete "$t-v2"
  fi
  expect "coe cluster template delete" "Request to delete cluster template $t has been accepted" \
    "${CLI[@]}" coe cluster template delete "$t"
  api_until "clustertemplates/$t" "^404"
  until_match "coe cluster template gone" "ClusterTemplate $t could not be found \(HTTP 404\)" \
    "${CLI[@]}" coe cluster template show "$t"
}
# nodegroup_steps CLUSTER WORKERS: `openstack coe nodegroup` list/create/show/update/delete, and a resize of the new
# group, each stack update waited for; the group's servers come and go in Nova
nodegroup_steps() {
  local c=$1 workers=$2
  expect "coe nodegroup list: the cluster's two default groups" "^default-master 1 master$" \
    "${CLI[@]}" coe nodegroup list "$c" -f value -c name -c node_count -c role
  expect "coe nodegroup list --role worker" "^default-worker $workers worker$" \
    "${CLI[@]}" coe nodegroup list "$c" --role worker -f value -c name -c node_count -c role
  expect "coe nodegroup create" "Request to create nodegroup [0-9a-f-]{36} accepted" \
    "${CLI[@]}" coe nodegroup create "$c" ng1 --node-count 1 --min-nodes 1 --max-nodes 2 --flavor m1.medium
  api_until "clusters/$c" "^200 (UPDATE_COMPLETE|UPDATE_FAILED)$"
  until_match "coe cluster show reaches UPDATE_COMPLETE after the nodegroup create" "^UPDATE_COMPLETE$" \
    "${CLI[@]}" coe cluster show "$c" -f value -c status
  expect "coe nodegroup show: CREATE_COMPLETE" "^CREATE_COMPLETE$" "${CLI[@]}" coe nodegroup show "$c" ng1 -f value -c status
  expect "coe nodegroup show: its own flavor, not a default group" '"flavor_id":"m1.medium".*"is_default":false' bash -c \
    "$(printf '%q ' "${CLI[@]}") coe nodegroup show $c ng1 -f json | jq -c ."
  expect "coe cluster show counts every worker" "\"node_count\": $((workers + 1))" "${CLI[@]}" coe cluster show "$c" -f json
  expect "coe nodegroup update" "Request to update nodegroup ng1 has been accepted" \
    "${CLI[@]}" coe nodegroup update "$c" ng1 replace max_node_count=3
  expect "coe nodegroup show the new max" "^3$" "${CLI[@]}" coe nodegroup show "$c" ng1 -f value -c max_node_count
  expect "coe cluster resize --nodegroup" "Request to resize cluster $c has been accepted" \
    "${CLI[@]}" coe cluster resize "$c" 2 --nodegroup ng1
  api_until "clusters/$c" "^200 (UPDATE_COMPLETE|UPDATE_FAILED)$"
  until_match "coe cluster show reaches UPDATE_COMPLETE after the nodegroup resize" "^UPDATE_COMPLETE$" \
    "${CLI[@]}" coe cluster show "$c" -f value -c status
  expect "openstack server list: ng1's 2 servers ACTIVE" "^2$" bash -c \
    "openstack server list -f value -c Name -c Status | grep -cE '^$c-[0-9a-f]{12}-ng1-[0-9]+ ACTIVE$'"
  expect "coe nodegroup delete" "Request to delete nodegroup ng1 has been accepted" \
    "${CLI[@]}" coe nodegroup delete "$c" ng1
  api_until "clusters/$c/nodegroups/ng1" "^404"
  until_match "coe nodegroup gone" "Nodegroup ng1 could not be found" "${CLI[@]}" coe nodegroup show "$c" ng1
  api_until "clusters/$c" "^200 (UPDATE_COMPLETE|UPDATE_FAILED)$"
  until_match "coe cluster show reaches UPDATE_COMPLETE after the nodegroup delete" "^UPDATE_COMPLETE$" \
    "${CLI[@]}" coe cluster show "$c" -f value -c status
  expect "openstack server list: nothing of ng1 left" "^0$" bash -c \
    "openstack server list -f value -c Name | grep -cE '^$c-[0-9a-f]{12}-ng1-' || true"
}

# cloud_holds CLUSTER MINIONS|none: what the stock `openstack` client (password auth, .local/openrc) lists in
# the real Nova, Neutron and Cinder of the cluster (its resources are named after its stack, CLUSTER-<uuid12>):
# 1 master + MINIONS servers ACTIVE, as many volumes in-use, its network with one ACTIVE port per server,
# its floating IPs being the cluster's addresses; `none`: nothing of it left
cloud_holds() {
  local c=$1 n=$2 names="^$1-[0-9a-f]{12}-"
  if [ "$n" = none ]; then
    expect "openstack server/volume/network/router list: nothing of $c is left" "^0 0 0 0$" bash -c "
      echo \$(openstack server list -f value -c Name | grep -cE '$names' || true) \
           \$(openstack volume list -f value -c Name | grep -cE '$names' || true) \
           \$(openstack network list -f value -c Name | grep -cE '$names' || true) \
           \$(openstack router list -f value -c Name | grep -cE '$names' || true)"
    return
  fi
  expect "openstack server list: $c's master and $n minion(s) ACTIVE" "^$((n + 1))$" bash -c \
    "openstack server list -f value -c Name -c Status | grep -cE '${names}(master|minion-[0-9]+) ACTIVE$'"
  expect "openstack volume list: $((n + 1)) volumes of $c in-use" "^$((n + 1))$" bash -c \
    "openstack volume list -f value -c Name -c Status | grep -cE '${names}.*docker_volume-[a-z0-9]+ in-use$'"
  local net; net=$(openstack network list -f value -c Name | grep -E "${names}net$")
  expect "openstack port list: one ACTIVE port per server on $net" "^$((n + 1))$" bash -c \
    "openstack port list --network $net --device-owner compute:nova -f value -c Status | grep -c '^ACTIVE$'"
  local addresses; addresses=$(openstack coe cluster show "$c" -f json | jq -r '(.master_addresses + .node_addresses)[]' | sort)
  expect "openstack floating ip list holds $c's addresses" "^$(echo $addresses)$" bash -c \
    "openstack floating ip list -f value -c 'Floating IP Address' | grep -xF '$(echo "$addresses")' | sort | xargs"
}

# full: whether this flow runs every command (the token flows) or a request of each kind (the catalog flows)
full() { [[ $FLOW == *-token ]]; }

flow() {
  FLOW=$1
  case $FLOW in
    magnum-token) CLI=(env -i "PATH=$PATH" "HOME=$HOME" "SHELL=/bin/bash" magnum --os-token "$TOKEN" --os-endpoint-override "$BAYSTACK_URL/v1"); magnum_flow ;;
    magnum-catalog) CLI=(magnum); magnum_flow ;;
    osc-token) CLI=(env -i "PATH=$PATH" "HOME=$HOME" "SHELL=/bin/bash" openstack --os-token "$TOKEN" --os-endpoint "$BAYSTACK_URL/v1"); osc_flow ;;
    osc-catalog) CLI=(openstack); osc_flow ;;
  esac
}

# The clients' cluster-config reads $SHELL to pick the export syntax; a CI runner may have none.
export SHELL="${SHELL:-/bin/bash}"
mkdir -p "$LOGDIR"
pids=()
for f in magnum-token magnum-catalog osc-token osc-catalog; do
  ( flow "$f" ) >"$LOGDIR/cli-$f.log" 2>&1 &
  pids+=("$!:$f")
done
status=0
for entry in "${pids[@]}"; do
  pid=${entry%%:*} f=${entry#*:}
  if wait "$pid"; then
    log "stock clients, $f: all checks passed ($(grep -c '^ok' "$LOGDIR/cli-$f.log"))"
  else
    status=1
    log "stock clients, $f: FAILED"
    cat "$LOGDIR/cli-$f.log" >&2
  fi
done
exit $status
