#!/usr/bin/env python3
"""Chaos run for AI Orchestra: a private redis-server with its append-only file (appendfsync
always), two gateways, several workers, and a loopback OpenAI-format provider that counts calls
per task, under mixed sequential / parallel / graph load while faults are injected:

  phase 1  Redis kill -9 and restart from its AOF, nothing else (must cost 0 duplicate calls)
  phase 2  a worker kill -9 every few seconds (restarted), a gateway kill -9, a worker frozen
           (SIGSTOP) past its lease, and a Redis kill -9 + restart

Then every accepted workflow must be terminal and completed, tasks must have started after their
dependencies completed, every prompt must carry its dependencies' exact outputs as context blocks,
every status must follow the response contract, and duplicate provider calls must not exceed the
tasks that were leased by killed or frozen workers when the fault hit. Prints the figures and exits
non-zero on any violation. Standard library only.

usage: chaos.py ORCHESTRA_BIN [--tasks N] [--workers N]
"""
import argparse
import http.client
import http.server
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

# ---------------------------------------------------------------------------------------------
# A minimal Redis client (RESP2), to see which tasks a worker holds before it is killed.


class Redis:
    def __init__(self, port):
        self.port = port

    def command(self, *args):
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as sock:
            payload = b"*%d\r\n" % len(args)
            for arg in args:
                data = arg if isinstance(arg, bytes) else str(arg).encode()
                payload += b"$%d\r\n%s\r\n" % (len(data), data)
            sock.sendall(payload)
            reader = sock.makefile("rb")
            return self._read(reader)

    def _read(self, reader):
        line = reader.readline()
        kind, rest = line[:1], line[1:-2]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            raise RuntimeError(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            length = int(rest)
            if length < 0:
                return None
            data = reader.read(length + 2)[:-2]
            return data.decode()
        if kind == b"*":
            count = int(rest)
            return None if count < 0 else [self._read(reader) for _ in range(count)]
        raise RuntimeError("bad reply %r" % line)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(description, condition, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if condition():
                return
        except Exception:
            pass
        time.sleep(0.05)
    raise SystemExit("chaos: %s did not happen within %ss" % (description, timeout))


# ---------------------------------------------------------------------------------------------
# The loopback provider: OpenAI chat completions, 100-300 ms, counting calls per instruction.


class Provider:
    def __init__(self):
        self.lock = threading.Lock()
        self.calls = {}  # instruction -> count
        self.prompts = {}  # instruction -> the last user prompt
        provider = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length))
                prompt = body["messages"][-1]["content"]
                instruction = prompt.split("\n", 1)[0]
                with provider.lock:
                    provider.calls[instruction] = provider.calls.get(instruction, 0) + 1
                    provider.prompts[instruction] = prompt
                text = Provider.answer(instruction)
                usage = {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}
                if body.get("stream"):
                    # OpenAI's streaming wire format: chunks of a few characters spread over the
                    # answer's time, a usage chunk, [DONE]; a worker killed meanwhile cuts it.
                    pieces = [text[i:i + 4] for i in range(0, len(text), 4)]
                    base = {"id": "chatcmpl-chaos", "object": "chat.completion.chunk", "created": 0, "model": body["model"]}
                    chunks = [dict(base, choices=[{"index": 0, "delta": {"role": "assistant", "content": ""},
                                                   "finish_reason": None}], usage=None)]
                    chunks += [dict(base, choices=[{"index": 0, "delta": {"content": piece}, "finish_reason": None}], usage=None)
                               for piece in pieces]
                    chunks.append(dict(base, choices=[{"index": 0, "delta": {}, "finish_reason": "stop"}], usage=None))
                    chunks.append(dict(base, choices=[], usage=usage))
                    events = [("data: %s\n\n" % json.dumps(chunk)).encode() for chunk in chunks] + [b"data: [DONE]\n\n"]
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.send_header("Content-Length", str(sum(len(event) for event in events)))
                    self.end_headers()
                    pause = random.uniform(0.1, 0.3) / len(events)
                    for event in events:
                        time.sleep(pause)
                        self.wfile.write(event)
                        self.wfile.flush()
                    return
                time.sleep(random.uniform(0.1, 0.3))
                answer = json.dumps({
                    "id": "chatcmpl-chaos", "object": "chat.completion", "created": 0, "model": body["model"],
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                    "usage": usage}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True
            # socketserver's default accept backlog is 5: four workers opening dozens of
            # connections at once overflowed it, and the kernel's dropped SYNs came back after
            # TCP's 1, 3, 7 and 15 s retransmissions, stalling tasks for that long.
            request_queue_size = 1024

            def handle_error(self, request, client_address):
                pass  # a killed worker resets its connections: expected here

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @staticmethod
    def answer(instruction):
        return "answer to " + instruction

    def snapshot(self):
        with self.lock:
            return dict(self.calls), dict(self.prompts)


# ---------------------------------------------------------------------------------------------
# The cluster's processes.


class Cluster:
    def __init__(self, binary, workers):
        self.binary = binary
        self.directory = tempfile.mkdtemp(prefix="orchestra-chaos-")
        self.redis_port = free_port()
        self.redis = None
        self.provider = Provider()
        self.environment = dict(os.environ)
        for name in list(self.environment):
            if name.endswith("_API_KEY") or name.endswith("_BASE_URL"):
                del self.environment[name]
        self.environment.update({
            "REDIS_URL": "redis://127.0.0.1:%d" % self.redis_port, "ORCHESTRATOR_HOST": "127.0.0.1",
            "LOG_LEVEL": "error", "TASK_LEASE_SECONDS": "6", "WORKER_CONCURRENCY": "64",
            "OPENAI_BASE_URL": "http://127.0.0.1:%d/v1" % self.provider.port, "OPENAI_API_KEY": "sk-chaos",
            "DEFAULT_LLM_MODEL": "gpt-4o-mini", "WORKER_SHUTDOWN_GRACE_SECONDS": "1", "ORCHESTRA_EXIT_WITH_PARENT": "1",
            "WORKER_METRICS_PORT": "0",
        })
        self.start_redis()
        self.gateways = [self.start_gateway(), self.start_gateway()]
        self.workers = [self.start_worker() for _ in range(workers)]

    def start_redis(self):
        self.redis = subprocess.Popen(
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "yes", "--appendfsync", "always", "--dir", self.directory, "--protected-mode", "no",
             "--loglevel", "warning"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for("redis-server to answer", lambda: Redis(self.redis_port).command("PING") == "PONG")

    def start_gateway(self, port=None):
        port = port or free_port()
        process = subprocess.Popen([self.binary, "gateway", "--port", str(port), "--env-file", "/nonexistent"],
                                   env=self.environment, stdout=subprocess.DEVNULL)
        wait_for("the gateway on %d to be ready" % port, lambda: self.get(port, "/ready")[0] == 200)
        return {"port": port, "process": process}

    def start_worker(self):
        return subprocess.Popen([self.binary, "worker", "--env-file", "/nonexistent"], env=self.environment,
                                stdout=subprocess.DEVNULL)

    def get(self, port, path):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=70)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def leased_by(self, pid):
        """How many tasks the worker with this pid holds a lease on now."""
        redis = Redis(self.redis_port)
        count = 0
        for key in redis.command("KEYS", "orchestra:{s*}:leases"):
            for ref in redis.command("ZRANGE", key, 0, -1):
                workflow, index = ref.rsplit("|", 1)
                tag = key.split(":")[1]
                worker = redis.command("HGET", "orchestra:%s:tasks:%s" % (tag, workflow), "%s:worker" % index)
                if worker and ("-%d-" % pid) in worker:
                    count += 1
        return count

    def kill_redis_and_restart(self, down_seconds):
        self.redis.send_signal(signal.SIGKILL)
        self.redis.wait()
        time.sleep(down_seconds)
        self.start_redis()

    def stop(self):
        for process in [g["process"] for g in self.gateways] + self.workers:
            if process.poll() is None:
                process.send_signal(signal.SIGCONT)
                process.kill()
        if self.redis.poll() is None:
            self.redis.kill()
        self.provider.server.shutdown()
        shutil.rmtree(self.directory, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# Load: workflows with explicit ids, submitted through any gateway, retried (idempotently: a 409
# on a retry means an earlier attempt landed) on 503 and connection errors.


def make_workflow(workflow_id, kind, size):
    tasks = []
    for index in range(size):
        task = {"agent_id": "t%d" % index, "agent_role": random.choice(["backend", "frontend", "qa"]),
                "input_data": {"task": "%s/t%d" % (workflow_id, index)}}
        if kind == "graph" and index > 0:
            task["depends_on"] = ["t%d" % parent for parent in random.sample(range(index), min(index, random.randint(1, 2)))]
        tasks.append(task)
    return {"workflow_id": workflow_id, "workflow_type": kind, "tasks": tasks, "metadata": {"chaos": True}}


class Load:
    def __init__(self, cluster, prefix, tasks):
        self.cluster = cluster
        self.accepted = {}  # id -> request
        self.lock = threading.Lock()
        self.plan = []
        total = 0
        number = 0
        while total < tasks:
            kind = random.choice(["sequential", "parallel", "graph"])
            size = random.randint(2, 6)
            self.plan.append(make_workflow("%s-%04d" % (prefix, number), kind, size))
            total += size
            number += 1
        self.tasks = total

    def submit(self, workflow):
        body = json.dumps(workflow)
        for attempt in range(400):
            gateway = random.choice(self.cluster.gateways)
            try:
                connection = http.client.HTTPConnection("127.0.0.1", gateway["port"], timeout=10)
                connection.request("POST", "/run-graph", body, {"Content-Type": "application/json"})
                response = connection.getresponse()
                text = response.read()
                connection.close()
            except OSError:
                time.sleep(0.05)
                continue
            if response.status == 200 or (response.status == 409 and attempt > 0):
                with self.lock:
                    self.accepted[workflow["workflow_id"]] = workflow
                return
            if response.status in (502, 503, 409):
                time.sleep(0.05)
                continue
            raise SystemExit("chaos: submit answered %d: %s" % (response.status, text[:300]))
        raise SystemExit("chaos: %s could not be submitted" % workflow["workflow_id"])

    def run(self, connections=8):
        queue = list(self.plan)
        queue_lock = threading.Lock()

        def submitter():
            while True:
                with queue_lock:
                    if not queue:
                        return
                    workflow = queue.pop(0)
                self.submit(workflow)
                time.sleep(random.uniform(0, 0.02))

        threads = [threading.Thread(target=submitter) for _ in range(connections)]
        for thread in threads:
            thread.start()
        return threads


# ---------------------------------------------------------------------------------------------
# Checks.

ISO = "%Y-%m-%dT%H:%M:%S"


def parse_time(text):
    if text is None:
        return None
    seconds, _, fraction = text.rstrip("Z").partition(".")
    return time.mktime(time.strptime(seconds, ISO)) + float("0." + (fraction or "0"))


def check_contract(status, problems):
    for field in ["workflow_id", "workflow_type", "status", "created_at", "started_at", "completed_at", "tasks", "metadata"]:
        if field not in status:
            problems.append("%s: no %s" % (status.get("workflow_id"), field))
    if status.get("status") not in ("pending", "running", "completed", "failed", "partial"):
        problems.append("%s: status %r" % (status.get("workflow_id"), status.get("status")))
    for task in status.get("tasks", []):
        for field in ["task_id", "agent_id", "agent_role", "status", "started_at", "completed_at", "result", "error"]:
            if field not in task:
                problems.append("%s/%s: no %s" % (status["workflow_id"], task.get("agent_id"), field))
        if task.get("status") not in ("pending", "running", "completed", "failed"):
            problems.append("%s/%s: status %r" % (status["workflow_id"], task.get("agent_id"), task.get("status")))
        result = task.get("result")
        if task.get("status") == "completed":
            output = (result or {}).get("output") or {}
            if not (isinstance(output, dict) and output.get("success") is True and isinstance(output.get("message"), str)):
                problems.append("%s/%s: result.output is not {success, message, timestamp}" % (status["workflow_id"], task["agent_id"]))
            for field in ["agent_id", "agent_role", "input", "context", "provider", "model", "usage"]:
                if field not in (result or {}):
                    problems.append("%s/%s: result without %s" % (status["workflow_id"], task["agent_id"], field))


def verify(cluster, loads, fault_bound, redis_only_ids):
    calls, prompts = cluster.provider.snapshot()
    figures = {"workflows": 0, "tasks": 0, "lost": 0, "stuck": 0, "not_completed": 0, "order_violations": 0,
               "context_violations": 0, "contract_violations": 0, "provider_calls": sum(calls.values()),
               "duplicate_calls": 0, "duplicates_bound": fault_bound, "duplicates_from_redis_restart": 0}
    problems = []
    gateway = cluster.gateways[0]["port"]
    for load in loads:
        for workflow_id, request in load.accepted.items():
            figures["workflows"] += 1
            figures["tasks"] += len(request["tasks"])
            status_code, body = cluster.get(gateway, "/status/%s?wait=60" % workflow_id)
            if status_code == 404:
                figures["lost"] += 1
                problems.append("%s: lost" % workflow_id)
                continue
            status = json.loads(body)
            check_contract(status, problems)
            if status["status"] in ("pending", "running"):
                figures["stuck"] += 1
                problems.append("%s: stuck %s" % (workflow_id, status["status"]))
                continue
            if status["status"] != "completed":
                figures["not_completed"] += 1
                problems.append("%s: %s (%s)" % (workflow_id, status["status"], status.get("error")))
            tasks = {task["agent_id"]: task for task in status["tasks"]}
            for index, requested in enumerate(request["tasks"]):
                task = tasks[requested["agent_id"]]
                instruction = requested["input_data"]["task"]
                count = calls.get(instruction, 0)
                if count > 1:
                    figures["duplicate_calls"] += count - 1
                    if workflow_id in redis_only_ids:
                        figures["duplicates_from_redis_restart"] += count - 1
                if request["workflow_type"] == "sequential":
                    dependencies = [request["tasks"][index - 1]["agent_id"]] if index > 0 else []
                else:
                    dependencies = requested.get("depends_on", [])
                for dependency in dependencies:
                    before = tasks[dependency]
                    if parse_time(task["started_at"]) < parse_time(before["completed_at"]):
                        figures["order_violations"] += 1
                        problems.append("%s/%s started before %s completed" % (workflow_id, requested["agent_id"], dependency))
                    block = "[Dependency %s]\n%s" % (dependency, Provider.answer(request["tasks"][[t["agent_id"] for t in request["tasks"]].index(dependency)]["input_data"]["task"]))
                    if block not in prompts.get(instruction, ""):
                        figures["context_violations"] += 1
                        problems.append("%s/%s: no context block of %s" % (workflow_id, requested["agent_id"], dependency))
                if task["status"] == "completed" and task["result"]["output"]["message"] != Provider.answer(instruction):
                    problems.append("%s/%s: output %r" % (workflow_id, requested["agent_id"], task["result"]["output"]["message"]))
    figures["contract_violations"] = sum(1 for problem in problems if "result" in problem or ": no " in problem or "status '" in problem)
    return figures, problems


# ---------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=4)
    arguments = parser.parse_args()
    random.seed(os.environ.get("CHAOS_SEED", "orchestra"))
    cluster = Cluster(arguments.binary, arguments.workers)
    started = time.time()
    fault_bound = 0
    try:
        # Phase 1: Redis dies and comes back from its AOF while work runs; nothing else fails.
        first = Load(cluster, "redis-only", arguments.tasks // 2)
        threads = first.run()
        time.sleep(2)
        cluster.kill_redis_and_restart(1.5)
        for thread in threads:
            thread.join()
        # Phase 1 ends when its workflows do, so its figures are its own.
        for workflow_id in list(first.accepted):
            cluster.get(cluster.gateways[0]["port"], "/status/%s?wait=60" % workflow_id)
        print("chaos: phase 1 (Redis restart) submitted %d workflows" % len(first.accepted), flush=True)

        # Phase 2: workers killed and restarted, a gateway killed, a worker frozen past its lease,
        # Redis killed and restarted.
        second = Load(cluster, "faults", arguments.tasks - first.tasks)
        threads = second.run()
        events = ["worker", "worker", "gateway", "worker", "freeze", "worker", "redis", "worker", "worker"]
        for event in events:
            time.sleep(2.5)
            if event == "worker":
                # Frozen first, so what it holds cannot change while it is counted.
                victim = random.choice(cluster.workers)
                victim.send_signal(signal.SIGSTOP)
                fault_bound += cluster.leased_by(victim.pid)
                victim.kill()
                victim.wait()
                cluster.workers[cluster.workers.index(victim)] = cluster.start_worker()
            elif event == "freeze":
                victim = random.choice(cluster.workers)
                victim.send_signal(signal.SIGSTOP)
                fault_bound += cluster.leased_by(victim.pid)
                time.sleep(6 + 2)  # past the 6 s lease
                victim.send_signal(signal.SIGCONT)
            elif event == "gateway":
                victim = cluster.gateways[1]
                victim["process"].kill()
                victim["process"].wait()
                cluster.gateways[1] = cluster.start_gateway(victim["port"])
            elif event == "redis":
                cluster.kill_redis_and_restart(1.0)
            print("chaos: %s fault at %.1f s" % (event, time.time() - started), flush=True)
        for thread in threads:
            thread.join()
        print("chaos: phase 2 (worker, gateway, freeze, Redis faults) submitted %d workflows" % len(second.accepted), flush=True)

        figures, problems = verify(cluster, [first, second], fault_bound, set(first.accepted))
    finally:
        cluster.stop()
    figures["seconds"] = round(time.time() - started, 1)
    for name, value in figures.items():
        print("  %-30s %s" % (name, value))
    failed = (figures["lost"] or figures["stuck"] or figures["not_completed"] or figures["order_violations"]
              or figures["context_violations"] or figures["contract_violations"]
              or figures["duplicate_calls"] > figures["duplicates_bound"] or figures["duplicates_from_redis_restart"]
              or problems)
    for problem in problems[:20]:
        print("  violation: " + problem)
    print("chaos: " + ("FAILED" if failed else "passed"))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
