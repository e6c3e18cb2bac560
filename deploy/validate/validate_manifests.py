#!/usr/bin/env python3
"""Validates rendered Kubernetes manifests offline, as scripts/validate-deploy.sh runs it.

1. Schema: every object against the Kubernetes JSON schema of each version given (the strict
   variant from kubernetes-validate: an unknown field is an error, as `kubectl apply`'s strict
   field validation makes it), and custom resources against the openAPIV3Schema of their vendored
   CRD (crds/), made strict the same way.
2. This project's rules, across the objects of one rendering: references resolve (ConfigMaps,
   Secrets, Services, ports, scale targets), pods are hardened, the worker's termination grace
   exceeds its hand-back grace, the ScaledObject scales on the queues' demand across all shards
   (never on a ready list alone) through a gateway Service that exists, Redis keeps an AOF.

    validate_manifests.py [-k 1.30.0 -k 1.37.0] RENDERED.yaml ...
    validate_manifests.py --self-test RENDERED_BASE.yaml NEGATIVE_CASES.yaml

--self-test applies each known-bad change of NEGATIVE_CASES.yaml to the base rendering and
fails unless the validator rejects it with the expected message: checks that cannot fail are
worse than none.
"""

from __future__ import annotations

import argparse
import copy
import functools
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import kubernetes_validate
import kubernetes_validate.utils
import yaml

# libyaml's parser when PyYAML has it: the pure-Python one takes seconds on the CRDs.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
from kubernetes_validate.utils import SchemaNotFoundError, ValidationError, VersionNotSupportedError

# kubernetes-validate parses its schema files (the definitions file is megabytes) on every call;
# parse each once. Its callers only read what it returns.
kubernetes_validate.utils.schema_contents = functools.lru_cache(maxsize=None)(kubernetes_validate.utils.schema_contents)

CRD_DIR = Path(__file__).resolve().parent / "crds"
ORCHESTRA_IMAGE = "ai-orchestra"
ORCHESTRA_UID = 10001  # deploy/Dockerfile's user
HAND_BACK_MARGIN_SECONDS = 5  # at least this much between the worker's grace and SIGKILL
# The processes' defaults (README, "Configuration"), used when a variable is not set.
DEFAULTS = {
    "WORKER_SHUTDOWN_GRACE_SECONDS": "10",
    "WORKER_METRICS_PORT": "9464",
    "WORKER_CONCURRENCY": "256",
    "ORCHESTRATOR_PORT": "8000",
}
WORKLOAD_KINDS = ("Deployment", "StatefulSet", "DaemonSet")
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "ClusterSecretStore"}


# ---------------------------------------------------------------------------------------------
# Schemas


def strict(schema):
    """The schema with `additionalProperties: false` wherever properties are listed and unknown
    fields are not explicitly kept, i.e. what the API server's strict field validation rejects."""
    if isinstance(schema, list):
        return [strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: strict(value) for key, value in schema.items()}
    if (
        "properties" in out
        and "additionalProperties" not in out
        and not out.get("x-kubernetes-preserve-unknown-fields")
    ):
        out["additionalProperties"] = False
    return out


def load_crd_validators():
    """{(apiVersion, kind): validator} for every served version of every vendored CRD."""
    validators = {}
    for path in sorted(CRD_DIR.glob("*.yaml")):
        crd = yaml.load(path.read_text(), Loader=LOADER)
        group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
        for version in crd["spec"]["versions"]:
            if not version.get("served", True):
                continue
            schema = strict(version["schema"]["openAPIV3Schema"])
            # metadata is the API server's ObjectMeta, not described by the CRD.
            schema["properties"]["metadata"] = {"type": "object"}
            validators[(f"{group}/{version['name']}", kind)] = jsonschema.Draft7Validator(schema)
    return validators


def path_of(error):
    return ".".join(str(part) for part in error.absolute_path) or "(top)"


