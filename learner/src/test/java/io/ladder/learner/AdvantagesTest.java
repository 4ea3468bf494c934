package io.ladder.learner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Advantages and group statistics against values computed by hand. */
class AdvantagesTest {
    static final double TOL = 1e-12;
    // two groups, interleaved on purpose: group 0 = {1, 0, 0, 1}, group 5 = {2, 4, 9}
    static final double[] R = {1, 2, 0, 4, 0, 9, 1};
    static final int[] G = {0, 5, 0, 5, 0, 5, 0};

    @Test
    void grpoDividesByTheUnbiasedGroupStdPlusEps() {
        double[] a = Advantages.grpo(R, G, true);
        // group 0: mean 0.5, unbiased std sqrt((4 * 0.25) / 3) = sqrt(1/3)
        double s0 = Math.sqrt(1.0 / 3) + 1e-4;
        // group 5: mean 5, deviations -3, -1, 4, unbiased std sqrt(26 / 2) = sqrt(13)
        double s5 = Math.sqrt(13) + 1e-4;
        assertArrayEquals(new double[] {0.5 / s0, -3 / s5, -0.5 / s0, -1 / s5, -0.5 / s0, 4 / s5, 0.5 / s0}, a, TOL);
    }

    @Test
    void drGrpoOnlyCentres() {
        assertArrayEquals(new double[] {0.5, -3, -0.5, -1, -0.5, 4, 0.5}, Advantages.grpo(R, G, false), TOL);
    }

    @Test
    void rlooSubtractsTheMeanOfTheOthers() {
        double[] a = Advantages.rloo(R, G);
        // group 0: sum 2 -> 1 - 1/3, 0 - 2/3; group 5: sum 15 -> 2 - 13/2, 4 - 11/2, 9 - 6/2
        assertArrayEquals(new double[] {2.0 / 3, -4.5, -2.0 / 3, -1.5, -2.0 / 3, 6, 2.0 / 3}, a, TOL);
        // RLOO = G/(G-1) * (r - mean)
        assertEquals(3.0 / 2 * (9 - 5), a[5], TOL);
    }

    @Test
    void equalRewardsAndSingletonsGiveZero() {
        double[] r = {0.7, 0.7, 0.7, 3.0};
        int[] g = {1, 1, 1, 2};
        // (0.7 * 3) / 3 is not exactly 0.7 in binary; TRL's torch code has the same rounding
        assertArrayEquals(new double[4], Advantages.grpo(r, g, true), 1e-9);
        assertArrayEquals(new double[4], Advantages.grpo(r, g, false), 1e-12);
        assertArrayEquals(new double[4], Advantages.rloo(r, g), 1e-12);
    }

    @Test
    void datasetLevelRewardsCountEachUnitOnce() {
        // SOAR's teacher: one group of 3 datasets (units) with 2 rollouts each; every rollout of X_k has R_k
        double[] r = {0.1, 0.1, 0.3, 0.3, -0.1, -0.1};
        int[] g = {7, 7, 7, 7, 7, 7};
        int[] u = {0, 0, 1, 1, 2, 2};
        double[] rloo = Advantages.rloo(r, g, u);
        // A(X_k) = R_k - mean of the other R's
        double a0 = 0.1 - (0.3 - 0.1) / 2;
        double a1 = 0.3 - (0.1 - 0.1) / 2;
        double a2 = -0.1 - (0.1 + 0.3) / 2;
        assertArrayEquals(new double[] {a0, a0, a1, a1, a2, a2}, rloo, TOL);
        // GRPO over units: mean 0.1, unbiased std over the 3 unit rewards = sqrt((0 + 0.04 + 0.04) / 2) = 0.2
        double[] grpo = Advantages.grpo(r, g, u, true, 1e-4);
        assertArrayEquals(new double[] {0, 0, 0.2 / 0.2001, 0.2 / 0.2001, -0.2 / 0.2001, -0.2 / 0.2001}, grpo, 1e-12);
        // the same rewards given per sample would weigh each rollout: different numbers
        assertFalse(Math.abs(Advantages.rloo(r, g)[0] - a0) < 1e-6 && Math.abs(Advantages.rloo(r, g)[2] - a1) < 1e-6);
    }

    @Test
    void whiteningIsOverTheBatch() {
        double[] w = Advantages.whiten(new double[] {1, 2, 3}, 1e-4);
        assertArrayEquals(new double[] {-1 / 1.0001, 0, 1 / 1.0001}, w, TOL); // mean 2, unbiased std 1
    }

    @Test
    void groupStatsReportMeanPopulationVarianceAndFlatGroups() {
        double[] r = {1, 2, 0, 4, 0, 9, 1, 0.5, 0.5};
        int[] g = {0, 5, 0, 5, 0, 5, 0, 3, 3};
        GroupStats s = GroupStats.of(r, g);
        assertEquals(3, s.groupCount());
        List<GroupStats.Group> gs = s.groups();
        assertEquals(0, gs.get(0).id());
        assertEquals(0.5, gs.get(0).mean(), TOL);
        assertEquals(0.25, gs.get(0).variance(), TOL); // p(1-p)
        assertEquals(5, gs.get(1).mean(), TOL);
        assertEquals(26.0 / 3, gs.get(1).variance(), TOL);
        assertTrue(gs.get(2).zeroVariance());
        assertFalse(gs.get(0).zeroVariance());
        assertEquals(1, s.zeroVarianceGroups());
        assertEquals(1.0 / 3, s.zeroVarianceFraction(), TOL);
        assertEquals(18.0 / 9, s.rewardMean(), TOL);
        assertEquals(List.of(3), s.zeroVarianceGroupIds());
    }

    @Test
    void lrScheduleWarmsUpThenFollowsTheCosineToTheFloor() {
        LrSchedule s = new LrSchedule(1e-3, 4, 14, 0.1);
        assertEquals(0, s.at(0), TOL); // transformers: the first warm-up update has lr 0
        assertEquals(0.5e-3, s.at(2), TOL);
        assertEquals(1e-3, s.at(4), TOL);
        assertEquals(1e-3 * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * 0.5))), s.at(9), TOL);
        assertEquals(1e-4, s.at(14), TOL);
        assertEquals(1e-4, s.at(100), TOL);
        assertEquals(2e-3, new LrSchedule(2e-3, 0, 0, 0).at(50), TOL);
    }
}
