#!/usr/bin/env python3
"""Competition-style (gold, pred) pairs for measuring Ladder's grader against math-verify.

Each pair is {"family", "gold", "pred"}: a gold answer as a dataset writes it, and a whole model
output whose final answer is an equivalent rewriting of the gold or a plausible wrong answer (about
half each). The outputs come in many styles: boxed at the end, several boxes, "The final answer is
... I hope it is correct.", "**Answer:** ...", the answer only in prose or in the last `$...$`, a
truncated box, and so on.

The seed decides everything: the values, the family mixture and the output-style mixture (each seed
draws its own weights), so two seeds give corpora with different make-ups, not just different
numbers. `tasks/src/test/resources/grading/dev/` holds the development corpus (seed 1); the
held-out figure is measured on seed 2, which no test reads (see `compare_grading.py`).

Usage (from the repository root):
    python3 scripts/reference/make_grading_corpus.py --seed 1 --count 2000 --out pairs.jsonl
"""

import argparse
import json
import math
import random
from fractions import Fraction

# ---------------------------------------------------------------------------- small helpers


def dec(x: float, places: int) -> str:
    s = f"{x:.{places}f}"
    return "0" if s in ("-0", "-0." + "0" * places) else s


def frac_tex(f: Fraction, cmd: str = "\\frac") -> str:
    sign = "-" if f < 0 else ""
    return f"{sign}{cmd}{{{abs(f.numerator)}}}{{{f.denominator}}}"


def squarefree(n: int) -> bool:
    return all(n % (p * p) for p in range(2, int(math.isqrt(n)) + 1))


def to_base(n: int, b: int) -> str:
    digits = ""
    while n:
        digits = "0123456789ABCDEF"[n % b] + digits
        n //= b
    return digits or "0"


def terminating(f: Fraction) -> bool:
    d = f.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1


def exact_decimal(f: Fraction) -> str:
    """Exact decimal of a terminating fraction, e.g. 3/8 -> 0.375."""
    s = f"{float(f):.10f}".rstrip("0")
    return s + "0" if s.endswith(".") else s


