package io.ladder.tasks.exit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ladder.proto.RolloutBatch;
import io.ladder.proto.RolloutGroup;
import io.ladder.proto.RolloutSample;
import io.ladder.tasks.TextEmbedding;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The diversity bonus d_i = ||e_i − centroid|| / (max − min), and its degenerate groups. */
class DiversityBonusTest {
    @Test
    void theOddSolutionOutGetsTheLargestBonus() {
        List<String> sols = List.of("\\boxed{12}", "\\boxed{12}", "\\boxed{12}", "3*4 = 12 so \\boxed{12}");
        double[] d = DiversityBonus.scales(sols);
        // by hand: the three identical solutions share one distance a, the odd one b > a; d = dist / (b − a)
        Map<String, Double> same = TextEmbedding.of(sols.get(0));
        Map<String, Double> odd = TextEmbedding.of(sols.get(3));
        Map<String, Double> c = TextEmbedding.centroid(List.of(same, same, same, odd));
        double a = TextEmbedding.distance(same, c);
        double b = TextEmbedding.distance(odd, c);
        assertTrue(b > a);
        assertArrayEquals(new double[] {a / (b - a), a / (b - a), a / (b - a), b / (b - a)}, d, 1e-12);
        assertTrue(d[3] > d[0]);
    }

    @Test
    void degenerateGroupsKeepTheirAdvantages() {
        assertArrayEquals(new double[] {1, 1, 1}, DiversityBonus.scales(List.of("x", "x", "x")), 0.0); // all alike
        assertArrayEquals(new double[] {1, 1}, DiversityBonus.scales(List.of("ab", "cd")), 0.0); // equally far: no spread
        assertArrayEquals(new double[] {1}, DiversityBonus.scales(List.of("alone")), 0.0);
    }

    @Test
    void theBatchCarriesEachSamplesScale() {
        RolloutGroup.Builder g = RolloutGroup.newBuilder().setGroup(0);
        for (String t : List.of("\\boxed{1}", "\\boxed{1}", "1+0 gives \\boxed{1}")) {
            g.addSamples(RolloutSample.newBuilder().setGroup(0).setUnit(-1).setCompletionText(t));
        }
        RolloutBatch out = DiversityBonus.apply(RolloutBatch.newBuilder().addGroups(g).build());
        double[] d = DiversityBonus.scales(List.of("\\boxed{1}", "\\boxed{1}", "1+0 gives \\boxed{1}"));
        for (int i = 0; i < 3; i++) {
            assertTrue(out.getGroups(0).getSamples(i).hasAdvantageScale());
            assertEquals(d[i], out.getGroups(0).getSamples(i).getAdvantageScale(), 0.0);
        }
    }
}
