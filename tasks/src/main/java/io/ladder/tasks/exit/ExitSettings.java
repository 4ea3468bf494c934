package io.ladder.tasks.exit;

import io.ladder.proto.ExitSpec;

/**
 * The ExIt presets (the rows of the paper's Table 1) and how a job's {@code algorithm.exit}
 * section lays over them: the one place ExIt's defaults live. The paper's math settings are the
 * defaults (N = 512, B_min = 128, p = 0.5, p_div = 0.2, KL reference refreshed every M = 100
 * steps); where it is silent Ladder chooses, and says so here:
 * <ul>
 *   <li>κ = 10: S lies in [0, 0.25] for binary rewards, so the most learnable instance is drawn
 *       e^2.5 ≈ 12 times as often as one with S = 0 (κ = 1 would be nearly uniform).</li>
 *   <li>one response per group becomes a new instance ({@code ONE_RANDOM}); {@code ALL} is the
 *       other reading.</li>
 *   <li>p_div is drawn per group ({@code PER_GROUP}: a GRPO group shares its prompt);
 *       {@code PER_ROLLOUT} draws it for each of the G rollouts, so a group may mix improve and
 *       diverge prompts of the same instance.</li>
 *   <li>a self-iteration rollout earns {@code GAIN}, max(0, Δ/Δ_max) (which for binary
 *       correctness is the new answer's correctness, the paper's math reward); {@code QUALITY}
 *       rewards the new answer's quality alone even when quality is graded.</li>
 *   <li>the KL refresh is a hard copy (α = 0) unless a decay is set.</li>
 *   <li>the diversity bonus (preset full) embeds solutions with Ladder's
 *       {@link io.ladder.tasks.TextEmbedding} (character n-grams of the text's shape and its
 *       numbers; {@code diversity_embedding: char_ngrams}), the one embedding available without downloads; d_i is the paper's
 *       distance / (max − min), 1 for a group whose distances do not spread.</li>
 * </ul>
 */
public final class ExitSettings {
    private ExitSettings() {}

    /** A preset with every field set. */
    public static ExitSpec preset(ExitSpec.Preset p) {
        ExitSpec.Builder b = ExitSpec.newBuilder().setPreset(p).setBufferCapacity(512).setMinBuffer(128)
                .setSelfIterationProb(0.5).setKappa(10.0).setDivergenceProb(0.0)
                .setNewInstances(ExitSpec.NewInstances.ONE_RANDOM)
                .setDivergenceDraw(ExitSpec.DivergenceDraw.PER_GROUP).setIterationReward(ExitSpec.IterationReward.GAIN)
                .setDiversityEmbedding(ExitSpec.DiversityEmbedding.CHAR_NGRAMS).setSelfIteration(true).setDiversityBonus(false)
                .setKlRefreshEvery(100).setKlRefreshDecay(0.0)
                .setSelfImproveSteps(4).setSelfImproveSamples(4);
        return switch (p) {
            case GRPO -> b.setSelfIterationProb(0.0).setSelfIteration(false).build();
            case CURRICULUM -> b.setSelfIteration(false).build();
            case IMPROVE -> b.build();
            case DIVERGE -> b.setDivergenceProb(0.2).build();
            case FULL -> b.setDivergenceProb(0.2).setDiversityBonus(true).build();
            default -> throw new IllegalArgumentException("algorithm.exit.preset: required (grpo, curriculum, improve, diverge, full)");
        };
    }

    /**
     * The preset the spec names with the fields it sets laid over it.
     *
     * @throws IllegalArgumentException naming the field when the combination is not one Ladder runs
     */
    public static ExitSpec resolve(ExitSpec user) {
        ExitSpec.Preset p = user.getPreset() == ExitSpec.Preset.PRESET_UNSPECIFIED ? ExitSpec.Preset.DIVERGE : user.getPreset();
        // every setting is proto3 `optional`: merging copies exactly the fields the YAML set
        ExitSpec s = preset(p).toBuilder().mergeFrom(user).setPreset(p).build();
        if (p == ExitSpec.Preset.GRPO && (s.getSelfIterationProb() != 0 || s.getSelfIteration() || s.getDiversityBonus())) {
            // laid over grpo these would quietly make another variant while the run calls itself GRPO
            throw new IllegalArgumentException("algorithm.exit.preset: grpo trains on the base tasks only; drop self_iteration_prob, "
                    + "self_iteration and diversity_bonus, or name the variant they make (curriculum, improve, diverge, full)");
        }
        if (s.getMinBuffer() > s.getBufferCapacity()) {
            throw new IllegalArgumentException("algorithm.exit.min_buffer: " + s.getMinBuffer() + " exceeds buffer_capacity "
                    + s.getBufferCapacity() + ": the buffer would never be sampled");
        }
        if (s.getNewInstances() == ExitSpec.NewInstances.NEW_INSTANCES_UNSPECIFIED) {
            throw new IllegalArgumentException("algorithm.exit.new_instances: expected one_random or all");
        }
        if (s.getDivergenceDraw() == ExitSpec.DivergenceDraw.DIVERGENCE_DRAW_UNSPECIFIED) {
            throw new IllegalArgumentException("algorithm.exit.divergence_draw: expected per_group or per_rollout");
        }
        if (s.getIterationReward() == ExitSpec.IterationReward.ITERATION_REWARD_UNSPECIFIED) {
            throw new IllegalArgumentException("algorithm.exit.iteration_reward: expected gain or quality");
        }
        if (s.getDiversityEmbedding() == ExitSpec.DiversityEmbedding.DIVERSITY_EMBEDDING_UNSPECIFIED) {
            throw new IllegalArgumentException("algorithm.exit.diversity_embedding: expected char_ngrams");
        }
        return s;
    }
}
