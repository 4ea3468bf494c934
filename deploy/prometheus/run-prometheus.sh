#!/usr/bin/env bash
# Starts a Prometheus for Ladder in the foreground: deploy/prometheus/run-prometheus.sh [CONFIG] [PORT]
# (defaults: deploy/prometheus/prometheus.yml, 9090). Data goes to build/prometheus-data.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CONFIG="${1:-$HERE/prometheus.yml}"
PORT="${2:-9090}"
"$HERE/install.sh"
mkdir -p "$ROOT/build/prometheus-data"
echo "prometheus: http://127.0.0.1:$PORT (config $CONFIG)" >&2
exec prometheus --config.file="$CONFIG" --storage.tsdb.path="$ROOT/build/prometheus-data" \
  --web.listen-address="127.0.0.1:$PORT"
