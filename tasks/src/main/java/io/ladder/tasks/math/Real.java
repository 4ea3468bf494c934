package io.ladder.tasks.math;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * A real number produced by evaluating an answer: exact when the expression is rational
 * ({@code \frac{3}{4}}, {@code 2^{-2}}, {@code 0.75}), otherwise a 50-digit approximation
 * ({@code \sqrt{2}}, {@code \pi}). Infinities are kept as a sign so that {@code -\infty} can be an
 * interval end point.
 *
 * <p>{@code lowPrecision} marks values that went through double arithmetic (non-rational powers);
 * they are compared with a looser tolerance.
 */
public final class Real {
    static final MathContext MC = new MathContext(50, RoundingMode.HALF_EVEN);

    static final BigDecimal PI_DIGITS =
            new BigDecimal("3.14159265358979323846264338327950288419716939937510582097494459");
    static final BigDecimal E_DIGITS =
            new BigDecimal("2.71828182845904523536028747135266249775724709369995957496696763");

    /** Largest exponent we expand exactly; beyond it an answer is not a plausible final answer. */
    private static final int MAX_EXACT_EXPONENT = 2000;
    /** Bound on the size of exact powers, so that (10^{1000})^{1000} cannot exhaust memory. */
    private static final long MAX_EXACT_BITS = 100_000;

    public static final Real PI = new Real(null, PI_DIGITS.round(MC), 0, false);
    public static final Real E = new Real(null, E_DIGITS.round(MC), 0, false);
    public static final Real POSITIVE_INFINITY = new Real(null, null, 1, false);
    public static final Real NEGATIVE_INFINITY = new Real(null, null, -1, false);

    private final BigRational exact;
    private final BigDecimal approx;
    private final int infinity;
    private final boolean lowPrecision;

    private Real(BigRational exact, BigDecimal approx, int infinity, boolean lowPrecision) {
        this.exact = exact;
        this.approx = approx;
        this.infinity = infinity;
        this.lowPrecision = lowPrecision;
    }

    public static Real exact(BigRational r) {
        return new Real(r, r.toBigDecimal(MC), 0, false);
    }

    static Real approx(BigDecimal d, boolean lowPrecision) {
        return new Real(null, d.round(MC), 0, lowPrecision);
    }

    /** The exact rational value, or null when the value is irrational or infinite. */
    public BigRational exactValue() {
        return exact;
    }

    public BigDecimal approxValue() {
        return approx;
    }

    public boolean isInfinite() {
        return infinity != 0;
    }

    public int infinitySign() {
        return infinity;
    }

    public boolean isExactInteger() {
        return exact != null && exact.isInteger();
    }

    public boolean isLowPrecision() {
        return lowPrecision;
    }

    public Real negate() {
        if (infinity != 0) {
            return infinity > 0 ? NEGATIVE_INFINITY : POSITIVE_INFINITY;
        }
        return exact != null ? exact(exact.negate()) : new Real(null, approx.negate(), 0, lowPrecision);
    }

    public Real add(Real o) {
        if (infinity != 0 || o.infinity != 0) {
            // oo + finite = oo; oo - oo is undefined and rejected.
            if (infinity != 0 && o.infinity != 0 && infinity != o.infinity) {
                throw new ArithmeticException("undefined: oo - oo");
            }
            return infinity != 0 ? this : o;
        }
        if (exact != null && o.exact != null) {
            return exact(exact.add(o.exact));
        }
        return new Real(null, approx.add(o.approx, MC), 0, lowPrecision || o.lowPrecision);
    }

    public Real subtract(Real o) {
        return add(o.negate());
    }

    public Real multiply(Real o) {
        if (infinity != 0 || o.infinity != 0) {
            int s = signum() * o.signum();
            if (s == 0) {
                throw new ArithmeticException("undefined: 0 * oo");
            }
            return s > 0 ? POSITIVE_INFINITY : NEGATIVE_INFINITY;
        }
        if (exact != null && o.exact != null) {
            return exact(exact.multiply(o.exact));
        }
        return new Real(null, approx.multiply(o.approx, MC), 0, lowPrecision || o.lowPrecision);
    }

    public Real divide(Real o) {
        if (o.infinity != 0 || o.signum() == 0) {
            throw new ArithmeticException("division by zero or infinity");
        }
        if (infinity != 0) {
            return o.signum() > 0 ? this : negate();
        }
        if (exact != null && o.exact != null) {
            return exact(exact.divide(o.exact));
        }
        return new Real(null, approx.divide(o.approx, MC), 0, lowPrecision || o.lowPrecision);
    }

