package io.ladder.coordinator.eval;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * How sure a held-out change is: the mean over problems of (pass@k after − pass@k before), with
 * a 95% interval from a paired bootstrap over problems. Problems are resampled with replacement
 * and each keeps both of its measurements, so what varies is which problems were drawn, the
 * dominant noise when a held-out set has a hundred or so problems.
 *
 * @param delta the observed mean difference
 * @param low   2.5th percentile of the bootstrap distribution of the mean difference
 * @param high  97.5th percentile
 */
public record PairedBootstrap(double delta, double low, double high, int problems, int resamples) {
    /** The interval excludes 0: a change, not noise (at the 95% level). */
    public boolean significant() {
        return low > 0 || high < 0;
    }

    /**
     * @param before per-problem pass@k before training
     * @param after  per-problem pass@k after, same problems in the same order
     */
    public static PairedBootstrap of(double[] before, double[] after, int resamples, long seed) {
        if (before.length != after.length || before.length == 0) {
            throw new IllegalArgumentException("paired bootstrap needs the same non-empty problem list twice, got "
                    + before.length + " and " + after.length);
        }
        int n = before.length;
        double[] d = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            d[i] = after[i] - before[i];
            sum += d[i];
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[] means = new double[resamples];
        for (int b = 0; b < resamples; b++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += d[rng.nextInt(n)];
            }
            means[b] = s / n;
        }
        Arrays.sort(means);
        return new PairedBootstrap(sum / n, percentile(means, 0.025), percentile(means, 0.975), n, resamples);
    }

    /** Per-problem pass@k from sample and correct counts. */
    public static double[] perProblem(int[] samples, int[] correct, int k) {
        double[] out = new double[samples.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = PassAtK.estimate(samples[i], correct[i], k);
        }
        return out;
    }

    /** Linear interpolation between order statistics of a sorted array. */
    static double percentile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
