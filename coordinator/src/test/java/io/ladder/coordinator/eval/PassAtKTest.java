package io.ladder.coordinator.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PassAtKTest {
    /** 1 - C(n-c, k) / C(n, k) by direct binomials, for small n. */
    static double direct(int n, int c, int k) {
        return 1.0 - binom(n - c, k) / binom(n, k);
    }

    static double binom(int n, int k) {
        if (k > n) {
            return 0;
        }
        double r = 1;
        for (int i = 1; i <= k; i++) {
            r = r * (n - k + i) / i;
        }
        return r;
    }

    @Test
    void matchesTheBinomialFormula() {
        assertEquals(0.0, PassAtK.estimate(32, 0, 8));
        assertEquals(1.0, PassAtK.estimate(32, 32, 1));
        assertEquals(0.25, PassAtK.estimate(32, 8, 1), 1e-12);
        for (int n : new int[] {4, 10, 32}) {
            for (int c = 0; c <= n; c++) {
                for (int k = 1; k <= n; k++) {
                    assertEquals(direct(n, c, k), PassAtK.estimate(n, c, k), 1e-12, n + " " + c + " " + k);
                }
            }
        }
        // pass@k of one problem solved 1 time in 32: k/32
        assertEquals(16.0 / 32, PassAtK.estimate(32, 1, 16), 1e-12);
        assertEquals(0.5, PassAtK.mean(new int[] {32, 32}, new int[] {0, 32}, 4), 1e-12);
    }
}
