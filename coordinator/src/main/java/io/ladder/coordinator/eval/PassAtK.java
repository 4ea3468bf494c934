package io.ladder.coordinator.eval;

/**
 * The unbiased pass@k estimator of Chen et al. (2021): with n samples of which c are correct,
 * pass@k = 1 − C(n−c, k) / C(n, k), computed as 1 − Π_{i=n−c+1..n} (1 − k/i) to stay exact
 * in floating point for large n.
 */
public final class PassAtK {
    private PassAtK() {}

    public static double estimate(int n, int c, int k) {
        if (k > n) {
            throw new IllegalArgumentException("pass@" + k + " needs at least " + k + " samples, got " + n);
        }
        if (n - c < k) {
            return 1.0;
        }
        double fail = 1.0;
        for (int i = n - c + 1; i <= n; i++) {
            fail *= 1.0 - (double) k / i;
        }
        return 1.0 - fail;
    }

    /** Mean pass@k over problems, given each problem's sample and correct counts. */
    public static double mean(int[] n, int[] c, int k) {
        double s = 0;
        for (int i = 0; i < n.length; i++) {
            s += estimate(n[i], c[i], k);
        }
        return n.length == 0 ? 0 : s / n.length;
    }
}
