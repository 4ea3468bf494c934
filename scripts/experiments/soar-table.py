#!/usr/bin/env python3
"""The SOAR experiment's tables from runs/soar-exp (scripts/experiments/soar.sh), as Markdown:
pass@k on hard-test per method (mean ± sd over seeds), question-set diversity, promotions and
seconds per outer step. Usage: soar-table.py EXPERIMENT_DIR SEED..."""
import json
import os
import re
import warnings
import statistics
import sys

out, seeds = sys.argv[1], sys.argv[2:]
KS = ["pass@1", "pass@4", "pass@8", "pass@16", "pass@32"]


def load(path):
    return json.load(open(path)) if os.path.isfile(path) else None


def ms(xs, scale=100.0, digits=1):
    xs = [x for x in xs if x is not None]
    if not xs:
        return "—"
    m = statistics.mean(xs) * scale
    sd = (statistics.stdev(xs) * scale) if len(xs) > 1 else 0.0
    return f"{m:.{digits}f} ± {sd:.{digits}f}" + ("" if len(xs) == len(seeds) else f" (n={len(xs)})")


def lines(path):
    return [json.loads(l) for l in open(path)] if os.path.isfile(path) else []


def right(problem, answer):
    """Whether a pair's answer is the value of its arithmetic expression (integers, + - * and parentheses)."""
    if not re.fullmatch(r"[0-9+\-*() ]+", problem):
        return 0
    try:
        expr = re.sub(r"\b0+(\d)", r"\1", problem)  # 07 is 7 here, a syntax error to Python
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "2(3)" warns before it fails
            return int(eval(expr, {"__builtins__": {}}) == int(answer))  # only digits, + - * ( ) reach eval
    except Exception:
        return 0


STUDENTS = [("hard-only", "Hard-Only"), ("pq", "PQ + hard-train"), ("base-t", "Base-T + hard-train"),
            ("grounded-t", "Grounded-T + hard-train"), ("intrinsic-t", "Intrinsic-T + hard-train")]
rows = {}  # method -> k -> [value per seed]


def add(method, k, v):
    rows.setdefault(method, {}).setdefault(k, []).append(v)


for s in seeds:
    d = f"{out}/s{s}"
    soar = load(f"{d}/soar/summary.json")
    for k in KS:
        add("Base model", k, soar["pass_at_k_before"].get(k) if soar else None)
        add("SOAR baseline student (end)", k, soar["pass_at_k_after"].get(k) if soar else None)
        ps = load(f"{d}/ps.json")
        add("PS (promoted student, inference)", k, ps["pass_at_k"].get(k) if ps else None)
        for name, label in STUDENTS:
            r = load(f"{d}/students/{name}/summary.json")
            add(label, k, r["pass_at_k_after"].get(k) if r else None)

print(f"### pass@k on hard-test (%, 32 samples per problem; mean ± sd over seeds {', '.join(seeds)})\n")
print("| method | " + " | ".join(KS) + " |")
print("|---|" + "---|" * len(KS))
for method, by_k in rows.items():
    print(f"| {method} | " + " | ".join(ms(by_k[k]) for k in KS) + " |")

print("\n### Each student's pass@32 change from the base model, per seed (points, [95% paired-bootstrap interval])\n")
print("| method | " + " | ".join(f"seed {s}" for s in seeds) + " |")
print("|---|" + "---|" * len(seeds))
for name, label in STUDENTS:
    cells = []
    for s in seeds:
        r = load(f"{out}/s{s}/students/{name}/summary.json")
        c = r["held_out_change"]["pass@32"] if r else None
        cells.append("—" if c is None else f"{100 * c['delta']:+.1f} [{100 * c['ci95'][0]:+.1f}, {100 * c['ci95'][1]:+.1f}]")
    print(f"| {label} | " + " | ".join(cells) + " |")

print("\n### Question sets: diversity (Vendi score over the embedding of eval/QuestionDiversity), distinct questions, "
      "answers right (the teacher's answer against the expression's value) and operators per question\n")