    public int signum() {
        return infinity != 0 ? infinity : approx.signum();
    }

    /** Principal real k-th root; exact when possible. */
    public Real root(int k) {
        if (infinity != 0 || k < 1) {
            throw new ArithmeticException("bad root");
        }
        if (signum() < 0 && k % 2 == 0) {
            throw new ArithmeticException("even root of a negative number");
        }
        if (exact != null) {
            BigRational r = exact.exactRoot(k);
            if (r != null) {
                return exact(r);
            }
        }
        if (k == 2) {
            return new Real(null, approx.sqrt(MC), 0, lowPrecision);
        }
        BigDecimal x = approx.abs();
        BigDecimal r = nthRoot(x, k);
        return new Real(null, signum() < 0 ? r.negate() : r, 0, lowPrecision);
    }

    private static BigDecimal nthRoot(BigDecimal x, int k) {
        if (x.signum() == 0) {
            return BigDecimal.ZERO;
        }
        // Newton: r <- ((k-1) r + x / r^(k-1)) / k, seeded from double arithmetic.
        double seed = Math.pow(x.doubleValue(), 1.0 / k);
        if (Double.isInfinite(seed) || Double.isNaN(seed)) {
            throw new ArithmeticException("root out of range");
        }
        BigDecimal r = new BigDecimal(seed, MC);
        if (r.signum() == 0) {
            throw new ArithmeticException("root underflow");
        }
        BigDecimal kk = BigDecimal.valueOf(k);
        for (int i = 0; i < 60; i++) {
            BigDecimal next =
                    r.multiply(BigDecimal.valueOf(k - 1L), MC)
                            .add(x.divide(r.pow(k - 1, MC), MC), MC)
                            .divide(kk, MC);
            if (next.compareTo(r) == 0) {
                break;
            }
            r = next;
        }
        return r;
    }

    public Real pow(Real e) {
        if (infinity != 0 || e.infinity != 0) {
            throw new ArithmeticException("power with infinity");
        }
        BigRational ex = e.exact;
        if (ex != null && ex.isInteger()) {
            BigInteger n = ex.numerator();
            if (n.abs().compareTo(BigInteger.valueOf(MAX_EXACT_EXPONENT)) > 0) {
                throw new ArithmeticException("exponent too large");
            }
            int ni = n.intValue();
            if (signum() == 0 && ni < 0) {
                throw new ArithmeticException("division by zero");
            }
            if (exact != null) {
                long bits = Math.max(exact.numerator().bitLength(), exact.denominator().bitLength());
                if (bits * Math.abs((long) ni) > MAX_EXACT_BITS) {
                    throw new ArithmeticException("power too large");
                }
                return exact(exact.pow(ni));
            }
            BigDecimal p = ni >= 0 ? approx.pow(ni, MC) : BigDecimal.ONE.divide(approx.pow(-ni, MC), MC);
            return new Real(null, p, 0, lowPrecision);
        }
        if (ex != null && ex.denominator().compareTo(BigInteger.valueOf(64)) <= 0) {
            // Rational exponent p/q: q-th root, then integer power (8^{2/3} = 4 exactly).
            return root(ex.denominator().intValue()).pow(exact(BigRational.of(ex.numerator(), BigInteger.ONE)));
        }
        if (signum() <= 0) {
            throw new ArithmeticException("non-rational power of a non-positive number");
        }
        double d = Math.pow(approx.doubleValue(), e.approx.doubleValue());
        if (Double.isInfinite(d) || Double.isNaN(d)) {
            throw new ArithmeticException("power overflow");
        }
        return new Real(null, new BigDecimal(d), 0, true);
    }

    /** Natural logarithm. */
    public Real ln() {
        if (infinity != 0 || signum() <= 0) {
            throw new ArithmeticException("logarithm of a non-positive number or infinity");
        }
        if (BigRational.ONE.equals(exact)) {
            return exact(BigRational.ZERO);
        }
        return new Real(null, lnOf(approx), 0, lowPrecision);
    }

