package io.ladder.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * SOAR's Proposition 1, numerically: the teacher discards malformed samples and resamples, so its
 * datasets are draws from π(· | well-formed), yet its update uses the plain score ∇log π(y). With
 * RLOO's dataset-level advantages (which sum to zero over the g datasets) and the same n samples
 * in every dataset, the two scores differ by a term that cancels, so the estimator is unbiased for
 * ∇ E_{y ~ π(·|W)}[v(y)]. Checked on a categorical "teacher" (softmax over six outputs, two of them
 * malformed) by exact enumeration of every possible pair of datasets, and by Monte Carlo with the
 * real discard-and-resample procedure; a baseline without the zero-sum property is shown biased.
 */
class TeacherGradientTest {
    private static final double[] LOGITS = {0.3, -0.2, 0.8, 0.1, 0.5, -0.4};
    private static final boolean[] WELL_FORMED = {true, true, true, true, false, false};
    private static final double[] VALUE = {0.9, -0.3, 0.2, 0.6, 0, 0}; // v(y): what a dataset of y earns (R_k = mean v)
    private static final int G = 2; // datasets
    private static final int N = 2; // pairs per dataset

    @Test
    void discardingMalformedSamplesLeavesTheRlooGradientUnbiased() {
        double[] exact = exactObjectiveGradient();
        double[] rloo = expectedEstimate(true);
        for (int i = 0; i < exact.length; i++) {
            assertEquals(exact[i], rloo[i], 1e-12, "component " + i);
        }
        // Without RLOO's zero-sum advantages (A_k = R_k, no baseline) the plain score is biased:
        // the term −n·∇log P(W)·Σ_k A_k no longer cancels.
        double[] noBaseline = expectedEstimate(false);
        double gap = 0;
        for (int i = 0; i < exact.length; i++) {
            gap = Math.max(gap, Math.abs(exact[i] - noBaseline[i]));
        }
        assertTrue(gap > 0.05, "a non-zero-sum estimator should be visibly biased, gap " + gap);
    }

    @Test
    void theDiscardAndResampleProcedureAgreesWithinItsStandardError() {
        double[] exact = exactObjectiveGradient();
        SplittableRandom rng = new SplittableRandom(20260130L);
        double[] p = softmax(LOGITS);
        int trials = 200_000;
        double[] sum = new double[p.length];
        double[] sumSq = new double[p.length];
        int discarded = 0;
        for (int trial = 0; trial < trials; trial++) {
            int[] ys = new int[G * N];
            for (int s = 0; s < ys.length; s++) {
                int y;
                while (!WELL_FORMED[y = draw(p, rng)]) {
                    discarded++; // dropped, never penalised
                }
                ys[s] = y;
            }
            double[] est = estimate(ys, p, true);
            for (int i = 0; i < p.length; i++) {
                sum[i] += est[i];
                sumSq[i] += est[i] * est[i];
            }
        }
        assertTrue(discarded > trials / 10, "the toy teacher should write malformed outputs");
        for (int i = 0; i < p.length; i++) {
            double mean = sum[i] / trials;
            double se = Math.sqrt(Math.max(0, sumSq[i] / trials - mean * mean) / trials);
            assertEquals(exact[i], mean, 5 * se + 1e-9, "component " + i + " (standard error " + se + ")");
        }
    }

    /** ∇θ J with J(θ) = Σ_{y∈W} π(y|W) v(y): the objective the teacher's update should follow. */
    private static double[] exactObjectiveGradient() {
        double[] p = softmax(LOGITS);
        double pw = 0;
        for (int y = 0; y < p.length; y++) {
            pw += WELL_FORMED[y] ? p[y] : 0;
        }
        double j = 0;
        for (int y = 0; y < p.length; y++) {
            j += WELL_FORMED[y] ? p[y] / pw * VALUE[y] : 0;
        }
        // ∂/∂θ_i of π(y|W) = π(y|W)·(1[y=i] − π(i|W)·1[i∈W]) for y ∈ W
        double[] grad = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            double qi = WELL_FORMED[i] ? p[i] / pw : 0;
            for (int y = 0; y < p.length; y++) {
                if (WELL_FORMED[y]) {
                    double qy = p[y] / pw;
                    grad[i] += VALUE[y] * qy * ((y == i ? 1 : 0) - qi);
                }
            }
        }
        return grad;
    }

    /** E[estimate] over every assignment of well-formed outputs to the G·N slots, weighted by π(·|W). */
    private static double[] expectedEstimate(boolean rloo) {
        double[] p = softmax(LOGITS);
        double pw = 0;
        for (int y = 0; y < p.length; y++) {
            pw += WELL_FORMED[y] ? p[y] : 0;
        }
        int slots = G * N;
        double[] out = new double[p.length];
        int[] ys = new int[slots];
        int combos = (int) Math.pow(p.length, slots);
        for (int c = 0; c < combos; c++) {
            int rest = c;
            double weight = 1;
            for (int s = 0; s < slots; s++) {
                ys[s] = rest % p.length;
                rest /= p.length;
                weight *= WELL_FORMED[ys[s]] ? p[ys[s]] / pw : 0;
            }
            if (weight == 0) {
                continue;
            }
            double[] est = estimate(ys, p, rloo);
            for (int i = 0; i < p.length; i++) {
                out[i] += weight * est[i];
            }
        }
        return out;
    }

    /**
     * The teacher's update direction for one outer step, as SOAR computes it: every sample of X_k
     * gets the advantage of X_k (from {@link Advantages#rloo(double[], int[], int[])} with dataset
     * units), times the plain score ∇log π(y) = e_y − π; averaged over the g datasets.
     */
    private static double[] estimate(int[] ys, double[] p, boolean rloo) {
        double[] rewards = new double[ys.length];
        int[] groups = new int[ys.length];
        int[] units = new int[ys.length];
        for (int k = 0; k < G; k++) {
            double rk = 0;
            for (int s = 0; s < N; s++) {
                rk += VALUE[ys[k * N + s]] / N;
            }
            for (int s = 0; s < N; s++) {
                rewards[k * N + s] = rk;  // every rollout of X_k gets R_k
                units[k * N + s] = k;
            }
        }
        double[] adv = rloo ? Advantages.rloo(rewards, groups, units) : rewards;
        double[] grad = new double[p.length];
        for (int s = 0; s < ys.length; s++) {
            for (int i = 0; i < p.length; i++) {
                grad[i] += adv[s] * ((ys[s] == i ? 1 : 0) - p[i]) / G;
            }
        }
        return grad;
    }

    private static double[] softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double[] e = new double[z.length];
        double s = 0;
        for (int i = 0; i < z.length; i++) {
            e[i] = Math.exp(z[i] - max);
            s += e[i];
        }
        for (int i = 0; i < z.length; i++) {
            e[i] /= s;
        }
        return e;
    }

    private static int draw(double[] p, SplittableRandom rng) {
        double u = rng.nextDouble();
        for (int i = 0; i < p.length; i++) {
            if ((u -= p[i]) < 0) {
                return i;
            }
        }
        return p.length - 1;
    }
}
