#!/usr/bin/env bash
# Validates the deployment files offline (no Docker engine, no cluster), in a few seconds once
# the tools are installed (scripts/bootstrap.sh deploy, skipped when they are):
#   - renders deploy/kubernetes/base and every overlay with kustomize (`kubectl kustomize`), and
#     validates each object against the Kubernetes schemas of KUBERNETES_VERSIONS (strict: unknown
#     fields fail) or its vendored CRD (KEDA, External Secrets), then this project's rules
#     (deploy/validate/validate_manifests.py);
#   - docker-compose.yml, with and without deploy/compose/cluster.yml: `docker-compose config`
#     (parses and validates without an engine), then the project's rules
#     (deploy/validate/check_compose.py);
#   - deploy/prometheus/prometheus.yml with `promtool check config`;
#   - that the validators reject known-bad variants (--self-test), so a check that cannot fail
#     is noticed.
# Exits non-zero on the first failing step.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/bootstrap.sh deploy
tools="$PWD/.venv-tools/bin"
python="$tools/python"
read -r -a versions <<<"${KUBERNETES_VERSIONS:-1.30.0 1.37.0}"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "validate-deploy: kustomize $("$tools/kubectl" version --client -o json | "$python" -c 'import json,sys; print(json.load(sys.stdin)["kustomizeVersion"])'), Kubernetes schemas ${versions[*]}"
rendered=()
for dir in deploy/kubernetes/base deploy/kubernetes/overlays/*/; do
    dir=${dir%/}
    file="$out/$(basename "$dir").yaml"
    "$tools/kubectl" kustomize "$dir" >"$file"
    rendered+=("$file")
done
"$python" deploy/validate/validate_manifests.py "${versions[@]/#/-k}" "${rendered[@]}"
"$python" deploy/validate/validate_manifests.py "${versions[@]/#/-k}" --self-test "$out/base.yaml" deploy/validate/negative-cases.yaml

# `config` validates as `config -q` does (non-zero on an invalid file) and prints the resolved
# file, which the rules then read.
compose=(docker-compose --project-directory . -f docker-compose.yml)
"${compose[@]}" config >"$out/compose.yaml"
"${compose[@]}" -f deploy/compose/cluster.yml config >"$out/compose-cluster.yaml"
prometheus=deploy/prometheus/prometheus.yml
"$python" deploy/validate/check_compose.py "$out/compose.yaml" "$prometheus"
"$python" deploy/validate/check_compose.py --cluster "$out/compose-cluster.yaml" "$prometheus"
"$python" deploy/validate/check_compose.py --self-test --cluster "$out/compose-cluster.yaml" "$prometheus"
"$tools/promtool" check config "$prometheus"
echo "validate-deploy: ok"
