#!/usr/bin/env bash
# Speed and memory on a real model, Ladder beside transformers / PyTorch eager in one run:
#   1. the machine's ceilings (float32 matmul rate, streaming read bandwidth, libtorch's own rate
#      on the model's decode-step linear shapes): scripts/reference/bench_machine.py
#   2. generation tokens/s at batch 1, 16 and 64 (16-token prompts, 32 new tokens, KV cache,
#      pure sampling at T=1, EOS ignored): bin/ladder bench-generate vs transformers generate
#   3. one GRPO learner step (forward, backward, clipping, AdamW) on BATCH rows of 32 prompt +
#      COMPLETION tokens: bin/ladder bench-learner --model vs bench_torch_grpo_step.py
# 2 threads each, median of REPEATS; every line printed is JSON, then the tables for BENCHMARKS.md.
#   scripts/bench/smollm2.sh [MODEL_DIR]   (default build/models/SmolLM2-135M-Instruct; make it
#   with scripts/models/smollm2.sh)
# Environment: REPEATS (3), BATCH (16), COMPLETION (64).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MODEL="$(realpath "${1:-$ROOT/build/models/SmolLM2-135M-Instruct}")"
REPEATS="${REPEATS:-3}"
BATCH="${BATCH:-16}"
COMPLETION="${COMPLETION:-64}"
[[ -f "$MODEL/config.json" ]] || { echo "smollm2.sh: no model at $MODEL (run scripts/models/smollm2.sh)" >&2; exit 1; }
PY="$("$ROOT/scripts/reference/setup-venv.sh")"
OUT="$(mktemp)"
trap 'rm -f "$OUT"' EXIT
echo "# $MODEL, 2 threads, median of $REPEATS" >&2

"$PY" "$ROOT/scripts/reference/bench_machine.py" --threads 2 --model "$MODEL" | tee -a "$OUT"
"$ROOT/bin/ladder" bench-generate --model "$MODEL" --batches 1,16,64 --prompt-len 16 --new-tokens 32 \
  --repeats "$REPEATS" | tee -a "$OUT"
"$PY" "$ROOT/scripts/reference/bench_transformers_generate.py" --model "$MODEL" --batches 1,16,64 \
  --prompt-len 16 --new-tokens 32 --repeats "$REPEATS" --threads 2 --kv-cache true | tee -a "$OUT"

# the learner step (LearnerBench), through bin/ladder like generation: its build keeps the classpath current
WORK="$ROOT/build/bench/smollm2-learner"
mkdir -p "$WORK"
"$ROOT/bin/ladder" bench-learner --model "$MODEL" --out "$WORK" \
  --batch "$BATCH" --group 8 --prompt-len 32 --completion-len "$COMPLETION" --warmup 1 --repeats "$REPEATS" \
  2>/dev/null | tee -a "$OUT"
"$PY" "$ROOT/scripts/reference/bench_torch_grpo_step.py" --model "$MODEL" --batch-file "$WORK/batch.json" \
  --threads 2 --warmup 1 --repeats "$REPEATS" | tee -a "$OUT"

"$PY" - "$OUT" "$MODEL/config.json" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
cfg = json.load(open(sys.argv[2]))
d, f, v, L = cfg["hidden_size"], cfg["intermediate_size"], cfg["vocab_size"], cfg["num_hidden_layers"]
hd = cfg.get("head_dim") or d // cfg["num_attention_heads"]
q, kv = cfg["num_attention_heads"] * hd, cfg["num_key_value_heads"] * hd
layer = L * (2 * d * q + 2 * d * kv + 3 * d * f)           # q, o, k, v, gate, up, down weights
head = v * d
params = layer + head + (0 if cfg.get("tie_word_embeddings") else v * d) + (2 * L + 1) * d
machine = next(r for r in rows if r["engine"] == "machine")
mm, bw = machine["matmul_gflops"], machine["read_gb_s"]
print(f"\nmachine: float32 matmul {mm} GFLOP/s, streaming read {bw} GB/s (2 threads); "
      f"model: {params:,} parameters, {2 * (layer + head) / 1e6:.0f} MFLOP of matmuls per generated token")
print("\n| batch | Ladder tok/s | transformers tok/s | Ladder / transformers | Ladder GFLOP/s | of matmul rate "
      "| weights read GB/s | of read bandwidth | libtorch's own rate on these shapes | Ladder peak RSS MB | transformers peak RSS MB |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
gen = {(r["engine"], r["batch"]): r for r in rows if r["engine"] in ("ladder", "transformers") and "kv_cache" in r}
for b in sorted({k[1] for k in gen}):
    l, t = gen.get(("ladder", b)), gen.get(("transformers", b))
    if not (l and t):
        continue
    ctx = 16 + 32 / 2                                        # mean keys attended per new token
    flop_tok = 2 * (layer + head) + 4 * L * q * ctx
    gf = l["tokens_per_s"] * flop_tok / 1e9
    steps_s = l["tokens_per_s"] / b                           # decode steps per second
    gbs = steps_s * params * 4 / 1e9                          # every weight read once per step
    own = (machine.get(f"layer_linears_b{b}_gflops", 0) * layer + machine.get(f"lm_head_b{b}_gflops", 0) * head) / (layer + head)
    print(f"| {b} | {l['tokens_per_s']:,.1f} | {t['tokens_per_s']:,.1f} | {l['tokens_per_s'] / t['tokens_per_s']:.2f} "
          f"| {gf:.1f} | {gf / mm:.0%} | {gbs:.1f} | {gbs / bw:.0%} | {own:.1f} GFLOP/s | {l['peak_rss_mb']:,.0f} | {t['peak_rss_mb']:,.0f} |")
lr = next((r for r in rows if r["engine"] == "ladder" and "completion_len" in r), None)
tr = next((r for r in rows if r["engine"] == "torch-eager"), None)
if lr and tr:
    n, p, c = lr["batch"], lr["prompt_len"], lr["completion_len"]
    flop = 6 * (layer * n * (p + c) + head * n * c)           # forward 2 + backward 4 per weight and token
    print("\n| learner step | Ladder s | PyTorch eager s | Ladder / PyTorch (speed) | Ladder GFLOP/s | of matmul rate "
          "| Ladder peak RSS MB | PyTorch peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|")
    print(f"| {n} x ({p} + {c}) | {lr['seconds']:.2f} | {tr['seconds']:.2f} | {tr['seconds'] / lr['seconds']:.2f} "
          f"| {flop / lr['seconds'] / 1e9:.1f} | {flop / lr['seconds'] / 1e9 / mm:.0%} | {lr['peak_rss_mb']:,.0f} "
          f"| {tr['peak_rss_mb']:,.0f} |")
PY
