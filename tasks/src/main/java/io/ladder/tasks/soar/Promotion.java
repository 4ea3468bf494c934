package io.ladder.tasks.soar;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SOAR's promotion rule (Algorithm 1, the end of an outer step):
 *
 * <pre>
 * R̂_t = mean_k R_k
 * R̄_t = mean of the last m values of R̂           (moving average)
 * if R̄_t > τ:
 *     k* = argmax_k R_k                            (first on ties)
 *     j* = the repeat whose R_k*j is the median of R_k*1..R_k*r
 *     baseline student ← θ'_{k*, j*};  PQ ← PQ ∪ X_k*
 * </pre>
 *
 * Two choices the paper leaves open are options: whether the moving average forgets its history
 * after a promotion, and which middle value is the median when r is even. The history is the
 * rule's whole state (checkpointed).
 */
public final class Promotion {
    /** What the rule decided for one outer step. */
    public record Decision(double rHat, double rBar, boolean promoted, int dataset, int repeat) {}

    private final int window;          // m
    private final double threshold;    // τ
    private final boolean resetOnPromotion;
    private final boolean upperMedian;
    private final List<Double> history = new ArrayList<>(); // R̂ of the outer steps in the window

    public Promotion(int window, double threshold, boolean resetOnPromotion, boolean upperMedian) {
        if (window < 1) {
            throw new IllegalArgumentException("moving-average window must be at least 1, got " + window);
        }
        this.window = window;
        this.threshold = threshold;
        this.resetOnPromotion = resetOnPromotion;
        this.upperMedian = upperMedian;
    }

    /** Feeds one outer step's R_kj (dataset k, repeat j) and returns the decision. */
    public Decision observe(double[][] rewards) {
        double[] rK = datasetRewards(rewards);
        double rHat = mean(rK);                                  // R̂_t
        history.add(rHat);
        while (history.size() > window) {
            history.remove(0);
        }
        double rBar = history.stream().mapToDouble(Double::doubleValue).average().orElseThrow(); // R̄_t
        if (!(rBar > threshold)) {
            return new Decision(rHat, rBar, false, -1, -1);
        }
        int kStar = argmax(rK);
        int jStar = medianIndex(rewards[kStar], upperMedian);
        if (resetOnPromotion) {
            history.clear();
        }
        return new Decision(rHat, rBar, true, kStar, jStar);
    }

    /** R_k = mean_j R_kj. */
    public static double[] datasetRewards(double[][] rewards) {
        double[] out = new double[rewards.length];
        for (int k = 0; k < rewards.length; k++) {
            out[k] = mean(rewards[k]);
        }
        return out;
    }

    /** The index of the first largest value. */
    static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * The index whose value is the median: the middle one for odd length; for even length the
     * lower (or upper) of the two middle values. Ties keep the original order (a stable sort), so
     * the first of equal values is chosen.
     */
    public static int medianIndex(double[] v, boolean upper) {
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(v[a], v[b]));
        int mid = v.length % 2 == 1 ? v.length / 2 : (upper ? v.length / 2 : v.length / 2 - 1);
        return order[mid];
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** The R̂ values in the window, oldest first (checkpointed). */
    public List<Double> history() {
        return List.copyOf(history);
    }

    public void restore(List<Double> values) {
        history.clear();
        history.addAll(values);
    }
}
