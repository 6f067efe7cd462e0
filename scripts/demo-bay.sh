#!/usr/bin/env bash
# The seed's flow against a running baystack: baymodel testbaymodel, then bay testbay with the seed's
# exact request, then waits for a final status and prints the bay and its Heat stack's resources.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
# shellcheck disable=SC1091
source "$LOCAL/openrc"
# tests/cli/demo-progress.sh points it at a baystack of its own, never `make run`'s
BAYSTACK_URL=${BAYSTACK_DEMO_URL:-$BAYSTACK_URL}
WAIT=${BAYSTACK_DEMO_WAIT:-600}

TOKEN=$(openstack token issue -f value -c id) || die "no token from Keystone at $OS_AUTH_URL"
api() { curl -sS -H "X-Auth-Token: $TOKEN" -H 'Accept: application/json' "$@"; }

if ! api -f "$BAYSTACK_URL/v1/baymodels/testbaymodel" >/dev/null 2>&1; then
  log "creating baymodel testbaymodel"
  api -f -X POST "$BAYSTACK_URL/v1/baymodels" -H 'Content-Type: application/json' -d '{
    "name": "testbaymodel", "coe": "kubernetes", "image_id": "debian-13",
    "flavor_id": "m1.small", "master_flavor_id": "m1.small", "keypair_id": "testkey",
    "external_network_id": "public", "fixed_network": "10.0.0.0/24", "dns_nameserver": "8.8.8.8",
    "docker_volume_size": 5, "labels": {}}' >/dev/null
fi
BAYMODEL_UUID=$(api -f "$BAYSTACK_URL/v1/baymodels/testbaymodel" | jq -r .uuid)

if api -f "$BAYSTACK_URL/v1/bays/testbay" >/dev/null 2>&1; then
  log "bay testbay already exists"
else
  log "creating bay testbay with the seed's request (baymodel $BAYMODEL_UUID)"
  # the seed's request, verbatim: node_count as a string, null fields, latest microversion
  curl -sS -f -X POST "$BAYSTACK_URL/v1/bays" \
    -H "X-Auth-Token: $TOKEN" \
    -H 'Content-Type: application/json' \
    -H 'Accept: application/json' \
    -H 'OpenStack-API-Version: container-infra latest' \
    -d "{\"name\": \"testbay\", \"node_count\": \"1\", \"discovery_url\": null, \"baymodel_id\": \"$BAYMODEL_UUID\", \"bay_create_timeout\": null}"
  echo
fi

start=$SECONDS
# a progress bar from the bay's own figures: its Heat resources (nested ones too) complete / total
bar() {
  local pct=$1 width=30 filled
  filled=$(( pct * width / 100 ))
  printf '%*s' "$filled" '' | tr ' ' '#'
  printf '%*s' $(( width - filled )) '' | tr ' ' '.'
}
while :; do
  # one failed look (baystack busy, a restart) is not the end: the next second looks again
  if ! read -r status pct done total < <(api -f "$BAYSTACK_URL/v1/bays/testbay" \
    | jq -r '[.status, (.progress.percent // 0), (.progress.complete // 0), (.progress.total // 0)] | @tsv'); then
    (( SECONDS - start >= WAIT )) && die "testbay could not be read for ${WAIT}s"
    sleep 1
    continue
  fi
  case $status in
    *_COMPLETE|*_FAILED) break ;;
  esac
  (( SECONDS - start >= WAIT )) && die "testbay still $status after ${WAIT}s"
  printf '\r[%s] testbay [%s] %3s%% %s/%s resources, %s (%ss)  ' "$(date +%H:%M:%S)" "$(bar "$pct")" "$pct" \
    "$done" "$total" "$status" "$(( SECONDS - start ))" >&2
  sleep 1
done
# the last bar is the bay's own last figures too, never a literal 100 %
printf '\r[%s] testbay [%s] %3s%% %s/%s resources, %s (%ss)          ' "$(date +%H:%M:%S)" "$(bar "$pct")" "$pct" \
  "$done" "$total" "$status" "$(( SECONDS - start ))" >&2
printf '\n' >&2
log "testbay: $status"
api -f "$BAYSTACK_URL/v1/bays/testbay" | jq .
stack=$(api -f "$BAYSTACK_URL/v1/bays/testbay" | jq -r .stack_id)
openstack stack resource list --nested-depth 2 "$stack"
[ "$status" = CREATE_COMPLETE ] || die "testbay ended $status"
