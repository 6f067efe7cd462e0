#!/usr/bin/env bash
# The dashboard in headless Chromium (Debian's /usr/bin/chromium, driven by npm playwright-core)
# against a running baystack: a bay created from the page, its bar at 100 % and CREATE_COMPLETE,
# its events, a screenshot (docs/dashboard.png unless SCREENSHOT says otherwise), deleted again.
#   tests/browser/dashboard.sh [BAYSTACK_URL [TOKEN]]
# The URL defaults to $BAYSTACK_URL; the token to $OS_TOKEN, else one is issued by Keystone for the
# OS_* user of the environment (source .local/openrc first).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)

export BAYSTACK_URL=${1:-${BAYSTACK_URL:?give the URL of a running baystack}}
TOKEN=${2:-${OS_TOKEN:-}}
if [ -z "$TOKEN" ]; then
  : "${OS_AUTH_URL:?give a token, or source .local/openrc}"
  TOKEN=$(curl -fsS -o /dev/null -D - "$OS_AUTH_URL/auth/tokens" -H 'Content-Type: application/json' -d "{\"auth\":
    {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\": {\"name\": \"$OS_USERNAME\",
     \"domain\": {\"name\": \"${OS_USER_DOMAIN_NAME:-Default}\"}, \"password\": \"$OS_PASSWORD\"}}},
     \"scope\": {\"project\": {\"name\": \"$OS_PROJECT_NAME\", \"domain\": {\"name\": \"${OS_PROJECT_DOMAIN_NAME:-Default}\"}}}}}" \
    | tr -d '\r' | awk 'tolower($1) == "x-subject-token:" {print $2}')
  [ -n "$TOKEN" ] || { echo "Keystone issued no token" >&2; exit 1; }
fi
export OS_TOKEN=$TOKEN
export SCREENSHOT=${SCREENSHOT:-$ROOT/docs/dashboard.png}
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || { echo "no Chromium: apt-get install -y chromium" >&2; exit 1; }

cd "$HERE"
npm ci --no-audit --no-fund --loglevel=error
node dashboard.mjs
