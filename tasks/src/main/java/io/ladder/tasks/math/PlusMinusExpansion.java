package io.ladder.tasks.math;

import io.ladder.tasks.math.AnswerParser.ParseException;
import io.ladder.tasks.math.Expr.Bin;
import io.ladder.tasks.math.Expr.Lit;
import io.ladder.tasks.math.Expr.Op;
import java.util.ArrayList;
import java.util.List;

/** {@code 1 \pm \sqrt{2}} as the two answers it stands for. */
final class PlusMinusExpansion {
    private PlusMinusExpansion() {}

    /** Expands every {@code a \pm b} into the two answers a + b and a - b. */
    static List<Expr> expand(Expr e) {
        List<Expr> out = expandAll(e);
        if (out.size() > 8) {
            throw new ParseException("too many \\pm");
        }
        return out;
    }

    private static List<Expr> expandAll(Expr e) {
        if (e instanceof Expr.PlusMinus pm) {
            List<Expr> out = new ArrayList<>();
            for (Expr l : expandAll(pm.left())) {
                for (Expr r : expandAll(pm.right())) {
                    boolean noLeft = l instanceof Lit z && z.value().signum() == 0 && !z.isFloat();
                    out.add(noLeft ? r : new Bin(Op.ADD, l, r));
                    out.add(noLeft ? AnswerParser.negate(r) : new Bin(Op.SUB, l, r));
                }
            }
            return out;
        }
        if (e instanceof Bin b) {
            List<Expr> out = new ArrayList<>();
            for (Expr l : expandAll(b.left())) {
                for (Expr r : expandAll(b.right())) {
                    out.add(new Bin(b.op(), l, r));
                }
            }
            return out;
        }
        if (e instanceof Expr.Neg n) {
            return expandAll(n.arg()).stream().map(AnswerParser::negate).toList();
        }
        if (e instanceof Expr.Pct p) {
            return expandAll(p.arg()).stream().map(x -> (Expr) new Expr.Pct(x)).toList();
        }
        if (e instanceof Expr.Root r) {
            return expandAll(r.radicand()).stream().map(x -> (Expr) new Expr.Root(x, r.index())).toList();
        }
        return List.of(e);
    }
}
