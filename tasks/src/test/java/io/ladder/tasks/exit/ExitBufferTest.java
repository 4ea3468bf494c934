package io.ladder.tasks.exit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ladder.tasks.Task;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExitBufferTest {
    static final Task M = Task.of("m", "Question: 52-17", "35");
    static final List<Task> BASE = List.of(M, Task.of("n", "Question: 6*7", "42"));

    @Test
    void learnabilityIsTheGroupsRewardVariance() {
        assertEquals(0.0, ExitBuffer.learnability(new double[] {1, 1, 1, 1}), "always solved: nothing to learn");
        assertEquals(0.0, ExitBuffer.learnability(new double[] {0, 0, 0, 0}));
        assertEquals(0.25, ExitBuffer.learnability(new double[] {1, 0, 1, 0}), 1e-12); // p(1-p) at p = 1/2
        assertEquals(3.0 / 16, ExitBuffer.learnability(new double[] {1, 0, 0, 0}), 1e-12); // p(1-p) at p = 1/4
        // mean 0.4375; squared deviations 3 x 0.0625^2 + 0.1875^2 = 0.046875, over 4
        assertEquals(0.046875 / 4, ExitBuffer.learnability(new double[] {0.5, 0.25, 0.5, 0.5}), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> ExitBuffer.learnability(new double[] {1.5}));
    }

    @Test
    void scoreQuantilesDescribeTheBuffer() {
        ExitBuffer b = new ExitBuffer(10, 0, 1.0, 1.0);
        assertEquals(0.0, b.scoreQuantiles(0.5)[0], "empty buffer");
        for (int i = 1; i <= 10; i++) {
            b.insert(M, List.of("s" + i), i / 100.0);
        }
        double[] q = b.scoreQuantiles(0.1, 0.5, 0.9, 1.0);
        assertEquals(0.01, q[0], 1e-12); // nearest rank: the 1st, 5th, 9th, 10th of 10
        assertEquals(0.05, q[1], 1e-12);
        assertEquals(0.09, q[2], 1e-12);
        assertEquals(0.10, q[3], 1e-12);
    }

    @Test
    void aChildOfAnAlwaysSolvedParentInheritsZero() {
        ExitBuffer b = new ExitBuffer(4, 0, 1.0, 1.0);
        double parentS = ExitBuffer.learnability(new double[] {1, 1, 1, 1, 1, 1, 1, 1});
        b.insert(M, List.of("\\boxed{35}"), parentS);
        assertEquals(0.0, b.get(0).score());
    }

    @Test
    void everyPrefixOfAHistoryEnters() {
        ExitBuffer b = new ExitBuffer(10, 0, 1.0, 1.0);
        assertEquals(3, b.insertHistory(M, List.of("a", "b", "c"), 0, 0.1));
        assertEquals(List.of(1, 2, 3), b.instances().stream().map(ExitBuffer.Instance::iterate).sorted().toList());
        assertEquals("c", b.instances().stream().filter(i -> i.iterate() == 3).findFirst().orElseThrow().latest());
        assertEquals(2, b.insertHistory(M, List.of("a", "b", "c", "d", "e"), 3, 0.1), "the prefixes entered before are not offered again");
    }

    @Test
    void aFullBufferKeepsTheTopNAndReplacesTheMinimum() {
        ExitBuffer b = new ExitBuffer(3, 0, 1.0, 1.0);
        b.insert(M, List.of("s=0.1"), 0.1);
        b.insert(M, List.of("s=0.2"), 0.2);
        b.insert(M, List.of("s=0.05"), 0.05);
        assertFalse(b.insert(M, List.of("s=0.01"), 0.01), "below the minimum: refused");
        assertTrue(b.insert(M, List.of("s=0.15"), 0.15), "above the minimum: replaces it");
        assertEquals(List.of("s=0.2", "s=0.15", "s=0.1"), b.instances().stream().map(ExitBuffer.Instance::latest).toList());
        assertEquals(3, b.size());
    }

    @Test
    void tiesReplaceTheOldestMinimumAndAnEqualScoreEnters() {
        ExitBuffer b = new ExitBuffer(2, 0, 1.0, 1.0);
        b.insert(M, List.of("first"), 0.1);
        b.insert(M, List.of("second"), 0.1);
        assertTrue(b.insert(M, List.of("third"), 0.1), "S >= the minimum enters");
        assertEquals(List.of("second", "third"), b.instances().stream().map(ExitBuffer.Instance::latest).toList());
    }

    @Test
    void anEmptyOrSmallBufferDrawsBaseTasks() {
        ExitBuffer b = new ExitBuffer(8, 2, 1.0, 1.0);
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < 20; i++) {
            assertNull(b.draw(BASE, rng).instance(), "empty buffer: base tasks only");
        }
        b.insert(M, List.of("x"), 0.2);
        for (int i = 0; i < 20; i++) {
            assertFalse(b.draw(BASE, rng).fromBuffer(), "fewer than B_min instances: base tasks only");
        }
        b.insert(M, List.of("y"), 0.2);
        assertTrue(b.draw(BASE, rng).fromBuffer(), "p = 1 and B_min reached: the buffer");
    }

    @Test
    void kappaZeroIsUniformAndLargerKappaPrefersLearnableInstances() {
        ExitBuffer flat = new ExitBuffer(3, 0, 1.0, 0.0);
        ExitBuffer sharp = new ExitBuffer(3, 0, 1.0, 20.0);
        for (ExitBuffer b : List.of(flat, sharp)) {
            b.insert(M, List.of("a"), 0.0);
            b.insert(M, List.of("b"), 0.1);
            b.insert(M, List.of("c"), 0.25);
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(1.0 / 3, flat.selectionProbability(i), 1e-12);
        }
        double z = 1 + Math.exp(20 * 0.1) + Math.exp(20 * 0.25);
        assertEquals(Math.exp(20 * 0.25) / z, sharp.selectionProbability(2), 1e-12);
        // the empirical frequencies follow the softmax
        int[] counts = new int[3];
        SplittableRandom rng = new SplittableRandom(7);
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            String latest = sharp.draw(BASE, rng).instance().latest();
            counts["abc".indexOf(latest)]++;
        }
        for (int i = 0; i < 3; i++) {
            double p = sharp.selectionProbability(i);
            assertEquals(p, counts[i] / (double) n, 4 * Math.sqrt(p * (1 - p) / n), "instance " + i);
        }
    }

    @Test
    void withProbabilityOneMinusPABaseTaskIsDrawn() {
        ExitBuffer b = new ExitBuffer(4, 0, 0.3, 1.0);
        b.insert(M, List.of("x"), 0.2);
        SplittableRandom rng = new SplittableRandom(3);
        int fromBuffer = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            fromBuffer += b.draw(BASE, rng).fromBuffer() ? 1 : 0;
        }
        assertEquals(0.3, fromBuffer / (double) n, 4 * Math.sqrt(0.3 * 0.7 / n));
    }

    @TempDir
    Path tmp;

    @Test
    void stateSurvivesSaveAndLoadAndDrawsContinueIdentically() throws Exception {
        ExitBuffer a = new ExitBuffer(5, 1, 0.5, 3.0);
        a.insertHistory(M, List.of("r1", "r2"), 0, 0.2);
        a.insert(BASE.get(1), List.of("\\boxed{41}"), 0.1875);
        Path f = tmp.resolve("buffer.json");
        a.save(f);
        ExitBuffer b = new ExitBuffer(5, 1, 0.5, 3.0);
        b.load(f);
        assertEquals(a.instances(), b.instances());
        SplittableRandom ra = new SplittableRandom(11);
        SplittableRandom rb = new SplittableRandom(11);
        for (int i = 0; i < 50; i++) {
            assertEquals(a.draw(BASE, ra), b.draw(BASE, rb));
        }
        assertTrue(a.insert(M, List.of("new"), 0.3) == b.insert(M, List.of("new"), 0.3));
        assertEquals(a.instances(), b.instances(), "insertion order (ties) survives too");
        ExitBuffer other = new ExitBuffer(6, 1, 0.5, 3.0);
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> other.load(f));
        assertTrue(e.getMessage().contains("N=5") && e.getMessage().contains("N=6"), e.getMessage());
    }
}
