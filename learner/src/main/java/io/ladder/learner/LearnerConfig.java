package io.ladder.learner;

/**
 * Everything that decides how the learner turns a batch of scored rollouts into an update.
 * Build one with {@link #grpo()} or {@link #rloo()} (presets that match Hugging Face TRL's
 * {@code GRPOTrainer} and {@code RLOOTrainer}, see below) and change what differs.
 *
 * <h2>Correspondence with TRL</h2>
 * <ul>
 *   <li>{@link Algorithm#GRPO}: TRL GRPOTrainer advantages, {@code A = r - mean(r)}, divided by
 *       {@code std(r) + 1e-4} when {@link #scaleRewardsByStd} (TRL {@code scale_rewards=True};
 *       torch's unbiased std). {@code scaleRewardsByStd = false} is Dr. GRPO (TRL
 *       {@code scale_rewards=False}/{@code "none"}).</li>
 *   <li>{@link Algorithm#RLOO}: TRL RLOOTrainer (the rewrite in TRL 0.23+): leave-one-out baseline
 *       {@code A_i = r_i - mean_{j≠i} r_j}, optionally whitened over the batch
 *       ({@link #normalizeAdvantages}, TRL {@code normalize_advantages}).</li>
 *   <li>{@link Aggregation}: TRL {@code loss_type}: {@code SEQUENCE_MEAN = "grpo"},
 *       {@code TOKEN_MEAN = "dapo"} (= {@code "bnpo"} when the batch is one micro-batch),
 *       {@code FIXED_LENGTH = "dr_grpo"}.</li>
 *   <li>{@link RatioLevel}: TRL GRPO {@code importance_sampling_level="token"} ({@code TOKEN}) or
 *       {@code "sequence"} ({@code SEQUENCE_MEAN}, GSPO's length-normalised ratio); TRL RLOO uses
 *       the ratio of whole-sequence probabilities ({@code SEQUENCE_SUM}).</li>
 *   <li>{@link KlPlacement}: TRL GRPO adds {@code β·k3} to every token's loss ({@code LOSS});
 *       TRL RLOO subtracts {@code β·Σ_t (log π_old - log π_ref)} from the reward before the
 *       baseline ({@code REWARD} with {@code K1}).</li>
 * </ul>
 *
 * @param algorithm              how advantages are computed
 * @param scaleRewardsByStd      GRPO only: divide by the group's standard deviation
 * @param normalizeAdvantages    whiten the advantages over the whole batch (TRL RLOO option)
 * @param advantageEps           the ε of {@code std + ε} (TRL: 1e-4)
 * @param clipEpsLow             ρ is clipped below at {@code 1 - clipEpsLow}
 * @param clipEpsHigh            ρ is clipped above at {@code 1 + clipEpsHigh} (DAPO's clip-higher: 0.28)
 * @param ratioLevel             token-level or sequence-level importance ratio
 * @param epochsPerBatch         optimizer updates per batch (TRL {@code num_iterations}, μ)
 * @param aggregation            how per-token losses become one number
 * @param maxCompletionLength    {@link Aggregation#FIXED_LENGTH}'s constant (0: longest completion in the batch)
 * @param klBeta                 β; 0 keeps no reference model
 * @param klEstimator            k1 or k3
 * @param klPlacement            KL in the loss (GRPO) or in the reward (RLOO)
 * @param lr                     peak learning rate
 * @param beta1                  AdamW β1
 * @param beta2                  AdamW β2
 * @param eps                    AdamW ε
 * @param weightDecay            AdamW decoupled weight decay (as torch.optim.AdamW)
 * @param warmupSteps            linear warm-up updates
 * @param totalSteps             updates of the cosine schedule (0: constant after warm-up)
 * @param minLrRatio             the cosine decays to {@code lr * minLrRatio}
 * @param maxGradNorm            clip the global gradient norm to this (≤ 0: no clipping)
 * @param microBatchSize         rows per forward/backward (≤ 0: the whole batch); gradients accumulate
 * @param temperature            logits are divided by this before log-softmax (use the sampling temperature)
 * @param dropZeroVarianceGroups drop groups whose rewards are all equal (DAPO dynamic sampling)
 * @param reportEntropy          compute the mean token entropy for the report (costs one softmax pass)
 */
