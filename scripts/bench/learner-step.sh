#!/usr/bin/env bash
# Learner throughput, Ladder vs plain PyTorch eager, in the same run on the same machine: one GRPO
# step (forward, backward, gradient clipping, AdamW) on the same tiny random model and batch, same
# thread count. Prints both engines' JSON lines and the ratio. Figures are recorded in BENCHMARKS.md.
#   scripts/bench/learner-step.sh [LearnerBench options, e.g. --layers 4 --hidden 256 --batch 16]
# Environment: MVN_OFFLINE=1 builds with mvn -o; REPEATS (default 5).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
REPEATS="${REPEATS:-5}"
PY="$("$ROOT/scripts/reference/setup-venv.sh")"
MVN=(mvn -q -B)
[[ "${MVN_OFFLINE:-0}" == 1 ]] && MVN+=(-o)
(cd "$ROOT" && "${MVN[@]}" -DskipTests install -pl proto,policy,learner >&2)
CP_FILE="$ROOT/learner/target/bench-classpath.txt"
(cd "$ROOT" && "${MVN[@]}" dependency:build-classpath -pl learner -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=runtime >&2)
CP="$ROOT/learner/target/classes:$ROOT/policy/target/classes:$ROOT/proto/target/classes:$(cat "$CP_FILE")"
WORK="$ROOT/build/bench/learner-step"
rm -rf "$WORK" && mkdir -p "$WORK"
OUT="$(mktemp)"
java "@$ROOT/jvm.options" -cp "$CP" \
  io.ladder.learner.bench.LearnerBench --out "$WORK" --repeats "$REPEATS" "$@" 2>/dev/null | tee -a "$OUT"
THREADS="$("$PY" -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["threads"])' "$OUT")"
"$PY" "$ROOT/scripts/reference/bench_torch_grpo_step.py" --model "$WORK" --threads "$THREADS" \
  --repeats "$REPEATS" | tee -a "$OUT"
"$PY" - "$OUT" <<'PY'
import json, sys
rows = {r["engine"]: r for r in (json.loads(l) for l in open(sys.argv[1]) if l.startswith("{"))}
l, t = rows["ladder"], rows["torch-eager"]
print(json.dumps({"ratio_ladder_over_torch": round(l["tokens_per_s"] / t["tokens_per_s"], 3)}))
print(f"\n| model | batch x (prompt + completion) | threads | Ladder tok/s | PyTorch eager tok/s | Ladder / PyTorch |")
print("|---|---|---|---|---|---|")
print(f"| {l['layers']} layers, d={l['hidden']}, {l['parameters']:,} params | {l['batch']} x ({l['prompt_len']} + "
      f"{l['completion_len']}) | {l['threads']} | {l['tokens_per_s']:,.0f} | {t['tokens_per_s']:,.0f} | "
      f"{l['tokens_per_s'] / t['tokens_per_s']:.2f} |")
PY
rm -f "$OUT"
