#!/usr/bin/env bash
# The dashboard's browser test against the packaged baystack and the local cloud (as `make test` runs
# it): starts the jar just built if baystack does not run, and stops it after if it started it.
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"
# shellcheck disable=SC1091
source "$LOCAL/openrc"
ensure_app
# the committed screenshot (docs/dashboard.png) is refreshed by hand; test runs write theirs under target/
mkdir -p "$ROOT/target"
SCREENSHOT=${SCREENSHOT:-$ROOT/target/dashboard.png} bash "$ROOT/tests/browser/dashboard.sh" "$BAYSTACK_URL"