    /**
     * Logarithm to {@code base}; exact when the result is a fraction with a small denominator
     * ({@code \log_2 8 = 3}, {@code \log_4 8 = 3/2}), as sympy evaluates it.
     */
    public Real log(Real base) {
        Real lb = base.ln();
        if (lb.signum() == 0) {
            throw new ArithmeticException("logarithm to base 1");
        }
        Real r = ln().divide(lb);
        if (exact == null || base.exact == null || r.exact != null) {
            return r;
        }
        for (int q = 1; q <= 12; q++) {
            BigDecimal pq = r.approx.multiply(BigDecimal.valueOf(q), MC).setScale(0, RoundingMode.HALF_EVEN);
            if (pq.abs().compareTo(BigDecimal.valueOf(MAX_EXACT_EXPONENT)) > 0) {
                break;
            }
            int p = pq.intValueExact();
            long bits = Math.max(base.exact.numerator().bitLength(), exact.numerator().bitLength()) + 64L;
            if (bits * (Math.abs(p) + q) > MAX_EXACT_BITS) {
                break;
            }
            if (base.exact.pow(p).equals(exact.pow(q))) {
                return exact(BigRational.of(BigInteger.valueOf(p), BigInteger.valueOf(q)));
            }
        }
        return r;
    }

    private static final MathContext LOG_MC = new MathContext(MC.getPrecision() + 15, RoundingMode.HALF_EVEN);
    private static final BigDecimal LN2 = atanhSeries(BigDecimal.ONE.divide(BigDecimal.valueOf(3), LOG_MC)).multiply(BigDecimal.valueOf(2));
    private static final BigDecimal LN10 =
            LN2.multiply(BigDecimal.valueOf(3)).add(atanhSeries(BigDecimal.ONE.divide(BigDecimal.valueOf(9), LOG_MC)).multiply(BigDecimal.valueOf(2)), LOG_MC);

    /** ln x = ln(u) - scale ln 10 for x = u 10^-scale, and ln u = ln(u / 2^b) + b ln 2 with u / 2^b in [1/2, 1). */
    private static BigDecimal lnOf(BigDecimal x) {
        BigInteger u = x.unscaledValue();
        int b = u.bitLength();
        BigDecimal y = new BigDecimal(u).divide(new BigDecimal(BigInteger.ONE.shiftLeft(b)), LOG_MC);
        // ln y = 2 atanh((y - 1) / (y + 1)), and |(y - 1) / (y + 1)| <= 1/3 converges quickly.
        BigDecimal z = y.subtract(BigDecimal.ONE).divide(y.add(BigDecimal.ONE), LOG_MC);
        BigDecimal lnY = atanhSeries(z).multiply(BigDecimal.valueOf(2));
        return lnY.add(LN2.multiply(BigDecimal.valueOf(b)), LOG_MC).subtract(LN10.multiply(BigDecimal.valueOf(x.scale())), LOG_MC).round(MC);
    }

    /** atanh z = z + z^3/3 + z^5/5 + ... for |z| <= 1/3. */
    private static BigDecimal atanhSeries(BigDecimal z) {
        BigDecimal z2 = z.multiply(z, LOG_MC);
        BigDecimal power = z;
        BigDecimal sum = z;
        BigDecimal eps = BigDecimal.ONE.movePointLeft(LOG_MC.getPrecision() + 2);
        for (int k = 3; power.abs().compareTo(eps) > 0; k += 2) {
            power = power.multiply(z2, LOG_MC);
            sum = sum.add(power.divide(BigDecimal.valueOf(k), LOG_MC), LOG_MC);
        }
        return sum;
    }

    /** Value rounded to {@code places} decimals, the way math-verify rounds floats before comparing. */
    public BigDecimal rounded(int places) {
        return approx.setScale(places, RoundingMode.HALF_EVEN);
    }

    /** Equality up to the precision this value was computed with. */
    public boolean closeTo(Real o, boolean floatTolerance) {
        if (infinity != 0 || o.infinity != 0) {
            return infinity == o.infinity;
        }
        if (exact != null && o.exact != null) {
            return exact.equals(o.exact);
        }
        BigDecimal diff = approx.subtract(o.approx).abs();
        BigDecimal scale = approx.abs().max(o.approx.abs()).max(BigDecimal.ONE);
        // 50-digit arithmetic loses a few digits per operation; double arithmetic about 16.
        String tol = (lowPrecision || o.lowPrecision || floatTolerance) ? "1e-12" : "1e-35";
        return diff.compareTo(scale.multiply(new BigDecimal(tol))) <= 0;
    }

    @Override
    public String toString() {
        if (infinity != 0) {
            return infinity > 0 ? "oo" : "-oo";
        }
        return exact != null ? exact.toString() : approx.round(new MathContext(12)).toPlainString();
    }
}
