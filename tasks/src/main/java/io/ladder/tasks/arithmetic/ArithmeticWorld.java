package io.ladder.tasks.arithmetic;

import io.ladder.tasks.data.MathProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Ladder's built-in world: integer arithmetic expressions with a difficulty knob (number of
 * operands, digits per operand, operators, parentheses). Problems are reproducible from a seed
 * and their answers are exact, so a verifier can score any completion with certainty.
 */
public final class ArithmeticWorld {
    /** What makes a problem hard. */
    public record Difficulty(int operands, int maxDigits, String operators, boolean parentheses) {
        public Difficulty {
            if (operands < 2 || operands > 8) {
                throw new IllegalArgumentException("operands must be in [2, 8], got " + operands);
            }
            if (maxDigits < 1 || maxDigits > 4) {
                throw new IllegalArgumentException("maxDigits must be in [1, 4], got " + maxDigits);
            }
            if (operators.isEmpty() || !operators.matches("[+\\-*]+")) {
                throw new IllegalArgumentException("operators must be a non-empty subset of \"+-*\", got \"" + operators + "\"");
            }
        }
    }

    /** The difficulty ladder, level 1 (one-digit sums) to {@link #MAX_LEVEL} (long bracketed products). */
    public static final int MAX_LEVEL = 9;

    public static Difficulty level(int level) {
        return switch (level) {
            case 1 -> new Difficulty(2, 1, "+", false);
            case 2 -> new Difficulty(2, 1, "+-", false);
            case 3 -> new Difficulty(2, 2, "+-", false);
            case 4 -> new Difficulty(2, 1, "+-*", false);
            case 5 -> new Difficulty(3, 2, "+-", false);
            case 6 -> new Difficulty(3, 2, "+-*", false);
            case 7 -> new Difficulty(3, 2, "+-*", true);
            case 8 -> new Difficulty(4, 3, "+-*", true);
            case 9 -> new Difficulty(5, 3, "+-*", true);
            default -> throw new IllegalArgumentException("level must be in [1, " + MAX_LEVEL + "], got " + level);
        };
    }

    private ArithmeticWorld() {}

    /** One random expression of the given difficulty, as text without spaces (e.g. {@code 12+7*(3-4)}). */
    public static String expression(Difficulty d, SplittableRandom rng) {
        int n = d.operands();
        long[] operands = new long[n];
        for (int i = 0; i < n; i++) {
            int digits = 1 + rng.nextInt(d.maxDigits());
            long lo = digits == 1 ? 0 : pow10(digits - 1);
            operands[i] = lo + rng.nextLong(pow10(digits) - lo);
        }
        char[] ops = new char[n - 1];
        for (int i = 0; i < n - 1; i++) {
            ops[i] = d.operators().charAt(rng.nextInt(d.operators().length()));
        }
        // Parentheses around one random run of at least two operands (not the whole expression).
        int open = -1;
        int close = -1;
        if (d.parentheses() && n >= 3) {
            int len = 2 + rng.nextInt(n - 2);
            open = rng.nextInt(n - len + 1);
            close = open + len - 1;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(ops[i - 1]);
            }
            if (i == open) {
                sb.append('(');
            }
            sb.append(operands[i]);
            if (i == close) {
                sb.append(')');
            }
        }
        return sb.toString();
    }

    private static long pow10(int k) {
        long p = 1;
        for (int i = 0; i < k; i++) {
            p *= 10;
        }
        return p;
    }

    /** A problem at a level, with id {@code arith-L<level>-<seed>-<index>}. */
    public static MathProblem problem(int level, SplittableRandom rng, String id) {
        String expr = expression(level(level), rng);
        return new MathProblem(id, expr, Long.toString(Expressions.evaluate(expr)));
    }

    /** {@code count} problems at one level, reproducible from the seed. */
    public static List<MathProblem> problems(int level, int count, long seed) {
        SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + level);
        List<MathProblem> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(problem(level, rng, "arith-L" + level + "-" + seed + "-" + i));
        }
        return out;
    }

    /** The level a problem id names, or -1. */
    public static int levelOf(String id) {
        if (id == null || !id.startsWith("arith-L")) {
            return -1;
        }
        int dash = id.indexOf('-', 7);
        try {
            return Integer.parseInt(id.substring(7, dash < 0 ? id.length() : dash));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
