#!/usr/bin/env bash
# GRPO against ExIt on the built-in tool world (examples/tools/README.md has the table and what it says).
#   scripts/experiments/tools.sh [SEEDS...]          (default seeds: 1 2 3)
# The arms are examples/tools/exit.yaml (ExIt, preset full) and examples/tools/grpo.yaml (the same
# job with preset grpo: plain GRPO): the same model, learner, steps, tasks per step and G (matched
# rollout compute), and the same end-of-job evaluation: first-episode success on held-out tasks,
# then K = 4 more attempts from each episode. Two runs go side by side (one core each).
# Runs land in runs/tools-exp/<arm>-seed<N> (TOOLS_EXP_DIR overrides; a finished run is reused, a
# stopped one resumed); `ladder compare` of them in compare.html / compare.md there.
# LADDER names another launcher of the CLI (e.g. a fixed build).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${TOOLS_EXP_DIR:-$ROOT/runs/tools-exp}"
LADDER="${LADDER:-$ROOT/bin/ladder}"
[[ $# -gt 0 ]] && SEEDS=("$@") || SEEDS=(1 2 3)
mkdir -p "$OUT"
log() { echo "[tools-exp $(date +%H:%M:%S)] $*" >&2; }

# The built-in base model, made once before two jobs could both start making it.
"$LADDER" train --config "$ROOT/examples/tools/exit.yaml" --check > "$OUT/check.log" 2>&1 || { cat "$OUT/check.log" >&2; exit 1; }
if [[ ! -f "$ROOT/runs/tools-base/model.safetensors" ]]; then
  log "pretraining the tool-world base model into runs/tools-base (about an hour on 2 cores)"
  "$LADDER" pretrain --config "$ROOT/examples/tools/pretrain.yaml" --out "$ROOT/runs/tools-base" > "$OUT/pretrain.log" 2>&1
fi

# run ARM SEED: one training run unless it finished already.
run() {
  local arm="$1" seed="$2" dir="$OUT/$1-seed$2" cfg="$OUT/$1.yaml"
  if [[ -f "$dir/summary.json" ]]; then
    log "reusing $dir"
    return
  fi
  local start; start=$(date +%s)
  if [[ -f "$dir/spec.json" && -d "$dir/checkpoints" ]]; then
    "$LADDER" train --resume "$dir" >> "$dir.log" 2>&1 || { log "failed: $dir (see $dir.log)"; return 1; }
  else
    rm -rf "$dir"
    "$LADDER" train --config "$cfg" --seed "$seed" --run-dir "$dir" > "$dir.log" 2>&1 || { log "failed: $dir (see $dir.log)"; return 1; }
  fi
  log "$arm seed $seed: $(( $(date +%s) - start )) s"
}

cp "$ROOT/examples/tools/exit.yaml" "$OUT/exit.yaml"
cp "$ROOT/examples/tools/grpo.yaml" "$OUT/grpo.yaml"
# two runs at a time (one core each), the next starting as soon as one ends; ExIt's longer runs first
export OUT LADDER
export -f run log
{ for s in "${SEEDS[@]}"; do echo "exit $s"; done; for s in "${SEEDS[@]}"; do echo "grpo $s"; done; } \
  | xargs -n 2 -P 2 bash -c 'run "$0" "$1"'
RUNS=()
for s in "${SEEDS[@]}"; do
  RUNS+=("$OUT/grpo-seed$s" "$OUT/exit-seed$s")
done
"$LADDER" compare --group-by name "${RUNS[@]}" --out "$OUT/compare.html" | tee "$OUT/compare.md"
