#!/usr/bin/env bash
# Installs what AI Orchestra needs on Debian/Ubuntu, non-interactively: hiredis headers, Redis.
# Swift itself is expected on PATH (https://www.swift.org/install/linux/).
set -euo pipefail

packages=(libhiredis-dev redis-server redis-tools node-typescript)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "bootstrap: installing ${missing[*]}"
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq </dev/null
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
fi
command -v swift >/dev/null || { echo "bootstrap: swift is not on PATH" >&2; exit 1; }
