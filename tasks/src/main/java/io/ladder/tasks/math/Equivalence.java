package io.ladder.tasks.math;

import io.ladder.tasks.math.Expr.Lit;
import io.ladder.tasks.math.Expr.Pct;
import io.ladder.tasks.math.MathValue.Inequality;
import io.ladder.tasks.math.MathValue.IntervalValue;
import io.ladder.tasks.math.MathValue.MatrixValue;
import io.ladder.tasks.math.MathValue.Relation;
import io.ladder.tasks.math.MathValue.Scalar;
import io.ladder.tasks.math.MathValue.SetValue;
import io.ladder.tasks.math.MathValue.TupleValue;
import io.ladder.tasks.math.MathValue.UnionValue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides whether a predicted answer means the same as the gold answer. The rules mirror
 * math-verify's {@code verify(gold, pred)} (which is deliberately asymmetric: the gold answer's
 * shape decides how the prediction is read), so that Ladder's reward agrees with that reference:
 *
 * <ul>
 *   <li>{@code x = 5} matches {@code 5}; two assignments must name the same variable.
 *   <li>A bare list or {@code \{..\}} is a set (order-insensitive); a gold tuple {@code (1,2)} is
 *       ordered; an open interval gold {@code (1,2)} also accepts the pair {@code 1, 2}.
 *   <li>Intervals compare end points and bracket types; unions compare as sets of reals; a gold
 *       inequality in one variable ({@code x > 3}) is read as its interval.
 *   <li>Decimals are compared after rounding both sides to 6 places ({@code 1/3 = 0.333333}),
 *       except against an integer, which must match exactly.
 *   <li>An integer percent also matches the bare integer ({@code 10\%} = {@code 10}).
 *   <li>Other numbers compare exactly (rationals) or to ~35 digits (radicals, {@code \pi}).
 *   <li>Expressions with variables compare by value at several fixed points.
 * </ul>
 */
final class Equivalence {
    private Equivalence() {}

    private static final int FLOAT_PLACES = 6;
    private static final int SAMPLE_POINTS = 3;

    static boolean equivalent(MathValue gold, MathValue pred) {
        boolean goldAssign = gold instanceof Relation r && r.isAssignment();
        boolean goldRel = gold instanceof Relation;
        boolean predRel = pred instanceof Relation;

        // The gold format decides: "x = 5" graded against 5 compares 5 with 5, and a predicted
        // "2 + 3 = 5" is read as its last side.
        if (predRel && !goldRel) {
            pred = ((Relation) pred).rhs();
        } else if (goldAssign && !predRel) {
            gold = ((Relation) gold).rhs();
        }
        if (gold instanceof Relation g && pred instanceof Relation p) {
            return relationsEqual(g, p);
        }
        if (gold instanceof Relation || pred instanceof Relation) {
            return false;
        }
        if (gold instanceof Inequality gi) {
            // "x > 3" is answered by "x > 3" or by the set (3, oo). As in math-verify, only a gold
            // inequality is converted: a gold interval is not answered by an inequality.
            if (pred instanceof Inequality pi) {
                return gi.variable().equals(pi.variable()) && collectionsEqual(gi.set(), pi.set());
            }
            return isCollection(pred) && collectionsEqual(gi.set(), pred);
        }
        if (pred instanceof Inequality) {
            return false;
        }
        if (gold instanceof MatrixValue || pred instanceof MatrixValue) {
            return gold instanceof MatrixValue gm && pred instanceof MatrixValue pm && matricesEqual(gm, pm);
        }
        if (isCollection(gold) || isCollection(pred)) {
            return collectionsEqual(gold, pred);
        }
        return scalarsEqual(((Scalar) gold).expr(), ((Scalar) pred).expr());
    }

    // ---------------------------------------------------------------- relations

    private static boolean relationsEqual(Relation g, Relation p) {
        if (g.lhs() instanceof Scalar gl && g.rhs() instanceof Scalar gr
                && p.lhs() instanceof Scalar pl && p.rhs() instanceof Scalar pr) {
            // Equations are equal when "left - right" agree up to a constant factor (x = 2 and 2x = 4),
            // which also accepts the sides swapped; x = 5 and y = 5 differ by their variables.
            Expr gd = new Expr.Bin(Expr.Op.SUB, gl.expr(), gr.expr());
            Expr pd = new Expr.Bin(Expr.Op.SUB, pl.expr(), pr.expr());
            return scalarsEqual(gd, pd) || proportional(gd, pd);
        }
        // x \in [1,2): the variable and the set must both agree.
        return equivalent(g.lhs(), p.lhs()) && equivalent(g.rhs(), p.rhs());
    }

