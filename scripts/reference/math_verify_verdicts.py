#!/usr/bin/env python3
"""Reference verdicts from math-verify for Ladder's grading corpora.

Reads  tasks/src/test/resources/grading/pairs.jsonl          ({"family", "gold", "pred"} per line)
writes tasks/src/test/resources/grading/math_verify_verdicts.jsonl
       one line per pair, in order:
       {"index", "gold", "pred", "correct", "gold_parsed", "pred_parsed"}
(or any other pairs file and output given as arguments: the dev corpus in grading/dev/, the
held-out one under build/, see make_grading_corpus.py and compare_grading.py).

`MathVerifyAgreementTest` (tasks module) compares these verdicts with Ladder's
`MathGrader.grade(pred, gold, Extraction.FALLBACK)`, the grading of `ladder grade`.

How math-verify is called (math-verify 0.9.0, latex2sympy2_extended 1.11.0, sympy 1.14), the way
its README recommends -- parse both sides, then `verify(gold, answer)` with the gold first, because
verify is not symmetric:

  * gold:  `parse("$" + gold + "$")` with the default extraction config
           ([LatexExtractionConfig(), ExprExtractionConfig()]), as in the README's quick start,
           which passes gold answers inside `$...$`. The extractor looks for LaTeX environments,
           boxes and "answer is" phrases; wrapping a bare gold such as `1,2` or `\\frac{1}{2}` in
           `$...$` makes the whole string one LaTeX expression instead of letting the extractor
           pick a fragment. A gold that already contains `\\boxed` is passed unchanged.
  * pred:  `parse(pred)` with the defaults: the full model output; math-verify finds the boxed
           answer itself (and, if there is no box, falls back to "answer is ..." phrases and then to
           the last LaTeX / number in the text -- so does `ladder grade`, while the RL reward,
           Extraction.BOXED_ONLY, gives no credit without a box).
  * verdict: `verify(gold_parsed, pred_parsed)` with the defaults (float_rounding=6,
           numeric_precision=15, strict=True, timeout_seconds=5).

Known, intended differences from Ladder's grader (they show up as disagreements):
  * a trailing period inside the answer (`\\boxed{5.}`) is normalised away by Ladder but makes
    math-verify's parse fail;
  * math-verify does not know `\\varnothing`, and cannot parse a gold with `\\pm` inside `\\frac`
    (`\\frac{1 \\pm \\sqrt{5}}{2}`), so it rejects those correct predictions.

Usage (from the repository root):
    build/venv-ref/bin/python scripts/reference/math_verify_verdicts.py [pairs.jsonl] [out.jsonl]
"""

import json
import sys
from importlib.metadata import version
from pathlib import Path

from math_verify import parse, verify

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_IN = ROOT / "tasks/src/test/resources/grading/pairs.jsonl"
DEFAULT_OUT = ROOT / "tasks/src/test/resources/grading/math_verify_verdicts.jsonl"


def gold_for_parse(gold: str) -> str:
    """Gold answers are bare LaTeX; math-verify expects them inside a math environment."""
    if "\\boxed" in gold or "\\fbox" in gold:
        return gold
    return "$" + gold + "$"


def main() -> int:
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_IN
    dst = Path(sys.argv[2]) if len(sys.argv) > 2 else DEFAULT_OUT
    pairs = [json.loads(line) for line in src.read_text(encoding="utf-8").splitlines() if line.strip()]

    correct = 0
    with dst.open("w", encoding="utf-8") as out:
        for index, pair in enumerate(pairs):
            gold_parsed = parse(gold_for_parse(pair["gold"]))
            pred_parsed = parse(pair["pred"])
            ok = bool(verify(gold_parsed, pred_parsed))
            correct += ok
            row = {
                "index": index,
                "gold": pair["gold"],
                "pred": pair["pred"],
                "correct": ok,
                "gold_parsed": [str(x) for x in gold_parsed],
                "pred_parsed": [str(x) for x in pred_parsed],
            }
            out.write(json.dumps(row, ensure_ascii=False) + "\n")

    print(
        f"math-verify {version('math-verify')}, latex2sympy2_extended {version('latex2sympy2_extended')}, "
        f"sympy {version('sympy')}: {len(pairs)} pairs, {correct} judged equivalent -> {dst}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
