package io.ladder.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TokenChooserTest {
    /** log of p = {0.5, 0.25, 0.15, 0.1}, at offset 1 of a row buffer. */
    static final float[] LP = {99f, (float) Math.log(0.5), (float) Math.log(0.25), (float) Math.log(0.15), (float) Math.log(0.1)};

    static int[] counts(int topK, double topP, int draws) {
        SplittableRandom rng = new SplittableRandom(42);
        int[] c = new int[4];
        for (int i = 0; i < draws; i++) {
            c[TokenChooser.sample(LP, 1, 4, topK, topP, rng)]++;
        }
        return c;
    }

    @Test
    void plainSamplingFollowsTheDistribution() {
        int[] c = counts(0, 1.0, 20000);
        assertEquals(0.5, c[0] / 20000.0, 0.015);
        assertEquals(0.25, c[1] / 20000.0, 0.015);
        assertEquals(0.15, c[2] / 20000.0, 0.015);
        assertEquals(0.10, c[3] / 20000.0, 0.015);
    }

    @Test
    void topKKeepsTheKMostLikelyRenormalised() {
        int[] c = counts(2, 1.0, 20000);
        assertEquals(0, c[2] + c[3]);
        assertEquals(2.0 / 3, c[0] / 20000.0, 0.015); // 0.5 / 0.75
    }

    @Test
    void topPKeepsTheSmallestNucleus() {
        int[] c = counts(0, 0.7, 20000); // 0.5 < 0.7 <= 0.75: tokens 0 and 1
        assertEquals(0, c[2] + c[3]);
        assertTrue(c[1] > 0);
        int[] d = counts(0, 0.5, 2000); // 0.5 reaches 0.5 exactly: token 0 alone
        assertEquals(2000, d[0]);
        int[] e = counts(3, 0.9, 20000); // top-k first (3 tokens, mass 0.9), then top-p over them
        assertEquals(0, e[3]);
    }

    @Test
    void greedyTakesTheFirstMaximum() {
        assertEquals(0, TokenChooser.argmax(LP, 1, 4));
        assertEquals(1, TokenChooser.argmax(new float[] {1f, 3f, 3f}, 0, 3));
    }
}