    private static boolean matricesEqual(MatrixValue g, MatrixValue p) {
        if (g.rows().size() != p.rows().size()) {
            return false;
        }
        for (int i = 0; i < g.rows().size(); i++) {
            List<Expr> gr = g.rows().get(i);
            List<Expr> pr = p.rows().get(i);
            if (gr.size() != pr.size()) {
                return false;
            }
            for (int j = 0; j < gr.size(); j++) {
                if (!scalarsEqual(gr.get(j), pr.get(j))) {
                    return false;
                }
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- sets, tuples, intervals

    private static boolean isCollection(MathValue v) {
        return v instanceof TupleValue
                || v instanceof SetValue
                || v instanceof IntervalValue
                || v instanceof UnionValue;
    }

    private static boolean collectionsEqual(MathValue gold, MathValue pred) {
        // A lone number is compared as a one-element set: 3 matches \{3\} but not \pm 3.
        MathValue g = isCollection(gold) ? gold : new SetValue(List.of(gold));
        MathValue p = isCollection(pred) ? pred : new SetValue(List.of(pred));

        if (g instanceof IntervalValue gi && p instanceof IntervalValue pi) {
            return intervalsEqual(gi, pi);
        }
        if (isRealSet(g) && isRealSet(p)) {
            List<IntervalValue> gu = canonicalUnion(g);
            List<IntervalValue> pu = canonicalUnion(p);
            if (gu != null && pu != null && gu.size() == pu.size()) {
                boolean all = true;
                for (int i = 0; i < gu.size() && all; i++) {
                    all = intervalsEqual(gu.get(i), pu.get(i));
                }
                if (all) {
                    return true;
                }
            }
        }
        if (isFinite(g) && isFinite(p)) {
            return finiteEqual(g, p);
        }
        // "(1,2)" is also how a pair is written, so an open interval accepts a two-element answer.
        if (g instanceof IntervalValue gi && gi.loOpen() && gi.hiOpen() && isFinite(p) && size(p) == 2) {
            return finiteEqual(asPair(gi), p);
        }
        if (p instanceof IntervalValue pi && pi.loOpen() && pi.hiOpen() && isFinite(g) && size(g) == 2) {
            return finiteEqual(g, asPair(pi));
        }
        return false;
    }

    private static boolean isFinite(MathValue v) {
        return v instanceof SetValue || v instanceof TupleValue;
    }

    private static boolean isRealSet(MathValue v) {
        return v instanceof IntervalValue || v instanceof UnionValue;
    }

    private static int size(MathValue v) {
        return v instanceof SetValue s ? distinct(s.items()).size() : ((TupleValue) v).items().size();
    }

    private static TupleValue asPair(IntervalValue i) {
        return new TupleValue(List.of(new Scalar(i.lo()), new Scalar(i.hi())));
    }

    /**
     * A gold set ignores order; a gold tuple is read in order, also against a predicted bare list
     * ("2, 1" answers the point (2,1)).
     */
    private static boolean finiteEqual(MathValue g, MathValue p) {
        List<MathValue> gi = g instanceof SetValue s ? distinct(s.items()) : ((TupleValue) g).items();
        List<MathValue> pi = p instanceof SetValue s ? distinct(s.items()) : ((TupleValue) p).items();
        if (gi.size() != pi.size()) {
            return false;
        }
        if (g instanceof SetValue) {
            return matchUnordered(gi, pi);
        }
        for (int i = 0; i < gi.size(); i++) {
            if (!equivalent(gi.get(i), pi.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Like a set literal, repeated identical elements count once ({1, 1, 2} = {1, 2}). */
    private static List<MathValue> distinct(List<MathValue> items) {
        List<MathValue> out = new ArrayList<>();
        for (MathValue v : items) {
            if (!out.contains(v)) {
                out.add(v);
            }
        }
        return out;
    }

    private static boolean matchUnordered(List<MathValue> gold, List<MathValue> pred) {
        boolean[] used = new boolean[pred.size()];
        for (MathValue g : gold) {
            boolean found = false;
            for (int j = 0; j < pred.size() && !found; j++) {
                if (!used[j] && equivalent(g, pred.get(j))) {
                    used[j] = true;
                    found = true;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    private static boolean intervalsEqual(IntervalValue a, IntervalValue b) {
        return a.loOpen() == b.loOpen()
                && a.hiOpen() == b.hiOpen()
                && scalarsEqual(a.lo(), b.lo())
                && scalarsEqual(a.hi(), b.hi());
    }

    /**
     * Union of intervals as a sorted list of disjoint intervals, so that (3,oo) U (-oo,2) equals
     * (-oo,2) U (3,oo) and [0,1] U (1,2) equals [0,2). Null when an end point is not numeric.
     */
    private static List<IntervalValue> canonicalUnion(MathValue v) {
        List<IntervalValue> parts = new ArrayList<>();
        if (!flattenIntervals(v, parts)) {
            return null;
        }
        List<Real[]> bounds = new ArrayList<>();
        try {
            for (IntervalValue i : parts) {
                bounds.add(new Real[] {i.lo().eval(Map.of()), i.hi().eval(Map.of())});
            }
        } catch (ArithmeticException e) {
            return null;
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing(i -> sortKey(bounds.get(i)[0])));
        List<IntervalValue> out = new ArrayList<>();
        Real curHi = null;
        for (int idx : order) {
            IntervalValue cur = parts.get(idx);
            if (!out.isEmpty()) {
                IntervalValue last = out.get(out.size() - 1);
                int c = sortKey(bounds.get(idx)[0]).compareTo(sortKey(curHi));
                boolean touches = c < 0 || (c == 0 && !(last.hiOpen() && cur.loOpen()));
                if (touches) {
                    int h = sortKey(bounds.get(idx)[1]).compareTo(sortKey(curHi));
                    if (h > 0 || (h == 0 && last.hiOpen() && !cur.hiOpen())) {
                        out.set(out.size() - 1, new IntervalValue(last.lo(), cur.hi(), last.loOpen(), cur.hiOpen()));
                        curHi = bounds.get(idx)[1];
                    }
                    continue;
                }
            }
            out.add(cur);
            curHi = bounds.get(idx)[1];
        }
        return out;
    }

    private static boolean flattenIntervals(MathValue v, List<IntervalValue> out) {
        if (v instanceof IntervalValue i) {
            out.add(i);
            return true;
        }
        if (v instanceof UnionValue u) {
            for (MathValue p : u.parts()) {
                if (!flattenIntervals(p, out)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private static BigDecimal sortKey(Real r) {
        if (r.isInfinite()) {
            return new BigDecimal(r.signum()).scaleByPowerOfTen(1000);
        }
        return r.approxValue();
    }

    // ---------------------------------------------------------------- scalars

    static boolean scalarsEqual(Expr g, Expr p) {
        if (g.equals(p)) {
            return true;
        }
        // A word: \text{Monday} is one name, a bare Monday the product M*o*n*d*a*y. Read the letters
        // in order against the name (math-verify does the same), so both spellings match.
        if (g instanceof Expr.Var || p instanceof Expr.Var) {
            String gw = lettersOf(g);
            String pw = lettersOf(p);
            if (gw != null && pw != null) {
                return gw.equals(pw);
            }
        }
        Set<String> vars = g.variables();
        if (!vars.equals(p.variables())) {
            return false; // x + 1 is not y + 1
        }
        if (!vars.isEmpty()) {
            return equalAtSamplePoints(g, p, vars);
        }
        Real a;
        Real b;
        try {
            a = g.eval(Map.of());
            b = p.eval(Map.of());
        } catch (ArithmeticException e) {
            return false;
        }
        if (a.isInfinite() || b.isInfinite()) {
            return a.infinitySign() == b.infinitySign();
        }
        if (isAtomic(g) || isAtomic(p)) {
            boolean gFloat = isFloatAtom(g);
            boolean pFloat = isFloatAtom(p);
            if (gFloat || pFloat) {
                // A decimal answer is compared at 6 places (0.333333 = 1/3), but an integer only matches a
                // decimal that is exactly that integer (3 = 3.0, 3 != 3.0000001), as in math-verify.
                if ((!gFloat && a.isExactInteger()) || (!pFloat && b.isExactInteger())) {
                    return a.closeTo(b, false);
                }
                return a.rounded(FLOAT_PLACES).compareTo(b.rounded(FLOAT_PLACES)) == 0;
            }
            if (isIntegerAtom(g) && isIntegerAtom(p)) {
                // "25\%" answers "25": the percent sign is presentation when both are whole numbers.
                return stripPercent(g).equals(stripPercent(p));
            }
        }
        return a.closeTo(b, g.containsFloat() || p.containsFloat());
    }

    /** "monday" for M*o*n*d*a*y or for the name monday; null when e is not made of letters only. */
    private static String lettersOf(Expr e) {
        if (e instanceof Expr.Var v) {
            return v.name();
        }
        if (e instanceof Expr.Bin b && b.op() == Expr.Op.MUL) {
            String l = lettersOf(b.left());
            String r = lettersOf(b.right());
            return l == null || r == null ? null : l + r;
        }
        return null;
    }

    /** One literal number, possibly with a percent sign: what sympy keeps as an atomic Number. */
    private static boolean isAtomic(Expr e) {
        return e instanceof Lit || (e instanceof Pct pc && pc.arg() instanceof Lit);
    }

    private static boolean isFloatAtom(Expr e) {
        Expr x = stripPercent(e);
        return x instanceof Lit l && l.isFloat();
    }

    private static boolean isIntegerAtom(Expr e) {
        Expr x = stripPercent(e);
        return x instanceof Lit l && !l.isFloat() && l.value().isInteger();
    }

    private static Expr stripPercent(Expr e) {
        return e instanceof Pct pc ? pc.arg() : e;
    }

    /** Polynomial-style identity test: equal values at a few fixed, unremarkable points. */
    private static boolean equalAtSamplePoints(Expr g, Expr p, Set<String> vars) {
        int evaluated = 0;
        for (int t = 0; t < SAMPLE_POINTS + 3 && evaluated < SAMPLE_POINTS; t++) {
            Map<String, Real> env = samplePoint(vars, t);
            Real a;
            Real b;
            try {
                a = g.eval(env);
                b = p.eval(env);
            } catch (ArithmeticException e) {
                continue; // e.g. a root of a negative number at this point
            }
            if (!a.closeTo(b, g.containsFloat() || p.containsFloat())) {
                return false;
            }
            evaluated++;
        }
        return evaluated > 0;
    }

    /** f(x) = c * g(x) for a constant c != 0: the same equation written with a factor. */
    private static boolean proportional(Expr g, Expr p) {
        Set<String> vars = new TreeSet<>(g.variables());
        if (vars.isEmpty() || !vars.equals(p.variables())) {
            return false;
        }
        Real ratio = null;
        int evaluated = 0;
        for (int t = 0; t < SAMPLE_POINTS + 3 && evaluated < SAMPLE_POINTS; t++) {
            Map<String, Real> env = samplePoint(vars, t);
            try {
                Real a = g.eval(env);
                Real b = p.eval(env);
                if (a.signum() == 0 || b.signum() == 0) {
                    return false;
                }
                Real r = a.divide(b);
                if (ratio != null && !ratio.closeTo(r, false)) {
                    return false;
                }
                ratio = r;
                evaluated++;
            } catch (ArithmeticException e) {
                // try the next point
            }
        }
        return evaluated == SAMPLE_POINTS;
    }

    private static Map<String, Real> samplePoint(Set<String> vars, int t) {
        Map<String, Real> env = new HashMap<>();
        int k = 0;
        for (String v : new TreeSet<>(vars)) {
            // Distinct primes over distinct primes: no accidental coincidences between variables.
            long num = 1009L + 37L * (k + 1) * (k + 2) + 113L * t * (k + 3);
            env.put(v, Real.exact(BigRational.of(java.math.BigInteger.valueOf(num), java.math.BigInteger.valueOf(761))));
            k++;
        }
        return env;
    }
}
