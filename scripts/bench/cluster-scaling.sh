#!/usr/bin/env bash
# Rollout throughput with 1 and 2 rollout-worker processes on a real Ray cluster, and the time to
# publish a weight version to every worker, measured by the job itself (metrics.jsonl) in one run.
#   scripts/bench/cluster-scaling.sh [MODEL_DIR]     (default: the built-in arithmetic base model)
# Each worker JVM runs DJL with one intra-op thread (-Dai.djl.pytorch.num_threads=1), so two
# workers use the machine's two cores; the single-worker run gets the same one-thread setting.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MODEL="${1:-$ROOT/runs/arith-base}"
PORT=6690
[[ -f "$MODEL/model.safetensors" ]] || { echo "no model at $MODEL (run the main job once, or pass a folder)" >&2; exit 2; }
ADDR="$("$ROOT/deploy/local-cluster.sh" start --nodes 1 --port "$PORT" | tail -n 1)"
trap '"$ROOT/deploy/local-cluster.sh" stop --port "$PORT" >/dev/null 2>&1 || true' EXIT
OUT="$(mktemp -d)"
for K in 1 2; do
  cat > "$OUT/k$K.yaml" <<YAML
name: scaling-k$K
seed: 1
model: {path: "$MODEL"}
task: {kind: arithmetic, levels: [5, 6, 7]}
algorithm: {name: grpo, lr: 0.00001}
rollout: {group_size: 8, prompts_per_step: 64, temperature: 1.0, max_new_tokens: 16}
cluster: {ray_address: "$ADDR", rollout_workers_per_group: $K, cpus_per_actor: 1, placement: PACK,
          worker_jvm_options: ["-Dai.djl.pytorch.num_threads=1"]}
steps: 12
eval: {problems: 0}
YAML
  "$ROOT/bin/ladder" train --config "$OUT/k$K.yaml" --run-dir "$OUT/run-k$K" > "$OUT/k$K.log" 2>&1 \
    || { tail -20 "$OUT/k$K.log"; exit 1; }
done
python3 - "$OUT" <<'PY'
import json, statistics, sys
out = sys.argv[1]
rows = {}
for k in (1, 2):
    m = [json.loads(l) for l in open(f"{out}/run-k{k}/metrics.jsonl")][2:]  # skip warm-up steps
    rows[k] = dict(tok=statistics.median(x["tokens_per_s"] for x in m),
                   roll=statistics.median(x["rollout_seconds"] for x in m),
                   pub=statistics.median(x["publish_seconds"] for x in m),
                   mb=m[-1]["publish_bytes"] / 1e6)
print("| rollout workers | rollout tokens/s (median) | rollout s/step | publish to all workers (median s) | payload MB |")
print("|---|---|---|---|---|")
for k, r in rows.items():
    print(f"| {k} | {r['tok']:,.0f} | {r['roll']:.3f} | {r['pub']:.3f} | {r['mb']:.1f} |")
print(f"\n2 workers / 1 worker rollout throughput: {rows[2]['tok'] / rows[1]['tok']:.2f}x")
PY
