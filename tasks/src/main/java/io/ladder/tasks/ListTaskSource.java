package io.ladder.tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A fixed list of tasks: each step draws {@code count} of them (with replacement, from the
 * step's own stream), evaluation takes the held-out list. SOAR's inner loops train on a teacher's
 * synthetic dataset X_k this way and measure Q_R with it.
 */
public final class ListTaskSource implements TaskSource {
    private final List<Task> train;
    private final List<Task> eval;
    private final Verifier verifier;
    private final Seeds seeds;

    public ListTaskSource(List<Task> train, List<Task> eval, Verifier verifier, long seed) {
        if (train.isEmpty()) {
            throw new IllegalArgumentException("a list task source needs at least one training task");
        }
        this.train = List.copyOf(train);
        this.eval = List.copyOf(eval);
        this.verifier = verifier;
        this.seeds = new Seeds(seed);
    }

    @Override
    public List<Task> tasksForStep(long step, int count) {
        SplittableRandom rng = new SplittableRandom(seeds.stepProblems(step));
        List<Task> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(train.get(rng.nextInt(train.size())));
        }
        return out;
    }

    @Override
    public List<Task> evalTasks(int count) {
        return eval.subList(0, Math.min(count, eval.size()));
    }

    @Override
    public Verifier verifier() {
        return verifier;
    }
}
