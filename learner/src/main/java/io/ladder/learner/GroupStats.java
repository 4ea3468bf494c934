package io.ladder.learner;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reward statistics per group of a batch: mean, variance, and whether all rewards are equal.
 * A group whose rewards are all equal has zero advantage everywhere under GRPO and RLOO, so it
 * carries no learning signal; the fraction of such groups is the first thing to watch (TRL logs
 * it as {@code frac_reward_zero_std}).
 *
 * <p>The variance is the population variance (divide by n): for 0/1 rewards it is p(1-p), which
 * is ExIt's learnability score. (TRL's logged {@code reward_std} is the unbiased std.)
 *
 * @param groups               per group, in order of first appearance
 * @param rewardMean           mean reward over all samples
 * @param zeroVarianceGroups   how many groups have all rewards equal
 * @param zeroVarianceFraction zeroVarianceGroups / number of groups (0 for an empty batch)
 */
public record GroupStats(List<Group> groups, double rewardMean, int zeroVarianceGroups, double zeroVarianceFraction) {
    /** Rewards within this absolute distance of each other count as equal. */
    public static final double EQUAL_TOLERANCE = 1e-9;

    /** One group's statistics. */
    public record Group(int id, int size, double mean, double variance, boolean zeroVariance) {}

    public GroupStats {
        groups = Collections.unmodifiableList(new ArrayList<>(groups));
    }

    public static GroupStats of(double[] rewards, int[] groups) {
        if (rewards.length != groups.length) {
            throw new IllegalArgumentException(rewards.length + " rewards but " + groups.length + " group ids");
        }
        Map<Integer, List<Integer>> byGroup = new LinkedHashMap<>();
        for (int i = 0; i < rewards.length; i++) {
            byGroup.computeIfAbsent(groups[i], k -> new ArrayList<>()).add(i);
        }
        List<Group> out = new ArrayList<>();
        int zero = 0;
        double total = 0;
        for (Map.Entry<Integer, List<Integer>> e : byGroup.entrySet()) {
            List<Integer> idx = e.getValue();
            double mean = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int i : idx) {
                mean += rewards[i];
                min = Math.min(min, rewards[i]);
                max = Math.max(max, rewards[i]);
            }
            total += mean;
            mean /= idx.size();
            double var = 0;
            for (int i : idx) {
                var += (rewards[i] - mean) * (rewards[i] - mean);
            }
            var /= idx.size();
            boolean flat = max - min <= EQUAL_TOLERANCE; // false when a reward is NaN
            if (flat) {
                zero++;
            }
            out.add(new Group(e.getKey(), idx.size(), mean, var, flat));
        }
        double frac = out.isEmpty() ? 0 : (double) zero / out.size();
        return new GroupStats(out, rewards.length == 0 ? 0 : total / rewards.length, zero, frac);
    }

    public int groupCount() {
        return groups.size();
    }

    /** Ids of the groups whose rewards are all equal. */
    public List<Integer> zeroVarianceGroupIds() {
        List<Integer> ids = new ArrayList<>();
        for (Group g : groups) {
            if (g.zeroVariance) {
                ids.add(g.id);
            }
        }
        return ids;
    }
}
