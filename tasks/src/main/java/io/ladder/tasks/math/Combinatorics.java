package io.ladder.tasks.math;

import io.ladder.tasks.math.AnswerParser.ParseException;
import io.ladder.tasks.math.Expr.Bin;
import io.ladder.tasks.math.Expr.Lit;
import io.ladder.tasks.math.Expr.Op;
import java.math.BigInteger;

/** {@code n!} and {@code \binom{n}{k}} as the parser builds them. */
final class Combinatorics {
    private Combinatorics() {}

    private static final int MAX_N = 2000;
    private static final int MAX_SYMBOLIC_K = 20;

    /**
     * C(n, k): a number for integer n and k; for a symbolic n and a small integer k the polynomial
     * n(n-1)...(n-k+1)/k!, so that {@code \binom{n}{2}} equals {@code \frac{n(n-1)}{2}} (sympy
     * expands it too when comparing).
     */
    static Expr binomial(Expr n, Expr k) {
        if (!isIntegerLit(k)) {
            throw new ParseException("unsupported binomial");
        }
        BigInteger kk = ((Lit) k).value().numerator();
        if (!isIntegerLit(n)) {
            if (kk.signum() < 0 || kk.compareTo(BigInteger.valueOf(MAX_SYMBOLIC_K)) > 0 || n.variables().isEmpty()) {
                throw new ParseException("unsupported binomial");
            }
            Expr product = integer(BigInteger.ONE);
            for (int i = 0; i < kk.intValue(); i++) {
                product = new Bin(Op.MUL, product, new Bin(Op.SUB, n, integer(BigInteger.valueOf(i))));
            }
            return new Bin(Op.DIV, product, integer(factorialOf(kk.intValue())));
        }
        BigInteger nn = ((Lit) n).value().numerator();
        if (nn.signum() < 0 || kk.signum() < 0 || kk.compareTo(nn) > 0 || nn.compareTo(BigInteger.valueOf(MAX_N)) > 0) {
            throw new ParseException("unsupported binomial");
        }
        BigInteger r = BigInteger.ONE;
        for (int i = 0; i < kk.intValue(); i++) {
            r = r.multiply(nn.subtract(BigInteger.valueOf(i))).divide(BigInteger.valueOf(i + 1L));
        }
        return integer(r);
    }

    static Expr factorial(Expr e) {
        if (!(e instanceof Lit l) || l.isFloat() || !l.value().isInteger() || l.value().signum() < 0
                || l.value().numerator().compareTo(BigInteger.valueOf(500)) > 0) {
            throw new ParseException("unsupported factorial");
        }
        return integer(factorialOf(l.value().numerator().intValue()));
    }

    private static BigInteger factorialOf(int n) {
        BigInteger f = BigInteger.ONE;
        for (int i = 2; i <= n; i++) {
            f = f.multiply(BigInteger.valueOf(i));
        }
        return f;
    }

    private static Lit integer(BigInteger v) {
        return new Lit(BigRational.of(v, BigInteger.ONE), false);
    }

    static boolean isIntegerLit(Expr e) {
        return e instanceof Lit l && !l.isFloat() && l.value().isInteger();
    }
}
