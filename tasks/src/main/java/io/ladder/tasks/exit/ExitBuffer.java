package io.ladder.tasks.exit;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.ladder.tasks.Task;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * ExIt's buffer of self-iteration instances (shared/papers/EXIT.md, "Task instances" and "The
 * buffer"), without Ray: a pure function of what was inserted and the random draws it is given.
 *
 * <ul>
 *   <li>An instance is (base task m, iterate k, history): the responses that led to it, the
 *       latest last (an empty history is the base task itself: the curriculum-only variant). Its learnability S (below) decides whether it stays and how often it is drawn.</li>
 *   <li>S = variance of a GRPO group's final quality rescaled to [0, 1] ({@link #learnability}),
 *       p(1 − p) for binary rewards. A new child has no group yet: it inherits its parent's S
 *       (a parent that is always solved has S = 0, so its child gets 0).</li>
 *   <li>Capacity N keeps the top N by S: when full, a newcomer enters only if its S ≥ the current
 *       minimum, which it replaces (among equal minima, the oldest).</li>
 *   <li>When a history enters, every per-turn prefix selection could later pick enters too
 *       ({@link #insertHistory}).</li>
 *   <li>Sampling: with probability p, once the buffer holds ≥ B_min instances, an instance with
 *       P(i) = exp(κ S_i) / Σ_j exp(κ S_j); otherwise a base task uniformly ({@link #draw}).</li>
 * </ul>
 */
public final class ExitBuffer {
    /**
     * One buffered instance.
     *
     * @param base      the base task m
     * @param history   the responses so far, oldest first; its length is the iterate k
     * @param score     learnability S in [0, 0.25] for binary rewards (at most 0.25 for any quality in [0, 1])
     * @param insertion order of insertion (ties between equal scores go to the oldest)
     */
    public record Instance(Task base, List<String> history, double score, long insertion) {
        public Instance {
            history = List.copyOf(history);
            if (!(score >= 0 && score <= 1)) {
                throw new IllegalArgumentException("learnability must be in [0, 1], got " + score);
            }
        }

        /** k: how many responses the instance builds on. */
        public int iterate() {
            return history.size();
        }

        /** The response the next step improves on. */
        public String latest() {
            if (history.isEmpty()) {
                throw new IllegalStateException("a base-task instance has no response to improve");
            }
            return history.get(history.size() - 1);
        }
    }

    /** What {@link #draw} picked: a buffered instance, or (instance null) a base task. */
    public record Draw(Task base, Instance instance) {
        public boolean fromBuffer() {
            return instance != null;
        }
    }

    private final int capacity;         // N
    private final int minToSample;      // B_min
    private final double selfIterProb;  // p
    private final double kappa;         // κ
    private final List<Instance> instances = new ArrayList<>();
    private long insertions;

    public ExitBuffer(int capacity, int minToSample, double selfIterProb, double kappa) {
        if (capacity < 1 || minToSample < 0 || !(selfIterProb >= 0 && selfIterProb <= 1) || !(kappa >= 0)
                || Double.isInfinite(kappa)) {
            throw new IllegalArgumentException("ExIt buffer needs N >= 1, B_min >= 0, p in [0, 1] and a finite kappa >= 0");
        }
        this.capacity = capacity;
        this.minToSample = minToSample;
        this.selfIterProb = selfIterProb;
        this.kappa = kappa;
    }

    /** S of a group: the population variance of its final qualities, each in [0, 1]. */
    public static double learnability(double[] qualities) {
        if (qualities.length == 0) {
            throw new IllegalArgumentException("learnability of an empty group");
        }
        double mean = 0;
        for (double q : qualities) {
            if (!(q >= 0 && q <= 1)) {
                throw new IllegalArgumentException("qualities must be rescaled to [0, 1], got " + q);
            }
            mean += q / qualities.length;
        }
        double var = 0;
        for (double q : qualities) {
            var += (q - mean) * (q - mean) / qualities.length;
        }
        return var;
    }

    /**
     * Offers one instance with score {@code score}; returns whether it entered. Full buffer: it
     * replaces the minimum when {@code score} ≥ that minimum.
     */
    public boolean insert(Task base, List<String> history, double score) {
        Instance in = new Instance(base, history, score, insertions);
        if (instances.size() < capacity) {
            instances.add(in);
            insertions++;
            return true;
        }
        int min = 0;
        for (int i = 1; i < instances.size(); i++) {
            Instance a = instances.get(i);
            Instance b = instances.get(min);
            if (a.score() < b.score() || (a.score() == b.score() && a.insertion() < b.insertion())) {
                min = i;
            }
        }
        if (score < instances.get(min).score()) {
            return false;
        }
        instances.set(min, in);
        insertions++;
        return true;
    }

    /**
     * Sets the score of a buffered instance after it was trained on again (its group's new S);
     * returns false when it has left the buffer meanwhile.
     */
    public boolean rescore(Instance in, double score) {
        for (int i = 0; i < instances.size(); i++) {
            if (instances.get(i).insertion() == in.insertion()) {
                Instance old = instances.get(i);
                instances.set(i, new Instance(old.base(), old.history(), score, old.insertion()));
                return true;
            }
        }
        return false;
    }

    /** Mean and largest S in the buffer (0 when empty). */
    public double[] scoreMeanMax() {
        double sum = 0;
        double max = 0;
        for (Instance in : instances) {
            sum += in.score();
            max = Math.max(max, in.score());
        }
        return new double[] {instances.isEmpty() ? 0 : sum / instances.size(), max};
    }

    /** The q-quantiles of S in the buffer (nearest rank; 0 when empty), for the S distribution over time. */
    public double[] scoreQuantiles(double... q) {
        double[] s = instances.stream().mapToDouble(Instance::score).sorted().toArray();
        double[] out = new double[q.length];
        for (int i = 0; i < q.length && s.length > 0; i++) {
            int rank = (int) Math.ceil(q[i] * s.length) - 1;
            out[i] = s[Math.max(0, Math.min(s.length - 1, rank))];
        }
        return out;
    }

    /**
     * Offers a history and every per-turn prefix of it longer than {@code known} (the prefixes
     * offered before, when the history it grew from entered): (m, known+1, h[..known+1]) ...
     * (m, k, h[..k]), each with {@code score}, the group's S for the instance it came from, which
     * children inherit. Returns how many entered.
     */
    public int insertHistory(Task base, List<String> history, int known, double score) {
        int entered = 0;
        for (int k = known + 1; k <= history.size(); k++) {
            entered += insert(base, history.subList(0, k), score) ? 1 : 0;
        }
        return entered;
    }

    /**
     * The next task: with probability p, when the buffer holds at least B_min instances, an
     * instance drawn by softmax(κ S); else one of {@code baseTasks} uniformly. Uses exactly two
     * draws of {@code rng} either way, so later draws do not depend on the branch taken.
     */
    public Draw draw(List<Task> baseTasks, SplittableRandom rng) {
        double coin = rng.nextDouble();
        double pick = rng.nextDouble();
        if (coin < selfIterProb && !instances.isEmpty() && instances.size() >= minToSample) {
            return new Draw(null, instances.get(softmaxIndex(pick)));
        }
        if (baseTasks.isEmpty()) {
            throw new IllegalArgumentException("no base tasks to draw from");
        }
        return new Draw(baseTasks.get((int) (pick * baseTasks.size())), null);
    }

    /** exp(κ S_i), shifted by the largest S so exp never overflows; the softmax's unnormalised weights. */
    private double[] weights() {
        double max = instances.stream().mapToDouble(Instance::score).max().orElse(0);
        double[] w = new double[instances.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = Math.exp(kappa * (instances.get(i).score() - max));
        }
        return w;
    }

    /** The index whose cumulative softmax(κ S) mass first exceeds u ∈ [0, 1). */
    private int softmaxIndex(double u) {
        double[] w = weights();
        double target = u * java.util.Arrays.stream(w).sum();
        double acc = 0;
        for (int i = 0; i < w.length; i++) {
            acc += w[i];
            if (target < acc) {
                return i;
            }
        }
        return w.length - 1;
    }

    /** The probability {@link #draw} gives instance i, given that it draws from the buffer. */
    public double selectionProbability(int i) {
        double[] w = weights();
        return w[i] / java.util.Arrays.stream(w).sum();
    }

    public int size() {
        return instances.size();
    }

    public int capacity() {
        return capacity;
    }

    /** The instances, highest S first (ties: oldest first). */
    public List<Instance> instances() {
        List<Instance> out = new ArrayList<>(instances);
        out.sort(Comparator.comparingDouble(Instance::score).reversed().thenComparingLong(Instance::insertion));
        return out;
    }

    /** Instance i in buffer order (the order {@link #selectionProbability} and draws use). */
    public Instance get(int i) {
        return instances.get(i);
    }

    // ------------------------------------------------------------------ checkpointed state

    private record State(int capacity, int minToSample, double selfIterProb, double kappa, long insertions,
                         List<Instance> instances) {}

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    /** Writes the buffer (instances in buffer order, scores, histories) to {@code file}, atomically. */
    public void save(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, GSON.toJson(new State(capacity, minToSample, selfIterProb, kappa, insertions, instances)),
                StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Restores what {@link #save} wrote into a buffer made with the same N, B_min, p and κ. */
    public void load(Path file) throws IOException {
        State s = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), State.class);
        if (s == null || s.instances() == null) {
            throw new IOException(file + ": not an ExIt buffer state");
        }
        if (s.capacity() != capacity || s.minToSample() != minToSample || s.selfIterProb() != selfIterProb
                || s.kappa() != kappa) {
            throw new IOException(file + ": saved with N=" + s.capacity() + ", B_min=" + s.minToSample() + ", p="
                    + s.selfIterProb() + ", kappa=" + s.kappa() + ", but this job has N=" + capacity + ", B_min="
                    + minToSample + ", p=" + selfIterProb + ", kappa=" + kappa);
        }
        instances.clear();
        for (Instance in : s.instances()) {
            instances.add(new Instance(in.base(), in.history(), in.score(), in.insertion())); // re-validated
        }
        insertions = s.insertions();
    }
}
