#!/usr/bin/env bash
# make bench: baystack's speed beside its limits, in one run, written to target/bench/report.md.
#  1. the API as the Knative API function runs it (hand-off none, no round, the JVM given the 512 MiB
#     the manifest's limit implies): creates at 1/16/64 clients (hey) beside pgbench's single-row
#     insert on the same PostgreSQL; 10 000 bays in one project, then the list's first page, a middle
#     page by marker, the detail page and GET one at 64 clients; its start time and its RSS after.
#  2. freshness: 20 bays built by the real local Heat with Heat's notifications on and the round at
#     60 s; for each, the time from Heat storing its stack's CREATE_COMPLETE (Heat's own log line) to
#     baystack storing the bay's (its updated_at), read after the fact.
#  3. the status sync's cost per round: one bay at rest, then 1 000 in progress (real Heat stacks whose
#     one resource waits a few minutes, then finishes by itself), from the app's own metrics (queries,
#     Heat calls by operation). About 10 minutes of the bench.
# Load comes from Debian's hey and pgbench only. Its own database (baystack_bench) and port; it
# deletes the Heat stacks and Keystone trusts it made.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
# shellcheck disable=SC1091
source "$LOCAL/openrc"
JAR=$ROOT/target/quarkus-app/quarkus-run.jar
OUT=$ROOT/target/bench
DB=baystack_bench
PORT=${BENCH_PORT:-9598}
URL=http://127.0.0.1:$PORT
SEED=${BENCH_BAYS:-10000}
[ -f "$JAR" ] || die "$JAR is missing: ./mvnw package -DskipTests first"
mkdir -p "$OUT"
command -v hey >/dev/null || { log "installing hey (Debian)"; apt-get install -y -qq --no-install-recommends hey >/dev/null; }
export OS_PROJECT_NAME=demo OS_USERNAME=demo OS_PASSWORD=${BAYSTACK_TEST_DEMO_PASSWORD:-demo-local}
TOKEN=$(openstack token issue -f value -c id) || die "no token from Keystone"
PROJECT=$(openstack token issue -f value -c project_id)
sql() { PGPASSWORD=$PG_PASSWORD psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$DB" -v ON_ERROR_STOP=1 -Atq "$@"; }
fresh_db() {
  PGPASSWORD=$PG_PASSWORD psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "drop database if exists $DB" \
    -c "create database $DB" >/dev/null
}

APP=
stop_app() {
  if [ -n "$APP" ]; then kill -TERM "$APP" 2>/dev/null || true; wait "$APP" 2>/dev/null || true; fi
  APP=
}
cleanup() {
  stop_app || true
  # the trusts the bench's creates made (the seeded copies share one)
  for trust in $(sql -c "select distinct trust_id from bay where trust_id is not null" 2>/dev/null || true); do
    curl -s -o /dev/null -X DELETE -H "X-Auth-Token: $TOKEN" "$KEYSTONE_URL/OS-TRUST/trusts/$trust" || true
  done
}
trap cleanup EXIT

# start_app VAR=VALUE...: the packaged app on $PORT against $DB; START_MS: ms from launch to the first 200
START_MS=
start_app() {
  local t0
  t0=$(date +%s%N)
  env $(grep -v '^#' "$LOCAL/baystack.env" | xargs) BAYSTACK_DB_NAME=$DB BAYSTACK_PORT=$PORT QUARKUS_HTTP_HOST=127.0.0.1 \
    BAYSTACK_MSERVICES_REPORT_INTERVAL=off BAYSTACK_QUOTA_MAX_CLUSTERS_PER_PROJECT=1000000 "$@" \
    "${JAVA_HOME:+$JAVA_HOME/bin/}java" -XX:MaxRAM=512m -jar "$JAR" >"$OUT/app.log" 2>&1 &
  APP=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' -H "X-Auth-Token: $TOKEN" "$URL/v1/bays?limit=1")" = 200 ]; do
    kill -0 "$APP" 2>/dev/null || { tail -20 "$OUT/app.log" >&2; die "baystack exited"; }
    (( ($(date +%s%N) - t0) / 1000000 > 90000 )) && die "baystack did not answer within 90 s"
    sleep 0.02
  done
  START_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
}
rss_mib() { awk '/VmRSS/ {printf "%d", $2 / 1024}' "/proc/$APP/status"; }

# hey_row LABEL HEY-ARGS...: "| label | req/s | p50 ms | p99 ms | answers |"
hey_row() {
  local label=$1 out; shift
  out=$(hey "$@" 2>&1)
  echo "$out" >"$OUT/hey-$(echo "$label" | tr -c 'a-z0-9' '-').txt"
  awk -v label="$label" '
    /Requests\/sec:/ {rps=$2}
    /  50% in/ {p50=$3*1000}
    /  99% in/ {p99=$3*1000}
    /Slowest:/ {slowest=$2*1000}
    /^\s+\[[0-9]+\]/ {codes=codes $1 "×" $2 " "}
    END {if (p99 == 0) p99 = slowest; printf "| %s | %.1f | %.0f | %.0f | %s|\n", label, rps, p50, p99, codes}' <<<"$out"
}

# pgbench_row CLIENTS: "| pgbench single-row insert, N clients | tps | avg ms |"
pgbench_row() {
  local c=$1 out
  out=$(PGPASSWORD=$PG_PASSWORD pgbench -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -n -f "$OUT/insert.sql" -c "$c" \
    -j "$(( c < 2 ? c : 2 ))" -T 8 "$DB" 2>&1) || true
  echo "$out" >"$OUT/pgbench-$c.txt"
  awk -v c="$c" '/^tps =/ {tps=$3} /latency average/ {lat=$4} END {printf "%.0f | %s", tps, lat}' <<<"$out"
}

# ---------------------------------------------------------------- 1. the API function
# `scripts/bench.sh fresh`: part 2 alone, its figures printed (no report); `api`: part 1 alone, likewise
if [ "${1:-}" != fresh ]; then
fresh_db
log "bench 1/3: the API as the Knative API function runs it (database $DB, port $PORT)"
start_app BAYSTACK_HANDOFF_MODE=none BAYSTACK_RECONCILER_INTERVAL=off BAYSTACK_HEAT_NOTIFICATIONS=false
start_ms=$START_MS
start_rss=$(rss_mib)
MODEL=$(curl -fsS -X POST -H "X-Auth-Token: $TOKEN" -H 'Content-Type: application/json' "$URL/v1/baymodels" \
  -d '{"name": "bench-model", "coe": "kubernetes", "image_id": "debian-12", "keypair_id": "testkey", "external_network_id": "public"}' \
  | jq -r .uuid)
BODY="{\"name\": \"bench\", \"node_count\": \"1\", \"baymodel_id\": \"$MODEL\"}"
sql -c "create table if not exists bench_row (id bigserial primary key, v integer, at timestamptz default now())"
printf '\\set r random(1, 1000000)\ninsert into bench_row (v) values (:r);\n' >"$OUT/insert.sql"

creates=()
create_load() {
  hey "$@" -m POST -T application/json -H "X-Auth-Token: $TOKEN" -H "OpenStack-API-Version: container-infra latest" \
    -d "$BODY" "$URL/v1/bays"
}
# the JIT warms up first (not reported): a Knative pod serves for a while once it is up. A minute, not
# a count: on a slow day (2026-12-08) the rate at 16 clients rose for 50 s of load, 200/s to 550/s
create_load -z 60s -c 16 >/dev/null
for c in 1 16 64; do
  creates+=("$(hey_row "POST /v1/bays, $c clients" -z 8s -c "$c" -m POST -T application/json \
    -H "X-Auth-Token: $TOKEN" -H "OpenStack-API-Version: container-infra latest" -d "$BODY" "$URL/v1/bays")")
  log "creates at $c clients done"
done

log "seeding $SEED bays into project $PROJECT"
sql -c "do \$\$ declare cols text; sel text; begin
  select string_agg(quote_ident(column_name), ', ' order by ordinal_position),
         string_agg(case column_name when 'uuid' then 'gen_random_uuid()::text'
                      when 'name' then '''bench-seed-'' || g'
                      when 'stack_name' then '''bench-seed-'' || g || ''-'' || substr(md5(random()::text), 1, 12)'
                      else 'b0.' || quote_ident(column_name) end, ', ' order by ordinal_position)
    into cols, sel from information_schema.columns where table_name = 'bay' and column_name <> 'id';
  execute format('insert into bay (%s) select %s from bay b0, generate_series(1, $SEED) g where b0.id = (select min(id) from bay)', cols, sel);
end \$\$" -c "analyze bay"
total=$(sql -c "select count(*) from bay where project_id = '$PROJECT'")
MIDDLE=$(sql -c "select uuid from bay where project_id = '$PROJECT' order by id offset $(( total / 2 )) limit 1")
ONE=$(sql -c "select uuid from bay where project_id = '$PROJECT' order by id desc limit 1")
reads=()
for spec in "first page, limit=100|/v1/bays?limit=100" "middle page by marker|/v1/bays?limit=100&marker=$MIDDLE" \
    "detail page, limit=100|/v1/bays/detail?limit=100" "GET one bay|/v1/bays/$ONE"; do
  # each read warms up first too (not reported): from cold, the JIT's compiling was half the first page's run
  hey -z 6s -c 64 -H "X-Auth-Token: $TOKEN" "$URL${spec#*|}" >/dev/null
  reads+=("$(hey_row "${spec%%|*} ($total bays), 64 clients" -z 12s -c 64 -H "X-Auth-Token: $TOKEN" "$URL${spec#*|}")")
  log "read: ${spec%%|*} done"
done
after_rss=$(rss_mib)
stop_app
# the limit, on the same PostgreSQL with baystack's pool closed (64 clients and its pool would pass the
# local server's max_connections)
for i in 0 1 2; do
  c=$(( i == 0 ? 1 : (i == 1 ? 16 : 64) ))
  pg=$(pgbench_row "$c")
  rps=$(awk -F'|' '{print $3}' <<<"${creates[$i]}" | tr -d ' ')
  ratio=$(awk -v a="$rps" -v b="${pg%% |*}" 'BEGIN {printf "%.4f", (b > 0 ? a / b : 0)}')
  creates[$i]="${creates[$i]%|}| $pg | $ratio |"
  log "pgbench at $c clients: ${pg%% |*}/s"
done
if [ "${1:-}" = api ]; then
  printf '%s\n' "${creates[@]}" "${reads[@]}"
  exit 0
fi

fi

# ---------------------------------------------------------------- 2. freshness
fresh_db
log "bench 2/3: freshness of 20 bays on the real Heat (notifications on, round every 60 s)"
start_app BAYSTACK_HEAT_NOTIFICATIONS=true BAYSTACK_RECONCILER_INTERVAL=60s \
  BAYSTACK_HEAT_ENVIRONMENT=heat/env/local-light.yaml
MODEL=$(curl -fsS -X POST -H "X-Auth-Token: $TOKEN" -H 'Content-Type: application/json' "$URL/v1/baymodels" \
  -d '{"name": "fresh-model", "coe": "kubernetes", "image_id": "debian-12", "keypair_id": "testkey", "external_network_id": "public"}' \
  | jq -r .uuid)
for i in $(seq 1 20); do
  curl -fsS -o /dev/null -X POST -H "X-Auth-Token: $TOKEN" -H 'Content-Type: application/json' \
    -H 'OpenStack-API-Version: container-infra latest' "$URL/v1/bays" \
    -d "{\"name\": \"fresh-$i\", \"node_count\": 1, \"baymodel_id\": \"$MODEL\"}"
done
# both ends on this host's clock, read after the fact, so the bench itself adds no load on Heat: Heat's
# own log line for the stack's CREATE_COMPLETE (written as Heat stores it, in milliseconds) and the
# bay's updated_at, written by the transaction that stored CREATE_COMPLETE
deadline=$(( SECONDS + 600 ))
until [ "$(sql -c "select count(*) from bay where status = 'CREATE_COMPLETE'")" = 20 ] || (( SECONDS > deadline )); do
  sleep 0.2
done
lags=()
while IFS='|' read -r stack_name bay_ms; do
  line=$(grep -F "Stack CREATE COMPLETE ($stack_name):" "$LOCAL/log/heat.log" | tail -1)
  [ -n "$line" ] || continue
  heat_ms=$(date -d "$(awk '{print $1 " " $2}' <<<"$line")" +%s%3N)
  lags+=("$(( bay_ms - heat_ms ))")
done < <(sql -c "select stack_name, (extract(epoch from updated_at) * 1000)::bigint from bay where status = 'CREATE_COMPLETE'")
fresh=$(printf '%s\n' "${lags[@]}" | sort -n | awk '{a[NR]=$1} END {if (NR == 0) {print "none | none | 0"; exit}
  p50 = a[int((NR + 1) / 2)]; i99 = int(NR * 0.99 + 0.999); if (i99 < 1) i99 = 1; print p50 " | " a[i99] " | " NR}')
# the bays' stacks go with them
for uuid in $(sql -c "select uuid from bay"); do
  curl -s -o /dev/null -X DELETE -H "X-Auth-Token: $TOKEN" "$URL/v1/bays/$uuid"
done
until [ "$(sql -c "select count(*) from bay")" = 0 ] || (( SECONDS > deadline + 300 )); do sleep 1; done
stop_app

if [ "${1:-}" = fresh ]; then
  log "freshness (p50 ms | p99 ms | bays): $fresh"
  exit 0
fi

# ---------------------------------------------------------------- 3. the status sync, at rest and at 1 000 in progress
WAITING=${BENCH_IN_PROGRESS:-1000}
ROUNDS=6
fresh_db
log "bench 3/3: the status sync's cost per round, bays at rest then $WAITING in progress (round every 5 s)"
start_app BAYSTACK_HEAT_NOTIFICATIONS=false BAYSTACK_RECONCILER_INTERVAL=5s BAYSTACK_HEAT_ENVIRONMENT=heat/env/local-light.yaml
MODEL=$(curl -fsS -X POST -H "X-Auth-Token: $TOKEN" -H 'Content-Type: application/json' "$URL/v1/baymodels" \
  -d '{"name": "sync-model", "coe": "kubernetes", "image_id": "debian-12", "keypair_id": "testkey", "external_network_id": "public"}' \
  | jq -r .uuid)
# one bay built through baystack: its row (and the trust baystack made for it) is the pattern of the others
FIRST=$(curl -fsS -X POST -H "X-Auth-Token: $TOKEN" -H 'Content-Type: application/json' \
  -H 'OpenStack-API-Version: container-infra latest' "$URL/v1/bays" \
  -d "{\"name\": \"sync-0\", \"node_count\": 1, \"baymodel_id\": \"$MODEL\"}" | jq -r .uuid)
deadline=$(( SECONDS + 300 ))
until [ "$(sql -c "select status from bay where uuid = '$FIRST'")" = CREATE_COMPLETE ] || (( SECONDS > deadline )); do sleep 0.5; done
# what the app's own metrics say: Heat calls by operation, queries, sync rounds
snapshot() {
  curl -fsS "$URL/q/metrics" | awk '
    /^baystack_heat_calls_seconds_count\{/ {match($0, /operation="[^"]*"/); op = substr($0, RSTART + 11, RLENGTH - 12); heat[op] += $NF}
    /^postgresql_completed_total/ {q += $NF}
    /^baystack_reconciler_rounds_seconds_count\{.*job="sync"/ {r += $NF}
    END {printf "rounds %d\nqueries %d\n", r, q; for (op in heat) printf "heat:%s %d\n", op, heat[op]}'
}
value() { awk -v k="$1" '$1 == k {print $2; f = 1} END {if (!f) print 0}' "$2"; }
await_rounds() {
  local want=$(( $(value rounds <(snapshot)) + $1 )) limit=$(( SECONDS + 60 + 10 * $1 ))
  until (( $(value rounds <(snapshot)) >= want )) || (( SECONDS > limit )); do sleep 0.5; done
}
# per_round LABEL BEFORE AFTER: "| label | rounds | queries/round | Heat calls/round (by operation) |"
per_round() {
  local rounds queries calls
  rounds=$(( $(value rounds "$3") - $(value rounds "$2") ))
  (( rounds > 0 )) || { echo "| $1 | 0 | - | - |"; return; }
  queries=$(awk -v r="$rounds" 'BEGIN {printf "%.1f", ('"$(value queries "$3")"' - '"$(value queries "$2")"') / r}')
  calls=$(join <(grep '^heat:' "$2" | sort) <(grep '^heat:' "$3" | sort) -a 2 -e 0 -o 0,1.2,2.2 2>/dev/null \
    | awk -v r="$rounds" '{d = $3 - $2; t += d; if (d > 0) s = s sprintf(" %s %.1f", substr($1, 6), d / r)} END {printf "%.1f%s", t / r, (s == "" ? "" : " (" substr(s, 2) ")")}')
  echo "| $1 | $rounds | $queries | $calls |"
}
await_rounds 1
snapshot >"$OUT/rest-before.txt"
await_rounds "$ROUNDS"
snapshot >"$OUT/rest-after.txt"
sync_rows=("$(per_round "1 bay at rest (CREATE_COMPLETE), none in progress" "$OUT/rest-before.txt" "$OUT/rest-after.txt")")
log "at rest: measured"

heat_left() {
  curl -fsS -H "X-Auth-Token: $TOKEN" "$HEAT_URL/v1/$PROJECT/stacks?limit=5000" \
    | jq --arg s "$1" '[.stacks[] | select((.stack_name | startswith("bench-sync-")) and (.stack_status | test($s)))] | length'
}
# the stacks: one resource each that stays CREATE_IN_PROGRESS for WAIT_SECS, long enough to make them all
# and measure, then finishes by itself (the local Heat does not carry out a delete while a create waits)
WAIT_SECS=${BENCH_WAIT_SECS:-$(( WAITING * 3 / 10 + 120 ))}
TEMPLATE='{"heat_template_version": "2018-08-31", "resources": {"wait": {"type": "OS::Heat::TestResource", "properties": {"action_wait_secs": {"create": '"$WAIT_SECS"'}}}}}'
seq 1 "$WAITING" | xargs -P 4 -I{} curl -fsS -X POST -H "X-Auth-Token: $TOKEN" -H 'Content-Type: application/json' \
  "$HEAT_URL/v1/$PROJECT/stacks" -d "{\"stack_name\": \"bench-sync-{}\", \"template\": $TEMPLATE}" \
  | jq -r '"\(.stack.links[0].href | split("/") | .[-2])|\(.stack.id)"' >"$OUT/sync-stacks.txt"
log "$(wc -l <"$OUT/sync-stacks.txt") waiting stacks made in Heat ($(heat_left IN_PROGRESS) in progress)"
# their bays: copies of the first, in progress on those stacks
sql -c "create table bench_stack (name text, id text)" -c "\\copy bench_stack from '$OUT/sync-stacks.txt' with (delimiter '|')" \
  -c "do \$\$ declare cols text; sel text; begin
  select string_agg(quote_ident(column_name), ', ' order by ordinal_position),
         string_agg(case column_name when 'uuid' then 'gen_random_uuid()::text' when 'name' then 's.name'
                      when 'stack_name' then 's.name' when 'stack_id' then 's.id'
                      when 'status' then '''CREATE_IN_PROGRESS''' when 'status_reason' then '''Stack CREATE started'''
                      when 'synced_at' then 'null' else 'b0.' || quote_ident(column_name) end, ', ' order by ordinal_position)
    into cols, sel from information_schema.columns where table_name = 'bay' and column_name <> 'id';
  execute format('insert into bay (%s) select %s from bay b0, bench_stack s where b0.uuid = %L', cols, sel, '$FIRST');
end \$\$" -c "analyze bay"
await_rounds 1
snapshot >"$OUT/busy-before.txt"
await_rounds "$ROUNDS"
snapshot >"$OUT/busy-after.txt"
sync_rows+=("$(per_round "$(sql -c "select count(*) from bay where status = 'CREATE_IN_PROGRESS'") bays in progress (Heat: CREATE_IN_PROGRESS)" \
  "$OUT/busy-before.txt" "$OUT/busy-after.txt")")
log "in progress: measured"
stop_app
# the waiting stacks finish by themselves, then go with the first bay's; awaited, so Heat is quiet after
deadline=$(( SECONDS + WAIT_SECS + 600 ))
until [ "$(heat_left IN_PROGRESS)" = 0 ] || (( SECONDS > deadline )); do sleep 5; done
{ while IFS='|' read -r name id; do echo "$HEAT_URL/v1/$PROJECT/stacks/$name/$id"; done <"$OUT/sync-stacks.txt"
  echo "$HEAT_URL/v1/$PROJECT/stacks/$(sql -c "select stack_name || '/' || stack_id from bay where uuid = '$FIRST'")"
} | xargs -P 3 -n 1 curl -s -o /dev/null -X DELETE -H "X-Auth-Token: $TOKEN"
# a delete Heat could not finish (its Keystone, busy, dropped a call) is asked again
until [ "$(heat_left .)" = 0 ] || (( SECONDS > deadline + 600 )); do
  curl -fsS -H "X-Auth-Token: $TOKEN" "$HEAT_URL/v1/$PROJECT/stacks?limit=5000" \
    | jq -r '.stacks[] | select((.stack_name | startswith("bench-sync-")) and .stack_status == "DELETE_FAILED") | "\(.stack_name)/\(.id)"' \
    | while read -r stack; do curl -s -o /dev/null -X DELETE -H "X-Auth-Token: $TOKEN" "$HEAT_URL/v1/$PROJECT/stacks/$stack"; done
  sleep 5
done
log "waiting stacks deleted"

# ---------------------------------------------------------------- the report
{
  echo "# baystack bench ($(date -u +%F\ %H:%M)Z, $(nproc) cores, commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo 'not a git checkout'))"
  echo
  echo "The API as the Knative API function runs it (\`BAYSTACK_HANDOFF_MODE=none\`, no round), JVM with"
  echo "\`-XX:MaxRAM=512m\` (the manifest's memory limit). Load from hey; pgbench on the same PostgreSQL."
  echo
  echo "| creates | req/s | p50 ms | p99 ms | answers | pgbench insert tps (same clients) | pgbench avg ms | ratio |"
  echo "|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${creates[@]}"
  echo
  echo "Before (issue 14, at cdc297b): 8.6/s p99 179 ms at 1 client; 13.6/s p99 1.84 s at 16; 14.7/s p99 6.36 s at 64."
  echo "Goals: ≥ 500/s at 16 clients, p99 ≤ 100 ms at 64. A create makes no Keystone call: the Heat function"
  echo "makes the bay's trust from the sealed token."
  echo
  echo "| reads | req/s | p50 ms | p99 ms | answers |"
  echo "|---|---|---|---|---|"
  printf '%s\n' "${reads[@]}"
  echo
  echo "Before: first page 101/s p99 1.19 s; GET one 682/s p99 248 ms. Goals: pages ≥ 1 500/s p99 ≤ 100 ms; GET one ≥ 3 000/s."
  echo
  echo "| memory and start | value |"
  echo "|---|---|"
  echo "| start to the first GET /v1/bays answered | $start_ms ms |"
  echo "| RSS at start | $start_rss MiB |"
  echo "| RSS after the reads | $after_rss MiB (limit 512 MiB; before: 1.5 GiB with the default heap) |"
  echo
  echo "| freshness: Heat's CREATE_COMPLETE → the bay's, notifications on, round 60 s | p50 ms | p99 ms | bays |"
  echo "|---|---|---|---|"
  echo "| Heat's log line → the bay's updated_at (ms, same host clock) | $fresh |"
  echo
  echo "Before: 0.06 s to 3.95 s over 4 bays with 3 s rounds (cdc297b); p50 1.96 s, p99 5.43 s with the notifications"
  echo "synced one at a time and Heat polled by the bench (5d14cb7). Goal: p99 ≤ 1 s."
  echo
  echo
  echo "The status sync (notifications off, a round every 5 s): per round, what the app's own metrics count"
  echo "(\\`postgresql_completed_total\\`, \\`baystack_heat_calls_seconds_count\\` by operation) over $ROUNDS rounds."
  echo
  echo "| bays | rounds | queries per round | Heat calls per round (by operation) |"
  echo "|---|---|---|---|"
  printf '%s\n' "${sync_rows[@]}"
} >"$OUT/report.md"
cat "$OUT/report.md"
