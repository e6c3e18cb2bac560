# Shared shell helpers for the project's scripts. Source it; it defines functions only.

# Prints a TCP port on 127.0.0.1 that nothing listens on.
free_port() {
    local port
    for _ in $(seq 1 200); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

# Starts a private redis-server on a free loopback port; sets REDIS_PID and REDIS_PORT.
start_private_redis() {
    REDIS_PORT=$(free_port)
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize no \
        --protected-mode no --loglevel warning "$@" >/dev/null 2>&1 &
    REDIS_PID=$!
    for _ in $(seq 1 100); do
        redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return 0
        sleep 0.05
    done
    echo "redis-server did not start on port $REDIS_PORT" >&2
    return 1
}

# Stops the private redis-server by its pid.
stop_private_redis() {
    if [ -n "${REDIS_PID:-}" ]; then
        kill "$REDIS_PID" 2>/dev/null || true
        wait "$REDIS_PID" 2>/dev/null || true
        REDIS_PID=""
    fi
}

# For the benchmark scripts: installs what is missing, builds `orchestra` in release mode and
# starts a private redis-server (the caller stops it with stop_private_redis).
release_build_and_private_redis() {
    bash scripts/bootstrap.sh
    swift build -c release --product orchestra
    start_private_redis
}
