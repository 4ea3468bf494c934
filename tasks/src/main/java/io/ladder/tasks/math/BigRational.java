package io.ladder.tasks.math;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * Exact rational number, always in lowest terms with a positive denominator.
 *
 * <p>Answers such as {@code 3\frac{1}{2}}, {@code 0.125} or {@code 2^{-3}} are compared exactly
 * through this type so that no floating-point tolerance can make two different answers equal.
 */
public final class BigRational implements Comparable<BigRational> {
    public static final BigRational ZERO = new BigRational(BigInteger.ZERO, BigInteger.ONE);
    public static final BigRational ONE = new BigRational(BigInteger.ONE, BigInteger.ONE);

    private final BigInteger num;
    private final BigInteger den;

    private BigRational(BigInteger num, BigInteger den) {
        this.num = num;
        this.den = den;
    }

    public static BigRational of(BigInteger num, BigInteger den) {
        if (den.signum() == 0) {
            throw new ArithmeticException("division by zero");
        }
        if (den.signum() < 0) {
            num = num.negate();
            den = den.negate();
        }
        BigInteger g = num.gcd(den);
        if (!g.equals(BigInteger.ONE) && g.signum() != 0) {
            num = num.divide(g);
            den = den.divide(g);
        }
        if (num.signum() == 0) {
            den = BigInteger.ONE;
        }
        return new BigRational(num, den);
    }

    public static BigRational of(long n) {
        return new BigRational(BigInteger.valueOf(n), BigInteger.ONE);
    }

    /** Exact value of a plain decimal literal such as {@code 12}, {@code -0.125} or {@code .5}. */
    public static BigRational parseDecimal(String s) {
        BigDecimal d = new BigDecimal(s);
        if (d.scale() <= 0) {
            return new BigRational(d.toBigIntegerExact(), BigInteger.ONE);
        }
        return of(d.unscaledValue(), BigInteger.TEN.pow(d.scale()));
    }

    public BigInteger numerator() {
        return num;
    }

    public BigInteger denominator() {
        return den;
    }

    public boolean isInteger() {
        return den.equals(BigInteger.ONE);
    }

    public int signum() {
        return num.signum();
    }

    public BigRational add(BigRational o) {
        return of(num.multiply(o.den).add(o.num.multiply(den)), den.multiply(o.den));
    }

    public BigRational subtract(BigRational o) {
        return add(o.negate());
    }

    public BigRational multiply(BigRational o) {
        return of(num.multiply(o.num), den.multiply(o.den));
    }

    public BigRational divide(BigRational o) {
        return of(num.multiply(o.den), den.multiply(o.num));
    }

    public BigRational negate() {
        return new BigRational(num.negate(), den);
    }

    /** Integer power; callers bound the exponent so that the result stays small. */
    public BigRational pow(int e) {
        if (e >= 0) {
            return new BigRational(num.pow(e), den.pow(e));
        }
        return of(den.pow(-e), num.pow(-e));
    }

    /** Exact k-th root when numerator and denominator are both perfect k-th powers, else null. */
    public BigRational exactRoot(int k) {
        if (num.signum() < 0) {
            if (k % 2 == 0) {
                return null;
            }
            BigRational r = negate().exactRoot(k);
            return r == null ? null : r.negate();
        }
        BigInteger n = integerRoot(num, k);
        BigInteger d = integerRoot(den, k);
        if (n == null || d == null) {
            return null;
        }
        return of(n, d);
    }

    private static BigInteger integerRoot(BigInteger x, int k) {
        if (k == 2) {
            BigInteger r = x.sqrt();
            return r.multiply(r).equals(x) ? r : null;
        }
        // Newton iteration from a double estimate, then check the neighbours.
        double guess = Math.pow(x.doubleValue(), 1.0 / k);
        if (Double.isInfinite(guess) || Double.isNaN(guess)) {
            return null;
        }
        BigInteger r = BigDecimal.valueOf(Math.rint(guess)).toBigInteger();
        for (int delta = -1; delta <= 1; delta++) {
            BigInteger c = r.add(BigInteger.valueOf(delta));
            if (c.signum() >= 0 && c.pow(k).equals(x)) {
                return c;
            }
        }
        return null;
    }

    public BigDecimal toBigDecimal(MathContext mc) {
        return new BigDecimal(num).divide(new BigDecimal(den), mc);
    }

    @Override
    public int compareTo(BigRational o) {
        return num.multiply(o.den).compareTo(o.num.multiply(den));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BigRational r && num.equals(r.num) && den.equals(r.den);
    }

    @Override
    public int hashCode() {
        return num.hashCode() * 31 + den.hashCode();
    }

    @Override
    public String toString() {
        return isInteger() ? num.toString() : num + "/" + den;
    }
}
