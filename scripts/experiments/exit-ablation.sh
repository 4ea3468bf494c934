#!/usr/bin/env bash
# The ExIt ablation of the paper's Table 1 on the arithmetic world: presets grpo, curriculum,
# improve, diverge and full of examples/arithmetic/exit.yaml (the same model, learner, steps,
# prompts and G: matched rollout compute), each with several seeds, then `ladder compare`.
#   scripts/experiments/exit-ablation.sh [SEEDS...]           (default seeds: 1 2 3)
# Runs land in runs/exit-ablation/<preset>-seed<N> (EXIT_EXP_DIR overrides; a finished run is
# reused); the comparison in compare.html and table.md there. PRESETS="grpo full" narrows it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${EXIT_EXP_DIR:-$ROOT/runs/exit-ablation}"
SPEC="$ROOT/examples/arithmetic/exit.yaml"
read -r -a PRESETS <<< "${PRESETS:-grpo curriculum improve diverge full}"
[[ $# -gt 0 ]] && SEEDS=("$@") || SEEDS=(1 2 3)
mkdir -p "$OUT"
RUNS=()
for s in "${SEEDS[@]}"; do
  for p in "${PRESETS[@]}"; do
    RUN="$OUT/$p-seed$s"
    RUNS+=("$RUN")
    if [[ -f "$RUN/summary.json" ]]; then
      echo "$p seed $s: reusing $RUN" >&2
      continue
    fi
    rm -rf "$RUN"
    # the preset decides p and p_div (the rows differ in them), so exit.yaml's explicit values go
    sed -e "s/^name: .*/name: arith-exit-$p/" -e "s/^\( *preset:\) [a-z]*/\1 $p/" \
        -e '/^ *self_iteration_prob:/d' -e '/^ *divergence_prob:/d' "$SPEC" > "$OUT/$p.yaml"
    start=$(date +%s)
    "$ROOT/bin/ladder" train --config "$OUT/$p.yaml" --seed "$s" --run-dir "$RUN" > "$RUN.log" 2>&1 \
      || { echo "$p seed $s failed; see $RUN.log" >&2; tail -5 "$RUN.log" >&2; exit 1; }
    echo "$p seed $s: $(( $(date +%s) - start )) s" >&2
  done
done
"$ROOT/bin/ladder" compare "${RUNS[@]}" --out "$OUT/compare.html" | tee "$OUT/table.md"
