package io.ladder.tasks.soar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ladder.proto.SoarSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SOAR's promotion rule against sequences worked out by hand. */
class PromotionTest {
    private static final double TOL = 1e-12;

    /** g = 2 datasets, r = 3 repeats, each R_kj given. */
    private static double[][] step(double[] x1, double[] x2) {
        return new double[][] {x1, x2};
    }

    @Test
    void movingAverageOverTheWindowDecidesAgainstTau() {
        Promotion p = new Promotion(3, 0.01, false, false);
        // R_k = (0, 0.02): R̂ = 0.01; R̄ = 0.01, not > τ
        Promotion.Decision d1 = p.observe(step(new double[] {0, 0, 0}, new double[] {0.02, 0.02, 0.02}));
        assertEquals(0.01, d1.rHat(), TOL);
        assertEquals(0.01, d1.rBar(), TOL);
        assertFalse(d1.promoted());
        assertEquals(-1, d1.dataset());
        // R_k = (0.04, 0): R̂ = 0.02; R̄ = (0.01 + 0.02) / 2 = 0.015 > τ: k* = 0 (R_0 = 0.04)
        // R_0j = (0.06, 0.0, 0.06): sorted 0.0 (j=1), 0.06 (j=0), 0.06 (j=2); median index 1 → j* = 0 (stable order)
        Promotion.Decision d2 = p.observe(step(new double[] {0.06, 0.0, 0.06}, new double[] {0, 0, 0}));
        assertEquals(0.02, d2.rHat(), TOL);
        assertEquals(0.015, d2.rBar(), TOL);
        assertTrue(d2.promoted());
        assertEquals(0, d2.dataset());
        assertEquals(0, d2.repeat());
        // window m = 3 keeps the history across the promotion: R̂ = -0.06 → R̄ = (0.01 + 0.02 - 0.06) / 3 = -0.01
        Promotion.Decision d3 = p.observe(step(new double[] {-0.06, -0.06, -0.06}, new double[] {-0.06, -0.06, -0.06}));
        assertEquals(-0.01, d3.rBar(), TOL);
        assertFalse(d3.promoted());
        // the oldest value leaves the window: R̂ = 0.08 → R̄ = (0.02 - 0.06 + 0.08) / 3 = 0.01333 > τ
        Promotion.Decision d4 = p.observe(step(new double[] {0.0, 0.03, 0.09}, new double[] {0.12, 0.06, 0.18}));
        assertEquals((0.02 - 0.06 + 0.08) / 3, d4.rBar(), TOL);
        assertTrue(d4.promoted());
        assertEquals(1, d4.dataset());          // R_1 = 0.12 > R_0 = 0.04
        assertEquals(0, d4.repeat());           // sorted 0.06 (j=1), 0.12 (j=0), 0.18 (j=2): the median is j = 0
        assertEquals(List.of(0.02, -0.06, 0.08), p.history().stream().map(v -> Math.round(v * 100) / 100.0).toList());
    }

    @Test
    void resetOptionForgetsTheHistoryAfterAPromotion() {
        Promotion keep = new Promotion(2, 0.01, false, false);
        Promotion reset = new Promotion(2, 0.01, true, false);
        double[][] good = step(new double[] {0.05}, new double[] {0.03}); // R̂ = 0.04
        double[][] bad = step(new double[] {-0.01}, new double[] {-0.01}); // R̂ = -0.01
        assertTrue(keep.observe(good).promoted());
        assertTrue(reset.observe(good).promoted());
        // keep: R̄ = (0.04 - 0.01) / 2 = 0.015 > τ, promoted again; reset: R̄ = -0.01
        Promotion.Decision k = keep.observe(bad);
        Promotion.Decision r = reset.observe(bad);
        assertEquals(0.015, k.rBar(), TOL);
        assertTrue(k.promoted());
        assertEquals(-0.01, r.rBar(), TOL);
        assertFalse(r.promoted());
        assertEquals(List.of(-0.01), reset.history());
    }

    @Test
    void argmaxTakesTheFirstOfTiedDatasets() {
        Promotion p = new Promotion(1, 0.0, false, false);
        Promotion.Decision d = p.observe(new double[][] {{0.1}, {0.3}, {0.3}});
        assertEquals(1, d.dataset());
    }

    @Test
    void medianOfAnEvenNumberOfRepeatsIsTheOptionsMiddleValue() {
        double[] r = {0.4, 0.1, 0.3, 0.2}; // sorted: 0.1 (j=1), 0.2 (j=3), 0.3 (j=2), 0.4 (j=0)
        assertEquals(3, Promotion.medianIndex(r, false)); // lower middle: 0.2
        assertEquals(2, Promotion.medianIndex(r, true));  // upper middle: 0.3
        assertEquals(0, Promotion.medianIndex(new double[] {7}, false));
        assertEquals(2, Promotion.medianIndex(new double[] {0.5, -1, 0.1}, true)); // odd: the middle either way
        Promotion upper = new Promotion(1, 0.0, false, true);
        assertEquals(2, upper.observe(new double[][] {r}).repeat());
    }

    @Test
    void thresholdIsStrict() {
        Promotion p = new Promotion(1, 0.25, false, false);
        assertFalse(p.observe(new double[][] {{0.25}, {0.25}}).promoted());
        assertTrue(p.observe(new double[][] {{0.25}, {0.2500001}}).promoted());
    }

    @Test
    void stateRoundTrips() {
        Promotion a = new Promotion(3, 0.01, false, false);
        a.observe(new double[][] {{0.0}, {0.01}});
        a.observe(new double[][] {{0.0}, {-0.01}});
        Promotion b = new Promotion(3, 0.01, false, false);
        b.restore(a.history());
        double[][] next = {{0.05}, {0.01}};
        assertEquals(a.observe(next), b.observe(next));
    }

    @Test
    void settingsRefuseWhatCannotRun() {
        assertEquals(4, SoarSettings.resolve(SoarSpec.getDefaultInstance()).getDatasets());
        SoarSpec small = SoarSettings.resolve(SoarSpec.newBuilder().setDatasets(2).setQuestionsPerDataset(8).setInnerSteps(4).build());
        assertEquals(8 * 2 * 8, small.getTeacherAttempts()); // the budget follows g·n
        assertEquals(12, small.getMaxInnerSteps());
        assertThrows(IllegalArgumentException.class,
                () -> SoarSettings.resolve(SoarSpec.newBuilder().setTeacherAttempts(10).build()));
        assertThrows(IllegalArgumentException.class,
                () -> SoarSettings.resolve(SoarSpec.newBuilder().setHardTrainFile("a.jsonl").build()));
        assertThrows(IllegalArgumentException.class,
                () -> SoarSettings.resolve(SoarSpec.newBuilder().setInnerSteps(10).setMaxInnerSteps(5).build()));
    }
}
