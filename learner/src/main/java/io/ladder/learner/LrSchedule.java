package io.ladder.learner;

/**
 * Linear warm-up then cosine decay, as transformers' {@code get_cosine_schedule_with_warmup}
 * (with a floor): the update with index k (0-based: k updates were applied before it) uses
 * <pre>
 *   lr_k = lr * k / warmup                                       for k &lt; warmup
 *   lr_k = lr * (m + (1 - m) * 0.5 * (1 + cos(π * p))),  p = (k - warmup) / (total - warmup)
 * </pre>
 * with m = minLrRatio and p clamped to [0, 1] (transformers lets the cosine rise again past
 * {@code total}; here it stays at the floor). {@code total = 0} means no decay. As in
 * transformers, the very first update of a warm-up has learning rate 0.
 */
public final class LrSchedule {
    private final double lr;
    private final int warmup;
    private final int total;
    private final double minRatio;

    public LrSchedule(double lr, int warmupSteps, int totalSteps, double minLrRatio) {
        this.lr = lr;
        this.warmup = warmupSteps;
        this.total = totalSteps;
        this.minRatio = minLrRatio;
    }

    public static LrSchedule of(LearnerConfig c) {
        return new LrSchedule(c.lr(), c.warmupSteps(), c.totalSteps(), c.minLrRatio());
    }

    /** Learning rate of the update that follows {@code k} applied updates. */
    public double at(long k) {
        if (k < warmup) {
            return lr * k / warmup;
        }
        if (total <= warmup) {
            return lr;
        }
        double p = Math.min(1.0, Math.max(0.0, (double) (k - warmup) / (total - warmup)));
        return lr * (minRatio + (1 - minRatio) * 0.5 * (1 + Math.cos(Math.PI * p)));
    }
}
