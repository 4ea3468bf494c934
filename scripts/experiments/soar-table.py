#!/usr/bin/env python3
"""The SOAR experiment's tables from runs/soar-exp (scripts/experiments/soar.sh), as Markdown:
pass@k on hard-test per method (mean ± sd over seeds), question-set diversity, promotions and
seconds per outer step. Usage: soar-table.py EXPERIMENT_DIR SEED..."""
import json
import os
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
        for name, label in [("hard-only", "Hard-Only"), ("pq", "PQ + hard-train"), ("base-t", "Base-T + hard-train"),
                            ("grounded-t", "Grounded-T + hard-train"), ("intrinsic-t", "Intrinsic-T + hard-train")]:
            r = load(f"{d}/students/{name}/summary.json")
            add(label, k, r["pass_at_k_after"].get(k) if r else None)

print(f"### pass@k on hard-test (%, 32 samples per problem; mean ± sd over seeds {', '.join(seeds)})\n")
print("| method | " + " | ".join(KS) + " |")
print("|---|" + "---|" * len(KS))
for method, by_k in rows.items():
    print(f"| {method} | " + " | ".join(ms(by_k[k]) for k in KS) + " |")

print("\n### Question sets: diversity (Vendi score over the embedding of eval/QuestionDiversity) and distinct questions\n")
print("| set | questions | distinct | Vendi |")
print("|---|---|---|---|")
sets = {}
for s in seeds:
    for rec in lines(f"{out}/s{s}/diversity.jsonl"):
        name = os.path.basename(rec["dataset"]).replace(".jsonl", "")
        name = {"promotion_questions": "PQ"}.get(name, name)
        sets.setdefault(name, []).append(rec)
for name, recs in sets.items():
    print(f"| {name} | {ms([r['questions'] for r in recs], 1, 0)} | {ms([r['distinct'] for r in recs], 1, 0)} "
          f"| {ms([r['vendi'] for r in recs], 1, 2)} |")

print("\n### SOAR runs: promotions, teacher well-formed rate, seconds per outer step (median)\n")
print("| run | promotions | |PQ| | well-formed | s / outer step |")
print("|---|---|---|---|---|")
for run in ["soar", "intrinsic"]:
    promo, pq, wf, sec = [], [], [], []
    for s in seeds:
        ls = lines(f"{out}/s{s}/{run}/soar.jsonl")
        if not ls:
            continue
        promo.append(ls[-1]["promotions"])
        pq.append(ls[-1]["promotion_questions"])
        wf.append(statistics.mean(l["teacher_well_formed"] for l in ls))
        sec.append(statistics.median(l["step_seconds"] for l in ls))
    print(f"| {run} | {ms(promo, 1, 1)} | {ms(pq, 1, 0)} | {ms(wf)} % | {ms(sec, 1, 1)} |")
