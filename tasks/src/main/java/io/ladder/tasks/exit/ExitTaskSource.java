package io.ladder.tasks.exit;

import io.ladder.proto.ExitSpec;
import io.ladder.proto.ExitStats;
import io.ladder.proto.RolloutBatch;
import io.ladder.proto.RolloutGroup;
import io.ladder.proto.RolloutSample;
import io.ladder.tasks.Prompts;
import io.ladder.tasks.Seeds;
import io.ladder.tasks.Task;
import io.ladder.tasks.TaskSource;
import io.ladder.tasks.Verifier;
import io.ladder.tasks.env.EpisodePrefix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * ExIt's task distribution (shared/papers/EXIT.md): each slot of a step is, with probability p
 * once the buffer holds B_min instances, an instance drawn by softmax(κ·S), else the base task the
 * base source drew for that slot. A drawn instance with a history becomes an "improve this
 * response" prompt, or with probability p_div a "respond differently" prompt: drawn once for the
 * group ({@code per_group}: the group shares its prompt) or once for each of its G rollouts
 * ({@code per_rollout}: the task carries one prompt per sample). The new answer is verified
 * against the base task's answer; its quality q in [0, 1] is the reward of a base task, and a
 * self-iteration rollout earns max(0, Δ/Δ_max) = max(0, (q − q_prev) / (1 − q_prev)) over the
 * quality q_prev of the response it builds on ({@link #rewardIterations}; {@code quality} keeps q
 * itself). For binary correctness this is q itself (q_prev = 0 gives q; for q_prev = 1 nothing can
 * be gained, Δ_max = 0, and the rollout earns q: keeping a right answer right is rewarded).
 *
 * <p>After the update ({@link #observe}) the group's learnability S = variance of its qualities
 * rescores the instance it came from, and (with self-iteration) the group's response(s) enter as
 * children (origin history + response) that inherit S. With self-iteration off the buffer holds
 * base tasks only: the curriculum variant.
 *
 * <p>For single-turn math a history's per-turn prefixes are its ancestors, inserted when they
 * entered, so a child enters alone.
 *
 * <p><b>Episodes</b> (multi-turn tool use): a history is a turn prefix of an episode
 * ({@link EpisodePrefix}: the model's turns, oldest first), and selection is the paper's "take a
 * random turn prefix": every per-turn prefix of an episode enters the buffer when the episode
 * does, so drawing an instance is drawing a prefix. The new group replays the prefix in the
 * environment and continues it. A prefix that ends inside an attempt is simply continued; one
 * that is a finished episode is reopened with the improve request, or with probability p_div the
 * diverge request, and the model takes another attempt from the state the earlier ones left
 * (which is also how {@code self_improve_steps} evaluates: K more attempts). q_prev is the
 * quality the environment gives the prefix.
 */
public final class ExitTaskSource implements TaskSource {
    /**
     * What one slot of a step was drawn from: the base task, the history its prompt builds on, the
     * buffered instance, and q_prev, the quality of the history's latest response (NaN for none).
     */
    private record Origin(Task base, List<String> history, ExitBuffer.Instance instance, double previousQuality,
                          EpisodePrefix.Followup followup) {
        Origin(Task base, List<String> history, ExitBuffer.Instance instance, double previousQuality) {
            this(base, history, instance, previousQuality, EpisodePrefix.Followup.NONE);
        }
    }

    private static final com.google.gson.Gson GSON = new com.google.gson.Gson();

    private final TaskSource base;
    private final ExitSpec spec;        // resolved (ExitSettings)
    private final int groupSize;        // G, for per-rollout p_div
    private final ExitBuffer buffer;
    private final long jobSeed;
    private List<Origin> lastStep = List.of();
    private final Set<String> trainedOn = new HashSet<>();
    private ExitStats lastStats = ExitStats.getDefaultInstance();

    public ExitTaskSource(TaskSource base, ExitSpec resolved, long jobSeed, int groupSize) {
        if (groupSize < 1) {
            throw new IllegalArgumentException("group size must be >= 1, got " + groupSize);
        }
        this.base = base;
        this.spec = resolved;
        this.groupSize = groupSize;
        this.buffer = new ExitBuffer(resolved.getBufferCapacity(), resolved.getMinBuffer(), resolved.getSelfIterationProb(),
                resolved.getKappa());
        this.jobSeed = jobSeed;
    }

    @Override
    public List<Task> tasksForStep(long step, int count) {
        List<Task> bases = base.tasksForStep(step, count); // the uniform base draw of each slot
        SplittableRandom rng = new SplittableRandom(Seeds.of(Seeds.Purpose.EXIT_SELECTION, jobSeed, step));
        boolean perRollout = spec.getDivergenceDraw() == ExitSpec.DivergenceDraw.PER_ROLLOUT;
        List<Task> out = new ArrayList<>(count);
        List<Origin> origins = new ArrayList<>(count);
        double improve = 0; // in groups; a mixed group counts its share of each
        double diverge = 0;
        double iterates = 0;
        for (int i = 0; i < count; i++) {
            ExitBuffer.Draw d = buffer.draw(List.of(bases.get(i)), rng);
            boolean differ = rng.nextDouble() < spec.getDivergenceProb(); // drawn for every slot: streams stay aligned
            if (!d.fromBuffer() || d.instance().history().isEmpty()) {
                Task b = d.fromBuffer() ? d.instance().base() : bases.get(i);
                out.add(b);
                origins.add(new Origin(b, List.of(), d.instance(), Double.NaN));
                continue;
            }
            ExitBuffer.Instance in = d.instance();
            Task b = in.base();
            if (!b.environment().isEmpty()) { // an episode's turn prefix
                if (perRollout) {
                    throw new IllegalArgumentException("algorithm.exit.divergence_draw: per_rollout is for single-turn tasks");
                }
                List<EpisodePrefix.Turn> prefix = EpisodePrefix.decodeAll(in.history());
                EpisodePrefix.Replayed r;
                try {
                    r = EpisodePrefix.replay(io.ladder.tasks.env.Environments.create(b.environment()),
                            com.google.gson.JsonParser.parseString(b.environmentTask()).getAsJsonObject(), prefix);
                } catch (RuntimeException e) { // the worker's replay fails the same way: the group ends with reward 0
                    r = new EpisodePrefix.Replayed(List.of(), false, 0);
                }
                EpisodePrefix.Followup f = !r.done() ? EpisodePrefix.Followup.NONE
                        : differ ? EpisodePrefix.Followup.DIVERGE : EpisodePrefix.Followup.IMPROVE;
                String kind = f == EpisodePrefix.Followup.DIVERGE ? "~d" : f == EpisodePrefix.Followup.IMPROVE ? "~i" : "~c";
                out.add(Task.continued(b.id() + kind + in.iterate() + "-s" + step + "-" + i, b, in.iterate(), prefix, f));
                origins.add(new Origin(b, in.history(), in, clamp(r.quality()), f));
                diverge += f == EpisodePrefix.Followup.DIVERGE ? 1 : 0; // continuing inside an attempt counts as improve
                improve += f == EpisodePrefix.Followup.DIVERGE ? 0 : 1;
                iterates += in.iterate();
                continue;
            }
            String request = b.prompt().strip(); // the base task's own prompt is the request
            String improvePrompt = Prompts.improve(request, in.latest().strip());
            String divergePrompt = Prompts.diverge(request, in.latest().strip());
            int diverging = differ ? groupSize : 0;
            List<String> perSample = List.of();
            if (perRollout) { // p_div for each rollout, from its own stream so per-group runs draw as before
                SplittableRandom coins = new SplittableRandom(Seeds.of(Seeds.Purpose.EXIT_DIVERGENCE, jobSeed, step, i));
                List<String> prompts = new ArrayList<>(groupSize);
                for (int j = 0; j < groupSize; j++) {
                    boolean dj = coins.nextDouble() < spec.getDivergenceProb();
                    prompts.add(dj ? divergePrompt : improvePrompt);
                }
                diverging = (int) prompts.stream().filter(divergePrompt::equals).count();
                perSample = diverging == 0 || diverging == groupSize ? List.of() : prompts; // a uniform group shares its prompt
            }
            String kind = diverging == 0 ? "~i" : diverging == groupSize ? "~d" : "~m";
            out.add(new Task(b.id() + kind + in.iterate() + "-s" + step + "-" + i, diverging == groupSize ? divergePrompt : improvePrompt,
                    b.answer(), b.id(), in.iterate(), b.verifier(), "", "", perSample));
            origins.add(new Origin(b, in.history(), in, quality(b, in.latest())));
            diverge += diverging / (double) groupSize;
            improve += 1 - diverging / (double) groupSize;
            iterates += in.iterate();
        }
        lastStep = origins;
        for (Task t : out) {
            if (!t.episodePrefix().isEmpty()) { // an episode instance is its request, prefix and follow-up
                trainedOn.add(t.prompt() + "\n" + String.join("\n", EpisodePrefix.encodeAll(t.episodePrefix())) + "\n" + t.followup());
            } else if (t.samplePrompts().isEmpty()) {
                trainedOn.add(t.prompt());
            } else {
                trainedOn.addAll(t.samplePrompts());
            }
        }
        lastStats = ExitStats.newBuilder().setBaseShare((count - improve - diverge) / count)
                .setImproveShare(improve / count).setDivergeShare(diverge / count)
                .setIterateMean(iterates / count).build();
        return out;
    }

    /** q of a response to a base task, by the task's verifier, in [0, 1]. */
    private double quality(Task b, String response) {
        Verifier v = b.verifier().isEmpty() ? base.verifier() : Verifier.named(b.verifier());
        return clamp(v.reward(response, b.answer()));
    }

    private static double clamp(double q) {
        return Math.max(0, Math.min(1, q));
    }

    /**
     * max(0, Δ/Δ_max): the reward of a self-iteration rollout whose answer has quality {@code q},
     * built on a response of quality {@code previous}; with nothing left to gain (q_prev = 1), q.
     */
    public static double gain(double previous, double q) {
        return previous < 1 ? Math.max(0, (q - previous) / (1 - previous)) : q;
    }

    /**
     * The last drawn step's rollouts with each self-iteration rollout's reward replaced by its gain
     * (iteration_reward: gain) and its quality kept in {@code quality}; base-task rollouts keep
     * their reward. Applied before the learner sees the rollouts.
     */
    public RolloutBatch rewardIterations(RolloutBatch rollouts) {
        if (spec.getIterationReward() != ExitSpec.IterationReward.GAIN) {
            return rollouts;
        }
        RolloutBatch.Builder out = rollouts.toBuilder();
        for (RolloutGroup.Builder g : out.getGroupsBuilderList()) {
            Origin o = lastStep.get(g.getGroup());
            if (o.history().isEmpty()) {
                continue;
            }
            for (RolloutSample.Builder sample : g.getSamplesBuilderList()) {
                double q = clamp(sample.getReward());
                sample.setQuality(q).setReward(gain(o.previousQuality(), q));
            }
        }
        return out.build();
    }

    @Override
    public void observe(long step, List<Task> tasks, RolloutBatch rollouts) {
        SplittableRandom rng = new SplittableRandom(Seeds.of(Seeds.Purpose.EXIT_EXPANSION, jobSeed, step));
        for (RolloutGroup g : rollouts.getGroupsList()) {
            Origin o = lastStep.get(g.getGroup());
            double[] quality = new double[g.getSamplesCount()];
            for (int j = 0; j < quality.length; j++) {
                RolloutSample sample = g.getSamples(j);
                quality[j] = clamp(sample.hasQuality() ? sample.getQuality() : sample.getReward());
            }
            double s = ExitBuffer.learnability(quality); // S of this group: the variance of its final qualities
            int pick = rng.nextInt(Math.max(1, g.getSamplesCount())); // drawn for every group: streams stay aligned
            if (spec.getSelfIterationProb() == 0) {
                continue; // p = 0: the buffer is never drawn from, so it is not kept (plain GRPO)
            }
            if (o.instance() != null) {
                buffer.rescore(o.instance(), s);
            } else if (!spec.getSelfIteration()) {
                buffer.insert(o.base(), List.of(), s); // curriculum: the base task itself, prioritised by S
            }
            if (!spec.getSelfIteration()) {
                continue;
            }
            List<RolloutSample> children = spec.getNewInstances() == ExitSpec.NewInstances.ALL ? g.getSamplesList()
                    : List.of(g.getSamples(pick));
            if (!o.base().environment().isEmpty()) {
                insertEpisodes(o, children, s);
                continue;
            }
            for (RolloutSample c : children) {
                List<String> history = new ArrayList<>(o.history());
                history.add(c.getCompletionText());
                buffer.insert(o.base(), history, s); // a child inherits its parent's S
            }
        }
        double[] ms = buffer.scoreMeanMax();
        double[] q = buffer.scoreQuantiles(0.1, 0.5, 0.9);
        lastStats = lastStats.toBuilder().setBufferSize(buffer.size()).setScoreMean(ms[0]).setScoreMax(ms[1])
                .setScoreP10(q[0]).setScoreP50(q[1]).setScoreP90(q[2])
                .setDistinctInstances(trainedOn.size()).build();
    }

    /**
     * Episodes enter as every per-turn prefix selection could pick: the origin's prefix plus the
     * first 1, 2, ... of the episode's own turns (the first carrying the follow-up that opened its
     * attempt), each with the group's S. An episode that ended in an error (context, environment)
     * does not enter: its turns need not replay.
     */
    private void insertEpisodes(Origin o, List<RolloutSample> episodes, double s) {
        for (RolloutSample c : episodes) {
            if (c.getFinishReason().startsWith("error")) {
                continue;
            }
            List<String> history = new ArrayList<>(o.history());
            history.addAll(EpisodePrefix.encodeAll(EpisodePrefix.turns(o.followup(), c.getTurnTextsList())));
            buffer.insertHistory(o.base(), history, o.history().size(), s);
        }
    }

    /** The buffer and task mix after the last observed step. */
    public ExitStats stats() {
        return lastStats;
    }

    public ExitBuffer buffer() {
        return buffer;
    }

    @Override
    public List<Task> evalTasks(int count) throws IOException {
        return base.evalTasks(count);
    }

    @Override
    public Verifier verifier() {
        return base.verifier();
    }

    @Override
    public void saveState(Path dir) throws IOException {
        buffer.save(dir.resolve("exit-buffer.json"));
        Files.writeString(dir.resolve("exit-trained-prompts.json"), GSON.toJson(trainedOn.stream().sorted().toList()));
        base.saveState(dir);
    }

    @Override
    public void loadState(Path dir) throws IOException {
        buffer.load(dir.resolve("exit-buffer.json"));
        trainedOn.clear();
        trainedOn.addAll(List.of(GSON.fromJson(Files.readString(dir.resolve("exit-trained-prompts.json")), String[].class)));
        base.loadState(dir);
    }
}
