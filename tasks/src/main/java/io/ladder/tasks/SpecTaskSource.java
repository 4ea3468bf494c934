package io.ladder.tasks;

import io.ladder.proto.TaskSpec;
import io.ladder.tasks.arithmetic.ArithmeticWorld;
import io.ladder.tasks.data.MathDataset;
import io.ladder.tasks.data.MathProblem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A job spec's tasks ({@code task:}): the arithmetic world's levels (fresh problems, or a finite
 * pool of them), a JSONL dataset, or the trivial fixed-digit check. Tasks for step t are a pure
 * function of (seed, t), so a resumed run draws the same ones; the held-out tasks come from their
 * own stream and never from the training pool.
 */
public final class SpecTaskSource implements TaskSource {
    private final TaskSpec spec;
    private final List<MathProblem> train; // null: generated on the fly (arithmetic, fixed digit)
    private final List<MathProblem> synthetic; // null: none (dataset tasks may add a synthetic file)
    private final List<MathProblem> union;
    private final List<MathProblem> heldOut; // the eval_file's problems (null: none named)
    private final Verifier verifier;
    private final Seeds seeds;

    private SpecTaskSource(TaskSpec spec, List<MathProblem> train, List<MathProblem> synthetic, List<MathProblem> heldOut,
                           Seeds seeds) {
        this.spec = spec;
        this.train = train;
        this.synthetic = synthetic;
        this.heldOut = heldOut;
        this.union = synthetic == null ? train : concat(train, synthetic);
        this.verifier = verifierFor(spec, union);
        this.seeds = seeds;
    }

    /** Loads what the spec names; dataset problems are read (and validated) here. */
    public static SpecTaskSource of(TaskSpec spec, long seed) throws IOException {
        Seeds seeds = new Seeds(seed);
        switch (spec.getKind()) {
            case ARITHMETIC: {
                List<MathProblem> pool = null;
                if (spec.getPoolSize() > 0) {
                    pool = new ArrayList<>();
                    for (int level : spec.getLevelsList()) {
                        pool.addAll(ArithmeticWorld.problems(level, spec.getPoolSize(), seeds.trainPool()));
                    }
                }
                return new SpecTaskSource(spec, pool, null, null, seeds);
            }
            case FIXED_DIGIT:
            case TOOLS:
                return new SpecTaskSource(spec, null, null, null, seeds);
            case DATASET:
                // every file is read now: a broken eval_file is one line before training, not at its end
                return new SpecTaskSource(spec, MathDataset.load(Path.of(spec.getTrainFile())),
                        spec.getSyntheticFile().isEmpty() ? null : MathDataset.load(Path.of(spec.getSyntheticFile())),
                        spec.getEvalFile().isEmpty() ? null : MathDataset.load(Path.of(spec.getEvalFile())), seeds);
            default:
                throw new IllegalArgumentException("task.kind must be set (arithmetic, dataset, fixed_digit)");
        }
    }

    /**
     * The one place a verifier is chosen: the arithmetic world's exact integer (or closeness,
     * its graded variant), the fixed-digit prefix check, or for a dataset the named one ("auto":
     * exact-integer when every answer in {@code problems} is an integer, else math; an integer
     * verifier refuses a problem whose answer is not one). The coordinator resolves it and hands rollout
     * workers its {@link Verifier#name()}.
     */
    public static Verifier verifierFor(TaskSpec spec, List<MathProblem> problems) {
        switch (spec.getKind()) {
            case ARITHMETIC:
                return spec.getVerifier().equals("closeness") ? Verifier.CLOSENESS : Verifier.EXACT_INTEGER;
            case FIXED_DIGIT:
                return Verifier.PREFIX;
            case TOOLS:
                return Verifier.EXACT_INTEGER; // unused: an episode's reward is its environment's quality
            default: {
                String name = spec.getVerifier();
                if (name.isEmpty() || name.equals("auto")) {
                    boolean integers = problems != null && !problems.isEmpty()
                            && problems.stream().allMatch(p -> Verifier.EXACT_INTEGER.parsesAnswer(p.answer()));
                    return integers ? Verifier.EXACT_INTEGER : Verifier.MATH;
                }
                Verifier v = Verifier.named(name);
                boolean integers = v == Verifier.EXACT_INTEGER || v == Verifier.CLOSENESS;
                for (MathProblem p : integers && problems != null ? problems : List.<MathProblem>of()) {
                    if (!v.parsesAnswer(p.answer())) {
                        throw new IllegalArgumentException("verifier " + name + " needs integer answers; problem " + p.id()
                                + " has \"" + p.answer() + "\"");
                    }
                }
                return v;
            }
        }
    }

