package io.ladder.learner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.ladder.learner.LearnerConfig.Aggregation;
import io.ladder.learner.LearnerConfig.KlEstimator;
import io.ladder.learner.LearnerConfig.KlPlacement;
import io.ladder.learner.LearnerConfig.RatioLevel;
import io.ladder.policy.Policy;
import org.junit.jupiter.api.Test;

/**
 * The clipped objective on hand-made log-probs: value and gradient with respect to log π_θ per
 * token, computed by hand case by case.
 */
class PolicyLossTest {
    static final double TOL = 2e-6;

    /** Loss value and d loss / d logp for a [2, 3] batch (second row has 2 tokens). */
    record Result(double loss, float[] grad, PolicyLoss.Output out) {}

    static Result run(LearnerConfig cfg, float[] logp, float[] old, float[] adv, float[] ref, float[] mask, float[] w) {
        try (NDManager m = Policy.newManager()) {
            Shape sh = new Shape(2, 3);
            NDArray lp = m.create(logp, sh);
            lp.setRequiresGradient(true);
            PolicyLoss.Output o;
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray masked = lp.mul(m.create(mask, sh)); // as Policy.score returns it
                o = PolicyLoss.compute(cfg, new PolicyLoss.Inputs(masked, m.create(mask, sh), m.create(old, sh),
                        m.create(adv), ref == null ? null : m.create(ref, sh), m.create(w, sh), null));
                gc.backward(o.loss());
            }
            return new Result(o.lossValue(), lp.getGradient().toFloatArray(), o);
        }
    }

    static final float[] MASK = {1, 1, 1, 1, 1, 0};
    static final float[] LOGP = {-1.0f, -0.5f, -2.0f, -0.3f, -1.2f, 0f};
    static final float[] OLD = {-1.0f, -0.9f, -1.5f, -0.1f, -1.2f, 0f};
    static final float[] REF = {-1.1f, -0.5f, -1.0f, -0.3f, -1.0f, 0f};
    static final float[] ADV = {0.5f, -1.0f};

    @Test
    void tokenLevelClippedLossWithK3MatchesHandComputation() {
        LearnerConfig cfg = LearnerConfig.grpo().clipEpsLow(0.2).clipEpsHigh(0.28).klBeta(0.1)
                .klEstimator(KlEstimator.K3).klPlacement(KlPlacement.LOSS).aggregation(Aggregation.TOKEN_MEAN).build();
        float w = 1f / 5; // token mean over the 5 completion tokens
        Result r = run(cfg, LOGP, OLD, ADV, REF, MASK, new float[] {w, w, w, w, w, 0});
        // ratios (float32 log-probs as the arrays hold them)
        double[] lr = new double[6];
        for (int i = 0; i < 6; i++) {
            lr[i] = (double) LOGP[i] - OLD[i];
        }
        double rho0 = 1, rho1 = Math.exp(lr[1]), rho2 = Math.exp(lr[2]), rho3 = Math.exp(lr[3]), rho4 = 1;
        // row 0, A = +0.5: tok0 inside; tok1 ρ = e^0.4 > 1.28 clipped high; tok2 ρ = e^-0.5 < 0.8 but A > 0: not clipped
        double l0 = -rho0 * 0.5, l1 = -1.28 * 0.5, l2 = -rho2 * 0.5;
        // row 1, A = -1: tok3 ρ = e^-0.2 inside [0.8, 1.28]; tok4 ρ = 1
        double l3 = rho3, l4 = rho4;
        double pg = (l0 + l1 + l2 + l3 + l4) / 5;
        double[] d = new double[6]; // ref - logp
        for (int i = 0; i < 6; i++) {
            d[i] = (double) REF[i] - LOGP[i];
        }
        double klSum = 0;
        for (int i = 0; i < 5; i++) {
            klSum += Math.exp(d[i]) - d[i] - 1; // k3
        }
        assertEquals(pg + 0.1 * klSum / 5, r.loss(), TOL);
        assertEquals(pg, r.out().policyLoss(), TOL);
        assertEquals(klSum, r.out().klSum(), TOL);
        assertEquals(1, r.out().clipHighCount(), 0);
        assertEquals(0, r.out().clipLowCount(), 0);
        // gradient: -ρA·w where the unclipped branch is active, 0 where clipped; plus β·w·(1 - e^d)
        double[] g = {
            -rho0 * 0.5 / 5 + 0.1 / 5 * (1 - Math.exp(d[0])),
            0 + 0.1 / 5 * (1 - Math.exp(d[1])),
            -rho2 * 0.5 / 5 + 0.1 / 5 * (1 - Math.exp(d[2])),
            rho3 / 5 + 0.1 / 5 * (1 - Math.exp(d[3])),
            rho4 / 5 + 0.1 / 5 * (1 - Math.exp(d[4])),
            0};
        assertArrayEquals(toFloat(g), r.grad(), (float) TOL);
    }

    @Test
    void sequenceMeanAggregationAndK1() {
        LearnerConfig cfg = LearnerConfig.grpo().clipEps(0.2).klBeta(0.5).klEstimator(KlEstimator.K1)
                .aggregation(Aggregation.SEQUENCE_MEAN).build();
        // weights 1/(|o_i| * B)
        float[] w = {1f / 6, 1f / 6, 1f / 6, 1f / 4, 1f / 4, 0};
        Result r = run(cfg, LOGP, OLD, ADV, REF, MASK, w);
        double rho2 = Math.exp((double) LOGP[2] - OLD[2]);
        double rho3 = Math.exp((double) LOGP[3] - OLD[3]);
        double row0 = (-0.5 + -1.2 * 0.5 + -rho2 * 0.5) / 3; // tok1: ρ = e^0.4 > 1.2, clipped at 1.2
        double row1 = (rho3 + 1) / 2;
        double k1Row0 = ((double) LOGP[0] - REF[0] + LOGP[1] - REF[1] + LOGP[2] - REF[2]) / 3;
        double k1Row1 = ((double) LOGP[3] - REF[3] + LOGP[4] - REF[4]) / 2;
        assertEquals((row0 + row1) / 2 + 0.5 * (k1Row0 + k1Row1) / 2, r.loss(), TOL);
        // d k1 / d logp = 1
        double[] g = {-0.5 / 6 + 0.5 / 6, 0 + 0.5 / 6, -rho2 * 0.5 / 6 + 0.5 / 6, rho3 / 4 + 0.5 / 4, 1.0 / 4 + 0.5 / 4, 0};
        assertArrayEquals(toFloat(g), r.grad(), (float) TOL);
    }

    @Test
    void sequenceRatioAsTrlRloo() {
        // TRL RLOO: ρ_i = exp(Σ_t logp - Σ_t old), l_i = -min(ρA, clip(ρ)A), loss = mean_i l_i
        LearnerConfig cfg = LearnerConfig.rloo().build();
        float[] w = {1f / 6, 1f / 6, 1f / 6, 1f / 4, 1f / 4, 0}; // SEQUENCE_MEAN weights
        Result r = run(cfg, LOGP, OLD, ADV, null, MASK, w);
        double s0 = (double) LOGP[0] - OLD[0] + LOGP[1] - OLD[1] + LOGP[2] - OLD[2]; // -0.1
        double s1 = (double) LOGP[3] - OLD[3] + LOGP[4] - OLD[4]; // -0.2
        double rho0 = Math.exp(s0), rho1 = Math.exp(s1); // both inside [0.8, 1.2]
        assertEquals((-rho0 * 0.5 + rho1) / 2, r.loss(), TOL);
        // every token of a sequence gets d/dlogp = -ρA / B
        float a = (float) (-rho0 * 0.5 / 2);
        float b = (float) (rho1 / 2);
        assertArrayEquals(new float[] {a, a, a, b, b, 0}, r.grad(), (float) TOL);
    }

    @Test
    void clippingCutsTheGradientExactlyAtBothBounds() {
        LearnerConfig cfg = LearnerConfig.grpo().clipEpsLow(0.2).clipEpsHigh(0.3).build();
        // one token per case; ratios set through old log-probs: ρ = exp(logp - old)
        float[] logp = {0f, 0f, 0f, 0f, 0f, 0f};
        float[] ratio = {0.5f, 0.5f, 2.0f, 2.0f, 0.9f, 1.25f};
        float[] old = new float[6];
        for (int i = 0; i < 6; i++) {
            old[i] = (float) -Math.log(ratio[i]);
        }
        float[] mask = {1, 1, 1, 1, 1, 1};
        float w = 1f / 6;
        float[] ws = {w, w, w, w, w, w};
        // the same six ratios once with A = -1 everywhere, once with A = +1
        Result neg = run(cfg, logp, old, new float[] {-1f, -1f}, null, mask, ws);
        Result pos = run(cfg, logp, old, new float[] {1f, 1f}, null, mask, ws);
        double[] rho = new double[6];
        for (int i = 0; i < 6; i++) {
            rho[i] = Math.exp(-(double) old[i]);
        }
        // A < 0: ρ < 1-ε_low is clipped (no gradient, loss uses 0.8); ρ > 1+ε_high is NOT clipped (pessimistic bound)
        assertEquals(0f, neg.grad()[0], 0);
        assertEquals(0f, neg.grad()[1], 0);
        assertEquals((float) (rho[2] / 6), neg.grad()[2], 1e-6f);
        assertEquals((float) (rho[3] / 6), neg.grad()[3], 1e-6f);
        assertEquals((float) (rho[4] / 6), neg.grad()[4], 1e-6f); // inside the range
        assertEquals((float) (rho[5] / 6), neg.grad()[5], 1e-6f);
        assertEquals(2, neg.out().clipLowCount(), 0);
        assertEquals(0, neg.out().clipHighCount(), 0);
        double negLoss = (0.8 + 0.8 + rho[2] + rho[3] + rho[4] + rho[5]) / 6;
        assertEquals(negLoss, neg.loss(), TOL);
        // A > 0: ρ > 1+ε_high is clipped; ρ < 1-ε_low is NOT clipped
        assertEquals((float) (-rho[0] / 6), pos.grad()[0], 1e-6f);
        assertEquals((float) (-rho[1] / 6), pos.grad()[1], 1e-6f);
        assertEquals(0f, pos.grad()[2], 0);
        assertEquals(0f, pos.grad()[3], 0);
        assertEquals((float) (-rho[4] / 6), pos.grad()[4], 1e-6f);
        assertEquals((float) (-rho[5] / 6), pos.grad()[5], 1e-6f);
        assertEquals(0, pos.out().clipLowCount(), 0);
        assertEquals(2, pos.out().clipHighCount(), 0);
        assertEquals(-(rho[0] + rho[1] + 1.3 + 1.3 + rho[4] + rho[5]) / 6, pos.loss(), TOL);
    }

    @Test
    void ratioExactlyOnABoundKeepsItsGradient() {
        // torch.clamp passes the gradient at the bound and min() splits a tie: the total stays -ρA·w
        LearnerConfig cfg = LearnerConfig.grpo().clipEpsLow(0.25).clipEpsHigh(0.25).build();
        float[] logp = {0f, 0f, 0f, 0f, 0f, 0f};
        float[] old = {(float) -Math.log(0.75), (float) -Math.log(1.25), 0, 0, 0, 0}; // ρ = 0.75 and 1.25 (to float)
        float[] mask = {1, 1, 0, 0, 0, 0};
        Result r = run(cfg, logp, old, new float[] {1f, 0f}, null, mask, new float[] {0.5f, 0.5f, 0, 0, 0, 0});
        assertEquals((float) (-Math.exp(-(double) old[0]) * 0.5), r.grad()[0], 1e-6f);
        assertEquals((float) (-Math.exp(-(double) old[1]) * 0.5), r.grad()[1], 1e-6f);
    }

    static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
