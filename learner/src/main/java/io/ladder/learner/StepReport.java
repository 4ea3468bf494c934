package io.ladder.learner;

/**
 * What one {@link Learner#step} did. Loss, KL, entropy, clip fractions and gradient norm are
 * means over the optimizer updates of the step (one per epoch); KL, entropy and token clip
 * fractions are means over completion tokens (clip fractions over sequences when the ratio is
 * per sequence), as TRL logs them.
 *
 * @param optimizerStep       optimizer updates applied so far, after this step
 * @param version             weight version after this step
 * @param loss                the batch loss (policy part plus β·KL when the KL is in the loss)
 * @param policyLoss          the policy-gradient part of the loss
 * @param kl                  mean per-token KL estimate against the reference (0 without one)
 * @param entropy             mean per-token entropy of π_θ (NaN when not computed)
 * @param clipLowFraction     share of tokens with ρ &lt; 1-ε_low and A &lt; 0 (their gradient is cut)
 * @param clipHighFraction    share of tokens with ρ &gt; 1+ε_high and A &gt; 0
 * @param gradNorm            global gradient norm before clipping
 * @param lr                  learning rate of the last applied update
 * @param groupStats          reward statistics of the batch as given (before dropping groups)
 * @param droppedGroups       groups dropped because all their rewards were equal
 * @param skipped             true when an update was skipped (NaN/Inf) or nothing was left to train on
 * @param skipReason          why, or null
 * @param updates             optimizer updates applied in this step
 * @param skippedUpdates      updates skipped in this step because of NaN/Inf
 * @param totalSkippedUpdates updates skipped since the learner started
 * @param samples             rollouts trained on (after dropping groups)
 * @param completionTokens    completion tokens trained on per epoch
 * @param totalTokens         prompt + completion tokens forwarded per epoch
 * @param seconds             wall time of the step
 */
public record StepReport(long optimizerStep, long version, double loss, double policyLoss, double kl, double entropy,
                         double clipLowFraction, double clipHighFraction, double gradNorm, double lr,
                         GroupStats groupStats, int droppedGroups, boolean skipped, String skipReason, int updates,
                         int skippedUpdates, long totalSkippedUpdates, int samples, long completionTokens,
                         long totalTokens, double seconds) {

    /** Prompt + completion tokens per second over all epochs of the step. */
    public double tokensPerSecond() {
        return seconds > 0 ? totalTokens * (double) Math.max(1, updates + skippedUpdates) / seconds : 0;
    }

    /** One line for logs. */
    public String summary() {
        return String.format(java.util.Locale.ROOT,
                "step %d v%d loss %.5f kl %.5f ent %.4f clip %.3f/%.3f |g| %.4f lr %.3g reward %.4f zero-var %.2f%s (%d samples, %.2fs)",
                optimizerStep, version, loss, kl, entropy, clipLowFraction, clipHighFraction, gradNorm, lr,
                groupStats.rewardMean(), groupStats.zeroVarianceFraction(),
                skipped ? " SKIPPED: " + skipReason : "", samples, seconds);
    }
}