    private static List<MathProblem> concat(List<MathProblem> a, List<MathProblem> b) {
        List<MathProblem> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    @Override
    public Verifier verifier() {
        return verifier;
    }

    /** The user text of a problem's prompt (the policy's template is applied on top). */
    private String promptText(MathProblem p) {
        return spec.getKind() == TaskSpec.Kind.FIXED_DIGIT ? p.question() : Prompts.student(p.question());
    }

    private Task task(MathProblem p) {
        return Task.of(p.id(), promptText(p), p.answer());
    }

    /** Tool-world task i of a stream: a level drawn from the spec's, then the generated task. */
    private Task toolTask(long stream, long i, String id) {
        SplittableRandom rng = new SplittableRandom(Seeds.mix(stream, i));
        int level = spec.getLevels(rng.nextInt(spec.getLevelsCount()));
        com.google.gson.JsonObject t = io.ladder.tasks.env.tools.ToolTasks.generate(rng.nextLong(), level, i);
        t.addProperty("id", id + "-L" + level);
        return io.ladder.tasks.env.tools.ToolTasks.asTask(t);
    }

    @Override
    public List<Task> tasksForStep(long step, int count) {
        SplittableRandom rng = new SplittableRandom(seeds.stepProblems(step));
        List<Task> out = new ArrayList<>(count);
        if (spec.getKind() == TaskSpec.Kind.TOOLS) {
            for (int i = 0; i < count; i++) {
                out.add(toolTask(seeds.stepProblems(step), i, "tools-s" + step + "-" + i));
            }
            return out;
        }
        List<MathProblem> from = synthetic == null ? train
                : spec.getSyntheticSchedule() == TaskSpec.SyntheticSchedule.CURRICULUM
                        ? (step < spec.getSyntheticSteps() ? synthetic : train) // synthetic first, then real
                        : union;
        for (int i = 0; i < count; i++) {
            out.add(task(draw(from, rng, "s" + step + "-" + i)));
        }
        return out;
    }

    private MathProblem draw(List<MathProblem> from, SplittableRandom rng, String id) {
        if (from != null) {
            return from.get(rng.nextInt(from.size()));
        }
        switch (spec.getKind()) {
            case ARITHMETIC: {
                int level = spec.getLevels(rng.nextInt(spec.getLevelsCount()));
                return ArithmeticWorld.problem(level, rng, "arith-L" + level + "-" + id);
            }
            default:
                return new MathProblem("digit-" + id, "Reply with one digit:", Integer.toString(spec.getDigit()));
        }
    }

    @Override
    public List<Task> evalTasks(int count) throws IOException {
        List<Task> out = new ArrayList<>();
        switch (spec.getKind()) {
            case ARITHMETIC: {
                int per = Math.max(1, count / spec.getLevelsCount());
                // Held out means held out: a question of the training pool is never evaluated.
                Set<String> seen = new HashSet<>();
                if (train != null) {
                    train.forEach(m -> seen.add(m.question()));
                }
                for (int level : spec.getLevelsList()) {
                    int kept = 0;
                    for (MathProblem m : ArithmeticWorld.problems(level, per * 4, seeds.evalProblems())) {
                        if (kept < per && seen.add(m.question())) {
                            out.add(task(m));
                            kept++;
                        }
                    }
                }
                return out;
            }
            case TOOLS: {
                for (int i = 0; i < count; i++) {
                    out.add(toolTask(seeds.evalProblems(), i, "tools-eval-" + i)); // another stream than training's
                }
                return out;
            }
            case FIXED_DIGIT: {
                SplittableRandom rng = new SplittableRandom(seeds.evalProblems());
                for (int i = 0; i < Math.min(count, 4); i++) {
                    out.add(task(draw(null, rng, "eval-" + i)));
                }
                return out;
            }
            default: {
                List<MathProblem> ps = heldOut == null ? train : heldOut;
                ps.subList(0, Math.min(count, ps.size())).forEach(p -> out.add(task(p)));
                return out;
            }
        }
    }
}
