#!/usr/bin/env python3
"""Agreement between math-verify's verdicts and Ladder's `grade` output on the same pairs.

    verdicts.jsonl  from math_verify_verdicts.py   ({"index", "gold", "pred", "correct", ...})
    graded.jsonl    from `bin/ladder grade`         (the pairs with a boolean "correct" added)

Prints the agreement, then the disagreements counted by family and listed one per line
(`--list 0` to list none). Exits 1 when the agreement is below `--min` (default 0: report only).

Held-out measurement (seed 2; no test reads it), from the repository root:

    python3 scripts/reference/make_grading_corpus.py --seed 2 --count 2000 --out build/heldout/pairs.jsonl
    build/venv-ref/bin/python scripts/reference/math_verify_verdicts.py build/heldout/pairs.jsonl build/heldout/verdicts.jsonl
    bin/ladder grade --in build/heldout/pairs.jsonl --out - \\
      | python3 scripts/reference/compare_grading.py build/heldout/verdicts.jsonl -
"""

import argparse
import collections
import json
import sys


def read(path):
    f = sys.stdin if path == "-" else open(path, encoding="utf-8")
    with f:
        return [json.loads(line) for line in f if line.strip()]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("verdicts")
    ap.add_argument("graded", help="graded JSONL, or - for standard input")
    ap.add_argument("--list", type=int, default=40, help="how many disagreements to print")
    ap.add_argument("--min", type=float, default=0.0, help="fail below this agreement (0..1)")
    args = ap.parse_args()

    verdicts, graded = read(args.verdicts), read(args.graded)
    if len(verdicts) != len(graded):
        print(f"{len(verdicts)} verdicts but {len(graded)} graded lines", file=sys.stderr)
        return 2
    bad = []
    for v, g in zip(verdicts, graded):
        if (v["gold"], v["pred"]) != (g["gold"], g["pred"]):
            print(f"line {v['index'] + 1}: verdicts and graded file hold different pairs", file=sys.stderr)
            return 2
        if v["correct"] != g["correct"]:
            bad.append((g.get("family", "?"), v, g))
    n = len(verdicts)
    agreement = (n - len(bad)) / n if n else 1.0
    print(f"agreement {n - len(bad)}/{n} = {100 * agreement:.2f}% "
          f"(ladder correct {sum(g['correct'] for g in graded)}, math-verify {sum(v['correct'] for v in verdicts)})")
    for fam, k in collections.Counter(f for f, _, _ in bad).most_common():
        print(f"  {k:4d}  {fam}")
    for fam, v, g in bad[: args.list]:
        print(f"#{v['index']} [{fam}] gold={v['gold']!r} ladder={g['correct']} math-verify={v['correct']} "
              f"mv-parsed={v['pred_parsed']} pred={v['pred'][-160:]!r}")
    return 1 if agreement < args.min else 0


if __name__ == "__main__":
    sys.exit(main())
