#!/usr/bin/env python3
"""Checks the resolved compose files (the output of `docker-compose config`) against this
project's rules, as scripts/validate-deploy.sh runs it after `docker-compose config -q`:

- the worker's stop_grace_period exceeds WORKER_SHUTDOWN_GRACE_SECONDS by the hand-back margin;
- the `metrics` profile's Prometheus mounts deploy/prometheus/prometheus.yml, and each of its
  dns_sd jobs names a service and the port that service serves /metrics on;
- Redis keeps an append-only file;
- with --cluster: six cluster-enabled Redis nodes, a one-shot init whose script parses (`sh -n`)
  and creates 3 primaries with a replica each, and gateway and workers pointed at the nodes
  through REDIS_CLUSTER_NODES, started after the init.

    check_compose.py [--cluster] RESOLVED.yaml PROMETHEUS.yml
    check_compose.py --self-test [--cluster] RESOLVED.yaml PROMETHEUS.yml
"""

from __future__ import annotations

import argparse
import copy
import re
import subprocess
import sys
from pathlib import Path

import yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

HAND_BACK_MARGIN_SECONDS = 5


def seconds(duration):
    """Compose's duration ("25s", "1m30s", "500ms") in seconds."""
    total = 0.0
    units = {"h": 3600, "m": 60, "s": 1, "ms": 0.001, "us": 1e-6}
    for number, unit in re.findall(r"([\d.]+)(ms|us|h|m|s)", str(duration)):
        total += float(number) * units[unit]
    return total


def argv(service):
    command = service.get("command") or []
    return command.split() if isinstance(command, str) else list(command)


def env(service):
    return {key: "" if value is None else str(value) for key, value in (service.get("environment") or {}).items()}


def check(compose, prometheus, cluster):
    errors = []
    services = compose.get("services") or {}
    for name in ("redis", "gateway", "worker"):
        if name not in services:
            errors.append(f"no service {name}")
    if errors:
        return errors

    worker = services["worker"]
    grace = int(env(worker).get("WORKER_SHUTDOWN_GRACE_SECONDS", "10"))
    stop = seconds(worker.get("stop_grace_period", "10s"))
    if stop < grace + HAND_BACK_MARGIN_SECONDS:
        errors.append(
            f"worker: stop_grace_period {stop:g}s leaves no time to hand tasks back after "
            f"WORKER_SHUTDOWN_GRACE_SECONDS {grace} (needs at least {grace + HAND_BACK_MARGIN_SECONDS}s)"
        )
    metrics_port = int(env(worker).get("WORKER_METRICS_PORT", "9464"))
    if metrics_port == 0:
        errors.append("worker: WORKER_METRICS_PORT is 0, nothing for Prometheus to scrape")
    gateway_port = int(env(services["gateway"]).get("ORCHESTRATOR_PORT", "8000"))
    if "METRICS_PUBLIC" not in env(services["gateway"]):
        errors.append("gateway: no METRICS_PUBLIC (with API_KEY set, Prometheus could not scrape /metrics)")

    redis = argv(services["redis"])
    if dict(zip(redis[1::2], redis[2::2])).get("--appendonly") != "yes":
        errors.append("redis: no --appendonly yes (a restart would lose every queued task)")

    promserver = services.get("prometheus")
    if promserver is None:
        errors.append("no service prometheus")
    else:
        if "metrics" not in (promserver.get("profiles") or []):
            errors.append("prometheus: not under the `metrics` profile (it would start by default)")
        config_file = next(
            (arg.split("=", 1)[1] for arg in argv(promserver) if arg.startswith("--config.file=")),
            "/etc/prometheus/prometheus.yml",
        )
        mounts = [v for v in promserver.get("volumes") or [] if isinstance(v, (str, dict))]
        mounted = [
            (v if isinstance(v, str) else f"{v.get('source')}:{v.get('target')}") for v in mounts
        ]
        if not any(m.split(":")[0].endswith("deploy/prometheus/prometheus.yml") and m.split(":")[1] == config_file
                   for m in mounted):
            errors.append(f"prometheus: deploy/prometheus/prometheus.yml is not mounted at {config_file}")
        expected_ports = {"worker": metrics_port, "gateway": gateway_port}
        jobs = prometheus.get("scrape_configs") or []
        scraped = set()
        for job in jobs:
            for sd in job.get("dns_sd_configs") or []:
                if sd.get("type", "SRV") != "A":
                    errors.append(f"prometheus job {job['job_name']}: dns_sd type must be A (compose has no SRV records)")
                for host in sd.get("names") or []:
                    scraped.add(host)
                    if host not in services:
                        errors.append(f"prometheus job {job['job_name']}: {host} is not a compose service")
                    elif host in expected_ports and sd.get("port") != expected_ports[host]:
                        errors.append(
                            f"prometheus job {job['job_name']}: port {sd.get('port')}, but {host} serves /metrics on {expected_ports[host]}"
                        )
        for name in ("gateway", "worker"):
            if name not in scraped:
                errors.append(f"prometheus: no dns_sd job scrapes every {name}")

    if cluster:
        errors += check_cluster(services)
    return errors


