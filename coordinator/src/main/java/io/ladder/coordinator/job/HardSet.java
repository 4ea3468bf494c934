package io.ladder.coordinator.job;

import ai.djl.ndarray.NDManager;
import io.ladder.coordinator.eval.HardFilter;
import io.ladder.policy.Policy;
import io.ladder.policy.SamplingParams;
import io.ladder.proto.JobSpec;
import io.ladder.proto.SoarSpec;
import io.ladder.proto.TaskSpec;
import io.ladder.proto.UserError;
import io.ladder.tasks.ListTaskSource;
import io.ladder.tasks.Prompts;
import io.ladder.tasks.Seeds;
import io.ladder.tasks.SpecTaskSource;
import io.ladder.tasks.Task;
import io.ladder.tasks.TaskSource;
import io.ladder.tasks.Verifier;
import io.ladder.tasks.arithmetic.ArithmeticWorld;
import io.ladder.tasks.data.MathDataset;
import io.ladder.tasks.data.MathProblem;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * SOAR's real problems: hard-train (Q_R is drawn from it) and hard-test (the held-out set the job
 * evaluates before and after), both problems the base student never solved in N samples. As a
 * task source it draws hard-train for training, which is the Hard-Only baseline.
 */
public final class HardSet implements TaskSource {
    private final List<Task> train;
    private final ListTaskSource source; // hard-train drawn by step, hard-test held out
    private final long jobSeed;

    HardSet(List<Task> train, List<Task> test, Verifier verifier, long seed) {
        this.train = List.copyOf(train);
        this.source = new ListTaskSource(train, test, verifier, seed);
        this.jobSeed = seed;
    }

    /**
     * The job's hard sets: the files {@code algorithm.soar} names; else RUN_DIR/hard/ when an
     * earlier start of this run computed it; else computed now from the job's task by fail@N
     * with the student model, and written there.
     */
    static HardSet prepare(JobSpec spec, Path runDir, Path studentModel, PrintStream out) throws IOException {
        SoarSpec soar = spec.getAlgorithm().getSoar();
        Path trainFile;
        Path testFile;
        if (!soar.getHardTrainFile().isEmpty()) {
            trainFile = Path.of(soar.getHardTrainFile());
            testFile = Path.of(soar.getHardTestFile());
        } else {
            Path dir = runDir.resolve("hard");
            trainFile = dir.resolve("hard-train.jsonl");
            testFile = dir.resolve("hard-test.jsonl");
            if (!Files.isRegularFile(trainFile) || !Files.isRegularFile(testFile)) {
                compute(spec, soar, dir, studentModel, out);
            }
        }
        List<MathProblem> train = load(trainFile, "hard_train_file");
        List<MathProblem> test = load(testFile, "hard_test_file");
        List<MathProblem> all = new ArrayList<>(train);
        all.addAll(test);
        Verifier v = SpecTaskSource.verifierFor(spec.getTask(), all);
        out.printf("hard sets: %d hard-train (%s), %d hard-test (%s), verifier %s%n", train.size(), trainFile, test.size(), testFile,
                v.name());
        return new HardSet(tasks(train), tasks(test), v, spec.getSeed());
    }

    private static List<MathProblem> load(Path file, String field) throws IOException {
        List<MathProblem> ps = MathDataset.load(file);
        if (ps.isEmpty()) {
            throw new UserError(file + ": no problems (algorithm.soar." + field + ")");
        }
        return ps;
    }

