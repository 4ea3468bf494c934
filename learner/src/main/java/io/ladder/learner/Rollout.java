package io.ladder.learner;

/**
 * One sampled completion as the learner trains on it.
 *
 * @param promptIds        the prompt's token ids (what the policy was conditioned on)
 * @param completionIds    the sampled token ids (may be empty)
 * @param samplingLogprobs log π_sampling(token) of each completion token at the sampling
 *                         temperature, as the sampler reported it; the denominator of the
 *                         importance ratio ρ = π_θ / π_sampling
 * @param reward           the scalar reward
 * @param group            samples with the same group are compared with each other (the G
 *                         samples of one prompt; for SOAR's teacher, the g datasets of a step)
 * @param unit             samples with the same (group, unit) share one reward and count as a
 *                         single sample in the baseline (SOAR: unit = dataset index k, every
 *                         rollout of dataset X_k gets R_k); {@code -1}: the sample is its own unit
 * @param advantageScale   multiplies the sample's advantage after the baseline (ExIt's diversity
 *                         bonus d_i); 1 for plain GRPO / RLOO
 * @param trained          per completion token, whether the model wrote it and it is trained on;
 *                         false for what an environment wrote into a multi-turn episode
 *                         (observations, tool responses). null: every token is the model's
 */
public record Rollout(int[] promptIds, int[] completionIds, float[] samplingLogprobs, double reward, int group,
                      int unit, double advantageScale, boolean[] trained) {
    public Rollout {
        if (trained != null && completionIds != null && trained.length != completionIds.length) {
            throw new IllegalArgumentException("rollout has " + completionIds.length + " completion tokens but a loss mask of "
                    + trained.length);
        }
        if (promptIds == null || promptIds.length == 0) {
            throw new IllegalArgumentException("rollout has an empty prompt");
        }
        if (completionIds == null || samplingLogprobs == null) {
            throw new IllegalArgumentException("rollout lacks completion ids or sampling log-probs");
        }
        if (samplingLogprobs.length != completionIds.length) {
            throw new IllegalArgumentException("rollout has " + completionIds.length + " completion tokens but "
                    + samplingLogprobs.length + " sampling log-probs");
        }
        if (unit < -1) {
            throw new IllegalArgumentException("rollout unit must be >= 0, or -1 for none: " + unit);
        }
        if (!(advantageScale >= 0) || Double.isInfinite(advantageScale)) {
            throw new IllegalArgumentException("rollout advantage scale must be finite and >= 0: " + advantageScale);
        }
    }

    /** A rollout of the model's tokens only. */
    public Rollout(int[] promptIds, int[] completionIds, float[] samplingLogprobs, double reward, int group, int unit,
                   double advantageScale) {
        this(promptIds, completionIds, samplingLogprobs, reward, group, unit, advantageScale, null);
    }

    /** A rollout whose advantage is not rescaled. */
    public Rollout(int[] promptIds, int[] completionIds, float[] samplingLogprobs, double reward, int group, int unit) {
        this(promptIds, completionIds, samplingLogprobs, reward, group, unit, 1.0);
    }

    /** A rollout with its own per-sample reward (no shared unit). */
    public Rollout(int[] promptIds, int[] completionIds, float[] samplingLogprobs, double reward, int group) {
        this(promptIds, completionIds, samplingLogprobs, reward, group, -1);
    }

    public int completionLength() {
        return completionIds.length;
    }

    /** Whether completion token {@code t} is trained on (the model's, not the environment's). */
    public boolean trains(int t) {
        return trained == null || trained[t];
    }

    /** The completion tokens the loss sees. */
    public int trainedLength() {
        if (trained == null) {
            return completionIds.length;
        }
        int n = 0;
        for (boolean b : trained) {
            n += b ? 1 : 0;
        }
        return n;
    }

    /** This rollout with another reward (e.g. after a reward function ran). */
    public Rollout withReward(double r) {
        return new Rollout(promptIds, completionIds, samplingLogprobs, r, group, unit, advantageScale, trained);
    }
}
