#!/usr/bin/env bash
# The front-door benchmark on one Redis and on a 3-master Redis Cluster, in one run: tasks/s and the
# CPU µs per task of the gateway, the workers and every Redis node (orchestra-bench http). On a
# 2-core machine the cluster cannot be faster; the point is that Redis's work spreads evenly over
# the masters, which on real hosts (a core or more per master) is the headroom.
#   scripts/bench-cluster.sh [extra options for `orchestra-bench http`]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

release_build_and_private_redis
swift build -c release --product orchestra-bench   # the benchmarks; it starts the orchestra beside it
directory=$(mktemp -d /tmp/orchestra-bench-cluster.XXXXXX)
cluster_pids=()
cleanup() {
    for pid in "${cluster_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    stop_private_redis
    rm -rf "$directory"
}
trap cleanup EXIT

nodes=()
for _ in 1 2 3; do
    port=$(free_port)
    redis-server --port "$port" --bind 127.0.0.1 --cluster-enabled yes --cluster-config-file "nodes-$port.conf" \
        --dir "$directory" --save "" --appendonly no --protected-mode no --loglevel warning >/dev/null &
    cluster_pids+=($!)
    nodes+=("127.0.0.1:$port")
done
for node in "${nodes[@]}"; do
    until redis-cli -h 127.0.0.1 -p "${node##*:}" ping >/dev/null 2>&1; do sleep 0.05; done
done
redis-cli --cluster create "${nodes[@]}" --cluster-replicas 0 --cluster-yes >/dev/null
for node in "${nodes[@]}"; do
    until redis-cli -h 127.0.0.1 -p "${node##*:}" cluster info | grep -q 'cluster_state:ok'; do sleep 0.05; done
done
seeds=$(IFS=,; echo "${nodes[*]}")

echo "== one Redis, 1 shard"
.build/release/orchestra-bench http --redis-url "redis://127.0.0.1:$REDIS_PORT" --fan-out 0 "$@"
echo
echo "== Redis Cluster, 3 masters, 12 shards"
.build/release/orchestra-bench http --redis-cluster-nodes "$seeds" --shards 12 --fan-out 0 "$@"
