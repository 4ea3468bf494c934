package io.ladder.coordinator.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The policy of {@link GroupPool}, on a simulated clock: jobs start in submission order, each on
 * the group that frees first (ties: the lowest index, as the pool's FIFO queue of free groups
 * hands them out). {@code ladder soar-plan} sizes a cluster with it.
 */
public final class PoolSchedule {
    /** Where and when one job ran. */
    public record Slot(int group, double start, double end) {}

    private PoolSchedule() {}

    /** The slots of jobs with the given durations, submitted at time 0 to {@code groups} groups. */
    public static List<Slot> run(List<Double> durations, int groups) {
        if (groups < 1) {
            throw new IllegalArgumentException("a pool needs at least one group, got " + groups);
        }
        PriorityQueue<double[]> free = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0]) : Double.compare(a[1], b[1]));
        for (int i = 0; i < groups; i++) {
            free.add(new double[] {0.0, i});
        }
        List<Slot> out = new ArrayList<>(durations.size());
        for (double d : durations) {
            double[] g = free.poll();
            Slot s = new Slot((int) g[1], g[0], g[0] + d);
            out.add(s);
            free.add(new double[] {s.end(), g[1]});
        }
        return out;
    }

    /** When the last job ends. */
    public static double makespan(List<Slot> slots) {
        return slots.stream().mapToDouble(Slot::end).max().orElse(0);
    }
}
