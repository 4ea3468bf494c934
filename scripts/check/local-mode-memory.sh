#!/usr/bin/env bash
# A long embedded SOAR job in a 500 MB heap: 8 outer steps × 4 inner loops × 10 publishes of the
# built-in base model's 3.3 MB weights (about 1 GB of payloads through Ray's local-mode object
# store, which frees nothing by itself). Passes when the job finishes; before objects were
# released once read (RayRuntime.take / free), it ran out of heap at outer step 3.
#   scripts/check/local-mode-memory.sh [MODEL_DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MODEL="${1:-$ROOT/runs/arith-base}"
[[ -f "$MODEL/model.safetensors" ]] || { echo "no model at $MODEL (run the main job once, or pass a folder)" >&2; exit 2; }
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
"$ROOT/bin/ladder" arithmetic-dataset --levels 6,7 --per-level 32 --seed 3 --out "$OUT/problems.jsonl" >/dev/null
cat > "$OUT/mem.yaml" <<YAML
name: soar-memory
model: {path: "$MODEL"}
task: {kind: arithmetic, levels: [6, 7]}
algorithm:
  name: soar
  soar: {datasets: 2, questions_per_dataset: 8, repeats: 2, reward_questions: 16, inner_steps: 10,
         hard_train_file: "$OUT/problems.jsonl", hard_test_file: "$OUT/problems.jsonl", teacher: {max_new_tokens: 48}}
rollout: {group_size: 4, prompts_per_step: 2, prompts_per_call: 16, max_new_tokens: 16}
steps: 8
eval: {problems: 0}
YAML
if LADDER_JAVA_OPTS="-Xmx500m" "$ROOT/bin/ladder" train --config "$OUT/mem.yaml" --run-dir "$OUT/run" > "$OUT/log" 2>&1; then
  echo "ok: 8 outer steps (320 weight publishes) in a 500 MB heap"
else
  grep -m1 -E "OutOfMemoryError|^ladder" "$OUT/log" >&2 || tail -5 "$OUT/log" >&2
  echo "FAILED: the embedded SOAR job did not finish in a 500 MB heap" >&2
  exit 1
fi
