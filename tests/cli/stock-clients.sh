#!/usr/bin/env bash
# The stock OpenStack clients, unmodified, against the packaged baystack and the local Keystone and
# Heat: Debian's python3-magnumclient (`magnum`) and python3-openstackclient (`openstack coe`), each
# with a token + endpoint override and with password auth through the Keystone catalog. Every
# command's output is checked. The four flows run side by side; each logs to .local/log/cli-*.log.
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
# expect DESCRIPTION REGEX COMMAND...: runs COMMAND, checks its output matches REGEX
expect() {
  local what=$1 pattern=$2; shift 2
  local out
  out=$("$@" 2>&1) || fail "$what: exit $?: $out"
  grep -Eq -- "$pattern" <<<"$out" || fail "$what: output does not match /$pattern/:
$out"
  echo "ok   [$FLOW] $what"
}
# until_match DESCRIPTION REGEX COMMAND...: polls COMMAND until its output (errors included) matches
until_match() {
  local what=$1 pattern=$2; shift 2
  local start=$SECONDS out=""
  while (( SECONDS - start < WAIT )); do
    out=$("$@" 2>&1 || true)
    if grep -Eq -- "$pattern" <<<"$out"; then
      echo "ok   [$FLOW] $what ($(( SECONDS - start ))s)"
      return 0
    fi
    sleep 2
  done
  fail "$what: still not /$pattern/ after ${WAIT}s:
$out"
}

magnum_flow() {
  local t=ct-$FLOW-$RUN_ID c=c-$FLOW-$RUN_ID
  expect "cluster-template-create" "\| name +\| $t +\|" \
    "${CLI[@]}" cluster-template-create "$t" --image fedora-atomic --external-network public --coe kubernetes --keypair testkey
  expect "cluster-template-list" "\| $t +\|" "${CLI[@]}" cluster-template-list
  expect "cluster-template-show" "\| image_id +\| fedora-atomic +\|" "${CLI[@]}" cluster-template-show "$t"
  expect "cluster-template-update" "\| labels +\| \{'a': 'b', 'c': 'd'\} +\|" \
    "${CLI[@]}" cluster-template-update "$t" replace labels=a=b,c=d
  expect "cluster-create" "Request to create cluster [0-9a-f-]{36} has been accepted" \
    "${CLI[@]}" cluster-create "$c" --cluster-template "$t" --node-count 1
  expect "cluster-list" "\| $c +\| testkey +\| 1 +\| 1 +\| CREATE_" "${CLI[@]}" cluster-list
  until_match "cluster-show reaches CREATE_COMPLETE" "\| status +\| CREATE_COMPLETE +\|" "${CLI[@]}" cluster-show "$c"
  expect "cluster-show addresses" "\| api_address +\| https://[0-9.]+:6443 +\|" "${CLI[@]}" cluster-show "$c"
  expect "cluster-template-delete refused while in use" "referenced by one or multiple clusters" \
    "${CLI[@]}" cluster-template-delete "$t"
  expect "cluster-update node_count=2" "Request to update cluster $c has been accepted" \
    "${CLI[@]}" cluster-update "$c" replace node_count=2
  until_match "cluster-show reaches UPDATE_COMPLETE" "\| status +\| UPDATE_COMPLETE +\|" "${CLI[@]}" cluster-show "$c"
  expect "cluster-show node_count 2" "\| node_count +\| 2 +\|" "${CLI[@]}" cluster-show "$c"
  expect "cluster-delete" "Request to delete cluster $c has been accepted" "${CLI[@]}" cluster-delete "$c"
  until_match "cluster gone" "Cluster $c could not be found" "${CLI[@]}" cluster-show "$c"
  expect "cluster-template-delete" "Request to delete cluster template $t has been accepted" \
    "${CLI[@]}" cluster-template-delete "$t"
  until_match "cluster-template gone" "ClusterTemplate $t could not be found \(HTTP 404\)" \
    "${CLI[@]}" cluster-template-show "$t"
}

osc_flow() {
  local t=ot-$FLOW-$RUN_ID c=oc-$FLOW-$RUN_ID
  expect "coe cluster template create" "Request to create cluster template $t accepted" \
    "${CLI[@]}" coe cluster template create "$t" --image fedora-atomic --external-network public --coe kubernetes
  expect "coe cluster template list" "\| $t +\|" "${CLI[@]}" coe cluster template list
  expect "coe cluster template show" "^overlay2$" "${CLI[@]}" coe cluster template show "$t" -f value -c docker_storage_driver
  expect "coe cluster create (template by name)" "Request to create cluster [0-9a-f-]{36} accepted" \
    "${CLI[@]}" coe cluster create "$c" --cluster-template "$t"
  expect "coe cluster list" "^$c CREATE_" "${CLI[@]}" coe cluster list -f value -c name -c status
  until_match "coe cluster show reaches CREATE_COMPLETE" "^CREATE_COMPLETE$" \
    "${CLI[@]}" coe cluster show "$c" -f value -c status
  expect "coe cluster resize 2" "Request to resize cluster $c has been accepted" "${CLI[@]}" coe cluster resize "$c" 2
  until_match "coe cluster show reaches UPDATE_COMPLETE" "^UPDATE_COMPLETE$" \
    "${CLI[@]}" coe cluster show "$c" -f value -c status
  expect "coe cluster show 2 minions" '"node_count": 2' "${CLI[@]}" coe cluster show "$c" -f json
  expect "coe cluster delete" "Request to delete cluster $c has been accepted" "${CLI[@]}" coe cluster delete "$c"
  until_match "coe cluster gone" "Cluster $c could not be found \(HTTP 404\)" "${CLI[@]}" coe cluster show "$c"
  expect "coe cluster template delete" "Request to delete cluster template $t has been accepted" \
    "${CLI[@]}" coe cluster template delete "$t"
  until_match "coe cluster template gone" "ClusterTemplate $t could not be found \(HTTP 404\)" \
    "${CLI[@]}" coe cluster template show "$t"
}

flow() {
  FLOW=$1
  case $FLOW in
    magnum-token) CLI=(env -i "PATH=$PATH" "HOME=$HOME" magnum --os-token "$TOKEN" --os-endpoint-override "$BAYSTACK_URL/v1"); magnum_flow ;;
    magnum-catalog) CLI=(magnum); magnum_flow ;;
    osc-token) CLI=(env -i "PATH=$PATH" "HOME=$HOME" openstack --os-token "$TOKEN" --os-endpoint "$BAYSTACK_URL/v1"); osc_flow ;;
    osc-catalog) CLI=(openstack); osc_flow ;;
  esac
}

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