print("| set | questions | distinct | Vendi | answers right (%) | operators |")
print("|---|---|---|---|---|---|")
sets = {}
for s in seeds:
    for rec in lines(f"{out}/s{s}/diversity.jsonl"):
        name = os.path.basename(rec["dataset"]).replace(".jsonl", "")
        name = {"promotion_questions": "PQ"}.get(name, name)
        pairs = lines(rec["dataset"])
        rec["right"] = statistics.mean(right(p["problem"], p["answer"]) for p in pairs) if pairs else None
        rec["operators"] = statistics.mean(sum(p["problem"].count(o) for o in "+-*") for p in pairs) if pairs else None
        sets.setdefault(name, []).append(rec)
for name, recs in sets.items():
    print(f"| {name} | {ms([r['questions'] for r in recs], 1, 0)} | {ms([r['distinct'] for r in recs], 1, 0)} "
          f"| {ms([r['vendi'] for r in recs], 1, 2)} | {ms([r['right'] for r in recs])} | {ms([r['operators'] for r in recs], 1, 1)} |")

print("\n### SOAR runs: promotions, the grounded signal, teacher well-formed rate, seconds per outer step (median)\n")
print("An inner loop is up / down / flat when its student's greedy accuracy on Q_R ends above / below / at the baseline's.\n")
print("| run | promotions | \\|PQ\\| | largest R̄ | R̂ per outer step | inner loops up / down / flat | well-formed | s / outer step |")
print("|---|---|---|---|---|---|---|---|")
for run in ["soar", "intrinsic"]:
    promo, pq, wf, sec, rbar, rhat, up, down, flat = [], [], [], [], [], [], [], [], []
    for s in seeds:
        ls = lines(f"{out}/s{s}/{run}/soar.jsonl")
        if not ls:
            continue
        promo.append(ls[-1]["promotions"])
        pq.append(ls[-1]["promotion_questions"])
        wf.append(statistics.mean(l["teacher_well_formed"] for l in ls))
        sec.append(statistics.median(l["step_seconds"] for l in ls))
        rbar.append(max(l["r_bar"] for l in ls))
        rhat.append(statistics.mean(l["r_hat"] for l in ls))
        r = [v for l in ls for row in l["r_kj"] for v in row["values"]]
        up.append(sum(v > 0 for v in r))
        down.append(sum(v < 0 for v in r))
        flat.append(sum(v == 0 for v in r))
    print(f"| {run} | {ms(promo, 1, 1)} | {ms(pq, 1, 0)} | {ms(rbar, 1, 4)} | {ms(rhat, 1, 4)} "
          f"| {ms(up, 1, 0)} / {ms(down, 1, 0)} / {ms(flat, 1, 0)} | {ms(wf)} % | {ms(sec, 1, 1)} |")

# Paired by seed: each seed's students share its hard set, base model and seed, so the
# difference between two methods within a seed is the comparison the claims are about.
PAIRS = [("PQ + hard-train", "Hard-Only"), ("Grounded-T + hard-train", "Hard-Only"),
         ("Grounded-T + hard-train", "Intrinsic-T + hard-train"), ("Base-T + hard-train", "Hard-Only"),
         ("PS (promoted student, inference)", "Base model")]
print("\n### Paired differences in pass@32 on hard-test (points; mean ± sd over seeds with both)\n")
print("| comparison | difference | per seed |")
print("|---|---|---|")
for a, b in PAIRS:
    va, vb = rows.get(a, {}).get("pass@32", []), rows.get(b, {}).get("pass@32", [])
    d = [x - y for x, y in zip(va, vb) if x is not None and y is not None]
    per = ", ".join("—" if x is None or y is None else f"{100 * (x - y):+.1f}" for x, y in zip(va, vb))
    print(f"| {a} − {b} | {ms(d) if d else '—'} | {per} |")
