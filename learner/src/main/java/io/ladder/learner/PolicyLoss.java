package io.ladder.learner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.ladder.learner.LearnerConfig.KlEstimator;
import io.ladder.learner.LearnerConfig.KlPlacement;
import io.ladder.learner.LearnerConfig.RatioLevel;

/**
 * The clipped policy-gradient objective of PPO as GRPO, DAPO and RLOO use it, on one micro-batch:
 * <pre>
 *   ρ = exp(log π_θ - log π_old)                     (per token, or per sequence: {@link RatioLevel})
 *   l_{i,t} = -min(ρ·A_i, clip(ρ, 1-ε_low, 1+ε_high)·A_i)  [+ β·k(log π_θ, log π_ref)]
 *   L = Σ_{i,t} w_{i,t} · l_{i,t}                     (w: the aggregation weights, mask included)
 * </pre>
 * with {@code k3 = exp(ref - logp) - (ref - logp) - 1} or {@code k1 = logp - ref}. The
 * weights {@code w} carry the normalisation over the <em>whole</em> batch, so the losses of
 * micro-batches add up to the full batch's loss and their gradients accumulate to its gradient.
 * The gradient of {@code min} at a tie (ρ inside the clip range) is split between both branches
 * and the clipped branch passes it there, so the unclipped gradient is exact, as in torch.
 */
final class PolicyLoss {
    private PolicyLoss() {}

    /**
     * @param logp       log π_θ per token [B, L], zero at padding, differentiable
     * @param mask       1 at completion tokens, 0 at padding [B, L]
     * @param oldLogp    log π_old (the sampling policy) [B, L], zero at padding
     * @param advantages A_i [B]
     * @param refLogp    log π_ref [B, L] (only when the KL term is in the loss), else null
     * @param weights    aggregation weights [B, L], zero at padding
     * @param entropy    per-token entropy [B, L] for the report, or null
     */
    record Inputs(NDArray logp, NDArray mask, NDArray oldLogp, NDArray advantages, NDArray refLogp,
                  NDArray weights, NDArray entropy) {}

    /**
     * The differentiable loss and sums for the report (plain numbers, detached).
     *
     * @param loss           Σ w·l (scalar NDArray with gradient)
     * @param lossValue      its value
     * @param policyLoss     the policy-gradient part Σ w·(-min(...))
     * @param klSum          Σ k over completion tokens (k of the configured estimator)
     * @param clipLowCount   tokens (or sequences, for a sequence ratio) with ρ &lt; 1-ε_low and A &lt; 0
     * @param clipHighCount  tokens (or sequences) with ρ &gt; 1+ε_high and A &gt; 0
     * @param entropySum     Σ entropy over completion tokens
     */
    record Output(NDArray loss, double lossValue, double policyLoss, double klSum, double clipLowCount,
                  double clipHighCount, double entropySum) {}

    static Output compute(LearnerConfig cfg, Inputs in) {
        NDArray logp = in.logp();
        NDArray mask = in.mask();
        long b = logp.getShape().get(0);
        NDArray logRatio = logp.sub(in.oldLogp()); // log ρ per token (0 at padding)
        NDArray lr;
        switch (cfg.ratioLevel()) {
            case TOKEN -> lr = logRatio; // [B, L]
            case SEQUENCE_SUM -> lr = logRatio.mul(mask).sum(new int[] {1}, true); // [B, 1]
            case SEQUENCE_MEAN -> lr = logRatio.mul(mask).sum(new int[] {1}, true)
                    .div(mask.sum(new int[] {1}, true).maximum(1f));
            default -> throw new IllegalStateException();
        }
        NDArray ratio = lr.exp(); // ρ
        NDArray adv = in.advantages().reshape(b, 1); // A_i, broadcast over tokens
        NDArray clipped = ratio.clip(1 - cfg.clipEpsLow(), 1 + cfg.clipEpsHigh()); // clip(ρ, 1-ε_low, 1+ε_high)
        NDArray surrogate = ratio.mul(adv).minimum(clipped.mul(adv)); // min(ρA, clip(ρ)A)
        NDArray perToken = surrogate.neg(); // [B, L] or [B, 1] (broadcast by the weights below)
        NDArray pgLoss = perToken.mul(in.weights()).sum();
        NDArray loss = pgLoss;
        double klSum = 0;
        if (cfg.klPlacement() == KlPlacement.LOSS && cfg.klBeta() > 0) {
            NDArray k = kl(cfg.klEstimator(), logp, in.refLogp()).mul(mask);
            loss = pgLoss.add(k.mul(in.weights()).sum().mul((float) cfg.klBeta())); // + β·k per token
            klSum = k.stopGradient().sum().getFloat();
        }
        // counts for the report
        NDArray r = ratio.stopGradient();
        NDArray low = r.lt(1 - cfg.clipEpsLow()).logicalAnd(adv.lt(0f)).toType(DataType.FLOAT32, false);
        NDArray high = r.gt(1 + cfg.clipEpsHigh()).logicalAnd(adv.gt(0f)).toType(DataType.FLOAT32, false);
        double lowCount;
        double highCount;
        if (cfg.ratioLevel() == RatioLevel.TOKEN) {
            lowCount = low.mul(mask).sum().getFloat();
            highCount = high.mul(mask).sum().getFloat();
        } else {
            NDArray hasTokens = mask.sum(new int[] {1}, true).gt(0f).toType(DataType.FLOAT32, false);
            lowCount = low.mul(hasTokens).sum().getFloat();
            highCount = high.mul(hasTokens).sum().getFloat();
        }
        double entropySum = in.entropy() == null ? 0 : in.entropy().stopGradient().mul(mask).sum().getFloat();
        return new Output(loss, loss.stopGradient().getFloat(), pgLoss.stopGradient().getFloat(), klSum,
                lowCount, highCount, entropySum);
    }

    /** Per-token KL estimate of π against π_ref from log-probs of tokens sampled from π. */
    static NDArray kl(KlEstimator est, NDArray logp, NDArray refLogp) {
        NDArray d = refLogp.sub(logp); // log π_ref - log π
        return switch (est) {
            case K1 -> d.neg(); // k1 = logp - ref
            case K3 -> d.exp().sub(d).sub(1f); // k3 = exp(ref - logp) - (ref - logp) - 1
        };
    }

    /** Per-token KL estimate on plain arrays (REWARD placement: log π_old against log π_ref). */
    static double kl(KlEstimator est, double logp, double refLogp) {
        double d = refLogp - logp;
        return switch (est) {
            case K1 -> -d;
            case K3 -> Math.exp(d) - d - 1;
        };
    }
}
