package io.ladder.tasks.exit;

import io.ladder.proto.RolloutBatch;
import io.ladder.proto.RolloutGroup;
import io.ladder.tasks.TextEmbedding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Full ExIt's multiplicative diversity bonus (shared/papers/EXIT.md): embed each rollout's
 * solution (the completion, with {@link TextEmbedding}); d_i = ||e_i − centroid|| / (max_j − min_j
 * of those distances); each GRPO advantage is multiplied by d_i (the learner reads it from the
 * sample's {@code advantage_scale}). A group whose distances do not spread (every solution alike,
 * or all equally far) gets d_i = 1: there is no diversity to reward and nothing to divide by.
 */
public final class DiversityBonus {
    /** Below this spread of distances a group counts as degenerate. */
    static final double MIN_SPREAD = 1e-9;

    private DiversityBonus() {}

    /** d_i for the solutions of one group. */
    public static double[] scales(List<String> solutions) {
        int g = solutions.size();
        double[] d = new double[g];
        if (g < 2) {
            java.util.Arrays.fill(d, 1.0);
            return d;
        }
        List<Map<String, Double>> e = new ArrayList<>(g);
        for (String s : solutions) {
            e.add(TextEmbedding.of(s));
        }
        Map<String, Double> centroid = TextEmbedding.centroid(e);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < g; i++) {
            d[i] = TextEmbedding.distance(e.get(i), centroid);
            min = Math.min(min, d[i]);
            max = Math.max(max, d[i]);
        }
        double spread = max - min;
        for (int i = 0; i < g; i++) {
            d[i] = spread < MIN_SPREAD ? 1.0 : d[i] / spread;
        }
        return d;
    }

    /** The batch with every sample's advantage scale set to its d_i within its group. */
    public static RolloutBatch apply(RolloutBatch batch) {
        RolloutBatch.Builder out = batch.toBuilder();
        for (RolloutGroup.Builder grp : out.getGroupsBuilderList()) {
            List<String> texts = new ArrayList<>();
            grp.getSamplesList().forEach(s -> texts.add(s.getCompletionText()));
            double[] d = scales(texts);
            for (int i = 0; i < d.length; i++) {
                grp.getSamplesBuilder(i).setAdvantageScale(d[i]);
            }
        }
        return out.build();
    }
}
