#!/usr/bin/env bash
# Runs one job spec with several seeds and prints held-out pass@k before/after as mean ± sd.
#   scripts/experiments/seeds.sh examples/arithmetic/grpo.yaml [SEEDS...]      (default seeds: 1 2 3)
# Each seed's run folder is runs/<spec name>-seed<N> (an existing finished run is reused, so a
# table can be re-printed without training again); the table is printed by seed-table.py.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CONFIG="${1:?usage: seeds.sh CONFIG.yaml [SEEDS...]}"
shift
[[ $# -gt 0 ]] && SEEDS=("$@") || SEEDS=(1 2 3)
NAME="$(sed -n 's/^name: *\([^ #]*\).*/\1/p' "$CONFIG" | head -1)"
RUNS=()
for s in "${SEEDS[@]}"; do
  RUN="$ROOT/runs/${NAME}-seed${s}"
  if [[ -f "$RUN/summary.json" ]]; then
    echo "seed $s: reusing $RUN" >&2
  else
    rm -rf "$RUN"
    start=$(date +%s)
    "$ROOT/bin/ladder" train --config "$CONFIG" --seed "$s" --run-dir "$RUN" > "$RUN.log" 2>&1 \
      || { echo "seed $s failed; see $RUN.log" >&2; tail -5 "$RUN.log" >&2; exit 1; }
    echo "seed $s: $(( $(date +%s) - start )) s, $(grep '^held-out pass@' "$RUN.log" | tr '\n' ' ')" >&2
  fi
  RUNS+=("$RUN")
done
python3 "$ROOT/scripts/experiments/seed-table.py" "${RUNS[@]}"
