#!/usr/bin/env bash
# Soak: a release gateway and two workers (echo provider, 0 ms) on a private redis-server, loaded
# for SOAK_SECONDS (default 120) by scripts/soak-load.py. Prints the processes' resident memory
# every 15 s, then the listing sets' sizes once the retention (30 s here) has passed: memory
# should stay flat and the sets should drain.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

release_build_and_private_redis
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    stop_private_redis
}
trap cleanup EXIT
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT" WORKFLOW_RETENTION_SECONDS=30 LOG_LEVEL=warning WORKER_METRICS_PORT=0
port=$(free_port)
.build/release/orchestra gateway --port "$port" & pids+=($!)
.build/release/orchestra worker & pids+=($!)
.build/release/orchestra worker & pids+=($!)
sleep 2
python3 scripts/soak-load.py "$port" "${pids[@]}"
sleep 35
for key in 'orchestra:{s0}:workflows' 'orchestra:{s0}:state:completed'; do
    echo "$key after the retention: $(redis-cli -p "$REDIS_PORT" ZCARD "$key") ids"
done
echo "redis used_memory: $(redis-cli -p "$REDIS_PORT" INFO memory | grep '^used_memory_human' | cut -d: -f2)"
