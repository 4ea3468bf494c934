#!/usr/bin/env bash
# Sampling throughput, Ladder vs Hugging Face transformers, on the same tiny checkpoint in the
# same run (same threads, prompt length, new tokens; pure sampling at T=1, EOS ignored).
# Prints both engines' JSON lines and a ratio table. Figures are recorded in BENCHMARKS.md.
#   scripts/bench/generate.sh [LAYERS HIDDEN]   (default: 2 64)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LAYERS="${1:-2}"
HIDDEN="${2:-64}"
NEW_TOKENS="${NEW_TOKENS:-64}"
REPEATS="${REPEATS:-5}"
PY="$("$ROOT/scripts/reference/setup-venv.sh")"
MODEL="$ROOT/build/bench/tiny-l${LAYERS}-d${HIDDEN}"
"$ROOT/bin/ladder" init-model --out "$MODEL" --layers "$LAYERS" --hidden "$HIDDEN" --seed 1 >&2
OUT="$(mktemp)"
echo "# model: $MODEL (layers=$LAYERS hidden=$HIDDEN), 2 threads, prompt 16, $NEW_TOKENS new tokens, median of $REPEATS" >&2
"$ROOT/bin/ladder" bench-generate --model "$MODEL" --batches 1,16,64 --new-tokens "$NEW_TOKENS" \
  --repeats "$REPEATS" --no-kv-cache-too | tee -a "$OUT"
"$PY" "$ROOT/scripts/reference/bench_transformers_generate.py" --model "$MODEL" --batches 1,16,64 \
  --prompt-len 16 --new-tokens "$NEW_TOKENS" --repeats "$REPEATS" --threads 2 | tee -a "$OUT"
"$PY" - "$OUT" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
by = {(r["engine"], r["batch"], r["kv_cache"]): r["tokens_per_s"] for r in rows}
print("\n| batch | KV cache | Ladder tok/s | transformers tok/s | Ladder / transformers |")
print("|---|---|---|---|---|")
for cache in (True, False):
    for b in sorted({k[1] for k in by}):
        l, t = by.get(("ladder", b, cache)), by.get(("transformers", b, cache))
        if l and t:
            print(f"| {b} | {'on' if cache else 'off'} | {l:,.0f} | {t:,.0f} | {l / t:.2f} |")
PY
rm -f "$OUT"
