#!/usr/bin/env bash
# The dashboard's browser tests: real headless Chromium (Debian's `chromium`) driven over the
# DevTools protocol (--remote-debugging-pipe, no npm packages) by Node's test runner, against real
# clusters the tests start: a redis-server, `orchestra gateway` and `orchestra worker` processes
# on free loopback ports (scripts/dashboard/).
#
#   scripts/test-dashboard.sh [--screenshots] [ORCHESTRA_BIN] [node --test options…]
#
# --screenshots: write the overview and running-workflow screenshots into docs/ (the README shows
# them); otherwise they go to a temporary directory. REDIS_TEST_URL: a Redis for the clusters (each
# test uses its own key prefix); without it one is started. CHROMIUM: another browser binary.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = --screenshots ]; then
    export DASHBOARD_SCREENSHOTS=$PWD/docs
    mkdir -p docs
    shift
fi
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
    ORCHESTRA_BIN=$1
    shift
fi
ORCHESTRA_BIN=${ORCHESTRA_BIN:-$PWD/.build/debug/orchestra}
case $ORCHESTRA_BIN in /*) ;; *) ORCHESTRA_BIN=$PWD/$ORCHESTRA_BIN ;; esac
export ORCHESTRA_BIN
[ -x "$ORCHESTRA_BIN" ] || { echo "test-dashboard: no orchestra binary at $ORCHESTRA_BIN (swift build --product orchestra)" >&2; exit 1; }
bash scripts/bootstrap.sh dashboard
for tool in node "${CHROMIUM:-chromium}" redis-server; do
    command -v "$tool" >/dev/null || { echo "test-dashboard: $tool is missing" >&2; exit 1; }
done
echo "test-dashboard: $("${CHROMIUM:-chromium}" --version 2>/dev/null | head -1), node $(node --version)"
node --test --test-concurrency=1 "$@" scripts/dashboard/dashboard.test.mjs
