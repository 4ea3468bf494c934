package io.ladder.learner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Group-relative advantages, computed per group of samples (the G samples of one prompt), in
 * double precision. Group ids are arbitrary and need not be contiguous.
 *
 * <p><b>Units.</b> A group may consist of units that share one reward (SOAR's teacher: the g
 * datasets X_1..X_g of an outer step form the group, and every rollout of X_k carries R_k). Then
 * each unit counts once in the baseline: the unit's reward R_u is the mean of its samples'
 * rewards, and sample i of unit u gets {@code A_i = r_i - baseline(...)} computed over the unit
 * rewards. With {@code units == null} (or -1 entries) every sample is its own unit, which is the
 * usual per-sample case.
 */
public final class Advantages {
    /** TRL's ε in {@code std + ε}. */
    public static final double TRL_EPS = 1e-4;

    private Advantages() {}

    /**
     * GRPO (Shao et al., DeepSeekMath), as TRL's GRPOTrainer computes it:
     * {@code A_i = (r_i - mean(r)) / (std(r) + eps)}, mean and std over the sample's group, std the
     * unbiased (Bessel-corrected, n-1) standard deviation, as {@code torch.Tensor.std} in TRL.
     * With {@code scaleByStd = false} it is Dr. GRPO's {@code A_i = r_i - mean(r)}.
     * A group of one has advantage 0.
     */
    public static double[] grpo(double[] rewards, int[] groups, boolean scaleByStd) {
        return grpo(rewards, groups, null, scaleByStd, TRL_EPS);
    }

    /** {@link #grpo(double[], int[], boolean)} with shared-reward units and an explicit ε. */
    public static double[] grpo(double[] rewards, int[] groups, int[] units, boolean scaleByStd, double eps) {
        check(rewards, groups, units);
        double[] adv = new double[rewards.length];
        for (Group g : groupsOf(rewards, groups, units)) {
            double[] r = g.unitRewards;
            int n = r.length;
            double mean = 0;
            for (double x : r) {
                mean += x;
            }
            mean /= n;
            double std = 0;
            if (n > 1) {
                double ss = 0;
                for (double x : r) {
                    ss += (x - mean) * (x - mean);
                }
                std = Math.sqrt(ss / (n - 1));
            }
            for (int i : g.members) {
                if (n < 2) {
                    adv[i] = 0;
                    continue;
                }
                double a = rewards[i] - mean; // A_i = r_i - mean(r)
                adv[i] = scaleByStd ? a / (std + eps) : a; // ... / (std(r) + eps)
            }
        }
        return adv;
    }

    /**
     * RLOO (Kool et al. 2019; Ahmadian et al. 2024), as TRL's RLOOTrainer computes it: the
     * leave-one-out baseline {@code A_i = r_i - mean_{j≠i} r_j = r_i - (Σ_j r_j - r_i)/(G-1)}.
     * A group of one has advantage 0.
     */
    public static double[] rloo(double[] rewards, int[] groups) {
        return rloo(rewards, groups, null);
    }

    /**
     * {@link #rloo(double[], int[])} with shared-reward units: sample i of unit u gets
     * {@code A_i = r_i - mean_{v≠u} R_v} (SOAR: advantage of X_k = R_k - mean of the other R's).
     */
    public static double[] rloo(double[] rewards, int[] groups, int[] units) {
        check(rewards, groups, units);
        double[] adv = new double[rewards.length];
        for (Group g : groupsOf(rewards, groups, units)) {
            double[] r = g.unitRewards;
            int n = r.length;
            double sum = 0;
            for (double x : r) {
                sum += x;
            }
            for (int k = 0; k < g.members.size(); k++) {
                int i = g.members.get(k);
                if (n < 2) {
                    adv[i] = 0;
                    continue;
                }
                double baseline = (sum - r[g.unitOf.get(k)]) / (n - 1); // mean_{j≠i} r_j
                adv[i] = rewards[i] - baseline;
            }
        }
        return adv;
    }

    /**
     * Whitening over the whole batch, TRL RLOOTrainer's {@code normalize_advantages}:
     * {@code (A - mean(A)) / (std(A) + eps)} with the unbiased std.
     */
    public static double[] whiten(double[] adv, double eps) {
        int n = adv.length;
        if (n < 2) {
            return new double[n];
        }
        double mean = 0;
        for (double a : adv) {
            mean += a;
        }
        mean /= n;
        double ss = 0;
        for (double a : adv) {
            ss += (a - mean) * (a - mean);
        }
        double std = Math.sqrt(ss / (n - 1));
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = (adv[i] - mean) / (std + eps);
        }
        return out;
    }

    private static void check(double[] rewards, int[] groups, int[] units) {
        if (groups.length != rewards.length || (units != null && units.length != rewards.length)) {
            throw new IllegalArgumentException(rewards.length + " rewards but " + groups.length + " group ids"
                    + (units != null ? " and " + units.length + " unit ids" : ""));
        }
    }

    /** One group: its sample indices, and for each the index of its unit in unitRewards. */
    private record Group(List<Integer> members, List<Integer> unitOf, double[] unitRewards) {}

    private static List<Group> groupsOf(double[] rewards, int[] groups, int[] units) {
        Map<Integer, List<Integer>> byGroup = new LinkedHashMap<>();
        for (int i = 0; i < rewards.length; i++) {
            byGroup.computeIfAbsent(groups[i], k -> new ArrayList<>()).add(i);
        }
        List<Group> out = new ArrayList<>();
        for (List<Integer> members : byGroup.values()) {
            Map<Integer, Integer> unitIndex = new LinkedHashMap<>();
            List<Integer> unitOf = new ArrayList<>();
            List<double[]> sums = new ArrayList<>(); // {sum, count}
            for (int i : members) {
                int u = units == null ? -1 : units[i];
                Integer idx;
                if (u < 0) {
                    idx = null;
                } else {
                    idx = unitIndex.get(u);
                }
                if (idx == null) {
                    idx = sums.size();
                    sums.add(new double[2]);
                    if (u >= 0) {
                        unitIndex.put(u, idx);
                    }
                }
                sums.get(idx)[0] += rewards[i];
                sums.get(idx)[1] += 1;
                unitOf.add(idx);
            }
            double[] unitRewards = new double[sums.size()];
            for (int k = 0; k < unitRewards.length; k++) {
                unitRewards[k] = sums.get(k)[0] / sums.get(k)[1]; // R_u = mean reward of unit u
            }
            out.add(new Group(members, unitOf, unitRewards));
        }
        return out;
    }
}
