#!/usr/bin/env bash
# SOAR on the built-in arithmetic world against the paper's baselines, for several seeds
# (examples/arithmetic/SOAR.md has the tables and what they say).
#   scripts/experiments/soar.sh [SEEDS...]          (default seeds: 1 2 3)
# Everything lands in runs/soar-exp/ (SOAR_EXP_DIR overrides): hard/ (one fail@128 hard set for
# every seed), s<SEED>/ (the two SOAR runs, the question sets, the students trained on them),
# table.md (the tables soar-table.py makes from them), compare.html / compare.md (`ladder compare`
# of every training run). A finished piece is reused, so an interrupted experiment continues where it stopped.
#
# Per seed:
#   soar/        SOAR, grounded teacher reward (examples/arithmetic/soar.yaml)
#   intrinsic/   the same loop, teacher rewarded by learnability (Intrinsic-T)
#   questions/   128 pairs from the base teacher (Base-T), the SOAR teacher (Grounded-T), the
#                Intrinsic-T teacher; each with its diversity report
#   students/    a fresh base student trained with RLOO for STUDENT_STEPS steps on hard-train alone
#                (Hard-Only) or mixed with PQ / a question set: matched student compute
#   ps.json      the Promoted Student on hard-test, by inference
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${SOAR_EXP_DIR:-$ROOT/runs/soar-exp}"
LADDER="${LADDER:-$ROOT/bin/ladder}"  # LADDER: another launcher of the CLI (e.g. a fixed build)
SPEC="$ROOT/examples/arithmetic/soar.yaml"
STUDENT_STEPS="${STUDENT_STEPS:-150}"
[[ $# -gt 0 ]] && SEEDS=("$@") || SEEDS=(1 2 3)
mkdir -p "$OUT"
log() { echo "[soar-exp $(date +%H:%M:%S)] $*" >&2; }

# The built-in base model (train would make it on first use; filter-hard needs it first).
BASE="$ROOT/runs/arith-base"
if [[ ! -f "$BASE/model.safetensors" ]]; then
  log "pretraining the base model into $BASE"
  "$LADDER" pretrain --config "$ROOT/examples/arithmetic/pretrain.yaml" --out "$BASE" > "$OUT/pretrain.log" 2>&1
fi

# 1. One hard set for every seed: fail@128 over 1,200 problems of levels 5-7, split 50/50.
HARD="$OUT/hard"
if [[ ! -f "$HARD/hard-test.jsonl" ]]; then
  log "hard sets: fail@128 of 1,200 level 5-7 problems"
  mkdir -p "$OUT/candidates"
  "$LADDER" arithmetic-dataset --levels 5,6,7 --per-level 400 --seed 11 --out "$OUT/candidates/levels-5-7.jsonl"
  "$LADDER" filter-hard --model "$BASE" --dataset "$OUT/candidates/levels-5-7.jsonl" --out "$HARD" --samples 128 \
    --max-new-tokens 24 --seed 11
fi

# A SOAR spec for this experiment: the example's, with the shared hard set (and $2: extra soar lines).
soar_spec() {
  sed -e "s#hard_train_file: \"\"#hard_train_file: $HARD/hard-train.jsonl#" \
      -e "s#hard_test_file: \"\"#hard_test_file: $HARD/hard-test.jsonl#" "$SPEC" > "$1"
  if [[ -n "${2:-}" ]]; then
    sed -i "s#^  soar:\$#  soar:\n    $2#" "$1"
  fi
}

# train CONFIG RUN: a training job unless RUN already finished.
train() {
  if [[ -f "$2/summary.json" ]]; then
    log "reusing $2"
    return
  fi
  local start; start=$(date +%s)
  if [[ -f "$2/spec.json" && -d "$2/checkpoints" ]]; then # stopped part-way: continue from its newest checkpoint
    log "resuming $2"
    "$LADDER" train --resume "$2" >> "$2.log" 2>&1 || { log "failed: $2 (see $2.log)"; tail -3 "$2.log" >&2; exit 1; }
  else
    rm -rf "$2"
    "$LADDER" train --config "$1" --seed "$SEED" --run-dir "$2" > "$2.log" 2>&1 \
      || { log "failed: $2 (see $2.log)"; tail -3 "$2.log" >&2; exit 1; }
  fi
  log "$(basename "$2"): $(( $(date +%s) - start )) s"
}

# student NAME [SYNTHETIC_FILE]: a fresh base student, RLOO on hard-train (mixed with SYNTHETIC_FILE).
student() {
  local name="$1" synthetic="${2:-}" cfg="$S/students/$1.yaml"
  mkdir -p "$S/students"
  {
    echo "name: arith-soar-student-$name"
    echo "model: {path: builtin:arithmetic-base}"
    echo "task:"
    echo "  kind: dataset"
    echo "  train_file: $HARD/hard-train.jsonl"
    echo "  eval_file: $HARD/hard-test.jsonl"
    if [[ -n "$synthetic" ]]; then
      echo "  synthetic_file: $synthetic"
      echo "  synthetic_schedule: mixed"
    fi
    echo "algorithm: {name: rloo, lr: 0.0001, min_lr_ratio: 0.1, kl_beta: 0.001}"
    echo "rollout: {group_size: 16, prompts_per_step: 8, prompts_per_call: 64, temperature: 1.0, max_new_tokens: 24}"
    echo "steps: $STUDENT_STEPS"
    echo "eval: {problems: 1000, samples: 32, k: [1, 4, 8, 16, 32]}"
  } > "$cfg"
  train "$cfg" "$S/students/$name"
}

# questions NAME TEACHER_DIR: 128 well-formed pairs from a teacher, in at most 4,096 samples (a
# teacher that drifted may write few well-formed pairs; the budget only caps the sampling).
questions() {
  mkdir -p "$S/questions"
  [[ -f "$S/questions/$1.jsonl" ]] && return
  "$LADDER" soar-questions --teacher "$2" --count 128 --attempts 4096 --seed "$SEED" --verifier exact-integer --max-new-tokens 48 \
    --out "$S/questions/$1.jsonl" > "$S/questions/$1.log" 2>&1 || { log "failed: questions $1"; cat "$S/questions/$1.log" >&2; exit 1; }
}

for SEED in "${SEEDS[@]}"; do
  S="$OUT/s$SEED"
  mkdir -p "$S"
  log "seed $SEED"
  soar_spec "$S/soar.yaml"
  train "$S/soar.yaml" "$S/soar"
  soar_spec "$S/intrinsic.yaml" "teacher_reward: intrinsic"
  train "$S/intrinsic.yaml" "$S/intrinsic"
  questions base-t "$BASE"
  questions grounded-t "$S/soar/teacher"
  questions intrinsic-t "$S/intrinsic/teacher"
  student hard-only
  if [[ -s "$S/soar/promotion_questions.jsonl" ]]; then
    student pq "$S/soar/promotion_questions.jsonl"
  fi
  student base-t "$S/questions/base-t.jsonl"
  student grounded-t "$S/questions/grounded-t.jsonl"
  student intrinsic-t "$S/questions/intrinsic-t.jsonl"
  if [[ -d "$S/soar/promoted-student" && ! -f "$S/ps.json" ]]; then
    "$LADDER" eval --model "$S/soar/promoted-student" --dataset "$HARD/hard-test.jsonl" --samples 32 --k 1,4,8,16,32 \
      --max-new-tokens 24 --seed "$SEED" --out "$S/ps.json" > "$S/ps.log" 2>&1
  fi
  DIV=()
  for f in "$S/soar/promotion_questions.jsonl" "$S/questions/base-t.jsonl" "$S/questions/grounded-t.jsonl" \
           "$S/questions/intrinsic-t.jsonl"; do
    [[ -s "$f" ]] && DIV+=("$f")
  done
  "$LADDER" question-diversity --json --datasets "$(IFS=,; echo "${DIV[*]}")" > "$S/diversity.jsonl"
done
python3 "$ROOT/scripts/experiments/soar-table.py" "$OUT" "${SEEDS[@]}" | tee "$OUT/table.md"
# The training runs themselves (SOAR, Intrinsic-T, the students), seeds grouped by folder name (s1/soar, s2/soar, ...) since
# each seed's students read that seed's question sets: final metrics and reward curves.
RUN_DIRS=()
for s in "${SEEDS[@]}"; do
  for r in "$OUT/s$s/soar" "$OUT/s$s/intrinsic" "$OUT/s$s"/students/*/; do
    [[ -f "${r%/}/summary.json" ]] && RUN_DIRS+=("${r%/}")
  done
done
"$LADDER" compare --group-by folder "${RUN_DIRS[@]}" --out "$OUT/compare.html" | tee "$OUT/compare.md"