    private static void compute(JobSpec spec, SoarSpec soar, Path dir, Path studentModel, PrintStream out) throws IOException {
        long seed = Seeds.of(Seeds.Purpose.SOAR_HARD_FILTER, spec.getSeed());
        List<MathProblem> candidates = candidates(spec.getTask(), soar.getFilterCandidates(), seed);
        Verifier v = SpecTaskSource.verifierFor(spec.getTask(), candidates);
        SamplingParams params = SamplingParams.defaults().withTemperature(spec.getRollout().getTemperature())
                .withMaxNewTokens(spec.getRollout().getMaxNewTokens()).withSeed(seed);
        out.printf("hard sets: fail@%d over %d candidate problems with %s (into %s)%n", soar.getFilterSamples(), candidates.size(),
                studentModel, dir);
        HardFilter.Result r;
        try (NDManager m = Policy.newManager(); Policy policy = Policy.load(studentModel, m)) {
            PromptFormats.apply(policy, spec.getModel());
            try (io.ladder.coordinator.console.Progress bar = io.ladder.coordinator.console.Progress.start(
                    "fail@" + soar.getFilterSamples(), (long) candidates.size() * soar.getFilterSamples(), "samples", out)) {
                r = HardFilter.run(policy, v, candidates, soar.getFilterSamples(), params, seed, 256, bar::advance);
            }
        }
        if (r.hardTrain().size() < 1 || r.hardTest().size() < 1) {
            throw new UserError("algorithm.soar: only " + (r.hardTrain().size() + r.hardTest().size()) + " of " + candidates.size()
                    + " candidate problems fail all " + soar.getFilterSamples() + " samples; give harder task levels or more "
                    + "filter_candidates");
        }
        r.report().addProperty("model", studentModel.toString());
        // written last and renamed into place: a kill during the filter leaves no half hard set
        Path tmp = dir.resolveSibling("hard.tmp");
        JobHarness.deleteTree(tmp);
        r.write(tmp);
        JobHarness.deleteTree(dir);
        Files.move(tmp, dir);
        out.printf("hard sets: %d of %d fail all %d samples: %d hard-train, %d hard-test%n", r.hardTrain().size() + r.hardTest().size(),
                candidates.size(), soar.getFilterSamples(), r.hardTrain().size(), r.hardTest().size());
    }

    /** The problems a hard set is filtered from: the arithmetic world's levels, or the dataset's training file. */
    private static List<MathProblem> candidates(TaskSpec task, int count, long seed) throws IOException {
        return switch (task.getKind()) {
            case ARITHMETIC -> {
                List<MathProblem> out = new ArrayList<>();
                int levels = task.getLevelsCount();
                for (int i = 0; i < levels; i++) {
                    int per = count / levels + (i < count % levels ? 1 : 0);
                    out.addAll(ArithmeticWorld.problems(task.getLevels(i), per, Seeds.mix(seed, task.getLevels(i))));
                }
                yield out;
            }
            case DATASET -> MathDataset.load(Path.of(task.getTrainFile()));
            default -> throw new UserError("algorithm.soar: hard sets are computed from an arithmetic or dataset task, not "
                    + task.getKind());
        };
    }

    private static List<Task> tasks(List<MathProblem> problems) {
        List<Task> out = new ArrayList<>(problems.size());
        for (MathProblem p : problems) {
            out.add(Task.of(p.id(), Prompts.student(p.question()), p.answer()));
        }
        return out;
    }

    /** hard-train, in file order. */
    public List<Task> train() {
        return train;
    }

    /** M distinct hard-train questions for outer step t (all of them when M exceeds the set): Q_R. */
    public List<Task> rewardQuestions(long t, int m) {
        List<Task> pool = new ArrayList<>(train);
        SplittableRandom rng = new SplittableRandom(Seeds.of(Seeds.Purpose.SOAR_REWARD_QUESTIONS, jobSeed, t));
        int take = Math.min(m, pool.size());
        for (int i = 0; i < take; i++) { // partial Fisher-Yates: the first `take` are a uniform sample without replacement
            int j = i + rng.nextInt(pool.size() - i);
            Task tmp = pool.get(i);
            pool.set(i, pool.get(j));
            pool.set(j, tmp);
        }
        return List.copyOf(pool.subList(0, take));
    }

    @Override
    public List<Task> tasksForStep(long step, int count) {
        return source.tasksForStep(step, count);
    }

    @Override
    public List<Task> evalTasks(int count) {
        return source.evalTasks(count);
    }

    @Override
    public Verifier verifier() {
        return source.verifier();
    }
}
