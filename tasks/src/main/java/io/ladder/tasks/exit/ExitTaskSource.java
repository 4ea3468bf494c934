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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * ExIt's task distribution (shared/papers/EXIT.md) over a base source: each slot of a step is,
 * with probability p once the buffer holds B_min instances, an instance drawn by softmax(κ·S),
 * else the base task the base source drew for that slot. A drawn instance with a history becomes
 * an "improve this response" prompt, or with probability p_div (per group, the group shares its
 * prompt) a "respond differently" prompt; its reward is the verified correctness of the new
 * answer against the base task's answer. After the update ({@link #observe}) the group's
 * learnability S = variance of its rewards rescores the instance it came from, and (with
 * self-iteration) the group's response(s) enter as children (origin history + response) that
 * inherit S. With self-iteration off the buffer holds base tasks only: the curriculum variant.
 *
 * <p>For single-turn math a history's per-turn prefixes are its ancestors, inserted when they
 * entered, so a child enters alone; {@link ExitBuffer#insertHistory} is for multi-turn episodes.
 */
public final class ExitTaskSource implements TaskSource {
    /** What one slot of a step was drawn from: the base task, the history its prompt builds on, the buffered instance. */
    private record Origin(Task base, List<String> history, ExitBuffer.Instance instance, boolean diverge) {}

    private static final com.google.gson.Gson GSON = new com.google.gson.Gson();

    private final TaskSource base;
    private final ExitSpec spec;        // resolved (ExitSettings)
    private final ExitBuffer buffer;
    private final long jobSeed;
    private List<Origin> lastStep = List.of();
    private final Set<String> trainedOn = new HashSet<>();
    private ExitStats lastStats = ExitStats.getDefaultInstance();

    public ExitTaskSource(TaskSource base, ExitSpec resolved, long jobSeed) {
        this.base = base;
        this.spec = resolved;
        this.buffer = new ExitBuffer(resolved.getBufferCapacity(), resolved.getMinBuffer(), resolved.getSelfIterationProb(),
                resolved.getKappa());
        this.jobSeed = jobSeed;
    }

    @Override
    public List<Task> tasksForStep(long step, int count) {
        List<Task> bases = base.tasksForStep(step, count); // the uniform base draw of each slot
        SplittableRandom rng = new SplittableRandom(Seeds.of(Seeds.Purpose.EXIT_SELECTION, jobSeed, step));
        List<Task> out = new ArrayList<>(count);
        List<Origin> origins = new ArrayList<>(count);
        int improve = 0;
        int diverge = 0;
        double iterates = 0;
        for (int i = 0; i < count; i++) {
            ExitBuffer.Draw d = buffer.draw(List.of(bases.get(i)), rng);
            boolean differ = rng.nextDouble() < spec.getDivergenceProb(); // drawn for every slot: streams stay aligned
            if (!d.fromBuffer() || d.instance().history().isEmpty()) {
                Task b = d.fromBuffer() ? d.instance().base() : bases.get(i);
                out.add(b);
                origins.add(new Origin(b, List.of(), d.instance(), false));
                continue;
            }
            ExitBuffer.Instance in = d.instance();
            Task b = in.base();
            String request = b.prompt().strip(); // the base task's own prompt is the request
            String prompt = differ ? Prompts.diverge(request, in.latest().strip()) : Prompts.improve(request, in.latest().strip());
            out.add(new Task(b.id() + (differ ? "~d" : "~i") + in.iterate() + "-s" + step + "-" + i, prompt, b.answer(),
                    b.id(), in.iterate(), b.verifier()));
            origins.add(new Origin(b, in.history(), in, differ));
            if (differ) {
                diverge++;
            } else {
                improve++;
            }
            iterates += in.iterate();
        }
        lastStep = origins;
        for (Task t : out) {
            trainedOn.add(t.prompt());
        }
        lastStats = ExitStats.newBuilder().setBaseShare((count - improve - diverge) / (double) count)
                .setImproveShare(improve / (double) count).setDivergeShare(diverge / (double) count)
                .setIterateMean(iterates / count).build();
        return out;
    }

    @Override
    public void observe(long step, List<Task> tasks, RolloutBatch rollouts) {
        SplittableRandom rng = new SplittableRandom(Seeds.of(Seeds.Purpose.EXIT_EXPANSION, jobSeed, step));
        for (RolloutGroup g : rollouts.getGroupsList()) {
            Origin o = lastStep.get(g.getGroup());
            double[] quality = new double[g.getSamplesCount()];
            for (int j = 0; j < quality.length; j++) {
                quality[j] = Math.max(0, Math.min(1, g.getSamples(j).getReward()));
            }
            double s = ExitBuffer.learnability(quality); // S of this group
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
