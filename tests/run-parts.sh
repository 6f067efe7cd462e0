#!/usr/bin/env bash
# make test's parts, in the order and grouping that fits the CI machine's two cores:
#   tests/run-parts.sh [STAGE...]   (no STAGE: all of them, in order; each stage stops the run when it fails)
# Stages:
#   first         the fast tier (no Heat) beside the test that stops Heat (@ExclusiveTier)
#   crash-matrix  CrashMatrixIT alone: dozens of bays through Heat at once keep both cores busy
#   side-by-side  the slow tier | the real-cloud tier (@RealCloudTier: bays the real Nova, Neutron and
#                 Cinder build) | the other packaged-application tests (failsafe)
#   clients       demo-progress beside the stock clients, then the browser
#   slow-tier, real-cloud, packaged-app: one of side-by-side's parts alone
# Alone, the slow tier, the real-cloud tier and the packaged-application tests mostly wait (on Heat, Nova
# and the clock: the machine was 50-90 % idle under them but for the real-cloud scale test); side by side
# they keep both cores busy (with the clients, 25 min where the four took 36 one after the other). The
# clients stay alone: beside those three, the local Neutron (one process) took 10 s for each security
# group of a stock client's cluster, whose create then took over 4 minutes. The crash matrix and each Quarkus build
# keep both cores busy on their own. Each side-by-side part has its own ports, test database, queues and
# bay names. Each part logs to .local/log/part-NAME.log, printed whole when it fails.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
mkdir -p .local/log
MVNW=(./mvnw -B -ntp)
# the packaged app's processes (tests, demo-progress, stock clients) are short-lived: the client compiler alone
export BAYSTACK_JAVA_OPTS=${BAYSTACK_JAVA_OPTS:-"-XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=240m -XX:+UseSerialGC"}

say() { echo "[$(date +%T)] make test: $*"; }
# part NAME COMMAND...: runs COMMAND into .local/log/part-NAME.log; on failure prints the log whole
part() {
  local name=$1 log=.local/log/part-$1.log t0=$SECONDS; shift
  if "$@" >"$log" 2>&1; then
    say "$name passed ($((SECONDS - t0)) s)"
    grep -E '^\[INFO\] Tests run:|^PASS|all checks passed' "$log" | grep -v -- ' -- in ' | sed 's/^/    /'
  else
    say "$name FAILED ($((SECONDS - t0)) s)"
    cat "$log"
    return 1
  fi
}
# together NAME... : waits for the background parts started with `start NAME ...`, fails if one failed
declare -A pids=()
start() { local name=$1; part "$@" & pids[$name]=$!; }
together() {
  local status=0 name
  for name in "${!pids[@]}"; do wait "${pids[$name]}" || status=1; done
  pids=()
  return $status
}

clients() {
  bash tests/cli/demo-progress.sh & local demo=$! status=0
  bash tests/cli/stock-clients.sh && bash tests/browser/local.sh || status=$?
  wait "$demo" || status=1
  return $status
}

# the *IT classes but the crash matrix (it.test replaces failsafe's includes: name the ITs)
PACKAGED_APP=(env BAYSTACK_TEST_DB=baystack_it "${MVNW[@]}" failsafe:integration-test failsafe:verify '-Dit.test=*IT,!CrashMatrixIT')

stage() {
  case $1 in
    first)
      say "fast tier | exclusive tier"
      start fast-tier "${MVNW[@]}" surefire:test@default-test
      start exclusive-tier env BAYSTACK_TEST_DB=baystack_exclusive "${MVNW[@]}" surefire:test@exclusive-test
      together ;;
    crash-matrix)
      say "crash matrix"
      part crash-matrix env BAYSTACK_TEST_DB=baystack_it "${MVNW[@]}" failsafe:integration-test failsafe:verify \
        -Dit.test=CrashMatrixIT ;;
    side-by-side)
      say "slow tier | real-cloud tier | packaged-application tests"
      start slow-tier "${MVNW[@]}" surefire:test@slow-test
      start real-cloud-tier env BAYSTACK_TEST_DB=baystack_real "${MVNW[@]}" surefire:test@real-test
      start packaged-app "${PACKAGED_APP[@]}"
      together ;;
    slow-tier)
      part slow-tier "${MVNW[@]}" surefire:test@slow-test ;;
    real-cloud)
      part real-cloud-tier env BAYSTACK_TEST_DB=baystack_real "${MVNW[@]}" surefire:test@real-test ;;
    packaged-app)
      part packaged-app "${PACKAGED_APP[@]}" ;;
    clients)
      say "demo-progress | stock clients, then the browser"
      part clients clients ;;
    *) echo "unknown stage $1" >&2; return 2 ;;
  esac
}

stages=("$@")
[ ${#stages[@]} -gt 0 ] || stages=(first crash-matrix side-by-side clients)
for s in "${stages[@]}"; do
  stage "$s" || { say "stage $s failed"; exit 1; }
done
say "done"
