#!/usr/bin/env python3
"""Held-out pass@k before/after training over several run folders (one per seed), as mean ± sd,
with each run's paired-bootstrap interval of the change. Usage: seed-table.py RUN_DIR..."""
import json
import statistics
import sys


def ms(xs):
    m = statistics.mean(xs)
    sd = statistics.stdev(xs) if len(xs) > 1 else 0.0
    return f"{100 * m:.1f} ± {100 * sd:.1f}"


runs = [json.load(open(f"{d}/summary.json")) for d in sys.argv[1:]]
ks = [k for k in runs[0]["pass_at_k_before"] if k.startswith("pass@")]
print(f"{len(runs)} seeds; held-out pass@k in %, mean ± sd over seeds\n")
print("| metric | before | after | change | seeds whose 95% interval excludes 0 |")
print("|---|---|---|---|---|")
for k in ks:
    before = [r["pass_at_k_before"][k] for r in runs]
    after = [r["pass_at_k_after"][k] for r in runs]
    change = [a - b for a, b in zip(after, before)]
    sig = [r["held_out_change"][k] for r in runs]
    gains = sum(1 for c in sig if c["significant"] and c["ci95"][0] > 0)
    losses = sum(1 for c in sig if c["significant"] and c["ci95"][1] < 0)
    print(f"| {k} | {ms(before)} | {ms(after)} | {'+' if statistics.mean(change) >= 0 else ''}{ms(change)} "
          f"| {gains} gain(s), {losses} loss(es) of {len(runs)} |")
print()
print("| run | reward first tenth → last tenth | " + " | ".join(f"{k} change [95% interval]" for k in ks) + " |")
print("|---|---|" + "---|" * len(ks))
for d, r in zip(sys.argv[1:], runs):
    cells = []
    for k in ks:
        c = r["held_out_change"][k]
        cells.append(f"{100 * c['delta']:+.1f} [{100 * c['ci95'][0]:+.1f}, {100 * c['ci95'][1]:+.1f}]")
    print(f"| {d.rstrip('/').split('/')[-1]} | {r['reward_mean_first_tenth']:.3f} → {r['reward_mean_last_tenth']:.3f} | "
          + " | ".join(cells) + " |")
