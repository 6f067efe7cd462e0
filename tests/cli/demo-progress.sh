#!/usr/bin/env bash
# `make run`'s last step as a test: scripts/demo-bay.sh creates testbay with the seed's request and
# draws its progress bar from the bay's progress.percent while it waits; the bar must have been seen
# short of 100 % and end at the bay's own 100 % (every resource complete) with CREATE_COMPLETE.
# It runs against its own baystack (the packaged jar on its own port) and its own database, created
# afresh here, so it never touches `make run`'s baystack, its database or its testbay. testbay is
# deleted afterwards (its Heat stack and trust with it) and the database dropped.
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"
# shellcheck disable=SC1091
source "$LOCAL/openrc"

PORT=${BAYSTACK_DEMO_TEST_PORT:-9521}
DB=${BAYSTACK_DEMO_TEST_DB:-baystack_demo_test}
URL=http://127.0.0.1:$PORT
JAR=$ROOT/target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || die "$JAR is missing: build it first (./mvnw package -DskipTests)"
mkdir -p "$LOGDIR"
out=$LOGDIR/demo-progress.log
: > "$out"
fail() { echo "FAIL demo-progress: $*" >&2; tail -n 20 "$out" >&2; exit 1; }
psql_admin() { PGPASSWORD=$PG_PASSWORD psql -qAt -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres "$@"; }
curl -fsS -m 2 "$URL/" >/dev/null 2>&1 && die "something already answers on $URL: set BAYSTACK_DEMO_TEST_PORT"

TOKEN=$(openstack token issue -f value -c id)
api() { curl -sS -H "X-Auth-Token: $TOKEN" -H 'Accept: application/json' "$@"; }
# delete_testbay: deletes testbay if there is one and waits until it is gone (with its stack and trust)
delete_testbay() {
  [ "$(api -o /dev/null -w '%{http_code}' "$URL/v1/bays/testbay")" = 404 ] && return 0
  api -f -X DELETE "$URL/v1/bays/testbay" >/dev/null
  # alone, a minute at most; beside the other tests on two cores (make test) it took 171 s once
  for _ in $(seq 1 300); do
    [ "$(api -o /dev/null -w '%{http_code}' "$URL/v1/bays/testbay")" = 404 ] && return 0
    sleep 1
  done
  fail "testbay not deleted within 300 s"
}
app_pid=
cleanup() {
  if [ -n "$app_pid" ]; then
    ( delete_testbay ) >/dev/null 2>&1 || true
    kill "$app_pid" 2>/dev/null || true
    wait "$app_pid" 2>/dev/null || true
  fi
  psql_admin -c "drop database if exists $DB" >/dev/null 2>&1 || true
}
trap cleanup EXIT

# a database of its own, empty: no bay of an earlier run can be reported as built at once
psql_admin -c "drop database if exists $DB" >/dev/null
psql_admin -c "create database $DB" >/dev/null
(
  set -a
  # shellcheck disable=SC1091
  source "$LOCAL/baystack.env"
  set +a
  export QUARKUS_HTTP_HOST=127.0.0.1 BAYSTACK_PORT=$PORT BAYSTACK_DB_NAME=$DB
  # where this baystack's masters (the node simulator, scripts/os/node-sim.py) fetch their CA key
  export BAYSTACK_API_PUBLIC_URL=$URL
  # no Heat environment: the real Nova, Neutron and Cinder build the bay, as in make run
  export BAYSTACK_HEAT_ENVIRONMENT=
  # Heat's notifications in queues of its own (gone with it): `make run`'s baystack, which the stock
  # clients' test may run meanwhile, consumes the default ones
  notified=mp.messaging.incoming.heat-notifications.queue
  errors=mp.messaging.incoming.heat-notification-errors.queue
  # shellcheck disable=SC2086
  exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" ${BAYSTACK_JAVA_OPTS:-} \
    "-D$notified.name=baystack-heat.demo-test.info" "-D$notified.auto-delete=true" \
    "-D$errors.name=baystack-heat.demo-test.error" "-D$errors.auto-delete=true" \
    -jar "$JAR" >"$LOGDIR/demo-progress-app.log" 2>&1 </dev/null
) &
app_pid=$!
wait_for "baystack (demo-progress, $URL)" 90 curl -fsS -m 2 "$URL/q/health/ready"

BAYSTACK_DEMO_URL=$URL bash "$ROOT/scripts/demo-bay.sh" 2>&1 | tr '\r' '\n' > "$out"
grep -Eq 'testbay \[[#.]{30}\] +([0-9]|[1-9][0-9])% [0-9]+/[0-9]+ resources, CREATE_IN_PROGRESS' "$out" \
  || fail "no bar short of 100 % while in progress"
# the final line is drawn from progress.percent: 100 % only if the bay says every resource is complete
grep -Eq 'testbay \[#{30}\] 100% ([1-9][0-9]*)/\1 resources, CREATE_COMPLETE' "$out" \
  || fail "the bar did not end at the bay's own 100 % (all resources complete) with CREATE_COMPLETE"
grep -q 'testbay: CREATE_COMPLETE' "$out" || fail "testbay did not reach CREATE_COMPLETE"

delete_testbay
echo "PASS demo-progress"
