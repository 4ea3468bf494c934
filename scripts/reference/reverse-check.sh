#!/usr/bin/env bash
# The reverse conformance check: Ladder saves a model folder, Hugging Face transformers loads it
# (AutoModelForCausalLM.from_pretrained) and must produce the same logits (max |Δ| <= 1e-4).
# Covers every committed conformance checkpoint, a bfloat16 export, and a model Ladder created
# itself (its own config.json and byte-level tokenizer). Exits non-zero on any mismatch.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PY="$("$ROOT/scripts/reference/setup-venv.sh")"
OUT="$ROOT/build/reverse"
rm -rf "$OUT" && mkdir -p "$OUT"
FIX="$ROOT/policy/src/test/resources/conformance"
status=0
check() { # name source-dir dtype
  "$ROOT/bin/ladder" export --model "$2" --out "$OUT/$1" --dtype "$3" --with-logits >/dev/null
  echo "== $1 ($3)"
  "$PY" "$ROOT/scripts/reference/check_reverse.py" --dir "$OUT/$1" || status=1
}
for name in gqa_tied mha_untied llama3_rope bf16 fp16_sharded; do
  check "$name" "$FIX/$name" float32
done
check gqa_tied-bf16 "$FIX/gqa_tied" bfloat16
"$ROOT/bin/ladder" init-model --out "$OUT/ladder-init-src" --layers 2 --hidden 64 --untied --seed 3 >/dev/null
check ladder-init "$OUT/ladder-init-src" float32
[[ $status == 0 ]] && echo "reverse check: all folders load in transformers with matching logits" || echo "reverse check: FAILED"
exit $status
