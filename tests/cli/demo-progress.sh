#!/usr/bin/env bash
# `make run`'s last step as a test: scripts/demo-bay.sh against the packaged baystack creates testbay
# with the seed's request and draws its progress bar while it waits; the bar must have been seen short
# of 100 % and end at 100 % with CREATE_COMPLETE. testbay is deleted afterwards.
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"
# shellcheck disable=SC1091
source "$LOCAL/openrc"
ensure_app

TOKEN=$(openstack token issue -f value -c id)
api() { curl -sS -H "X-Auth-Token: $TOKEN" -H 'Accept: application/json' "$@"; }
out=$LOGDIR/demo-progress.log
: > "$out"
fail() { echo "FAIL demo-progress: $*" >&2; tail -n 20 "$out" >&2; exit 1; }
# delete_testbay: deletes testbay if there is one and waits until it is gone
delete_testbay() {
  [ "$(api -o /dev/null -w '%{http_code}' "$BAYSTACK_URL/v1/bays/testbay")" = 404 ] && return 0
  api -f -X DELETE "$BAYSTACK_URL/v1/bays/testbay" >/dev/null
  for _ in $(seq 1 120); do
    [ "$(api -o /dev/null -w '%{http_code}' "$BAYSTACK_URL/v1/bays/testbay")" = 404 ] && return 0
    sleep 1
  done
  fail "testbay not deleted within 120 s"
}
# a testbay left by an earlier `make run` (the database outlives runs) would be reported as built at once
delete_testbay
# and none is left behind when a check below fails
trap '( delete_testbay ) >/dev/null 2>&1 || true; app_cleanup' EXIT
bash "$ROOT/scripts/demo-bay.sh" 2>&1 | tr '\r' '\n' > "$out"
grep -Eq 'testbay \[[#.]{30}\] +[0-9]+% [0-9]+/[0-9]+ resources, CREATE_IN_PROGRESS' "$out" || fail "no bar while in progress"
grep -Eq 'testbay \[#{30}\] 100% CREATE_COMPLETE' "$out" || fail "the bar did not end at 100 % CREATE_COMPLETE"
grep -q 'testbay: CREATE_COMPLETE' "$out" || fail "testbay did not reach CREATE_COMPLETE"

delete_testbay
echo "PASS demo-progress"
