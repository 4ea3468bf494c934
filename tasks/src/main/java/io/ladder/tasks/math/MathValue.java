package io.ladder.tasks.math;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** A parsed final answer: a scalar, or one of the compound shapes MATH-style answers take. */
public sealed interface MathValue {

    /** Names of the variables anywhere in the value. */
    default Set<String> variables() {
        Set<String> out = new TreeSet<>();
        if (this instanceof Scalar s) {
            out.addAll(s.expr().variables());
        } else if (this instanceof IntervalValue i) {
            out.addAll(i.lo().variables());
            out.addAll(i.hi().variables());
        } else if (this instanceof MatrixValue m) {
            m.rows().forEach(row -> row.forEach(e -> out.addAll(e.variables())));
        } else if (this instanceof Inequality q) {
            out.add(q.variable());
            out.addAll(q.set().variables());
        } else {
            List<MathValue> parts = this instanceof TupleValue t ? t.items()
                    : this instanceof SetValue st ? st.items()
                    : this instanceof UnionValue u ? u.parts()
                    : ((Relation) this).sides();
            parts.forEach(p -> out.addAll(p.variables()));
        }
        return out;
    }

    /** A number or an expression such as {@code 2\sqrt{3}}, {@code x^2+1} or the word {@code monday}. */
    record Scalar(Expr expr) implements MathValue {
        @Override
        public String toString() {
            return expr.toString();
        }
    }

    /** Ordered tuple or point: {@code (1,2,3)}. */
    record TupleValue(List<MathValue> items) implements MathValue {
        @Override
        public String toString() {
            return items.stream().map(Object::toString).collect(Collectors.joining(", ", "(", ")"));
        }
    }

    /** Finite set, either {@code \{1,2\}} or a bare list {@code 1, 2}; written order is kept. */
    record SetValue(List<MathValue> items) implements MathValue {
        @Override
        public String toString() {
            return items.stream().map(Object::toString).collect(Collectors.joining(", ", "{", "}"));
        }
    }

    /** Interval; the bracket type (open or closed end) is significant. */
    record IntervalValue(Expr lo, Expr hi, boolean loOpen, boolean hiOpen) implements MathValue {
        @Override
        public String toString() {
            return (loOpen ? "(" : "[") + lo + ", " + hi + (hiOpen ? ")" : "]");
        }
    }

    /** A matrix or column vector ({@code pmatrix}, {@code bmatrix}): shape and entries must match. */
    record MatrixValue(List<List<Expr>> rows) implements MathValue {
        @Override
        public String toString() {
            return rows.toString();
        }
    }

    /** Union of intervals and/or finite sets: {@code (-\infty,1)\cup(2,\infty)}. */
    record UnionValue(List<MathValue> parts) implements MathValue {
        @Override
        public String toString() {
            return parts.stream().map(Object::toString).collect(Collectors.joining(" U "));
        }
    }

    /** {@code 1 < x \le 2} or {@code x \neq 1}: a condition on one variable, kept as its solution set. */
    record Inequality(String variable, MathValue set) implements MathValue {
        @Override
        public String toString() {
            return variable + " in " + set;
        }
    }

    /**
     * {@code a = b = c} or {@code x \in S}. Only the first and last sides matter for grading: a chain
     * like {@code x = 2+3 = 5} answers "x is 5".
     */
    record Relation(List<MathValue> sides) implements MathValue {
        public MathValue lhs() {
            return sides.get(0);
        }

        public MathValue rhs() {
            return sides.get(sides.size() - 1);
        }

        /** {@code x = 5} or {@code xy = 5}: the left side names variables and has no numbers. */
        public boolean isAssignment() {
            return lhs() instanceof Scalar s && onlySymbols(s.expr());
        }

        private static boolean onlySymbols(Expr e) {
            if (e instanceof Expr.Var) {
                return true;
            }
            if (e instanceof Expr.Bin b) {
                return b.op() != Expr.Op.POW && onlySymbols(b.left()) && onlySymbols(b.right());
            }
            return false;
        }

        @Override
        public String toString() {
            return sides.stream().map(Object::toString).collect(Collectors.joining(" = "));
        }
    }
}
