package io.ladder.tasks.arithmetic;

/**
 * Exact evaluation of integer expressions with +, -, *, unary minus and parentheses, by
 * recursive descent with the usual precedence. Overflow of 64-bit integers is an error,
 * never a silently wrong answer.
 */
public final class Expressions {
    private final String s;
    private int pos;

    private Expressions(String s) {
        this.s = s;
    }

    /** The value of {@code expr}; {@link IllegalArgumentException} names the position of a syntax error. */
    public static long evaluate(String expr) {
        Expressions p = new Expressions(expr.replace(" ", ""));
        long v = p.sum();
        if (p.pos != p.s.length()) {
            throw new IllegalArgumentException("unexpected '" + p.s.charAt(p.pos) + "' at position " + p.pos + " in \"" + expr + "\"");
        }
        return v;
    }

    /** True if {@code expr} is a well-formed expression of this grammar. */
    public static boolean isValid(String expr) {
        try {
            evaluate(expr);
            return !expr.isBlank();
        } catch (IllegalArgumentException | ArithmeticException e) {
            return false;
        }
    }

    private long sum() {
        long v = product();
        while (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
            char op = s.charAt(pos++);
            long r = product();
            v = op == '+' ? Math.addExact(v, r) : Math.subtractExact(v, r);
        }
        return v;
    }

    private long product() {
        long v = unary();
        while (pos < s.length() && s.charAt(pos) == '*') {
            pos++;
            v = Math.multiplyExact(v, unary());
        }
        return v;
    }

    private long unary() {
        if (pos < s.length() && s.charAt(pos) == '-') {
            pos++;
            return Math.negateExact(unary());
        }
        return atom();
    }

    private long atom() {
        if (pos >= s.length()) {
            throw new IllegalArgumentException("expression ends early in \"" + s + "\"");
        }
        if (s.charAt(pos) == '(') {
            pos++;
            long v = sum();
            if (pos >= s.length() || s.charAt(pos) != ')') {
                throw new IllegalArgumentException("missing ')' at position " + pos + " in \"" + s + "\"");
            }
            pos++;
            return v;
        }
        int start = pos;
        while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
            pos++;
        }
        if (start == pos) {
            throw new IllegalArgumentException("expected a number at position " + pos + " in \"" + s + "\"");
        }
        if (pos - start > 18) {
            throw new ArithmeticException("number too long in \"" + s + "\"");
        }
        return Long.parseLong(s.substring(start, pos));
    }
}
