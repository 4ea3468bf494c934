package io.ladder.coordinator.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PairedBootstrapTest {
    @Test
    void aConstantShiftHasAZeroWidthInterval() {
        double[] before = {0.1, 0.5, 0.9, 0.3};
        double[] after = {0.2, 0.6, 1.0, 0.4};
        PairedBootstrap b = PairedBootstrap.of(before, after, 500, 1);
        assertEquals(0.1, b.delta(), 1e-12);
        assertEquals(0.1, b.low(), 1e-12);
        assertEquals(0.1, b.high(), 1e-12);
        assertTrue(b.significant());
    }

    @Test
    void pureNoiseIsNotCalledAGain() {
        SplittableRandom r = new SplittableRandom(7);
        double[] before = new double[128];
        double[] after = new double[128];
        for (int i = 0; i < before.length; i++) {
            before[i] = r.nextInt(9) / 8.0; // pass@1 of 8 samples
            after[i] = before[i] + (r.nextBoolean() ? 0.125 : -0.125);
        }
        PairedBootstrap b = PairedBootstrap.of(before, after, 2000, 3);
        assertTrue(b.low() < b.delta() && b.delta() < b.high());
        // the standard error of a mean of ±0.125 steps over 128 problems is 0.125/sqrt(128) = 0.011
        assertEquals(4 * 0.125 / Math.sqrt(128), b.high() - b.low(), 0.01);
        assertEquals(b.delta() > 0 ? b.low() > 0 : b.high() < 0, b.significant());
    }

    @Test
    void pairingRemovesTheSpreadBetweenProblems() {
        // problems range from always to never solved; each gains 0.05: unpaired this would be noise
        double[] before = new double[100];
        double[] after = new double[100];
        for (int i = 0; i < 100; i++) {
            before[i] = (i % 20) / 20.0;
            after[i] = before[i] + (i % 2 == 0 ? 0.0 : 0.1);
        }
        PairedBootstrap b = PairedBootstrap.of(before, after, 2000, 5);
        assertEquals(0.05, b.delta(), 1e-12);
        assertTrue(b.significant(), b.toString());
        assertFalse(PairedBootstrap.of(before, before, 200, 5).significant());
    }

    @Test
    void perProblemPassAtKUsesTheUnbiasedEstimator() {
        double[] p = PairedBootstrap.perProblem(new int[] {8, 8}, new int[] {0, 2}, 4);
        assertEquals(0.0, p[0]);
        assertEquals(1 - (6.0 * 5 * 4 * 3) / (8 * 7 * 6 * 5), p[1], 1e-12);
    }
}
