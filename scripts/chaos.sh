#!/usr/bin/env bash
# Chaos run (see scripts/chaos.py): faults injected under mixed load, every promise checked.
#   scripts/chaos.sh                 a short run (~2,000 tasks), as the test command runs it
#   scripts/chaos.sh --tasks 10000   the long run documented in the README
# Uses $ORCHESTRA_BIN when set (the test command passes its debug build), else a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
if [ -z "${ORCHESTRA_BIN:-}" ]; then
    swift build -c release --product orchestra
    ORCHESTRA_BIN="$PWD/.build/release/orchestra"
fi
exec python3 scripts/chaos.py "$ORCHESTRA_BIN" "$@"
