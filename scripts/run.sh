#!/usr/bin/env bash
# The main job: installs what is missing, builds `orchestra`, starts a local cluster (a private
# redis-server when none answers at REDIS_URL, one gateway on ORCHESTRATOR_PORT, ORCHESTRATOR_WORKERS
# worker processes), runs the seed's example workflows and prints their results.
# With no LLM key configured every task uses the offline `echo` provider.
#   scripts/run.sh           run the examples, then stop the cluster
#   scripts/run.sh --serve   run the examples, then keep the cluster serving until Ctrl-C
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/bootstrap.sh
swift build --product orchestra

if [ "${1:-}" = "--serve" ]; then
    shift
    exec .build/debug/orchestra local --examples "$@"
fi
exec .build/debug/orchestra local --examples --exit-after-examples "$@"
