#!/usr/bin/env bash
# Creates (or reuses) the Ray CLI environment at <repo>/build/venv-ray.
# Ray's Java artifacts (io.ray:ray-api / ray-runtime) are 2.39.0, and the Python
# package that runs the cluster (GCS, raylet, worker launcher) must be the same
# version. Its manylinux x86_64 wheel ships ray/jars/ray_dist.jar, which the
# raylet needs to start Java workers.
# Idempotent: when the marker file already records the same requirement line and
# the jars are there, nothing is installed. Prints the venv's bin dir on the last
# line of stdout (everything else goes to stderr).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "${SCRIPT_DIR}/.." && pwd)"
VENV="${LADDER_RAY_VENV:-${REPO_ROOT}/build/venv-ray}"
MARKER="${VENV}/.ladder-requirements"
PYTHON_BIN="${PYTHON:-python3}"

RAY_VERSION="2.39.0"
REQUIREMENTS=("ray[default]==${RAY_VERSION}")
REQ_LINE="${REQUIREMENTS[*]}"

# Where the installed ray package keeps its Java jars (empty if not importable).
ray_jars_dir() {
  "${VENV}/bin/python" - <<'PY' 2>/dev/null || true
import os, ray
print(os.path.join(os.path.dirname(ray.__file__), "jars"))
PY
}

if [[ -x "${VENV}/bin/python" && -f "${MARKER}" && "$(cat "${MARKER}")" == "${REQ_LINE}" ]]; then
  JARS="$(ray_jars_dir)"
  if [[ -n "${JARS}" && -f "${JARS}/ray_dist.jar" && -x "${VENV}/bin/ray" ]]; then
    echo "venv-ray already set up (${REQ_LINE})" >&2
    echo "${VENV}/bin"
    exit 0
  fi
  echo "venv-ray marker present but installation incomplete; reinstalling" >&2
fi

if ! command -v "${PYTHON_BIN}" >/dev/null 2>&1; then
  echo "ray-venv.sh: ${PYTHON_BIN} not found on PATH (need Python 3.9-3.12 with venv)" >&2
  exit 2
fi

# ray 2.39.0 publishes wheels for CPython 3.9 to 3.12 only.
PY_VER="$("${PYTHON_BIN}" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
case "${PY_VER}" in
  3.9|3.10|3.11|3.12) ;;
  *) echo "ray-venv.sh: ${PYTHON_BIN} is Python ${PY_VER}; ray ${RAY_VERSION} needs 3.9-3.12 (set PYTHON=/path/to/python3.11)" >&2; exit 2 ;;
esac

if [[ ! -x "${VENV}/bin/python" ]]; then
  echo "creating ${VENV}" >&2
  mkdir -p "$(dirname "${VENV}")"
  if ! "${PYTHON_BIN}" -m venv "${VENV}" >&2; then
    rm -rf "${VENV}"
    echo "ray-venv.sh: '${PYTHON_BIN} -m venv' failed (on Debian/Ubuntu install the python3-venv package)" >&2
    exit 2
  fi
fi

echo "installing: ${REQ_LINE} (this takes a minute or two)" >&2
"${VENV}/bin/python" -m pip install --quiet --upgrade pip >&2 || true
"${VENV}/bin/python" -m pip install --quiet "${REQUIREMENTS[@]}" >&2

INSTALLED="$("${VENV}/bin/python" -c 'import ray; print(ray.__version__)')"
if [[ "${INSTALLED}" != "${RAY_VERSION}" ]]; then
  echo "ray-venv.sh: installed ray is ${INSTALLED}, expected ${RAY_VERSION}" >&2
  exit 1
fi
JARS="$(ray_jars_dir)"
if [[ -z "${JARS}" || ! -f "${JARS}/ray_dist.jar" ]]; then
  echo "ray-venv.sh: ray ${INSTALLED} has no jars/ray_dist.jar (${JARS:-?}); Java workers need the manylinux x86_64 wheel" >&2
  exit 1
fi
echo "ray ${INSTALLED}, java jars at ${JARS}" >&2

printf '%s' "${REQ_LINE}" > "${MARKER}"
echo "${VENV}/bin"
