#!/usr/bin/env python3
"""Soak load for scripts/soak.sh: 16 connections submit 3-task graph workflows to a gateway as
fast as it answers for SOAK_SECONDS, printing submissions and the resident memory (VmRSS, MiB)
of the given pids every 15 s. Standard library only."""
import http.client
import json
import os
import sys
import threading
import time

port = int(sys.argv[1])
pids = sys.argv[2:]
stop = time.time() + float(os.environ.get("SOAK_SECONDS", "120"))
counts = {"ok": 0, "errors": 0}
lock = threading.Lock()
body = json.dumps({"workflow_type": "graph", "tasks": [
    {"agent_id": "a", "agent_role": "backend", "input_data": {"task": "x" * 200}},
    {"agent_id": "b", "agent_role": "qa", "input_data": {"task": "y"}, "depends_on": ["a"]},
    {"agent_id": "c", "agent_role": "debugger", "input_data": {"task": "z"}, "depends_on": ["a", "b"]}]})


def submit():
    connection = http.client.HTTPConnection("127.0.0.1", port)
    while time.time() < stop:
        connection.request("POST", "/run-graph", body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        with lock:
            counts["ok" if response.status == 200 else "errors"] += 1


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) // 1024
    return 0


for _ in range(16):
    threading.Thread(target=submit, daemon=True).start()
started = time.time()
while time.time() < stop + 1:
    print(f"{time.time() - started:5.0f} s  submitted {counts['ok']:7d}  errors {counts['errors']}  "
          f"RSS MiB (gateway, workers): {' '.join(str(rss_mib(p)) for p in pids)}", flush=True)
    time.sleep(15)