class Gen:
    """One corpus: a seeded random source, the family and style weights it drew, the pairs."""

    def __init__(self, seed: int):
        self.r = random.Random(seed)
        self.pairs = []

    def pick(self, xs):
        return self.r.choice(xs)

    def chance(self, p: float) -> bool:
        return self.r.random() < p

    # ------------------------------------------------------------------------ answer families
    # Each family returns (gold, right, wrong): right and wrong are lists of answer strings.

    def integer(self):
        kind = self.r.randrange(4)
        n = [self.r.randint(0, 99), self.r.randint(100, 999), self.r.randint(1000, 999999), -self.r.randint(1, 500)][kind]
        g = str(n)
        right = [g, f"{n:,}" if abs(n) >= 1000 else g, f"{n:,}".replace(",", "{,}"), f"x = {n}", f"n={n}",
                 f"{n}.0", f"\\text{{{n}}}", f"{n} \\text{{ ways}}", f"\\mathbf{{{n}}}", f"{n}\\,"]
        if abs(n) >= 1000:
            right += [f"{n:,}".replace(",", "\\,"), f"{n:,}".replace(",", " ")]
        rev = str(abs(n))[::-1].lstrip("0") or "1"
        wrong = [str(n + 1), str(n - 1), str(-n if n else 1), str(n * 10), rev if rev != str(abs(n)) else str(n + 2),
                 f"x = {n + 2}", f"{n // 2 if n > 1 else n + 3}"]
        return g, right, wrong

    def fraction(self):
        b = self.r.randint(2, 30)
        a = self.r.randint(1, 3 * b)
        f = Fraction(a, b)
        if f.denominator == 1:
            f = Fraction(a, b + 1) if Fraction(a, b + 1).denominator != 1 else Fraction(1, b + 1)
        if self.chance(0.2):
            f = -f
        n, d = f.numerator, f.denominator
        s = "-" if f < 0 else ""
        gold = self.pick([frac_tex(f), frac_tex(f), frac_tex(f, "\\dfrac"), f"{n}/{d}", f"{s}{{{abs(n)} \\over {d}}}"])
        right = [frac_tex(f), frac_tex(f, "\\dfrac"), frac_tex(f, "\\tfrac"), f"{n}/{d}", f"{s}{{{abs(n)} \\over {d}}}",
                 f"{s}{abs(n)} \\over {d}", f"\\frac{{{n}}}{{{d}}}", f"{s}\\frac{{{2 * abs(n)}}}{{{2 * d}}}",
                 f"\\left({frac_tex(f)}\\right)", f"{s}\\frac{abs(n)}{d}" if abs(n) < 10 and d < 10 else frac_tex(f)]
        if terminating(f):
            right.append(exact_decimal(f))
        else:
            right.append(dec(float(f), 6))
        if abs(f) > 1:
            whole = abs(n) // d
            rem = Fraction(abs(n) % d, d)
            right.append(f"{s}{whole}\\frac{{{rem.numerator}}}{{{rem.denominator}}}")
        wrong = [frac_tex(1 / f), frac_tex(f + Fraction(1, d)), dec(float(f), 2), frac_tex(-f), f"{d}/{abs(n)}",
                 f"{{{abs(n) + 1} \\over {d}}}", dec(float(f), 1)]
        return gold, right, wrong

    def decimal(self):
        f = Fraction(self.r.randint(1, 999), self.pick([4, 8, 20, 25, 40, 50, 100, 125]))
        if f.denominator == 1:
            f += Fraction(1, 4)
        g = exact_decimal(f)
        right = [g, g + "0", frac_tex(f), f"{f.numerator}/{f.denominator}", f"{g}00",
                 ("0" + g if g.startswith(".") else g.lstrip("0") if g.startswith("0.") else g)]
        wrong = [dec(float(f), 1) if dec(float(f), 1) != g else dec(float(f) + 0.1, 1), str(float(f) * 10).rstrip("0").rstrip("."),
                 exact_decimal(f + Fraction(1, 100)), frac_tex(1 / f)]
        return g, right, wrong

    def percent(self):
        p = self.pick([self.r.randint(1, 99), self.r.randint(1, 99), self.r.randint(1, 199) / 2])
        ps = str(p).rstrip("0").rstrip(".") if isinstance(p, float) else str(p)
        gold = self.pick([f"{ps}\\%", f"{ps}\\%", ps])
        right = [f"{ps}\\%", ps, f"{ps} \\%", f"{ps}\\text{{ percent}}", f"{ps} percent", f"{ps}\\%.", f"{ps}%"]
        wrong = [f"{float(ps) + 1:g}\\%", f"{float(ps) / 10:g}\\%", f"{100 - float(ps):g}\\%", f"{float(ps) * 2:g}"]
        frac = Fraction(ps) / 100
        right_or_wrong = [exact_decimal(frac), frac_tex(frac)]
        return gold, right + right_or_wrong[:1], wrong + right_or_wrong[1:]

    def radical(self):
        m = self.pick([m for m in range(2, 40) if squarefree(m)])
        k = self.r.randint(2, 9)
        d = self.pick([1, 1, 2, 3, 4])
        if d == 1:
            gold = self.pick([f"{k}\\sqrt{{{m}}}", f"{k}\\sqrt{m}" if m < 10 else f"{k}\\sqrt{{{m}}}"])
            val = k * math.sqrt(m)
            right = [f"\\sqrt{{{k * k * m}}}", f"{k} \\sqrt{{{m}}}", f"\\sqrt{{{m}}} \\cdot {k}", f"{k}\\cdot\\sqrt{{{m}}}",
                     dec(val, 6), f"{k}\\sqrt{{{m}}}", f"{k}\\cdot {m}^{{1/2}}"]
            wrong = [f"{m}\\sqrt{{{k}}}", f"{k}\\sqrt{{{m + 1}}}", f"{k}+\\sqrt{{{m}}}", dec(val, 2), f"\\sqrt{{{k * m}}}",
                     f"{k + 1}\\sqrt{{{m}}}"]
        else:
            g = math.gcd(k, d)
            kk, dd = k // g, d // g
            num = f"{kk}\\sqrt{{{m}}}" if kk != 1 else f"\\sqrt{{{m}}}"
            gold = f"\\frac{{{num}}}{{{dd}}}" if dd != 1 else num
            val = kk * math.sqrt(m) / dd
            right = [f"\\frac{{{kk}}}{{{dd}}}\\sqrt{{{m}}}", f"\\frac{{\\sqrt{{{kk * kk * m}}}}}{{{dd}}}", dec(val, 6),
                     f"\\frac{{{2 * kk}\\sqrt{{{m}}}}}{{{2 * dd}}}", f"\\sqrt{{\\frac{{{kk * kk * m}}}{{{dd * dd}}}}}"]
            if m * kk * kk % dd == 0 and dd > 1:
                right.append(f"\\frac{{{kk * m}}}{{{dd}\\sqrt{{{m}}}}}")
            wrong = [f"\\frac{{{kk}\\sqrt{{{m}}}}}{{{dd + 1}}}", f"\\frac{{{dd}\\sqrt{{{m}}}}}{{{kk}}}" if dd != kk else f"{dd}\\sqrt{{{m}}}",
                     dec(val, 2), f"\\frac{{{kk}\\sqrt{{{m + 1}}}}}{{{dd}}}"]
        return gold, right, wrong

    def pi(self):
        a = self.r.randint(1, 40)
        b = self.pick([1, 1, 2, 3, 4, 6])
        f = Fraction(a, b)
        n, d = f.numerator, f.denominator
        if d == 1:
            gold = f"{n}\\pi" if n != 1 else "\\pi"
            right = [f"{n} \\pi", f"\\pi {n}", f"{n}\\cdot\\pi", dec(n * math.pi, 6), f"\\frac{{{2 * n}\\pi}}{{2}}"]
            wrong = [f"{n + 1}\\pi", f"{n}", dec(n * math.pi, 2), f"{n}\\pi^2", f"\\frac{{{n}\\pi}}{{2}}"]
        else:
            gold = self.pick([f"\\frac{{{n}\\pi}}{{{d}}}", f"\\frac{{{n}}}{{{d}}}\\pi"]).replace("{1\\pi}", "{\\pi}")
            right = [f"\\frac{{{n}}}{{{d}}}\\pi", f"\\frac{{{n}\\pi}}{{{d}}}", f"{n}\\pi/{d}", dec(float(f) * math.pi, 6),
                     f"\\frac{{{n} \\pi}}{{{d}}}"]
            wrong = [f"\\frac{{{d}\\pi}}{{{n}}}", f"\\frac{{{n}\\pi}}{{{d + 1}}}", dec(float(f) * math.pi, 2), f"\\frac{{{n}}}{{{d}}}"]
        return gold, right, wrong

    def interval(self):
        a = self.r.randint(-10, 5)
        b = a + self.r.randint(1, 9)
        lo, hi = self.pick(["(", "["]), self.pick([")", "]"])
        kind = self.r.randrange(4)
        if kind == 0:
            gold = f"{lo}{a}, {b}{hi}"
            ineq = {"(": "<", "[": "\\le"}[lo], {")": "<", "]": "\\le"}[hi]
            right = [f"{lo}{a},{b}{hi}", f"\\left{lo}{a}, {b}\\right{hi}", f"{lo} {a} , {b} {hi}"]
            wrong = [f"{'[' if lo == '(' else '('}{a}, {b}{hi}", f"{lo}{a}, {b + 1}{hi}", f"{lo}{-b}, {-a}{hi}",
                     f"{a} {ineq[0]} x {ineq[1]} {b}"]
            if lo == "(" and hi == ")":
                wrong.append(f"[{a}, {b}]")
            return gold, right, wrong
        if kind == 1:
            gold = f"{lo}{a}, \\infty)"
            right = [f"{lo}{a},\\infty)", f"\\left{lo}{a}, \\infty\\right)", f"{lo}{a}, +\\infty)", f"{lo}{a}, \\infty )"]
            wrong = [f"{'[' if lo == '(' else '('}{a}, \\infty)", f"(-\\infty, {a}{'] ' if lo == '(' else ')'}".strip(),
                     f"{lo}{a + 1}, \\infty)"]
            return gold, right, wrong
        if kind == 2:
            gold = f"(-\\infty, {b}{hi}"
            right = [f"(-\\infty,{b}{hi}", f"\\left(-\\infty, {b}\\right{hi}", f"(-\\infty , {b} {hi}"]
            wrong = [f"(-\\infty, {b}{')' if hi == ']' else ']'}", f"({b}, \\infty)", f"(-\\infty, {b - 1}{hi}"]
            return gold, right, wrong
        gold = f"(-\\infty, {a}) \\cup ({b}, \\infty)"
        right = [f"(-\\infty,{a})\\cup({b},\\infty)", f"({b}, \\infty) \\cup (-\\infty, {a})",
                 f"\\left(-\\infty, {a}\\right) \\cup \\left({b}, \\infty\\right)"]
        wrong = [f"(-\\infty, {a}] \\cup [{b}, \\infty)", f"({a}, {b})", f"(-\\infty, {a}) \\cup ({b + 1}, \\infty)"]
        return gold, right, wrong

    def collection(self):
        xs = sorted(self.r.sample(range(-9, 15), self.r.randint(2, 4)))
        kind = self.r.randrange(3)
        if kind == 0:  # a set
            gold = "\\{" + ", ".join(map(str, xs)) + "\\}"
            sh = xs[:]
            self.r.shuffle(sh)
            right = ["\\{" + ",".join(map(str, sh)) + "\\}", ", ".join(map(str, sh)),
                     "\\left\\{" + ", ".join(map(str, xs)) + "\\right\\}", "x \\in \\{" + ", ".join(map(str, xs)) + "\\}"]
            wrong = ["\\{" + ", ".join(map(str, xs[:-1])) + "\\}", "\\{" + ", ".join(map(str, xs[:-1] + [xs[-1] + 1])) + "\\}",
                     ", ".join(map(str, xs + [xs[-1] + 3]))]
        elif kind == 1:  # a list of solutions
            gold = ", ".join(map(str, xs))
            sh = xs[:]
            self.r.shuffle(sh)
            right = [", ".join(map(str, sh)), ",".join(map(str, xs)), "\\{" + ", ".join(map(str, xs)) + "\\}",
                     " \\text{ and } ".join(map(str, xs)) if len(xs) == 2 else "; ".join(map(str, sh)),
                     ", ".join(f"x = {v}" for v in xs) if len(xs) <= 3 else ", ".join(map(str, xs))]
            wrong = [", ".join(map(str, xs[1:])), ", ".join(map(str, [-v for v in xs])), ", ".join(map(str, xs[:-1] + [xs[-1] + 2]))]
        else:  # an ordered pair or triple
            pt = self.r.sample(range(-9, 10), self.r.randint(2, 3))
            gold = "(" + ", ".join(map(str, pt)) + ")"
            right = ["(" + ",".join(map(str, pt)) + ")", "\\left(" + ", ".join(map(str, pt)) + "\\right)",
                     ", ".join(map(str, pt)), "(" + ", ".join(f"{v}.0" if i == 0 else str(v) for i, v in enumerate(pt)) + ")"]
            wrong = ["(" + ", ".join(map(str, pt[::-1])) + ")", "(" + ", ".join(map(str, pt[:-1] + [pt[-1] + 1])) + ")",
                     "[" + ", ".join(map(str, pt)) + "]" if len(pt) == 3 else "(" + ", ".join(map(str, pt + [0])) + ")"]
        return gold, right, wrong

    def matrix(self):
        rows = self.pick([1, 2]) if self.chance(0.5) else 2
        cols = 1 if rows == 1 else self.pick([1, 2])
        if rows == 1:
            rows, cols = 2, 1
        vals = [[self.r.randint(-9, 9) for _ in range(cols)] for _ in range(rows)]

        def m(env, vs, sep=" \\\\ "):
            return f"\\begin{{{env}}} " + sep.join(" & ".join(map(str, r)) for r in vs) + f" \\end{{{env}}}"

        gold = m("pmatrix", vals)
        right = [m("bmatrix", vals), m("pmatrix", vals, "\\\\"), m("pmatrix", [[f"{v}.0" for v in r] for r in vals])]
        bad = [r[:] for r in vals]
        bad[-1][-1] += 1
        wrong = [m("pmatrix", bad), m("pmatrix", vals[::-1]) if vals[0] != vals[-1] else m("pmatrix", bad),
                 m("pmatrix", [[-v for v in r] for r in vals]) if any(v for r in vals for v in r) else m("pmatrix", bad)]
        return gold, right, wrong

    def equation(self):
        a = self.r.randint(2, 9) * self.pick([1, -1])
        c = self.r.randint(1, 20)
        v = self.pick(["x", "y", "k", "a"])
        kind = self.r.randrange(3)
        if kind == 0:
            gold = f"{v} = {c}"
            right = [f"{c}", f"{v}={c}", f"{v} = {c}.0"]
            wrong = [f"{v} = {c + 1}", f"{'z' if v != 'z' else 'w'} = {c}", f"{-c}"]
            return gold, right, wrong
        if kind == 1:
            gold = f"y = {a}x + {c}"
            right = [f"y={a}x+{c}", f"y = {c} + {a}x", f"{a}x + {c}"]
            wrong = [f"y = {a}x - {c}", f"y = {-a}x + {c}", f"y = {c}x + {a}"]
            return gold, right, wrong
        gold = f"{a}x + {c}"
        right = [f"{c} + {a}x", f"{a}\\cdot x + {c}", f"{c}+{a}x", f"{a}(x + {c // a})" if c % a == 0 else f"{a}x+{c}"]
        wrong = [f"{a}x - {c}", f"{c}x + {a}", f"{a}y + {c}"]
        return gold, right, wrong

    def choice(self):
        letters = "ABCDE"
        L = self.pick(letters)
        other = self.pick([x for x in letters if x != L])
        gold = self.pick([f"\\text{{({L})}}", f"\\textbf{{({L})}}", L, f"({L})", f"\\mathrm{{({L})}}"])
        right = [L, f"({L})", f"\\text{{({L})}}", f"\\textbf{{({L})}}", f"\\text{{{L}}}", f"\\mathrm{{{L}}}"]
        wrong = [other, f"({other})", f"\\text{{({other})}}", f"\\textbf{{{other}}}"]
        return gold, right, wrong

    def word(self):
        words = ["Monday", "Tuesday", "Friday", "even", "odd", "north", "Alice", "Bob", "yes", "no", "triangle", "circle"]
        w = self.pick(words)
        other = self.pick([x for x in words if x != w])
        gold = self.pick([f"\\text{{{w}}}", w, f"\\text{{{w}}}"])
        right = [w, f"\\text{{{w}}}", f"\\text{{{w.lower()}}}", f"\\textbf{{{w}}}", f"\\mathrm{{{w}}}"]
        wrong = [other, f"\\text{{{other}}}"]
        return gold, right, wrong

    def base(self):
        b = self.pick([2, 2, 3, 4, 5, 6, 7, 8, 9, 16])
        n = self.r.randint(b + 1, 400)
        digits = to_base(n, b)
        gold = self.pick([f"{digits}_{b}" if b < 10 else f"{digits}_{{{b}}}", f"{digits}_{{{b}}}", f"{digits}_{{{b}}}"])
        right = [f"{digits}_{{{b}}}", f"{digits}_{b}" if b < 10 else f"{digits}_{{{b}}}", digits, f"{digits}_{{\\text{{{b}}}}}"]
        other = to_base(n + 1, b)
        wrong = [f"{other}_{{{b}}}", str(n) if str(n) != digits else str(n + 1), f"{digits[::-1]}_{b}" if digits[::-1] != digits else f"{other}_{b}"]
        return gold, right, wrong

    def binomial(self):
        if self.chance(0.25):
            k = self.pick([2, 3])
            gold = f"\\binom{{n}}{{{k}}}"
            right = ["\\frac{n(n-1)}{2}" if k == 2 else "\\frac{n(n-1)(n-2)}{6}", f"\\dbinom{{n}}{{{k}}}",
                     "\\frac{n^2-n}{2}" if k == 2 else "\\frac{n^3-3n^2+2n}{6}"]
            wrong = ["\\frac{n(n+1)}{2}" if k == 2 else "\\frac{n(n-1)}{6}", f"\\binom{{n}}{{{k + 1}}}", "n^2"]
            return gold, right, wrong
        n = self.r.randint(4, 15)
        k = self.r.randint(2, n - 2)
        v = math.comb(n, k)
        gold = self.pick([f"\\binom{{{n}}}{{{k}}}", f"\\dbinom{{{n}}}{{{k}}}", str(v), str(v)])
        right = [str(v), f"\\binom{{{n}}}{{{k}}}", f"\\dbinom{{{n}}}{{{k}}}", f"\\binom{{{n}}}{{{n - k}}}",
                 f"\\frac{{{n}!}}{{{k}!{n - k}!}}", f"\\frac{{{n}!}}{{{k}! \\cdot {n - k}!}}", f"{{{n} \\choose {k}}}", f"C({n},{k})"]
        wrong = [str(v + 1), f"\\binom{{{n}}}{{{k - 1}}}" if math.comb(n, k - 1) != v else str(v * 2), str(math.perm(n, k)),
                 f"\\binom{{{n + 1}}}{{{k}}}", f"\\frac{{{n}!}}{{{k}!}}"]
        return gold, right, wrong

    def log(self):
        kind = self.r.randrange(5)
        if kind == 0:  # log_b of a power of b
            b = self.pick([2, 3, 5, 10])
            e = self.r.randint(2, 5)
            x = b ** e
            gold = self.pick([f"\\log_{b} {x}" if b < 10 else f"\\log_{{{b}}} {x}", str(e)])
            right = [str(e), f"\\log_{{{b}}} {x}", f"\\log_{{{b}}}{{{x}}}", f"\\log_{{{b}}}({x})", f"\\frac{{\\ln {x}}}{{\\ln {b}}}"]
            wrong = [str(e + 1), f"\\log_{{{b}}} {x * b}", str(x), f"\\frac{{{e}}}{{2}}"]
            return gold, right, wrong
        if kind == 1:  # ln of a power
            b = self.pick([2, 3, 5, 7])
            e = self.r.randint(2, 5)
            gold = self.pick([f"\\ln {b ** e}", f"{e}\\ln {b}", f"{e} \\ln{b}"])
            right = [f"{e}\\ln {b}", f"\\ln {b ** e}", f"\\ln({b ** e})", f"{e}\\ln({b})", f"{e} \\cdot \\ln {b}",
                     dec(e * math.log(b), 6)]
            wrong = [f"{e + 1}\\ln {b}", f"\\ln {b * e}", f"{e}\\ln {b + 1}", f"\\log {b ** e}", dec(e * math.log(b), 2)]
            return gold, right, wrong
        if kind == 2:  # change of base
            b, x = self.r.sample([2, 3, 5, 6, 7], 2)
            gold = f"\\log_{b} {x}" if self.chance(0.5) else f"\\log_{{{b}}} {x}"
            right = [f"\\frac{{\\ln {x}}}{{\\ln {b}}}", f"\\frac{{\\log {x}}}{{\\log {b}}}", f"\\log_{{{b}}}{{{x}}}", dec(math.log(x, b), 6)]
            wrong = [f"\\frac{{\\ln {b}}}{{\\ln {x}}}", f"\\log_{{{x}}} {b}", dec(math.log(x, b), 2), f"\\ln {x}"]
            return gold, right, wrong
        if kind == 3:  # sums and products of logs
            a, c = self.r.sample([2, 3, 5, 7], 2)
            gold = f"\\ln {a * c}"
            right = [f"\\ln {a} + \\ln {c}", f"\\ln{c}+\\ln{a}", f"\\ln({a}\\cdot {c})", dec(math.log(a * c), 6)]
            wrong = [f"\\ln {a} \\cdot \\ln {c}", f"\\ln {a + c}", f"\\ln {a} - \\ln {c}"]
            return gold, right, wrong
        p = self.r.randint(2, 4)
        gold = f"{p}\\log 2" if self.chance(0.5) else f"\\log {2 ** p}"
        right = [f"\\log {2 ** p}", f"{p}\\log 2", f"{p}\\log{{2}}", f"\\log_{{10}} {2 ** p}", dec(p * math.log10(2), 6)]
        wrong = [f"\\ln {2 ** p}", f"{p + 1}\\log 2", f"\\log {2 * p}"]
        return gold, right, wrong

    def degree(self):
        d = self.pick([15, 30, 36, 45, 60, 72, 90, 105, 120, 135, 150])
        gold = self.pick([f"{d}^\\circ", f"{d}^{{\\circ}}", str(d), f"{d}^\\circ"])
        right = [str(d), f"{d}^\\circ", f"{d}^{{\\circ}}", f"{d}\\degree", f"{d}°", f"{d} degrees", f"{d}\\text{{ degrees}}"]
        rad = Fraction(d, 180)
        wrong = [str(d + 5), f"{180 - d}^\\circ", f"\\frac{{{rad.numerator}\\pi}}{{{rad.denominator}}}".replace("{1\\pi}", "{\\pi}"),
                 f"{d // 3}^\\circ"]
        return gold, right, wrong

    def unit(self):
        n = self.pick([self.r.randint(2, 500), round(self.r.uniform(1, 99), 1)])
        ns = str(n)
        unit = self.pick(["cm", "m", "km", "inches", "feet", "meters", "square units", "units", "hours", "minutes",
                          "seconds", "kg", "dollars", "cm^2", "m^2", "mph", "days", "degrees"])
        gold = self.pick([ns, ns, f"{ns}\\text{{ {unit.split('^')[0]}}}"])
        tex_unit = unit.split("^")
        tex = f"\\text{{ {tex_unit[0]}}}" + (f"^{tex_unit[1]}" if len(tex_unit) > 1 else "")
        right = [f"{ns}{tex}", f"{ns} {tex}", f"{ns}\\ \\text{{{tex_unit[0]}}}", f"{ns} \\mbox{{ {tex_unit[0]}}}",
                 f"{ns} \\, \\mathrm{{{tex_unit[0]}}}", f"{ns} {unit}" if "^" not in unit else f"{ns}\\text{{ {unit}}}"]
        if unit == "dollars":
            right += [f"\\${ns}", f"\\$ {ns}"]
        other = str(round(n + 1, 1) if isinstance(n, float) else n + 1)
        wrong = [f"{other}{tex}", f"{other}", f"{ns}0{tex}" if "." not in ns else f"{ns}1"]
        return gold, right, wrong

    def expression(self):
        a, b = self.r.randint(1, 6), self.r.randint(1, 9)
        v = self.pick(["x", "n", "t"])
        forms = [
            (f"{v}^2 + {2 * b}{v} + {b * b}", [f"({v}+{b})^2", f"({v} + {b})^{{2}}", f"{b * b} + {2 * b}{v} + {v}^2"],
             [f"({v}-{b})^2", f"{v}^2 + {b}{v} + {b * b}", f"({v}+{b + 1})^2"]),
            (f"{a}{v}^2 - {a * b * b}", [f"{a}({v}-{b})({v}+{b})", f"{a}{v}^{{2}}-{a * b * b}", f"-{a * b * b}+{a}{v}^2"],
             [f"{a}({v}-{b})^2", f"{a}{v}^2 + {a * b * b}", f"{a}{v} - {a * b * b}"]),
            (f"\\frac{{{v}+{b}}}{{{a + 1}}}", [f"\\frac{{{v}}}{{{a + 1}}} + \\frac{{{b}}}{{{a + 1}}}", f"({v}+{b})/{a + 1}"],
             [f"\\frac{{{v}-{b}}}{{{a + 1}}}", f"\\frac{{{a + 1}}}{{{v}+{b}}}"]),
            (f"{v}({v}+{b})", [f"{v}^2+{b}{v}", f"({v}+{b}){v}", f"{v}\\cdot({v}+{b})"], [f"{v}^2+{b}", f"{v}({v}-{b})"]),
        ]
        return self.pick(forms)

    def scientific(self):
        m = self.pick([1.5, 2, 2.5, 3, 3.2, 4, 6, 7.5, 8])
        e = self.r.randint(-4, 7)
        val = Fraction(str(m)) * Fraction(10) ** e
        plain = f"{float(val):.10f}".rstrip("0").rstrip(".") if val.denominator != 1 else str(val.numerator)
        ms = f"{m:g}"
        sci = [f"{ms} \\times 10^{{{e}}}", f"{ms}\\cdot 10^{{{e}}}", f"{ms}\\times10^{e}" if 0 <= e <= 9 else f"{ms}\\times10^{{{e}}}"]
        gold = self.pick([plain, sci[0], sci[1]])
        right = [plain, *sci]
        wrong = [f"{ms} \\times 10^{{{e + 1}}}", f"{float(val) * 10:.10f}".rstrip("0").rstrip("."), f"{ms}\\times 10^{{{-e}}}" if e else f"{ms}0"]
        return gold, right, wrong

    def plus_minus(self):
        p = self.r.randint(1, 9)
        q = self.pick([2, 3, 5, 6, 7])
        gold = self.pick([f"{p} \\pm \\sqrt{{{q}}}", f"{p}+\\sqrt{{{q}}}, {p}-\\sqrt{{{q}}}"])
        right = [f"{p}+\\sqrt{{{q}}}, {p}-\\sqrt{{{q}}}", f"{p}-\\sqrt{{{q}}}, {p}+\\sqrt{{{q}}}", f"{p} \\pm \\sqrt{{{q}}}",
                 f"x = {p} \\pm \\sqrt{{{q}}}"]
        wrong = [f"{p}+\\sqrt{{{q}}}", f"{p} \\pm \\sqrt{{{q + 1}}}", f"-{p} \\pm \\sqrt{{{q}}}"]
        return gold, right, wrong

    def complex_number(self):
        a, b = self.r.randint(-9, 9), self.r.randint(1, 9)
        gold = f"{a} + {b}i" if a else f"{b}i"
        right = [f"{b}i + {a}" if a else f"{b} i", f"{a}+{b}i" if a else f"i{b}", f"{a} + i{b}" if a else f"{b}\\cdot i"]
        wrong = [f"{a} - {b}i", f"{b} + {a}i" if a != b else f"{a} + {b + 1}i", f"{a + 1} + {b}i"]
        return gold, right, wrong

    def trig(self):
        kind = self.r.randrange(3)
        if kind == 0:  # a value of a trigonometric function
            name, angle, value, other = self.pick([
                ("sin", "\\frac{\\pi}{6}", "\\frac{1}{2}", "\\frac{\\sqrt{3}}{2}"),
                ("cos", "\\frac{\\pi}{3}", "\\frac{1}{2}", "\\frac{\\sqrt{3}}{2}"),
                ("tan", "\\frac{\\pi}{4}", "1", "\\sqrt{3}"),
                ("sin", "\\frac{\\pi}{4}", "\\frac{\\sqrt{2}}{2}", "\\frac{1}{2}"),
                ("tan", "\\frac{\\pi}{3}", "\\sqrt{3}", "\\frac{\\sqrt{3}}{3}"),
            ])
            gold = self.pick([value, f"\\{name} {angle}", f"\\{name}\\left({angle}\\right)"])
            right = [value, f"\\{name}\\left({angle}\\right)", f"\\{name} {angle}", f"\\{name}({angle})"]
            wrong = [other, f"\\{name} {angle.replace('pi', 'pi^2')}", f"-{value}"]
            return gold, right, wrong
        if kind == 1:  # an expression in a trigonometric function
            k = self.r.randint(2, 5)
            v = self.pick(["x", "\\theta", "t"])
            gold = self.pick([f"\\sin {k}{v}", f"2\\sin {v}\\cos {v}" if k == 2 else f"\\sin({k}{v})"])
            right = [f"\\sin({k}{v})", f"\\sin {k}{v}", f"\\sin\\left({k}{v}\\right)"] + ([f"2\\sin {v} \\cos {v}"] if k == 2 else [])
            wrong = [f"\\cos({k}{v})", f"{k}\\sin {v}", f"\\sin({k + 1}{v})"]
            return gold, right, wrong
        v = self.pick(["x", "\\theta"])
        name, eq, bad = self.pick([
            ("\\cos^2", f"1-\\sin^2 {v}", f"1+\\sin^2 {v}"),
            ("\\sin^2", f"1-\\cos^2 {v}", f"\\cos^2 {v}-1"),
            ("\\tan", f"\\frac{{\\sin {v}}}{{\\cos {v}}}", f"\\frac{{\\cos {v}}}{{\\sin {v}}}"),
            ("\\sec", f"\\frac{{1}}{{\\cos {v}}}", f"\\frac{{1}}{{\\sin {v}}}"),
        ])
        gold = f"{name} {v}"
        return gold, [eq, f"{name}{{{v}}}", f"{name}({v})"], [bad, f"{name} 2{v}"]

    def money(self):
        cents = self.r.randint(101, 99999)
        d = f"{cents // 100}.{cents % 100:02d}"
        gold = self.pick([d, f"\\${d}", d])
        right = [f"\\${d}", d, f"\\$ {d}", f"{d} \\text{{ dollars}}", f"{d}\\text{{ dollars}}", f"\\${d}\\,"]
        other = f"{(cents + 5) // 100}.{(cents + 5) % 100:02d}"
        wrong = [f"\\${other}", other, f"\\${cents // 100}", f"{d} dollars"]
        return gold, right, wrong

    FAMILIES = ["integer", "fraction", "decimal", "percent", "radical", "pi", "interval", "collection", "matrix",
                "equation", "choice", "word", "base", "binomial", "log", "degree", "unit", "expression",
                "scientific", "plus_minus", "complex_number", "trig", "money"]

    # ------------------------------------------------------------------------ model outputs

    OPENINGS = ["Let's solve this step by step.", "We start by setting up the problem.", "First, note the constraints.",
                "Let $n$ be the quantity we want.", "Consider the two cases separately.", "We simplify the expression first.",
                "Denote the unknown by $x$.", "Recall that $a^2 + b^2 = c^2$ for a right triangle.",
                "Counting carefully, we have $3$ choices for the first digit.", "Using the formula $A = \\pi r^2$, we proceed."]
    MIDDLES = ["Combining these gives the result.", "After checking every case, this is consistent.",
               "Substituting $x = 2$ back in confirms it.", "So $2 + 3 = 5$ cases remain, and we continue.",
               "This simplifies nicely.", "Both conditions hold, as required.", "We verify the answer with a quick check.",
               "Hence the remaining quantity follows.", "By symmetry the other case is the same."]

    def style_boxed(self, ans):
        o, m = self.pick(self.OPENINGS), self.pick(self.MIDDLES)
        return self.pick([
            f"{o} {m} Therefore, the answer is $\\boxed{{{ans}}}$.",
            f"{o}\n\n{m}\n\n**Final Answer**\n\\[\n\\boxed{{{ans}}}\n\\]",
            f"{o} {m}\nThe final answer is $\\boxed{{{ans}}}$. I hope it is correct.",
            f"{o} {m} So we get \\boxed{{{ans}}}.",
            f"{o}\n{m}\n\nAnswer: $\\boxed{{{ans}}}$",
            f"{o} {m} Hence the result is \\(\\boxed{{{ans}}}\\).",
            f"{o} {m}\n$$\\boxed{{{ans}}}$$",
            f"{o} {m} The answer is \\boxed{{{ans}}}",
            f"{o}\n\n{m} Thus\n\\[ x = \\boxed{{{ans}}} \\]\nis the answer.",
            f"{o} {m} \\boxed{{{ans}}} is the final answer.",
        ])

    def style_prose(self, ans):
        """The answer only in prose, with no box: math-verify reads it anyway."""
        o, m = self.pick(self.OPENINGS), self.pick(self.MIDDLES)
        return self.pick([
            f"{o} {m} The answer is {ans}.",
            f"{o} {m} Therefore the answer is ${ans}$.",
            f"{o} {m}\nThe final answer is ${ans}$. I hope it is correct.",
            f"{o} {m}\nFinal Answer: The final answer is {ans}. I hope it is correct.",
            f"{o}\n{m}\n\n**Answer:** ${ans}$",
            f"{o}\n{m}\n\nAnswer: {ans}",
            f"{o} {m} So the value we want is ${ans}$.",
            f"{o} {m} This gives\n\\[ {ans} \\]",
            f"{o} {m} Putting it together, the total is {ans}.",
            f"{o} {m} We conclude that $x = {ans}$.",
            f"{o} {m} Therefore, the final answer is \\({ans}\\).",
            f"{o}\n\n{m}\n\n$$ {ans} $$",
            f"{o} {m} so the result is ${ans}$, which we double-check above.",
            f"{o} {m} The answer: {ans}",
            f"{o} {m} Thus there are ${ans}$ of them in total.",
            f"{o} {m} So ${ans}$ is our answer, since the case $n = 0$ contributes nothing.",
            f"{o} {m} The answer is {ans}. This is because each of the $3$ cases was counted once.",
            f"{o} {m} Hence,\n\\[\n{ans}\n\\]\nas claimed.",
        ])

    def style_multibox(self, ans, decoy):
        """Several boxes: an early (often wrong) box and the final one, near or far, with or without $."""
        o, m = self.pick(self.OPENINGS), self.pick(self.MIDDLES)
        return self.pick([
            f"I first got \\boxed{{{decoy}}}, but rechecking, the answer is \\boxed{{{ans}}}.",
            f"I first got $\\boxed{{{decoy}}}$, but rechecking, the answer is $\\boxed{{{ans}}}$.",
            f"{o} A first attempt gave \\boxed{{{decoy}}}. {m} {m} After fixing the arithmetic mistake in the second step, the answer is \\boxed{{{ans}}}.",
            f"{o} So the first part is $\\boxed{{{decoy}}}$ and the second part is $\\boxed{{{ans}}}$.",
            f"{o} {m} \\boxed{{{decoy}}} \\boxed{{{ans}}}",
            f"{o} {m} The answer is \\boxed{{{ans}}}. Double-checking: \\boxed{{{ans}}}.",
            f"{o} Candidates: \\boxed{{{decoy}}}; the correct one is \\boxed{{{ans}}}",
            f"{o} {m} Therefore $\\boxed{{{ans}}}$, not $\\boxed{{{decoy}}}$ as one might think... wait, the answer is $\\boxed{{{ans}}}$.",
        ])

    def style_broken(self, ans):
        """Truncated or odd outputs: an unclosed box, a box then more text, no answer at all."""
        o, m = self.pick(self.OPENINGS), self.pick(self.MIDDLES)
        return self.pick([
            f"{o} {m} Therefore the final answer is \\boxed{{{ans}",
            f"{o} {m} We get \\boxed {ans}",
            f"{o} {m} The answer is \\fbox{{{ans}}}.",
            f"{o} {m} The answer is $\\boxed{{{ans}}}$ (units omitted). Then $y = 7$ would be a different problem.",
            f"{o} {m} It remains to compute the total, which is",
            f"{o} {m} I am not sure how to finish.",
        ])

    # ------------------------------------------------------------------------ assembly

    def build(self, count: int):
        # Each seed draws its own mixture of families and styles.
        fam_w = [self.r.uniform(0.3, 1.7) for _ in self.FAMILIES]
        styles = ["boxed", "prose", "multibox", "broken"]
        style_w = [self.r.uniform(4, 7), self.r.uniform(2, 4), self.r.uniform(0.8, 1.6), self.r.uniform(0.2, 0.6)]
        for _ in range(count):
            fam = self.r.choices(self.FAMILIES, fam_w)[0]
            gold, right, wrong = getattr(self, fam)()
            correct = self.chance(0.55)
            ans = self.pick(right if correct else wrong)
            style = self.r.choices(styles, style_w)[0]
            if style == "boxed":
                pred = self.style_boxed(ans)
            elif style == "prose":
                pred = self.style_prose(ans)
            elif style == "multibox":
                decoy = self.pick(wrong if correct else right)
                pred = self.style_multibox(ans, decoy)
            else:
                pred = self.style_broken(ans)
            self.pairs.append({"family": f"{fam}/{style}", "gold": gold, "pred": pred})
        return self.pairs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    pairs = Gen(args.seed).build(args.count)
    with open(args.out, "w", encoding="utf-8") as f:
        for p in pairs:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    print(f"wrote {len(pairs)} pairs (seed {args.seed}) to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