def check_cluster(services):
    errors = []
    nodes = {
        name for name, service in services.items()
        if "--cluster-enabled" in argv(service)
        and argv(service)[argv(service).index("--cluster-enabled") + 1] == "yes"
    }
    if len(nodes) != 6:
        errors.append(f"cluster: {len(nodes)} Redis nodes with --cluster-enabled yes, not 6 (3 primaries, 3 replicas)")
    inits = [name for name, service in services.items() if "--cluster create" in " ".join(argv(service))]
    if len(inits) != 1:
        errors.append(f"cluster: {len(inits)} services run redis-cli --cluster create, not one")
        return errors
    init = services[inits[0]]
    script = " ".join(argv(init))
    if "--cluster-replicas 1" not in script or "--cluster-yes" not in script:
        errors.append(f"{inits[0]}: not --cluster-replicas 1 --cluster-yes")
    command = argv(init)
    if command[:1] == ["sh"]:
        body = command[-1].replace("$$", "$")  # compose's escape for a literal $
        result = subprocess.run(["sh", "-n", "-c", body], capture_output=True, text=True)
        if result.returncode != 0:
            errors.append(f"{inits[0]}: its script does not parse: {result.stderr.strip()}")
    waits = init.get("depends_on") or {}
    for node in sorted(nodes):
        if (waits.get(node) or {}).get("condition") != "service_healthy":
            errors.append(f"{inits[0]}: does not wait for {node} to be healthy")
    if str(init.get("restart", "no")) != "no":
        errors.append(f"{inits[0]}: a one-shot must not restart")
    for name in ("gateway", "worker"):
        seeds = env(services[name]).get("REDIS_CLUSTER_NODES", "")
        if not seeds:
            errors.append(f"{name}: no REDIS_CLUSTER_NODES")
        for seed in filter(None, seeds.split(",")):
            host, _, port = seed.rpartition(":")
            if host not in nodes or port != "6379":
                errors.append(f"{name}: REDIS_CLUSTER_NODES names {seed}, which is no cluster node")
        if ((services[name].get("depends_on") or {}).get(inits[0]) or {}).get("condition") != "service_completed_successfully":
            errors.append(f"{name}: does not start after {inits[0]} completed")
    return errors


# Known-bad changes the checks must reject: (name, change, expected text).
def _set_stop(c):
    c["services"]["worker"]["stop_grace_period"] = "12s"


def _set_port(c):
    c["services"]["worker"]["environment"]["WORKER_METRICS_PORT"] = "9999"


def _unprofile(c):
    c["services"]["prometheus"].pop("profiles", None)


def _no_aof(c):
    c["services"]["redis"]["command"] = ["redis-server"]


def _bad_seed(c):
    c["services"]["worker"]["environment"]["REDIS_CLUSTER_NODES"] = "redis:6379"


def _broken_script(c):
    init = next(s for s in c["services"].values() if "--cluster create" in " ".join(argv(s)))
    init["command"][-1] = init["command"][-1].replace("done", "", 1)


CASES = [
    ("stop_grace_period under the grace", _set_stop, "leaves no time to hand tasks back", False),
    ("Prometheus on the wrong worker port", _set_port, "serves /metrics on 9999", False),
    ("Prometheus on by default", _unprofile, "not under the `metrics` profile", False),
    ("Redis without AOF", _no_aof, "no --appendonly yes", False),
    ("a seed that is no cluster node", _bad_seed, "which is no cluster node", True),
    ("an init script that does not parse", _broken_script, "does not parse", True),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cluster", action="store_true")
    parser.add_argument("--self-test", action="store_true")
    parser.add_argument("resolved")
    parser.add_argument("prometheus")
    args = parser.parse_args()
    compose = yaml.load(Path(args.resolved).read_text(), Loader=LOADER)
    prometheus = yaml.load(Path(args.prometheus).read_text(), Loader=LOADER)
    if args.self_test:
        cases = [case for case in CASES if args.cluster or not case[3]]
        failed = 0
        for name, change, expect, _ in cases:
            broken = copy.deepcopy(compose)
            change(broken)
            errors = check(broken, prometheus, args.cluster)
            if not any(expect in error for error in errors):
                failed += 1
                print(f"self-test FAILED: {name}: no error containing {expect!r}; got {errors}")
        print(f"self-test: {len(cases) - failed} of {len(cases)} known-bad compose variants rejected")
        return 1 if failed else 0
    errors = check(compose, prometheus, args.cluster)
    label = Path(args.resolved).stem
    for error in errors:
        print(f"{label}: {error}")
    print(f"{label}: {len(compose.get('services') or {})} services, {'ok' if not errors else f'{len(errors)} errors'}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
