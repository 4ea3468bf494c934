#!/usr/bin/env bash
# Installs Prometheus (and promtool) from Debian's packages if they are not on PATH.
set -euo pipefail
if command -v prometheus >/dev/null && command -v promtool >/dev/null; then
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "install.sh: prometheus is not installed and apt-get is not available; install Prometheus 2.x yourself" >&2
  exit 2
fi
SUDO=""
[[ $(id -u) == 0 ]] || SUDO="sudo"
echo "installing prometheus from Debian's packages ..." >&2
$SUDO apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq prometheus >&2
# The package starts a system service on :9090; Ladder's scripts run their own instance.
if command -v systemctl >/dev/null && systemctl is-active --quiet prometheus 2>/dev/null; then
  $SUDO systemctl stop prometheus || true
fi
command -v prometheus >/dev/null && command -v promtool >/dev/null
