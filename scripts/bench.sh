#!/usr/bin/env bash
# Benchmarks: builds `orchestra` in release mode, starts a private redis-server on a free loopback
# port, and prints every figure beside the Redis ceiling (redis-benchmark) measured in the same run.
#   scripts/bench.sh            all: redis, http, events, core, providers
#   scripts/bench.sh http       one of them (extra arguments go to `orchestra-bench <name>`)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

release_build_and_private_redis
trap stop_private_redis EXIT
# The benchmarks are their own executable; it starts the `orchestra` beside it.
swift build -c release --product orchestra-bench
url="redis://127.0.0.1:$REDIS_PORT"
bin=.build/release/orchestra-bench

run() {
    echo "== orchestra-bench $1"
    "$bin" "$1" --redis-url "$url" "${@:2}"
    echo
}

if [ $# -gt 0 ]; then
    run "$@"
else
    run redis
    run http
    run events
    run core
    run providers
fi
