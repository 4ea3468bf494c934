package io.ladder.tasks;

import io.ladder.proto.TaskSpec;
import io.ladder.tasks.arithmetic.ArithmeticWorld;
import io.ladder.tasks.data.MathDataset;
import io.ladder.tasks.data.MathProblem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Where a job's tasks come from: the prompt a problem is rendered to, the verifier that scores
 * completions, training problems drawn reproducibly per step, and a held-out evaluation set.
 * Problems for step t are a pure function of (seed, t), so a resumed run draws the same ones.
 */
public final class TaskSource {
    private final TaskSpec spec;
    private final List<MathProblem> train; // null: generated on the fly (arithmetic, fixed digit)
    private final Verifier verifier;
    private final Seeds seeds;

    private TaskSource(TaskSpec spec, List<MathProblem> train, Verifier verifier, Seeds seeds) {
        this.spec = spec;
        this.train = train;
        this.verifier = verifier;
        this.seeds = seeds;
    }

    /** Loads what the spec names; dataset problems are read (and validated) here. */
    public static TaskSource of(TaskSpec spec, long seed) throws IOException {
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
                return new TaskSource(spec, pool, Verifier.EXACT_INTEGER, seeds);
            }
            case FIXED_DIGIT:
                return new TaskSource(spec, null, Verifier.PREFIX, seeds);
            case DATASET: {
                List<MathProblem> ps = MathDataset.load(Path.of(spec.getTrainFile()));
                return new TaskSource(spec, ps, verifierFor(spec.getVerifier(), ps), seeds);
            }
            default:
                throw new IllegalArgumentException("task.kind must be set (arithmetic, dataset, fixed_digit)");
        }
    }

    /** The verifier for a task spec, as a rollout worker needs it (no dataset needed for auto). */
    public static Verifier verifierFor(String name, List<MathProblem> problems) {
        if (name == null || name.isEmpty() || name.equals("auto")) {
            boolean integers = problems.stream().allMatch(p -> p.answer().strip().matches("-?\\d{1,18}"));
            return integers ? Verifier.EXACT_INTEGER : Verifier.MATH;
        }
        return Verifier.named(name);
    }

    /** The verifier a rollout worker uses for this spec (datasets with "auto" resolve on the coordinator). */
    public static Verifier workerVerifier(TaskSpec spec) {
        return switch (spec.getKind()) {
            case ARITHMETIC -> Verifier.EXACT_INTEGER;
            case FIXED_DIGIT -> Verifier.PREFIX;
            default -> spec.getVerifier().isEmpty() || spec.getVerifier().equals("auto") ? Verifier.MATH
                    : Verifier.named(spec.getVerifier());
        };
    }

    public Verifier verifier() {
        return verifier;
    }

    /** The user text of a problem's prompt (the policy's template is applied on top). */
    public static String promptText(TaskSpec spec, MathProblem p) {
        return spec.getKind() == TaskSpec.Kind.FIXED_DIGIT ? p.question() : Prompts.student(p.question());
    }

    public String promptText(MathProblem p) {
        return promptText(spec, p);
    }

    /** The {@code count} training problems of step {@code step}. */
    public List<MathProblem> problemsForStep(long step, int count) {
        SplittableRandom rng = new SplittableRandom(seeds.stepProblems(step));
        List<MathProblem> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(draw(rng, "s" + step + "-" + i));
        }
        return out;
    }

    private MathProblem draw(SplittableRandom rng, String id) {
        if (train != null) {
            return train.get(rng.nextInt(train.size()));
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

    /** The held-out evaluation problems (fixed, disjoint seed stream from training). */
    public List<MathProblem> evalProblems(int count) throws IOException {
        switch (spec.getKind()) {
            case ARITHMETIC: {
                List<MathProblem> out = new ArrayList<>();
                int per = Math.max(1, count / spec.getLevelsCount());
                // Held out means held out: a question of the training pool is never evaluated.
                java.util.Set<String> seen = new java.util.HashSet<>();
                if (train != null) {
                    train.forEach(m -> seen.add(m.question()));
                }
                for (int level : spec.getLevelsList()) {
                    int kept = 0;
                    for (MathProblem m : ArithmeticWorld.problems(level, per * 4, seeds.evalProblems())) {
                        if (kept < per && seen.add(m.question())) {
                            out.add(m);
                            kept++;
                        }
                    }
                }
                return out;
            }
            case FIXED_DIGIT:
                return problemsForStep(-1, Math.min(count, 4));
            default: {
                List<MathProblem> ps = spec.getEvalFile().isEmpty() ? train : MathDataset.load(Path.of(spec.getEvalFile()));
                return ps.subList(0, Math.min(count, ps.size()));
            }
        }
    }
}
