#!/usr/bin/env bash
# Reliability harness: SIGKILL a training job at many moments, resume it until it finishes, and
# check that every run is resumable, every step is logged exactly once in metrics.jsonl, and the
# final weights are bit-equal to an uninterrupted run of the same spec.
#   scripts/check/kill-resume.sh [RANDOM_KILLS]        (default 12 kills at random moments)
# Besides the random moments, named points inside checkpoint writing and metrics truncation
# (LADDER_KILL_AT, see proto/.../Faults.java) are hit on purpose, since a random
# kill rarely lands in those windows. Work folder: build/kill-resume (printed table at the end).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LADDER="$ROOT/bin/ladder"
W="$ROOT/build/kill-resume"
RANDOM_KILLS="${1:-12}"
STEPS=24
rm -rf "$W" && mkdir -p "$W"
"$LADDER" init-model --out "$W/model" --layers 1 --hidden 32 --heads 2 --kv-heads 1 --std 0.1 --seed 1234 > /dev/null
cat > "$W/job.yaml" <<YAML
name: kill-resume
seed: 4
model: {path: $W/model}
task: {kind: fixed_digit, digit: 7}
algorithm: {name: grpo, lr: 0.02, max_grad_norm: 1.0}
rollout: {group_size: 16, prompts_per_step: 8, prompts_per_call: 4, temperature: 1.0, max_new_tokens: 2}
cluster: {rollout_workers_per_group: 2}
steps: $STEPS
checkpoint_every: 3
eval: {problems: 0}
YAML
weights() { sha256sum "$1/checkpoints/step-$STEPS/policy/model.safetensors" | cut -c1-16; }
steps_once() { # 1..STEPS, each exactly once, in order
  python3 -c "import json,sys; s=[json.loads(l)['step'] for l in open(sys.argv[1]) if l.strip()]; print('yes' if s==list(range(1,$STEPS+1)) else 'no: '+str(s))" "$1/metrics.jsonl"
}

start=$(date +%s)
"$LADDER" train --config "$W/job.yaml" --run-dir "$W/reference" > "$W/reference.log" 2>&1
REF=$(weights "$W/reference")
REF_SECONDS=$(( $(date +%s) - start ))
echo "uninterrupted run: $REF_SECONDS s, final weights $REF" >&2

# finish RUN: resume until summary.json exists (a resume may itself carry a kill point in $2).
# Killed before it wrote spec.json, a run has nothing to resume: its command is run again.
finish() {
  local run="$1" kill_at="${2:-}" n=0
  while [[ ! -f "$run/summary.json" ]]; do
    n=$((n + 1))
    [[ $n -gt 5 ]] && { echo "gave up after 5 resumes"; return 1; }
    local how=(--resume "$run")
    [[ -f "$run/spec.json" ]] || how=(--config "$W/job.yaml" --run-dir "$run")
    if ! LADDER_KILL_AT="$kill_at" "$LADDER" train "${how[@]}" >> "$run.log" 2>&1; then
      [[ -n "$kill_at" ]] || { echo "resume failed: $(tail -1 "$run.log")"; return 1; }
    fi
    kill_at=""
  done
  echo "$n"
}

printf "| # | killed | at step | resumes | steps logged once | final weights equal |\n|---|---|---|---|---|---|\n" > "$W/table.md"
case_no=0
record() { # NAME RUN RESUMES
  case_no=$((case_no + 1))
  local eq="no"; [[ "$(weights "$2")" == "$REF" ]] && eq="yes"
  printf "| %d | %s | %s | %s | %s | %s |\n" "$case_no" "$1" "$(cat "$2.killed-step")" "$3" "$(steps_once "$2")" "$eq" | tee -a "$W/table.md" >&2
}
killed_step() { # how many steps the killed run had logged
  if [[ -f "$1/metrics.jsonl" ]]; then grep -c . "$1/metrics.jsonl" || true; else echo 0; fi
}

# 1. named points in the first run (checkpoints every 3 steps: #1 is step 3's, #3 step 9's)
for point in checkpoint.written checkpoint.moved checkpoint.latest-written step.logged; do
  for nth in 1 3; do
    run="$W/$point-$nth"
    LADDER_KILL_AT="$point#$nth" "$LADDER" train --config "$W/job.yaml" --run-dir "$run" > "$run.log" 2>&1 && { echo "$point#$nth: not killed" >&2; exit 1; }
    killed_step "$run" > "$run.killed-step"
    record "$point#$nth" "$run" "$(finish "$run")"
  done
done
# 2. named points in a resume after a kill between a step's log line and its checkpoint:
#    while it truncates metrics.jsonl back to the checkpoint, and while it writes its first checkpoint
for point in metrics.truncating checkpoint.written; do
  run="$W/resume-$point"
  LADDER_KILL_AT="step.logged#4" "$LADDER" train --config "$W/job.yaml" --run-dir "$run" > "$run.log" 2>&1 || true
  killed_step "$run" > "$run.killed-step"
  record "step.logged#4, then $point in the resume" "$run" "$(finish "$run" "$point")"
done
# 3. random moments
for i in $(seq 1 "$RANDOM_KILLS"); do
  run="$W/random-$i"
  delay=$(python3 -c "import random; random.seed($i); print(round(random.uniform(1, $REF_SECONDS), 1))")
  "$LADDER" train --config "$W/job.yaml" --run-dir "$run" > "$run.log" 2>&1 &
  sleep "$delay"
  pkill -9 -f -- "--run-dir $run" || true
  wait || true
  killed_step "$run" > "$run.killed-step"
  record "random, ${delay} s in" "$run" "$(finish "$run")"
done
echo >&2
cat "$W/table.md"
bad=$(grep -c -E "\| no|gave up|failed" "$W/table.md" || true)
echo "$case_no kills, $bad not resumed exactly; uninterrupted run $REF_SECONDS s"
[[ "$bad" == 0 ]]