def schema_errors(doc, versions, crd_validators):
    key = (doc.get("apiVersion"), doc.get("kind"))
    if key in crd_validators:
        return [
            f"schema ({key[0]} CRD): at {path_of(e)}: {e.message}"
            for e in sorted(crd_validators[key].iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
        ]
    errors = []
    for version in versions:
        try:
            kubernetes_validate.validate(doc, version, strict=True)
        except ValidationError as e:
            errors.append(f"schema (Kubernetes {version}): at {path_of(e)}: {e.message}")
        except SchemaNotFoundError as e:
            errors.append(f"schema: {e.message} (and no vendored CRD in {CRD_DIR.name}/)")
            break
        except VersionNotSupportedError as e:
            raise SystemExit(e.message)
    return errors


# ---------------------------------------------------------------------------------------------
# The project's rules


class Bundle:
    """The objects of one rendering, indexed for look-ups."""

    def __init__(self, docs):
        self.docs = docs
        self.by_kind = {}
        for doc in docs:
            self.by_kind.setdefault(doc["kind"], {})[doc["metadata"]["name"]] = doc

    def get(self, kind, name):
        return self.by_kind.get(kind, {}).get(name)

    def all(self, *kinds):
        return [doc for kind in kinds for doc in self.by_kind.get(kind, {}).values()]

    def secret_keys(self, name):
        """The keys of a Secret by that name, None when it exists with keys unknown here (made by an
        ExternalSecret from a whole remote entry), or False when nothing makes it."""
        secret = self.get("Secret", name)
        if secret is not None:
            return set(secret.get("data") or {}) | set(secret.get("stringData") or {})
        for external in self.all("ExternalSecret"):
            target = (external["spec"].get("target") or {}).get("name", external["metadata"]["name"])
            if target == name:
                if external["spec"].get("dataFrom"):
                    return None
                return {item["secretKey"] for item in external["spec"].get("data") or []}
        return False


def oid(doc):
    return f"{doc['kind']}/{doc['metadata']['name']}"


def containers_of(pod_spec):
    return list(pod_spec.get("initContainers") or []) + list(pod_spec.get("containers") or [])


def is_orchestra(container):
    return ORCHESTRA_IMAGE in container.get("image", "")


def role_of(container):
    args = list(container.get("command") or [])[1:] + list(container.get("args") or [])
    return args[0] if args else "gateway"  # the image's CMD


def environment(container, bundle, errors, where):
    """The container's environment as the kubelet builds it (envFrom in order, later sources
    winning, then env); values of Secrets are not read. Reports sources that do not exist."""
    values = {}
    for source in container.get("envFrom") or []:
        if "configMapRef" in source:
            name = source["configMapRef"]["name"]
            config_map = bundle.get("ConfigMap", name)
            if config_map is None:
                if not source["configMapRef"].get("optional"):
                    errors.append(f"{where}: envFrom names ConfigMap {name}, and no ConfigMap has that name")
                continue
            values.update(config_map.get("data") or {})
        if "secretRef" in source:
            name = source["secretRef"]["name"]
            keys = bundle.secret_keys(name)
            if keys is False and not source["secretRef"].get("optional"):
                errors.append(f"{where}: envFrom names Secret {name}, and nothing makes a Secret of that name")
            for key in keys or ():
                values[key] = "<secret>"
    for variable in container.get("env") or []:
        values[variable["name"]] = variable.get("value", "<from a reference>")
    return values


def setting(env, name):
    return env.get(name, DEFAULTS.get(name))


def port_number(container, port):
    """A probe's or Service's port (number or name) as a number, None when the name is unknown."""
    if isinstance(port, int):
        return port
    for declared in container.get("ports") or []:
        if declared.get("name") == port:
            return declared["containerPort"]
    return None


def labels_match(selector, labels):
    if "matchLabels" in selector or "matchExpressions" in selector:
        for key, value in (selector.get("matchLabels") or {}).items():
            if labels.get(key) != value:
                return False
        for expression in selector.get("matchExpressions") or []:
            present = expression["key"] in labels
            value = labels.get(expression["key"])
            operator = expression["operator"]
            if operator == "In" and value not in expression["values"]:
                return False
            if operator == "NotIn" and present and value in expression["values"]:
                return False
            if operator == "Exists" and not present:
                return False
            if operator == "DoesNotExist" and present:
                return False
        return True
    return all(labels.get(key) == value for key, value in selector.items())  # a Service's selector


def check_pods(bundle, errors):
    for workload in bundle.all(*WORKLOAD_KINDS):
        where = oid(workload)
        template = workload["spec"]["template"]
        if not labels_match(workload["spec"]["selector"], template["metadata"].get("labels") or {}):
            errors.append(f"{where}: its selector does not match its pod template's labels")
        pod = template["spec"]
        pod_security = pod.get("securityContext") or {}
        if pod.get("automountServiceAccountToken") is not False:
            errors.append(f"{where}: automountServiceAccountToken is not false (no process here talks to the API server)")
        for container in containers_of(pod):
            cwhere = f"{where} container {container['name']}"
            security = container.get("securityContext") or {}

            def effective(key):
                return security.get(key, pod_security.get(key))

            if effective("runAsNonRoot") is not True:
                errors.append(f"{cwhere}: runAsNonRoot is not true")
            if (effective("seccompProfile") or {}).get("type") != "RuntimeDefault":
                errors.append(f"{cwhere}: seccompProfile is not RuntimeDefault")
            if security.get("allowPrivilegeEscalation") is not False:
                errors.append(f"{cwhere}: allowPrivilegeEscalation is not false")
            if security.get("readOnlyRootFilesystem") is not True:
                errors.append(f"{cwhere}: readOnlyRootFilesystem is not true")
            if "ALL" not in ((security.get("capabilities") or {}).get("drop") or []):
                errors.append(f"{cwhere}: capabilities do not drop ALL")
            if is_orchestra(container) and effective("runAsUser") not in (None, ORCHESTRA_UID):
                errors.append(f"{cwhere}: runAsUser {effective('runAsUser')} is not the image's user {ORCHESTRA_UID}")
            resources = container.get("resources") or {}
            for kind, names in (("requests", ("cpu", "memory")), ("limits", ("memory",))):
                for name in names:
                    if name not in (resources.get(kind) or {}):
                        errors.append(f"{cwhere}: no {kind}.{name}")
            for probe_name in ("readinessProbe", "livenessProbe"):
                probe = container.get(probe_name)
                if probe is None:
                    errors.append(f"{cwhere}: no {probe_name}")
                    continue
                handler = probe.get("httpGet") or probe.get("tcpSocket") or probe.get("grpc")
                if handler is not None and port_number(container, handler["port"]) is None:
                    errors.append(f"{cwhere}: {probe_name} port {handler['port']!r} is not a port of the container")
            mounts = {mount["name"] for mount in container.get("volumeMounts") or []}
            volumes = {volume["name"] for volume in pod.get("volumes") or []}
            claims = {claim["metadata"]["name"] for claim in workload["spec"].get("volumeClaimTemplates") or []}
            for missing in sorted(mounts - volumes - claims):
                errors.append(f"{cwhere}: mounts volume {missing}, which the pod does not have")
            env = environment(container, bundle, errors, cwhere)
            if is_orchestra(container):
                check_orchestra_container(workload, container, env, bundle, errors, cwhere)


def check_orchestra_container(workload, container, env, bundle, errors, where):
    pod = workload["spec"]["template"]["spec"]
    annotations = workload["spec"]["template"]["metadata"].get("annotations") or {}
    role = role_of(container)
    if role == "worker":
        grace = int(setting(env, "WORKER_SHUTDOWN_GRACE_SECONDS"))
        termination = pod.get("terminationGracePeriodSeconds", 30)
        if termination < grace + HAND_BACK_MARGIN_SECONDS:
            errors.append(
                f"{where}: terminationGracePeriodSeconds {termination} leaves no time to hand tasks back after "
                f"WORKER_SHUTDOWN_GRACE_SECONDS {grace} (needs at least {grace + HAND_BACK_MARGIN_SECONDS}): "
                f"SIGKILL would come first and the tasks would wait for their leases to expire"
            )
        port = int(setting(env, "WORKER_METRICS_PORT"))
        if port == 0:
            errors.append(f"{where}: WORKER_METRICS_PORT is 0, so the probes have no listener")
        served = port
    elif role == "gateway":
        served = int(setting(env, "ORCHESTRATOR_PORT"))
    else:
        return
    declared = [p["containerPort"] for p in container.get("ports") or []]
    if served not in declared:
        errors.append(f"{where}: the {role} listens on {served} (its environment), but the container declares {declared}")
    for probe_name in ("readinessProbe", "livenessProbe"):
        handler = (container.get(probe_name) or {}).get("httpGet") or (container.get(probe_name) or {}).get("tcpSocket")
        if handler and port_number(container, handler["port"]) != served:
            errors.append(f"{where}: {probe_name} asks port {handler['port']}, the {role} listens on {served}")
    readiness = (container.get("readinessProbe") or {}).get("httpGet") or {}
    if readiness.get("path") != "/ready":
        errors.append(f"{where}: readinessProbe is not GET /ready (503 while draining)")
    if annotations.get("prometheus.io/scrape") == "true" and annotations.get("prometheus.io/port") != str(served):
        errors.append(f"{where}: prometheus.io/port {annotations.get('prometheus.io/port')} is not the port {served} of /metrics")
    check_redis_url(env, bundle, errors, where)


def check_redis_url(env, bundle, errors, where):
    if env.get("REDIS_CLUSTER_NODES"):
        hosts = [node.rsplit(":", 1)[0] for node in env["REDIS_CLUSTER_NODES"].split(",")]
    elif env.get("REDIS_URL") == "<secret>":
        return
    else:
        hosts = [urlsplit(env.get("REDIS_URL", "redis://127.0.0.1:6379/0")).hostname or ""]
    for host in hosts:
        labels = host.split(".")
        in_cluster = len(labels) == 1 or host.endswith((".svc", ".svc.cluster.local"))
        if host in ("127.0.0.1", "localhost"):
            errors.append(f"{where}: Redis at {host} is the pod itself")
        elif len(labels) >= 2 and bundle.get("Service", labels[1]) is not None:
            service = bundle.get("Service", labels[1])
            owners = [s for s in bundle.all("StatefulSet") if s["spec"].get("serviceName") == labels[1]]
            if service["spec"].get("clusterIP") != "None" or not any(
                re.fullmatch(re.escape(s["metadata"]["name"]) + r"-\d+", labels[0]) for s in owners
            ):
                errors.append(f"{where}: Redis host {host} is no pod of a StatefulSet behind headless Service {labels[1]}")
        elif in_cluster and bundle.get("Service", labels[0]) is None:
            errors.append(f"{where}: Redis host {host} names no Service of this rendering")


def check_services(bundle, errors):
    pods = [(w, c) for w in bundle.all(*WORKLOAD_KINDS) for c in containers_of(w["spec"]["template"]["spec"])]
    for service in bundle.all("Service"):
        selector = service["spec"].get("selector") or {}
        matched = [
            (w, c) for w, c in pods if labels_match(selector, w["spec"]["template"]["metadata"].get("labels") or {})
        ]
        if not matched:
            errors.append(f"{oid(service)}: its selector {selector} matches no pod template")
            continue
        for port in service["spec"].get("ports") or []:
            target = port.get("targetPort", port["port"])
            if not any(port_number(c, target) is not None for _, c in matched):
                errors.append(f"{oid(service)}: targetPort {target!r} is no port of the pods it selects")
    for stateful in bundle.all("StatefulSet"):
        service = bundle.get("Service", stateful["spec"].get("serviceName", ""))
        if service is None or service["spec"].get("clusterIP") != "None":
            errors.append(f"{oid(stateful)}: serviceName {stateful['spec'].get('serviceName')} is no headless Service")
    for budget in bundle.all("PodDisruptionBudget"):
        if not any(
            labels_match(budget["spec"]["selector"], w["spec"]["template"]["metadata"].get("labels") or {})
            for w in bundle.all(*WORKLOAD_KINDS)
        ):
            errors.append(f"{oid(budget)}: its selector matches no pod template")
    for policy in bundle.all("NetworkPolicy"):
        if not any(
            labels_match(policy["spec"]["podSelector"], w["spec"]["template"]["metadata"].get("labels") or {})
            for w in bundle.all(*WORKLOAD_KINDS)
        ):
            errors.append(f"{oid(policy)}: its podSelector matches no pod template")


def check_redis(bundle, errors):
    for stateful in bundle.all("StatefulSet"):
        for container in containers_of(stateful["spec"]["template"]["spec"]):
            argv = list(container.get("command") or []) + list(container.get("args") or [])
            if not argv or "redis-server" not in argv[0]:
                continue
            where = f"{oid(stateful)} container {container['name']}"
            options = dict(zip(argv[1::2], argv[2::2]))
            if options.get("--appendonly") != "yes":
                errors.append(f"{where}: redis-server without --appendonly yes loses every queued task on a restart")
            if options.get("--maxmemory-policy", "noeviction") != "noeviction":
                errors.append(f"{where}: --maxmemory-policy must be noeviction (an evicted key is a lost task)")
            directory = options.get("--dir", "/data")
            claims = {claim["metadata"]["name"] for claim in stateful["spec"].get("volumeClaimTemplates") or []}
            if not any(
                m["mountPath"] == directory and m["name"] in claims for m in container.get("volumeMounts") or []
            ):
                errors.append(f"{where}: its --dir {directory} is not on a volumeClaimTemplate (the AOF would die with the pod)")


def check_autoscaling(bundle, errors):
    hpa_targets = {
        (h["spec"]["scaleTargetRef"]["kind"], h["spec"]["scaleTargetRef"]["name"]): h
        for h in bundle.all("HorizontalPodAutoscaler")
    }
    for hpa in bundle.all("HorizontalPodAutoscaler"):
        ref = hpa["spec"]["scaleTargetRef"]
        if bundle.get(ref["kind"], ref["name"]) is None:
            errors.append(f"{oid(hpa)}: scaleTargetRef {ref['kind']}/{ref['name']} is not in this rendering")
        if hpa["spec"].get("minReplicas", 1) > hpa["spec"]["maxReplicas"]:
            errors.append(f"{oid(hpa)}: minReplicas is above maxReplicas")
    owned = set(hpa_targets)
    for scaled in bundle.all("ScaledObject"):
        where = oid(scaled)
        spec = scaled["spec"]
        ref = spec["scaleTargetRef"]
        kind = ref.get("kind", "Deployment")
        target = bundle.get(kind, ref["name"])
        if target is None:
            errors.append(f"{where}: scaleTargetRef {kind}/{ref['name']} is not in this rendering")
            continue
        if (kind, ref["name"]) in hpa_targets:
            errors.append(f"{where}: {kind}/{ref['name']} already has HorizontalPodAutoscaler "
                          f"{hpa_targets[(kind, ref['name'])]['metadata']['name']}; two autoscalers fight")
        owned.add((kind, ref["name"]))
        minimum, maximum = spec.get("minReplicaCount", 0), spec.get("maxReplicaCount", 100)
        if minimum > maximum:
            errors.append(f"{where}: minReplicaCount {minimum} is above maxReplicaCount {maximum}")
        containers = [c for c in target["spec"]["template"]["spec"]["containers"] if is_orchestra(c)]
        workers = [c for c in containers if role_of(c) == "worker"]
        if not workers:
            continue
        if minimum < 1:
            errors.append(
                f"{where}: minReplicaCount {minimum}: the reaper that promotes due retries and requeues expired "
                f"leases runs in the workers, so with none a queue of delayed retries never shows demand again"
            )
        if "fallback" not in spec:
            errors.append(f"{where}: no fallback: when the gateway cannot be asked, the workers' count is left to chance")
        concurrency = int(setting(environment(workers[0], bundle, [], where), "WORKER_CONCURRENCY"))
        for trigger in spec["triggers"]:
            check_trigger(scaled, trigger, concurrency, bundle, errors)
    for kind, name in sorted(owned):
        target = bundle.get(kind, name)
        if target is not None and "replicas" in target["spec"]:
            errors.append(f"{kind}/{name}: sets spec.replicas although an autoscaler owns it (each apply would reset it)")


def check_trigger(scaled, trigger, concurrency, bundle, errors):
    where = f"{oid(scaled)} trigger {trigger['type']}"
    metadata = trigger.get("metadata") or {}
    if trigger["type"] in ("redis", "redis-cluster", "redis-sentinel") or metadata.get("listName"):
        errors.append(
            f"{where}: scales on the length of a ready list ({metadata.get('listName')}); running tasks "
            f"(leases) and delayed retries are not in it, so workers are scaled away in the middle of their "
            f"tasks, and one list per shard under-counts (the HPA takes the largest metric, not the sum). "
            f"Use metrics-api on the gateway's /queues, valueLocation totals.demand"
        )
        return
    if trigger["type"] != "metrics-api":
        return
    if metadata.get("valueLocation") != "totals.demand":
        errors.append(f"{where}: valueLocation {metadata.get('valueLocation')!r} is not totals.demand (ready + running over all shards)")
    if trigger.get("metricType", "AverageValue") != "AverageValue":
        errors.append(f"{where}: metricType must be AverageValue (demand per worker; KEDA's fallback needs it)")
    try:
        target_value = float(metadata.get("targetValue", "nan"))
    except ValueError:
        target_value = float("nan")
    if not 0 < target_value <= concurrency:
        errors.append(f"{where}: targetValue {metadata.get('targetValue')} is not within 1..WORKER_CONCURRENCY ({concurrency}), the tasks one worker runs")
    url = urlsplit(metadata.get("url", ""))
    if url.path != "/queues":
        errors.append(f"{where}: url {metadata.get('url')!r} is not the gateway's /queues")
    host = (url.hostname or "").split(".")
    namespace = scaled["metadata"].get("namespace")
    if len(host) < 3 or host[2] != "svc":
        errors.append(f"{where}: url host {url.hostname!r} is not <service>.<namespace>.svc[.cluster.local]; KEDA's operator runs in its own namespace")
    else:
        service = bundle.get("Service", host[0])
        if service is None or host[1] != namespace or service["metadata"].get("namespace") != namespace:
            errors.append(f"{where}: url host {url.hostname} names no Service {host[0]} in namespace {namespace} of this rendering")
        elif (url.port or 80) not in [p["port"] for p in service["spec"].get("ports") or []]:
            errors.append(f"{where}: url port {url.port or 80} is not a port of Service {host[0]}")
    if metadata.get("authMode") == "apiKey":
        if metadata.get("keyParamName", "X-API-KEY").lower() != "x-api-key" or metadata.get("method", "header") != "header":
            errors.append(f"{where}: the gateway reads the key from the X-API-Key header")
        auth_name = (trigger.get("authenticationRef") or {}).get("name")
        auth = bundle.get("TriggerAuthentication", auth_name or "")
        if auth is None:
            errors.append(f"{where}: authenticationRef {auth_name} is no TriggerAuthentication of this rendering")
            return
        refs = [r for r in auth["spec"].get("secretTargetRef") or [] if r["parameter"] == "apiKey"]
        if not refs:
            errors.append(f"{oid(auth)}: no secretTargetRef for parameter apiKey")
        for ref in refs:
            keys = bundle.secret_keys(ref["name"])
            if keys is False:
                errors.append(f"{oid(auth)}: Secret {ref['name']} is made by nothing in this rendering")
            elif keys is not None and ref["key"] not in keys:
                errors.append(f"{oid(auth)}: Secret {ref['name']} has no key {ref['key']}")


def check_namespaces(bundle, errors):
    namespaces = {doc["metadata"]["name"] for doc in bundle.all("Namespace")}
    used = {doc["metadata"].get("namespace") for doc in bundle.docs if doc["kind"] not in CLUSTER_SCOPED}
    if None in used:
        errors.append("namespaced objects without a namespace: set `namespace:` in the kustomization")
    if len(used - {None}) > 1:
        errors.append(f"objects in several namespaces {sorted(used - {None})}")
    if namespaces and not used - {None} <= namespaces:
        errors.append(f"namespace {sorted(used - {None})} is not the Namespace object's {sorted(namespaces)}")


def project_errors(docs):
    bundle = Bundle(docs)
    errors = []
    for check in (check_namespaces, check_pods, check_services, check_redis, check_autoscaling):
        check(bundle, errors)
    return errors


# ---------------------------------------------------------------------------------------------


def validate(docs, versions, crd_validators):
    errors = []
    for doc in docs:
        errors += [f"{oid(doc)}: {message}" for message in schema_errors(doc, versions, crd_validators)]
    return errors + project_errors(docs)


def load(path):
    return [doc for doc in yaml.load_all(Path(path).read_text(), Loader=LOADER) if doc]


def apply_patch(docs, case):
    """The docs with the case's JSON-patch-like operations (add, replace, remove) applied to the
    object it targets."""
    docs = copy.deepcopy(docs)
    target = next(
        (d for d in docs if d["kind"] == case["target"]["kind"] and d["metadata"]["name"] == case["target"]["name"]),
        None,
    )
    if target is None:
        raise SystemExit(f"self-test case {case['name']!r}: no {case['target']} in the rendering")
    for operation in case["patch"]:
        parts = [p.replace("~1", "/").replace("~0", "~") for p in operation["path"].split("/")[1:]]
        parent = target
        for part in parts[:-1]:
            parent = parent[int(part)] if isinstance(parent, list) else parent.setdefault(part, {})
        last = parts[-1]
        if isinstance(parent, list):
            index = len(parent) if last == "-" else int(last)
            if operation["op"] == "remove":
                del parent[index]
            elif operation["op"] == "add":
                parent.insert(index, operation["value"])
            else:
                parent[index] = operation["value"]
        elif operation["op"] == "remove":
            del parent[last]
        else:
            parent[last] = operation["value"]
    return docs


def self_test(base_path, cases_path, versions, crd_validators):
    base = load(base_path)
    cases = yaml.load(Path(cases_path).read_text(), Loader=LOADER)
    failed = 0
    for case in cases:
        errors = validate(apply_patch(base, case), versions, crd_validators)
        if not any(case["expect"] in error for error in errors):
            failed += 1
            print(f"self-test FAILED: {case['name']}: no error containing {case['expect']!r}; got {errors}")
    print(f"self-test: {len(cases) - failed} of {len(cases)} known-bad variants rejected")
    return failed == 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-k", "--kubernetes-version", action="append", dest="versions")
    parser.add_argument("--self-test", action="store_true")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    versions = args.versions or ["1.30.0"]
    crd_validators = load_crd_validators()
    if args.self_test:
        return 0 if self_test(args.files[0], args.files[1], versions, crd_validators) else 1
    status = 0
    for path in args.files:
        docs = load(path)
        errors = validate(docs, versions, crd_validators)
        label = Path(path).stem
        for error in errors:
            print(f"{label}: {error}")
        print(f"{label}: {len(docs)} objects, {'ok' if not errors else f'{len(errors)} errors'} (Kubernetes {', '.join(versions)})")
        status |= bool(errors)
    return status


if __name__ == "__main__":
    sys.exit(main())
