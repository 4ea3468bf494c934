package io.ladder.tasks.math;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Scalar expression tree built by {@link AnswerParser}. Only what final answers need: numbers,
 * variables, {@code \pi}, {@code \infty}, the four operations, powers, roots and percent.
 */
public sealed interface Expr {

    /** Value of the expression with the given variable values; throws ArithmeticException if undefined. */
    Real eval(Map<String, Real> env);

    /** Names of the variables the expression depends on. */
    default Set<String> variables() {
        Set<String> out = new TreeSet<>();
        collectVariables(this, out);
        return out;
    }

    /** True when a decimal literal such as {@code 0.25} occurs anywhere (float-style comparison). */
    default boolean containsFloat() {
        if (this instanceof Lit l) {
            return l.isFloat();
        }
        if (this instanceof Neg n) {
            return n.arg().containsFloat();
        }
        if (this instanceof Pct p) {
            return p.arg().containsFloat();
        }
        if (this instanceof Abs a) {
            return a.arg().containsFloat();
        }
        if (this instanceof Root r) {
            return r.radicand().containsFloat();
        }
        if (this instanceof Log l) {
            return l.arg().containsFloat() || (l.base() != null && l.base().containsFloat());
        }
        if (this instanceof Trig f) {
            return f.arg().containsFloat();
        }
        if (this instanceof Bin b) {
            return b.left().containsFloat() || b.right().containsFloat();
        }
        if (this instanceof PlusMinus b) {
            return b.left().containsFloat() || b.right().containsFloat();
        }
        return false;
    }

    private static void collectVariables(Expr e, Set<String> out) {
        if (e instanceof Var v) {
            if (!v.name().equals("e")) {
                out.add(v.name());
            }
        } else if (e instanceof Neg n) {
            collectVariables(n.arg(), out);
        } else if (e instanceof Pct p) {
            collectVariables(p.arg(), out);
        } else if (e instanceof Abs a) {
            collectVariables(a.arg(), out);
        } else if (e instanceof Root r) {
            collectVariables(r.radicand(), out);
        } else if (e instanceof Log l) {
            collectVariables(l.arg(), out);
            if (l.base() != null) {
                collectVariables(l.base(), out);
            }
        } else if (e instanceof Trig f) {
            collectVariables(f.arg(), out);
        } else if (e instanceof Bin b) {
            collectVariables(b.left(), out);
            collectVariables(b.right(), out);
        } else if (e instanceof PlusMinus b) {
            collectVariables(b.left(), out);
            collectVariables(b.right(), out);
        }
    }

    /**
     * A number written as one literal: an integer, a decimal, an integer fraction or a mixed number,
     * possibly negative. Decimal literals are "floats": math-verify compares them after rounding.
     */
    record Lit(BigRational value, boolean isFloat) implements Expr {
        @Override
        public Real eval(Map<String, Real> env) {
            return Real.exact(value);
        }

        @Override
        public String toString() {
            return isFloat ? value.toBigDecimal(Real.MC).stripTrailingZeros().toPlainString() : value.toString();
        }
    }

