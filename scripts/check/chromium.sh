#!/usr/bin/env bash
# Prints the path of a headless-capable Chromium, installing Debian's package first when there is
# none (the report test opens report.html in it). Exit 2 with one line when it cannot be had.
set -euo pipefail
for c in chromium chromium-browser google-chrome; do
  if command -v "$c" >/dev/null; then
    command -v "$c"
    exit 0
  fi
done
if ! command -v apt-get >/dev/null; then
  echo "chromium.sh: no Chromium on PATH and apt-get is not available; install Chromium yourself" >&2
  exit 2
fi
SUDO=""
[[ $(id -u) == 0 ]] || SUDO="sudo"
echo "installing chromium from Debian's packages ..." >&2
$SUDO apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
command -v chromium
