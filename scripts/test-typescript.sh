#!/usr/bin/env bash
# The TypeScript client's tests (clients/typescript): builds the package with tsc under `strict`,
# checks that its declarations use no `any`, builds the tests (the seed's examples among them,
# compiled unchanged against the built package), and runs them with Node's test runner against
# real clusters they start: `orchestra gateway`/`worker` processes and a private redis-server.
#
#   scripts/test-typescript.sh [ORCHESTRA_BIN]
#
# ORCHESTRA_BIN: the orchestra binary (default .build/debug/orchestra). REDIS_TEST_URL: a Redis
# for the clusters (each test file uses its own key prefix); without it each file starts its own.
# Extra arguments after the binary go to `node --test` (e.g. --test-name-pattern=watch).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
    ORCHESTRA_BIN=$1
    shift
fi
ORCHESTRA_BIN=${ORCHESTRA_BIN:-$PWD/.build/debug/orchestra}
case $ORCHESTRA_BIN in /*) ;; *) ORCHESTRA_BIN=$PWD/$ORCHESTRA_BIN ;; esac
export ORCHESTRA_BIN
[ -x "$ORCHESTRA_BIN" ] || { echo "test-typescript: no orchestra binary at $ORCHESTRA_BIN (swift build --product orchestra)" >&2; exit 1; }
for tool in node tsc redis-server; do
    command -v "$tool" >/dev/null || { echo "test-typescript: $tool is missing (scripts/bootstrap.sh installs it)" >&2; exit 1; }
done
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)' ||
    { echo "test-typescript: Node.js 18 or newer is needed, found $(node --version)" >&2; exit 1; }

cd clients/typescript
rm -rf dist build-test
echo "test-typescript: tsc $(tsc --version | sed 's/Version //'), node $(node --version)"
tsc -p .
node tools/check-no-any.mjs dist
tsc -p test
node --test "$@" build-test/*.test.js
