package io.ladder.learner;

import io.ladder.proto.AlgorithmSpec;
import io.ladder.proto.RatioLevel;

/**
 * The one translation between a job spec's {@code algorithm} section and a {@link LearnerConfig}:
 * the algorithm's preset ({@link LearnerConfig#grpo()} / {@link LearnerConfig#rloo()}), with only
 * the fields the YAML set laid over it; and back, the spec with every field filled in from the
 * config (what {@code spec.json} and {@code train --print-config} show). The proto enums and the
 * learner's enums share their constant names, so each maps by name here and nowhere else.
 */
public final class AlgorithmSpecs {
    private AlgorithmSpecs() {}

    /**
     * The learner config a spec describes.
     *
     * @param temperature the sampling temperature (the learner's log-probs must use it too)
     * @param totalSteps  updates of the learning-rate schedule (the job's steps)
     * @throws IllegalArgumentException when the combination is invalid (LearnerConfig's checks)
     */
    public static LearnerConfig config(AlgorithmSpec a, double temperature, int totalSteps) {
        // ExIt trains with GRPO: its learner is GRPO's
        LearnerConfig.Builder b = switch (a.getName()) {
            case GRPO, EXIT -> LearnerConfig.grpo();
            case RLOO, SOAR -> LearnerConfig.rloo(); // SOAR: both its roles learn with RLOO
            default -> throw new IllegalArgumentException("algorithm.name: a learner config is made for grpo, rloo, exit or soar, not "
                    + a.getName());
        };
        if (a.hasScaleRewardsByStd()) b.scaleRewardsByStd(a.getScaleRewardsByStd());
        if (a.hasNormalizeAdvantages()) b.normalizeAdvantages(a.getNormalizeAdvantages());
        if (a.hasClipEpsLow()) b.clipEpsLow(a.getClipEpsLow());
        if (a.hasClipEpsHigh()) b.clipEpsHigh(a.getClipEpsHigh());
        if (a.hasEpochsPerBatch()) b.epochsPerBatch(a.getEpochsPerBatch());
        if (a.hasAggregation()) b.aggregation(LearnerConfig.Aggregation.valueOf(a.getAggregation().name()));
        if (a.hasKlBeta()) b.klBeta(a.getKlBeta());
        if (a.hasKlEstimator()) b.klEstimator(LearnerConfig.KlEstimator.valueOf(a.getKlEstimator().name()));
        if (a.hasKlPlacement()) b.klPlacement(LearnerConfig.KlPlacement.valueOf(a.getKlPlacement().name()));
        if (a.hasRatioLevel()) b.ratioLevel(LearnerConfig.RatioLevel.valueOf(a.getRatioLevel().name()));
        if (a.hasLr()) b.lr(a.getLr());
        if (a.hasWeightDecay()) b.weightDecay(a.getWeightDecay());
        if (a.hasWarmupSteps()) b.warmupSteps(a.getWarmupSteps());
        if (a.hasMinLrRatio()) b.minLrRatio(a.getMinLrRatio());
        if (a.hasMaxGradNorm()) b.maxGradNorm(a.getMaxGradNorm());
        if (a.hasMicroBatchSize()) b.microBatchSize(a.getMicroBatchSize());
        if (a.hasDropZeroVarianceGroups()) b.dropZeroVarianceGroups(a.getDropZeroVarianceGroups());
        return b.temperature(temperature).totalSteps(totalSteps).build();
    }

    /** {@code a} with every field set to the value {@code c} uses. */
    public static AlgorithmSpec resolved(AlgorithmSpec a, LearnerConfig c) {
        return a.toBuilder()
                .setScaleRewardsByStd(c.scaleRewardsByStd())
                .setNormalizeAdvantages(c.normalizeAdvantages())
                .setClipEpsLow(c.clipEpsLow())
                .setClipEpsHigh(c.clipEpsHigh())
                .setEpochsPerBatch(c.epochsPerBatch())
                .setAggregation(AlgorithmSpec.Aggregation.valueOf(c.aggregation().name()))
                .setKlBeta(c.klBeta())
                .setKlEstimator(AlgorithmSpec.KlEstimator.valueOf(c.klEstimator().name()))
                .setKlPlacement(AlgorithmSpec.KlPlacement.valueOf(c.klPlacement().name()))
                .setRatioLevel(RatioLevel.valueOf(c.ratioLevel().name()))
                .setLr(c.lr())
                .setWeightDecay(c.weightDecay())
                .setWarmupSteps(c.warmupSteps())
                .setMinLrRatio(c.minLrRatio())
                .setMaxGradNorm(c.maxGradNorm())
                .setMicroBatchSize(c.microBatchSize())
                .setDropZeroVarianceGroups(c.dropZeroVarianceGroups())
                .build();
    }
}
