#!/usr/bin/env bash
# Creates (or reuses) the Python reference environment at <repo>/build/venv-ref.
# The environment holds the pinned Hugging Face stack that produces Ladder's
# conformance fixtures and runs the reverse check / benchmark scripts.
# Idempotent: when the marker file already records the same requirement line,
# nothing is installed. Prints the path of the environment's python at the end.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "${SCRIPT_DIR}/../.." && pwd)"
VENV="${REPO_ROOT}/build/venv-ref"
MARKER="${VENV}/.ladder-requirements"
PYTHON_BIN="${PYTHON:-python3}"

# The exact pinned package set (one line; it is also what the marker records).
REQUIREMENTS=(torch==2.7.1 transformers==4.57.6 safetensors numpy "math-verify[antlr4_13_2]==0.9.0")
REQ_LINE="${REQUIREMENTS[*]}"

if [[ -x "${VENV}/bin/python" && -f "${MARKER}" && "$(cat "${MARKER}")" == "${REQ_LINE}" ]]; then
  echo "venv-ref already set up (${REQ_LINE})" >&2
  echo "${VENV}/bin/python"
  exit 0
fi

if [[ ! -x "${VENV}/bin/python" ]]; then
  echo "creating ${VENV}" >&2
  mkdir -p "$(dirname "${VENV}")"
  "${PYTHON_BIN}" -m venv "${VENV}"
fi

echo "installing: ${REQ_LINE}" >&2
"${VENV}/bin/python" -m pip install --quiet "${REQUIREMENTS[@]}" >&2

# Sanity check that the pinned versions are the ones importable.
"${VENV}/bin/python" - >&2 <<'PY'
import torch, transformers, safetensors, numpy, tokenizers
assert torch.__version__.split("+")[0] == "2.7.1", torch.__version__
assert transformers.__version__ == "4.57.6", transformers.__version__
print("torch", torch.__version__, "transformers", transformers.__version__,
      "tokenizers", tokenizers.__version__, "numpy", numpy.__version__)
PY

printf '%s' "${REQ_LINE}" > "${MARKER}"
echo "${VENV}/bin/python"
