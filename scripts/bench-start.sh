#!/usr/bin/env bash
# make bench-start: how fast the packaged application (JVM mode) starts and how much memory it holds.
# For each way of running it, RUNS times: the time from process start to the first successful
# GET /v1/bays (a real Keystone token, a real PostgreSQL query), then the RSS right after.
# Ways: the default JDK (17); Temurin 25; Temurin 25 with an AOT cache (JEP 483/514) made by one
# training run. Writes target/bench/start.md and prints it.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
# shellcheck disable=SC1091
source "$LOCAL/openrc"
RUNS=${RUNS:-5}
JAR=$ROOT/target/quarkus-app/quarkus-run.jar
OUT=$ROOT/target/bench
[ -f "$JAR" ] || die "$JAR is missing: ./mvnw package -DskipTests first"
mkdir -p "$OUT"
JDK17=${JDK17:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
PORT=${BENCH_PORT:-9597}
export OS_PROJECT_NAME=demo OS_USERNAME=demo OS_PASSWORD=${BAYSTACK_TEST_DEMO_PASSWORD:-demo-local}
TOKEN=$(openstack token issue -f value -c id) || die "no token from Keystone"
set -a
# shellcheck disable=SC1091
source "$LOCAL/baystack.env"
set +a
export QUARKUS_HTTP_HOST=127.0.0.1 BAYSTACK_PORT=$PORT BAYSTACK_RECONCILER_INTERVAL=off BAYSTACK_MSERVICES_REPORT_INTERVAL=off

# one start: prints "<ms to first 200> <rss KiB>"
measure() {
  local java=$1; shift
  local t0 pid ms rss
  t0=$(date +%s%N)
  "$java" "$@" -jar "$JAR" >"$OUT/last-run.log" 2>&1 &
  pid=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' -H "X-Auth-Token: $TOKEN" "http://127.0.0.1:$PORT/v1/bays?limit=1")" = 200 ]; do
    kill -0 "$pid" 2>/dev/null || { cat "$OUT/last-run.log" >&2; die "baystack exited"; }
    (( ($(date +%s%N) - t0) / 1000000 > 60000 )) && { kill "$pid"; die "no answer within 60 s"; }
    sleep 0.01
  done
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  echo "$ms $rss"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

row() {
  local label=$1; shift
  local times=() rsss=() r
  for _ in $(seq 1 "$RUNS"); do
    r=$(measure "$@")
    times+=("${r% *}"); rsss+=("${r#* }")
  done
  local tm rm
  tm=$(printf '%s\n' "${times[@]}" | median)
  rm=$(printf '%s\n' "${rsss[@]}" | median)
  printf '| %s | %s | %s | %s |\n' "$label" "$tm" "$(( rm / 1024 ))" "${times[*]}"
}

log "training run for the AOT cache (Temurin 25)"
rm -f "$OUT/baystack.aot"
"$JDK25/bin/java" -XX:AOTCacheOutput="$OUT/baystack.aot" -jar "$JAR" >"$OUT/training.log" 2>&1 &
tpid=$!
until curl -fs -o /dev/null -H "X-Auth-Token: $TOKEN" "http://127.0.0.1:$PORT/v1/bays?limit=1"; do sleep 0.2; done
for _ in $(seq 1 20); do curl -fs -o /dev/null -H "X-Auth-Token: $TOKEN" "http://127.0.0.1:$PORT/v1/bays"; done
kill -TERM "$tpid"; wait "$tpid" 2>/dev/null || true
[ -f "$OUT/baystack.aot" ] || die "the training run wrote no AOT cache (see $OUT/training.log)"

{
  echo "# baystack start-up ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, median of $RUNS runs)"
  echo
  echo "Time from process start to the first successful \`GET /v1/bays\` (token validated by Keystone,"
  echo "a PostgreSQL query), and the resident memory right after."
  echo
  echo "| JVM | start to first answer (ms) | RSS (MiB) | each run (ms) |"
  echo "|---|---|---|---|"
  row "JDK 17 ($(basename "$JDK17"))" "$JDK17/bin/java"
  row "Temurin 25" "$JDK25/bin/java"
  row "Temurin 25 + AOT cache" "$JDK25/bin/java" -XX:AOTCache="$OUT/baystack.aot"
} | tee "$OUT/start.md"
log "report: $OUT/start.md"
