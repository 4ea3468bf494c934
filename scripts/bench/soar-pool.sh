#!/usr/bin/env bash
# SOAR's outer-step time with 1, 2 and 4 student groups on a real two-node Ray cluster
# (deploy/local-cluster.sh), measured by the job itself (soar.jsonl), in one invocation.
#   scripts/bench/soar-pool.sh [MODEL_DIR]     (default: the built-in arithmetic base model)
# g = 4 datasets × r = 2 repeats = 8 inner loops per outer step; every actor JVM runs DJL with one
# intra-op thread, so the pool's parallelism, not libtorch's, is what changes between rows.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MODEL="${1:-$ROOT/runs/arith-base}"
PORT=6790
[[ -f "$MODEL/model.safetensors" ]] || { echo "no model at $MODEL (run the main job once, or pass a folder)" >&2; exit 2; }
ADDR="$("$ROOT/deploy/local-cluster.sh" start --nodes 2 --port "$PORT" | tail -n 1)"
trap '"$ROOT/deploy/local-cluster.sh" stop --port "$PORT" >/dev/null 2>&1 || true' EXIT
OUT="$(mktemp -d)"
"$ROOT/bin/ladder" arithmetic-dataset --levels 6,7 --per-level 64 --seed 5 --out "$OUT/problems.jsonl" >/dev/null
for P in 1 2 4; do
  cat > "$OUT/p$P.yaml" <<YAML
name: soar-pool-p$P
seed: 1
model: {path: "$MODEL"}
task: {kind: arithmetic, levels: [6, 7]}
algorithm:
  name: soar
  soar: {datasets: 4, questions_per_dataset: 16, repeats: 2, reward_questions: 32, inner_steps: 4,
         hard_train_file: "$OUT/problems.jsonl", hard_test_file: "$OUT/problems.jsonl",
         teacher: {lr: 0.0001, max_new_tokens: 48}, student: {lr: 0.0001}}
rollout: {group_size: 8, prompts_per_step: 8, prompts_per_call: 64, temperature: 1.0, max_new_tokens: 16}
cluster: {ray_address: "$ADDR", trainer_groups: $P, rollout_workers_per_group: 1, cpus_per_actor: 0.5, placement: PACK,
          worker_jvm_options: ["-Dai.djl.pytorch.num_threads=1"]}
steps: 4
eval: {problems: 0}
YAML
  "$ROOT/bin/ladder" train --config "$OUT/p$P.yaml" --run-dir "$OUT/run-p$P" > "$OUT/p$P.log" 2>&1 \
    || { tail -20 "$OUT/p$P.log"; exit 1; }
done
python3 - "$OUT" <<'PY'
import json, statistics, sys
out = sys.argv[1]
rows = {}
for p in (1, 2, 4):
    s = [json.loads(l) for l in open(f"{out}/run-p{p}/soar.jsonl")][1:]  # the first outer step warms up
    rows[p] = dict(outer=statistics.median(x["step_seconds"] for x in s),
                   loop=statistics.median(v for x in s for v in x["inner_loop_seconds"]),
                   pool=statistics.median(x["pool_utilisation"] for x in s),
                   teacher=statistics.median(x["teacher_seconds"] for x in s))
print("| student groups | outer step s (median) | inner loop s (median) | pool use | teacher s | outer step vs 1 group |")
print("|---|---|---|---|---|---|")
for p, r in rows.items():
    print(f"| {p} | {r['outer']:.1f} | {r['loop']:.2f} | {100 * r['pool']:.0f}% | {r['teacher']:.2f} | "
          f"{rows[1]['outer'] / r['outer']:.2f}x |")
PY
