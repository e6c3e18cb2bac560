#!/usr/bin/env bash
# The test command: installs what is missing, starts a private redis-server on a free loopback
# port, runs every test against it (unit, Redis integration, end-to-end with real processes),
# and stops the server by its pid.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

scripts/bootstrap.sh
bash scripts/validate-deploy.sh   # Kubernetes manifests and compose files, offline, in seconds
# Formatting is part of the build: the repository's .swift-format, warnings are errors.
swift format lint --strict --recursive Sources Tests Package.swift
swift build --build-tests "$@"
start_private_redis
trap stop_private_redis EXIT
export REDIS_TEST_URL="redis://127.0.0.1:$REDIS_PORT"
export ORCHESTRA_BIN="$PWD/.build/debug/orchestra"
echo "tests: redis-server pid $REDIS_PID on port $REDIS_PORT"
swift test --skip-build --no-parallel "$@"   # serial: several suites time real processes
ORCHESTRA_BIN="$ORCHESTRA_BIN" REDIS_TEST_URL="$REDIS_TEST_URL" scripts/test-typescript.sh
# The dashboard in a real headless Chromium against real clusters.
ORCHESTRA_BIN="$ORCHESTRA_BIN" REDIS_TEST_URL="$REDIS_TEST_URL" scripts/test-dashboard.sh
# The release build users run (and the Dockerfile builds): Swift 6.3.1 has crashed or
# miscompiled in release mode only, so CI builds it too; the chaos run then uses it.
swift build -c release --product orchestra
# The short chaos run: faults under mixed load, every promise checked (scripts/chaos.py).
python3 scripts/chaos.py "$(swift build -c release --show-bin-path)/orchestra" --tasks 2000