public record LearnerConfig(
        Algorithm algorithm,
        boolean scaleRewardsByStd,
        boolean normalizeAdvantages,
        double advantageEps,
        double clipEpsLow,
        double clipEpsHigh,
        RatioLevel ratioLevel,
        int epochsPerBatch,
        Aggregation aggregation,
        int maxCompletionLength,
        double klBeta,
        KlEstimator klEstimator,
        KlPlacement klPlacement,
        double lr,
        double beta1,
        double beta2,
        double eps,
        double weightDecay,
        int warmupSteps,
        int totalSteps,
        double minLrRatio,
        double maxGradNorm,
        int microBatchSize,
        double temperature,
        boolean dropZeroVarianceGroups,
        boolean reportEntropy) {

    public enum Algorithm { GRPO, RLOO }

    /** How per-token losses l_{i,t} are reduced to the batch loss. */
    public enum Aggregation {
        /** Σ_{i,t} l_{i,t} / Σ_i |o_i| over the whole batch (TRL "dapo"; "bnpo" for one micro-batch). */
        TOKEN_MEAN,
        /** (1/B) Σ_i (1/|o_i|) Σ_t l_{i,t} (TRL "grpo", the GRPO paper). */
        SEQUENCE_MEAN,
        /** Σ_{i,t} l_{i,t} / (B · L) with a constant L (TRL "dr_grpo", Dr. GRPO). */
        FIXED_LENGTH
    }

    /** Where the importance ratio ρ is formed. */
    public enum RatioLevel {
        /** ρ_{i,t} = π_θ(o_{i,t}) / π_old(o_{i,t}) per token (PPO/GRPO). */
        TOKEN,
        /** ρ_i = π_θ(o_i) / π_old(o_i), the whole sequence's probability ratio (TRL RLOO). */
        SEQUENCE_SUM,
        /** ρ_i = (π_θ(o_i) / π_old(o_i))^{1/|o_i|} (GSPO; TRL importance_sampling_level="sequence"). */
        SEQUENCE_MEAN
    }

    /** Estimators of KL(π_θ ‖ π_ref) from samples of π (Schulman, "Approximating KL divergence"). */
    public enum KlEstimator {
        /** k1 = log π - log π_ref. */
        K1,
        /** k3 = exp(log π_ref - log π) - (log π_ref - log π) - 1 (non-negative; TRL GRPO). */
        K3
    }

    public enum KlPlacement {
        /** Add β·k(log π_θ, log π_ref) to each token's loss (differentiable; TRL GRPO). */
        LOSS,
        /** r_i ← r_i - β·Σ_t k(log π_old, log π_ref) before advantages (a constant; TRL RLOO). */
        REWARD
    }

    public LearnerConfig {
        require(algorithm != null && ratioLevel != null && aggregation != null && klEstimator != null
                && klPlacement != null, "algorithm, ratio level, aggregation and KL settings must be set");
        require(advantageEps >= 0, "advantageEps must be >= 0");
        require(clipEpsLow >= 0 && clipEpsLow < 1, "clipEpsLow must be in [0, 1): " + clipEpsLow);
        require(clipEpsHigh >= 0, "clipEpsHigh must be >= 0: " + clipEpsHigh);
        require(epochsPerBatch >= 1, "epochsPerBatch must be >= 1: " + epochsPerBatch);
        require(maxCompletionLength >= 0, "maxCompletionLength must be >= 0");
        require(klBeta >= 0 && Double.isFinite(klBeta), "klBeta must be >= 0: " + klBeta);
        require(lr >= 0 && Double.isFinite(lr), "lr must be >= 0: " + lr);
        require(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, "AdamW betas must be in [0, 1)");
        require(eps > 0, "AdamW eps must be > 0");
        require(weightDecay >= 0, "weightDecay must be >= 0");
        require(warmupSteps >= 0 && totalSteps >= 0, "warmupSteps and totalSteps must be >= 0");
        require(minLrRatio >= 0 && minLrRatio <= 1, "minLrRatio must be in [0, 1]");
        require(temperature > 0 && Double.isFinite(temperature), "temperature must be > 0: " + temperature);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("learner config: " + message);
        }
    }

    /**
     * TRL GRPOTrainer's loss: group-normalised advantages (std-scaled), token-level ratio clipped at
     * 0.2/0.2, β·k3 in the loss (β = 0 here: set it), token-mean aggregation, one epoch.
     * With {@link #rloo()} this is the one place a job's algorithm defaults come from.
     */
    public static Builder grpo() {
        return common(Algorithm.GRPO).scaleRewardsByStd(true).clipEps(0.2).ratioLevel(RatioLevel.TOKEN)
                .aggregation(Aggregation.TOKEN_MEAN).klEstimator(KlEstimator.K3).klPlacement(KlPlacement.LOSS);
    }

    /**
     * TRL RLOOTrainer's loss: leave-one-out advantages (not whitened), sequence-probability ratio
     * clipped at 0.2/0.2, one loss per sequence averaged over the batch, β·Σ k1 subtracted from
     * the reward.
     */
    public static Builder rloo() {
        return common(Algorithm.RLOO).scaleRewardsByStd(false).clipEps(0.2).ratioLevel(RatioLevel.SEQUENCE_SUM)
                .aggregation(Aggregation.SEQUENCE_MEAN).klEstimator(KlEstimator.K1).klPlacement(KlPlacement.REWARD);
    }

    public static Builder preset(Algorithm algorithm) {
        return algorithm == Algorithm.RLOO ? rloo() : grpo();
    }

    /**
     * What both presets share: TRL's / torch's values where they have one (lr 1e-6, AdamW betas
     * 0.9/0.999, ε 1e-8, no weight decay, gradient norm clipped at 1), no KL, one epoch, and a
     * constant learning rate after warm-up (min_lr_ratio 1: a schedule is asked for, not implied).
     */
    private static Builder common(Algorithm algorithm) {
        return new Builder(algorithm).normalizeAdvantages(false).advantageEps(1e-4).epochsPerBatch(1)
                .maxCompletionLength(0).klBeta(0).lr(1e-6).betas(0.9, 0.999).eps(1e-8).weightDecay(0.0)
                .warmupSteps(0).totalSteps(0).minLrRatio(1.0).maxGradNorm(1.0).microBatchSize(0).temperature(1.0)
                .dropZeroVarianceGroups(false).reportEntropy(true);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public boolean usesReference() {
        return klBeta > 0;
    }

    /** Mutable builder, started from a preset ({@link #grpo()}, {@link #rloo()}) that sets every field. */
    public static final class Builder {
        private Algorithm algorithm;
        private boolean scaleRewardsByStd;
        private boolean normalizeAdvantages;
        private double advantageEps;
        private double clipEpsLow;
        private double clipEpsHigh;
        private RatioLevel ratioLevel;
        private int epochsPerBatch;
        private Aggregation aggregation;
        private int maxCompletionLength;
        private double klBeta;
        private KlEstimator klEstimator;
        private KlPlacement klPlacement;
        private double lr;
        private double beta1;
        private double beta2;
        private double eps;
        private double weightDecay;
        private int warmupSteps;
        private int totalSteps;
        private double minLrRatio;
        private double maxGradNorm;
        private int microBatchSize;
        private double temperature;
        private boolean dropZeroVarianceGroups;
        private boolean reportEntropy;

        private Builder(Algorithm algorithm) {
            this.algorithm = algorithm;
        }

        Builder(LearnerConfig c) {
            algorithm = c.algorithm;
            scaleRewardsByStd = c.scaleRewardsByStd;
            normalizeAdvantages = c.normalizeAdvantages;
            advantageEps = c.advantageEps;
            clipEpsLow = c.clipEpsLow;
            clipEpsHigh = c.clipEpsHigh;
            ratioLevel = c.ratioLevel;
            epochsPerBatch = c.epochsPerBatch;
            aggregation = c.aggregation;
            maxCompletionLength = c.maxCompletionLength;
            klBeta = c.klBeta;
            klEstimator = c.klEstimator;
            klPlacement = c.klPlacement;
            lr = c.lr;
            beta1 = c.beta1;
            beta2 = c.beta2;
            eps = c.eps;
            weightDecay = c.weightDecay;
            warmupSteps = c.warmupSteps;
            totalSteps = c.totalSteps;
            minLrRatio = c.minLrRatio;
            maxGradNorm = c.maxGradNorm;
            microBatchSize = c.microBatchSize;
            temperature = c.temperature;
            dropZeroVarianceGroups = c.dropZeroVarianceGroups;
            reportEntropy = c.reportEntropy;
        }

        public Builder algorithm(Algorithm v) { algorithm = v; return this; }
        public Builder scaleRewardsByStd(boolean v) { scaleRewardsByStd = v; return this; }
        public Builder normalizeAdvantages(boolean v) { normalizeAdvantages = v; return this; }
        public Builder advantageEps(double v) { advantageEps = v; return this; }
        public Builder clipEps(double v) { clipEpsLow = v; clipEpsHigh = v; return this; }
        public Builder clipEpsLow(double v) { clipEpsLow = v; return this; }
        public Builder clipEpsHigh(double v) { clipEpsHigh = v; return this; }
        public Builder ratioLevel(RatioLevel v) { ratioLevel = v; return this; }
        public Builder epochsPerBatch(int v) { epochsPerBatch = v; return this; }
        public Builder aggregation(Aggregation v) { aggregation = v; return this; }
        public Builder maxCompletionLength(int v) { maxCompletionLength = v; return this; }
        public Builder klBeta(double v) { klBeta = v; return this; }
        public Builder klEstimator(KlEstimator v) { klEstimator = v; return this; }
        public Builder klPlacement(KlPlacement v) { klPlacement = v; return this; }
        public Builder lr(double v) { lr = v; return this; }
        public Builder betas(double b1, double b2) { beta1 = b1; beta2 = b2; return this; }
        public Builder eps(double v) { eps = v; return this; }
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        public Builder warmupSteps(int v) { warmupSteps = v; return this; }
        public Builder totalSteps(int v) { totalSteps = v; return this; }
        public Builder minLrRatio(double v) { minLrRatio = v; return this; }
        public Builder maxGradNorm(double v) { maxGradNorm = v; return this; }
        public Builder microBatchSize(int v) { microBatchSize = v; return this; }
        public Builder temperature(double v) { temperature = v; return this; }
        public Builder dropZeroVarianceGroups(boolean v) { dropZeroVarianceGroups = v; return this; }
        public Builder reportEntropy(boolean v) { reportEntropy = v; return this; }

        public LearnerConfig build() {
            return new LearnerConfig(algorithm, scaleRewardsByStd, normalizeAdvantages, advantageEps, clipEpsLow,
                    clipEpsHigh, ratioLevel, epochsPerBatch, aggregation, maxCompletionLength, klBeta, klEstimator,
                    klPlacement, lr, beta1, beta2, eps, weightDecay, warmupSteps, totalSteps, minLrRatio,
                    maxGradNorm, microBatchSize, temperature, dropZeroVarianceGroups, reportEntropy);
        }
    }
}
