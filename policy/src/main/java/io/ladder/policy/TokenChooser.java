package io.ladder.policy;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Picks a token from one row of log-probabilities: greedy, or sampling with top-k / top-p. */
final class TokenChooser {
    private TokenChooser() {}

    static int argmax(float[] lp, int off, int v) {
        int best = 0;
        float bestVal = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < v; i++) {
            if (lp[off + i] > bestVal) { // first maximum wins, as torch.argmax does
                bestVal = lp[off + i];
                best = i;
            }
        }
        return best;
    }

    /**
     * Samples from softmax restricted to the top-k tokens and then to the smallest set whose
     * probability reaches top-p (ties broken by token id so results are reproducible), with the
     * kept probabilities renormalised.
     */
    static int sample(float[] lp, int off, int v, int topK, double topP, SplittableRandom rng) {
        boolean truncate = (topK > 0 && topK < v) || topP < 1.0;
        if (!truncate) {
            double u = rng.nextDouble();
            double c = 0;
            for (int i = 0; i < v; i++) {
                c += Math.exp(lp[off + i]);
                if (u < c) {
                    return i;
                }
            }
            return argmax(lp, off, v); // u landed in float rounding slack past the total mass
        }
        Integer[] order = new Integer[v];
        for (int i = 0; i < v; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b2) -> {
            int cmp = Float.compare(lp[off + b2], lp[off + a]);
            return cmp != 0 ? cmp : Integer.compare(a, b2);
        });
        int keep = topK > 0 ? Math.min(topK, v) : v;
        double total = 0;
        for (int i = 0; i < keep; i++) {
            total += Math.exp(lp[off + order[i]]);
        }
        if (topP < 1.0) {
            double mass = 0;
            int k = 0;
            while (k < keep) {
                mass += Math.exp(lp[off + order[k]]) / total;
                k++;
                if (mass >= topP) {
                    break;
                }
            }
            keep = k;
            total = 0;
            for (int i = 0; i < keep; i++) {
                total += Math.exp(lp[off + order[i]]);
            }
        }
        double u = rng.nextDouble() * total;
        double c = 0;
        for (int i = 0; i < keep; i++) {
            c += Math.exp(lp[off + order[i]]);
            if (u < c) {
                return order[i];
            }
        }
        return order[keep - 1];
    }
}