    /** A variable; names are lower-cased because answers are case-insensitive ({@code X} = {@code x}). */
    record Var(String name) implements Expr {
        @Override
        public Real eval(Map<String, Real> env) {
            Real v = env.get(name);
            if (v != null) {
                return v;
            }
            if (name.equals("e")) {
                return Real.E; // Euler's number, as in e^2
            }
            throw new ArithmeticException("unbound variable " + name);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    record Pi() implements Expr {
        @Override
        public Real eval(Map<String, Real> env) {
            return Real.PI;
        }

        @Override
        public String toString() {
            return "pi";
        }
    }

    record Infinity() implements Expr {
        @Override
        public Real eval(Map<String, Real> env) {
            return Real.POSITIVE_INFINITY;
        }

        @Override
        public String toString() {
            return "oo";
        }
    }

    record Neg(Expr arg) implements Expr {
        @Override
        public Real eval(Map<String, Real> env) {
            return arg.eval(env).negate();
        }

        @Override
        public String toString() {
            return "-(" + arg + ")";
        }
    }

    /** {@code x\%}: the value is x/100, but the grader also needs to know it was written as a percent. */
    record Pct(Expr arg) implements Expr {
        @Override
        public Real eval(Map<String, Real> env) {
            return arg.eval(env).divide(Real.exact(BigRational.of(100)));
        }

        @Override
        public String toString() {
            return arg + "%";
        }
    }

    /** {@code |x|}. */
    record Abs(Expr arg) implements Expr {
        @Override
        public Real eval(Map<String, Real> env) {
            Real v = arg.eval(env);
            return v.signum() < 0 ? v.negate() : v;
        }

        @Override
        public String toString() {
            return "|" + arg + "|";
        }
    }

    /** k-th root; {@code \sqrt{x}} is index 2. */
    record Root(Expr radicand, int index) implements Expr {
        @Override
        public Real eval(Map<String, Real> env) {
            return radicand.eval(env).root(index);
        }

        @Override
        public String toString() {
            return index == 2 ? "sqrt(" + radicand + ")" : "root" + index + "(" + radicand + ")";
        }
    }

    /** Logarithm of {@code arg} to {@code base}; a null base is the natural logarithm ({@code \ln}). */
    record Log(Expr arg, Expr base) implements Expr {
        @Override
        public Real eval(Map<String, Real> env) {
            Real x = arg.eval(env);
            return base == null ? x.ln() : x.log(base.eval(env));
        }

        @Override
        public String toString() {
            return base == null ? "ln(" + arg + ")" : "log_" + base + "(" + arg + ")";
        }
    }

    /**
     * {@code \sin x} and its kin, in radians ({@code ^\circ} is dropped before, as latex2sympy
     * does). Double precision: the value is compared with the looser tolerance.
     */
    record Trig(String name, Expr arg) implements Expr {
        static final java.util.Set<String> NAMES =
                java.util.Set.of("sin", "cos", "tan", "sec", "csc", "cot", "arcsin", "arccos", "arctan");

        @Override
        public Real eval(Map<String, Real> env) {
            Real x = arg.eval(env);
            if (x.isInfinite()) {
                throw new ArithmeticException(name + " of infinity");
            }
            double v = x.approxValue().doubleValue();
            double r = switch (name) {
                case "sin" -> Math.sin(v);
                case "cos" -> Math.cos(v);
                case "tan" -> Math.tan(v);
                case "sec" -> 1 / Math.cos(v);
                case "csc" -> 1 / Math.sin(v);
                case "cot" -> 1 / Math.tan(v);
                case "arcsin" -> Math.asin(v);
                case "arccos" -> Math.acos(v);
                default -> Math.atan(v);
            };
            if (Double.isNaN(r) || Double.isInfinite(r)) {
                throw new ArithmeticException(name + " undefined at " + v);
            }
            return Real.approx(new java.math.BigDecimal(r), true);
        }

        @Override
        public String toString() {
            return name + "(" + arg + ")";
        }
    }

    enum Op {
        ADD("+"),
        SUB("-"),
        MUL("*"),
        DIV("/"),
        POW("^");

        final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }
    }

    record Bin(Op op, Expr left, Expr right) implements Expr {
        @Override
        public Real eval(Map<String, Real> env) {
            Real l = left.eval(env);
            Real r = right.eval(env);
            switch (op) {
                case ADD:
                    return l.add(r);
                case SUB:
                    return l.subtract(r);
                case MUL:
                    return l.multiply(r);
                case DIV:
                    return l.divide(r);
                default:
                    return l.pow(r);
            }
        }

        @Override
        public String toString() {
            return "(" + left + op.symbol + right + ")";
        }
    }

    /** {@code a \pm b}: only lives between parsing and the parser expanding it into two answers. */
    record PlusMinus(Expr left, Expr right) implements Expr {
        @Override
        public Real eval(Map<String, Real> env) {
            throw new ArithmeticException("unexpanded \\pm");
        }

        @Override
        public String toString() {
            return "(" + left + "+-" + right + ")";
        }
    }
}
