#!/usr/bin/env bash
# Starts baystack (JVM mode, one process: API + Heat function + reconciler) from the packaged jar,
# in the background, against the local services; waits until it answers. Idempotent.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

JAR=$ROOT/target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || die "$JAR is missing: build it first (./mvnw package -DskipTests)"
[ -f "$LOCAL/baystack.env" ] || die "$LOCAL/baystack.env is missing: run scripts/local-up.sh first"
mkdir -p "$RUNDIR" "$LOGDIR"

if pid_alive "$RUNDIR/baystack.pid"; then
  log "baystack already runs (pid $(cat "$RUNDIR/baystack.pid"))"
  exit 0
fi
if curl -fsS -m 2 "$BAYSTACK_URL/" >/dev/null 2>&1; then
  die "something else already answers on $BAYSTACK_URL: stop it first"
fi

set -a
# shellcheck disable=SC1091
source "$LOCAL/baystack.env"
set +a
export QUARKUS_HTTP_HOST=127.0.0.1
export BAYSTACK_PORT
# where the bays' masters fetch their CA key (on this loopback cloud, the node simulator does)
export BAYSTACK_API_PUBLIC_URL=${BAYSTACK_API_PUBLIC_URL:-$BAYSTACK_URL}
# the local cloud has real Nova, Neutron and Cinder behind Heat: no environment, the bay is built of them.
# Only a cloud brought up with BAYSTACK_CLOUD=heat-only (Keystone and Heat alone) maps those types to the
# stand-in templates.
if [ "${BAYSTACK_CLOUD:-full}" = heat-only ]; then
  export BAYSTACK_HEAT_ENVIRONMENT=${BAYSTACK_HEAT_ENVIRONMENT:-heat/env/local.yaml}
  # nothing to look images, flavors or networks up in
  export BAYSTACK_CLOUD_VALIDATE=${BAYSTACK_CLOUD_VALIDATE:-false}
else
  export BAYSTACK_HEAT_ENVIRONMENT=${BAYSTACK_HEAT_ENVIRONMENT:-}
fi
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
log "starting baystack on $BAYSTACK_URL (log: $LOGDIR/baystack.log)"
# BAYSTACK_JAVA_OPTS: extra JVM options (`make test` passes the test JVMs' ones)
# shellcheck disable=SC2086
setsid "$JAVA" ${BAYSTACK_JAVA_OPTS:-} -jar "$JAR" >"$LOGDIR/baystack.log" 2>&1 < /dev/null &
echo $! >"$RUNDIR/baystack.pid"
wait_for baystack 60 curl -fsS -m 2 "$BAYSTACK_URL/q/health/ready"
