package io.ladder.coordinator.job;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.ladder.coordinator.metrics.LadderMetrics;
import io.ladder.coordinator.console.Progress;
import io.ladder.coordinator.runtime.GroupPool;
import io.ladder.coordinator.runtime.TrainerGroup;
import io.ladder.proto.AlgorithmSpec;
import io.ladder.proto.JobSpec;
import io.ladder.proto.LearnerInit;
import io.ladder.proto.PromptBatch;
import io.ladder.proto.RolloutBatch;
import io.ladder.proto.RolloutGroup;
import io.ladder.proto.RolloutSample;
import io.ladder.proto.RolloutSpec;
import io.ladder.proto.RolloutWorkerInit;
import io.ladder.proto.SamplingSpec;
import io.ladder.proto.SoarSpec;
import io.ladder.proto.SoarStats;
import io.ladder.proto.StepRecord;
import io.ladder.proto.StepReport;
import io.ladder.proto.UserError;
import io.ladder.tasks.ListTaskSource;
import io.ladder.tasks.Prompts;
import io.ladder.tasks.Seeds;
import io.ladder.tasks.Task;
import io.ladder.tasks.TeacherOutput;
import io.ladder.tasks.soar.Promotion;
import io.ray.api.ObjectRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;
import io.ray.api.exception.RayActorException;
import io.ray.api.exception.RayWorkerException;

/**
 * SOAR (shared/papers/SOAR.md), Algorithm 1: one outer step per job step.
 *
 * <pre>
 * for outer step t = 0 .. T-1:
 *   1  g·n well-formed (q, a) ~ π_T(· | teacher prompt)   malformed: discarded and resampled, within a budget
 *   2  X_1..X_g ← the pairs in g datasets of n
 *   3  Q_R ← M fresh questions from hard-train
 *   4  acc_0 ← greedy accuracy of the baseline student θ_S on Q_R
 *   5  for k in 1..g, j in 1..r  (in parallel on the student pool):
 *          θ'_kj ← RLOO from θ_S on X_k for the inner steps
 *          R_kj ← acc(θ'_kj, Q_R) − acc_0
 *   6  R_k ← mean_j R_kj; every rollout of X_k gets reward R_k
 *   7  teacher RLOO update over the g datasets: A(X_k) = R_k − mean_{k'≠k} R_k'
 *   8  R̂_t ← mean_k R_k; R̄_t ← moving average of R̂ over m steps
 *      if R̄_t > τ: θ_S ← θ'_{k*,j*} (k* = argmax R_k, j* = the median repeat); PQ ← PQ ∪ X_k*
 * </pre>
 *
 * The teacher has its own trainer group; the g·r inner loops run on a pool of student groups
 * (cluster.trainer_groups of them). Every random stream is keyed by (t, k, j), so results do not
 * depend on which group ran a loop or how many groups there are.
 */
public final class Soar implements Algorithm {
    private final JobSpec spec;
    private final SoarSpec soar;
    private final HardSet hard;
    private final long jobSeed;
    private final Promotion promotion;
    private TrainerGroup teacher;
    private GroupPool students;
    private java.io.PrintStream console; // where the outer step's progress bar goes
    private Consumer<String> log;
    private io.ladder.coordinator.runtime.RayRuntime ray;
    private Path runDir;
    private ObjectRef<byte[]> baseline;             // θ_S, the baseline student
    private ObjectRef<byte[]> promotedStudent;      // PS: the promoted student best on hard-train
    private double promotedStudentAccuracy = -1;
    private final List<JsonObject> promotionQuestions = new ArrayList<>(); // PQ
    private int promotions;
    private int innerSteps;
    private int redone;

    /** One (question, answer) pair and the teacher sample it came from. */
    private record Pair(String question, String answer, RolloutSample sample) {}

    /** What an inner loop returns: the student's accuracy on Q_R and its weights θ'_kj. */
    private record InnerLoop(double accuracy, ObjectRef<byte[]> weights, double seconds) {}

    public Soar(JobSpec spec, HardSet hard) {
        this.spec = spec;
        this.soar = spec.getAlgorithm().getSoar(); // resolved by JobSpecs.validate
        this.hard = hard;
        this.jobSeed = spec.getSeed();
        this.promotion = new Promotion(soar.getMovingAverageWindow(), soar.getPromotionThreshold(),
                soar.getResetAverageOnPromotion(), soar.getEvenMedian() == SoarSpec.EvenMedian.UPPER);
        this.innerSteps = soar.getInnerSteps();
    }

    /** The teacher's learner settings: the job's common RLOO settings with the teacher's lr, KL and loss. */
    static AlgorithmSpec teacherAlgorithm(AlgorithmSpec a) {
        SoarSpec.Teacher t = a.getSoar().getTeacher();
        return role(a).setLr(t.getLr()).setKlBeta(t.getKlBeta()).setMinLrRatio(t.getMinLrRatio()).setAggregation(t.getLoss()).build();
    }

    /** The students' learner settings: the job's common RLOO settings with the student's lr and KL. */
    static AlgorithmSpec studentAlgorithm(AlgorithmSpec a) {
        SoarSpec.Student s = a.getSoar().getStudent();
        return role(a).setLr(s.getLr()).setKlBeta(s.getKlBeta()).setMinLrRatio(s.getMinLrRatio()).build();
    }

    private static AlgorithmSpec.Builder role(AlgorithmSpec a) {
        return a.toBuilder().setName(AlgorithmSpec.Name.RLOO).clearSoar().clearExit();
    }

    /** The teacher's rollout settings (its sampling; one "group" is the g datasets). */
    private RolloutSpec teacherRollout() {
        return spec.getRollout().toBuilder().setTemperature(soar.getTeacher().getTemperature()).setTopP(1.0).setTopK(0)
                .setMaxNewTokens(soar.getTeacher().getMaxNewTokens()).build();
    }

    @Override
    public void start(Context ctx, Path resumeFrom) throws IOException {
        this.log = ctx.log();
        this.console = ctx.out();
        this.ray = ctx.ray();
        this.runDir = ctx.runDir();
        String studentModel = ctx.baseModel().toAbsolutePath().toString();
        String teacherModel = resumeFrom != null ? resumeFrom.resolve("teacher").resolve("policy").toAbsolutePath().toString()
                : soar.getTeacher().getModel().isEmpty() ? studentModel : Path.of(soar.getTeacher().getModel()).toAbsolutePath().toString();
        int teacherSteps = spec.getSteps();
        RolloutSpec tr = teacherRollout();
        teacher = new TrainerGroup(ctx.ray(), spec.getName() + "-teacher", 0, spec.getCluster(),
                LearnerInit.newBuilder().setJob(spec.getName()).setModelPath(teacherModel).setAlgorithm(teacherAlgorithm(spec.getAlgorithm()))
                        .setRollout(tr).setTotalSteps(teacherSteps).build(),
                RolloutWorkerInit.newBuilder().setJob(spec.getName()).setModelPath(teacherModel)
                        .setTask(spec.getTask().toBuilder().setVerifier(hard.verifier().name())).setRollout(tr)
                        .setPromptFormat(spec.getModel().getPromptFormat()).setSystemPrompt(spec.getModel().getSystemPrompt()).build(), log);
        // Student groups load the base student (their KL reference when student.reference is
        // base_model); the baseline they reset to is a weight version in the object store.
        List<TrainerGroup> pool = new ArrayList<>();
        for (int i = 0; i < spec.getCluster().getTrainerGroups(); i++) {
            pool.add(new TrainerGroup(ctx.ray(), spec.getName() + "-student", i, spec.getCluster(),
                    LearnerInit.newBuilder().setJob(spec.getName()).setModelPath(studentModel)
                            .setAlgorithm(studentAlgorithm(spec.getAlgorithm())).setRollout(spec.getRollout())
                            .setTotalSteps(soar.getInnerSteps()).build(),
                    PromptFormats.copyTo(RolloutWorkerInit.newBuilder().setJob(spec.getName()).setModelPath(studentModel)
                            .setTask(spec.getTask().toBuilder().setVerifier(hard.verifier().name())).setRollout(spec.getRollout()),
                            spec.getModel()).build(),
                    log));
        }
        students = new GroupPool(ctx.ray(), pool);
        TrainerGroup first = pool.get(0);
        if (resumeFrom != null) {
            teacher.loadCheckpoint(resumeFrom.resolve("teacher").toAbsolutePath().toString());
            restoreState(resumeFrom.resolve("soar-state.json"));
            Path ps = resumeFrom.resolve("promoted-student");
            if (Files.isDirectory(ps)) {
                first.resetToFolder(ps.toAbsolutePath().toString());
                promotedStudent = first.snapshot();
            }
            first.resetToFolder(resumeFrom.resolve("policy").toAbsolutePath().toString());
        }
        baseline = first.snapshot();
        teacher.broadcast();
        writePromotionQuestions();
    }

    @Override
    public StepRecord step(int t) {
        long start = System.nanoTime();
        int g = soar.getDatasets();
        int n = soar.getQuestionsPerDataset();
        int r = soar.getRepeats();

        // 1-2: g·n well-formed pairs, split into X_1..X_g
        long t0 = System.nanoTime();
        int[] attempts = new int[1];
        List<Pair> pairs = sampleTeacher(t, g * n, attempts);
        List<List<Pair>> x = new ArrayList<>();
        for (int k = 0; k < g; k++) {
            x.add(pairs.subList(k * n, (k + 1) * n));
        }
        double teacherSampleSeconds = (System.nanoTime() - t0) / 1e9;

        // 3-4: Q_R and the baseline's greedy accuracy on it
        List<PromptBatch.Prompt> qr = prompts(hard.rewardQuestions(t, soar.getRewardQuestions()), t, -1, -1, -1);
        long b0 = System.nanoTime();
        double acc0 = onPoolNow("the baseline's evaluation on Q_R", grp -> {
            grp.reset(baseline);
            return greedyAccuracy(grp, qr);
        });

        double baselineSeconds = (System.nanoTime() - b0) / 1e9;

        // 5: g×r inner loops on the pool
        long loops0 = System.nanoTime();
        int steps = innerSteps;
        InnerLoop[][] loops = new InnerLoop[g][r];
        log.accept(String.format("outer step %d: %d inner loops of %d steps on %d student group(s)", t + 1, g * r, steps,
                students.size()));
        List<CompletableFuture<InnerLoop>> futures = new ArrayList<>();
        try (Progress bar = Progress.terminalOnly("outer step " + (t + 1), (long) g * r, "inner loops", console)) {
            for (int k = 0; k < g; k++) {
                for (int j = 0; j < r; j++) {
                    int kk = k;
                    int jj = j;
                    futures.add(onPool(String.format("inner loop (t=%d, k=%d, j=%d)", t + 1, k, j),
                            grp -> innerLoop(grp, t, kk, jj, x.get(kk), qr, steps)).whenComplete((l, e) -> bar.advance(1)));
                }
            }
            for (int k = 0; k < g; k++) {
                for (int j = 0; j < r; j++) {
                    loops[k][j] = join(futures.get(k * r + j));
                }
            }
        }
        double loopsWall = (System.nanoTime() - loops0) / 1e9;
        double[][] rKJ = new double[g][r];
        double busy = 0;
        for (int k = 0; k < g; k++) {
            for (int j = 0; j < r; j++) {
                rKJ[k][j] = loops[k][j].accuracy() - acc0;                 // R_kj
                busy += loops[k][j].seconds();
            }
        }

        // 6-7: dataset rewards and the teacher's RLOO update
        double[] rK = Promotion.datasetRewards(rKJ);                       // R_k
        double[] teacherReward = soar.getTeacherReward() == SoarSpec.TeacherReward.INTRINSIC ? intrinsicRewards(t, x) : rK;
        long u0 = System.nanoTime();
        RolloutBatch.Builder batch = RolloutBatch.newBuilder();
        RolloutGroup.Builder datasets = RolloutGroup.newBuilder().setGroup(0); // the teacher's RLOO group: the g datasets
        for (int k = 0; k < g; k++) {
            for (Pair p : x.get(k)) {
                datasets.addSamples(p.sample().toBuilder().setGroup(0).setUnit(k).setReward(teacherReward[k]));
            }
        }
        batch.addGroups(datasets);
        RolloutBatch teacherBatch = batch.build();
        StepReport report = teacher.learn(teacherBatch);
        long bytes = teacher.broadcast();
        double teacherUpdateSeconds = (System.nanoTime() - u0) / 1e9;

        // 8: promotion
        Promotion.Decision d = promotion.observe(rKJ);
        for (int k = 0; k < g; k++) { // θ'_kj not promoted are not needed again
            for (int j = 0; j < r; j++) {
                if (!(d.promoted() && k == d.dataset() && j == d.repeat())) {
                    ray.free(loops[k][j].weights());
                }
            }
        }
        if (d.promoted()) {
            if (baseline != promotedStudent) {
                ray.free(baseline);
            }
            baseline = loops[d.dataset()][d.repeat()].weights();           // θ_S ← θ'_{k*,j*}
            promotions++;
            for (Pair p : x.get(d.dataset())) {                            // PQ ← PQ ∪ X_k*
                JsonObject q = new JsonObject();
                q.addProperty("problem", p.question());
                q.addProperty("answer", p.answer());
                q.addProperty("outer_step", t + 1);
                q.addProperty("dataset", d.dataset());
                promotionQuestions.add(q);
            }
            innerSteps = Math.min(soar.getMaxInnerSteps(), innerSteps + soar.getInnerStepsPerPromotion());
            double accTrain = onPoolNow("the promoted student's evaluation", grp -> { // PS: best on hard-train
                grp.reset(baseline);
                return greedyAccuracy(grp, prompts(hard.train(), t, -1, -1, -1));
            });
            if (accTrain > promotedStudentAccuracy) {
                if (promotedStudent != null) {
                    ray.free(promotedStudent); // never the baseline: that was just replaced
                }
                promotedStudentAccuracy = accTrain;
                promotedStudent = baseline;
            }
            try {
                writePromotionQuestions();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(runDir.resolve("promotion_questions.jsonl") + ": " + e.getMessage(), e);
            }
            log.accept(String.format(java.util.Locale.ROOT, "outer step %d: promoted θ'_{%d,%d} (R̄ %.4f > τ %.4f); |PQ| %d; "
                    + "hard-train greedy accuracy %.3f; inner loops now %d steps", t + 1, d.dataset(), d.repeat(), d.rBar(),
                    soar.getPromotionThreshold(), promotionQuestions.size(), accTrain, innerSteps));
        }

        SoarStats.Builder stats = SoarStats.newBuilder().addAllRK(boxed(rK)).setRHat(d.rHat()).setRBar(d.rBar())
                .setPromoted(d.promoted()).setPromotedDataset(d.dataset()).setPromotedRepeat(d.repeat())
                .setBaselineAccuracy(acc0).setTeacherAttempts(attempts[0])
                .setTeacherWellFormed((double) g * n / attempts[0])
                .setPoolUtilisation(busy / Math.max(1e-9, loopsWall * students.size())).setStudentGroups(students.size())
                .setInnerSteps(steps).setPromotions(promotions).setPromotionQuestions(promotionQuestions.size())
                .setPromotedStudentAccuracy(promotedStudentAccuracy)
                .setTeacherSeconds(teacherSampleSeconds + teacherUpdateSeconds).setRedoneInnerLoops(redone)
                .setBaselineSeconds(baselineSeconds);
        for (int k = 0; k < g; k++) {
            stats.addRKj(SoarStats.Row.newBuilder().addAllValues(boxed(rKJ[k])));
            for (int j = 0; j < r; j++) {
                stats.addInnerLoopSeconds(loops[k][j].seconds());
            }
        }
        TrainerGroup.StepOutcome o = new TrainerGroup.StepOutcome(teacherBatch, report, bytes, teacherSampleSeconds,
                teacherUpdateSeconds, 0);
        return StepRecords.of(t + 1, "teacher", o, teacher.version(), teacher.workerRestarts()).toBuilder()
                .setStepSeconds((System.nanoTime() - start) / 1e9).setSoar(stats).build();
    }

    /**
     * Step 1: teacher samples until g·n are well-formed (both tag pairs, a boxed answer the hard
     * set's verifier can parse). Malformed ones are counted and dropped, never penalised
     * (Proposition 1: with RLOO's zero-sum advantages this keeps the gradient unbiased). Each
     * round asks for exactly the pairs still missing, so the samples are a function of (t, round).
     */
    private List<Pair> sampleTeacher(int t, int needed, int[] attempts) {
        List<Pair> kept = new ArrayList<>(needed);
        SamplingSpec sampling = SamplingSpec.newBuilder().setTemperature(soar.getTeacher().getTemperature()).setTopP(1.0)
                .setMaxNewTokens(soar.getTeacher().getMaxNewTokens()).build();
        for (int round = 0; kept.size() < needed; round++) {
            int ask = Math.min(needed - kept.size(), soar.getTeacherAttempts() - attempts[0]);
            if (ask <= 0) {
                throw new UserError(String.format("outer step %d: the teacher wrote %d well-formed pairs of the %d needed in "
                        + "algorithm.soar.teacher_attempts = %d samples; the job stops here with its last checkpoint kept "
                        + "(raise teacher_attempts and --resume)", t + 1, kept.size(), needed, soar.getTeacherAttempts()));
            }
            List<PromptBatch.Prompt> prompts = new ArrayList<>(ask);
            for (int i = 0; i < ask; i++) {
                prompts.add(PromptBatch.Prompt.newBuilder().setGroup(i).setId("teacher-" + (t + 1) + "-" + round + "-" + i)
                        .setText(Prompts.TEACHER).setSeed(Seeds.of(Seeds.Purpose.SOAR_TEACHER, jobSeed, t, round, i)).build());
            }
            attempts[0] += ask;
            for (RolloutBatch part : teacher.sample(prompts, 1, spec.getRollout().getPromptsPerCall(), sampling, t, true)) {
                for (RolloutGroup grp : part.getGroupsList()) {
                    RolloutSample s = grp.getSamples(0);
                    TeacherOutput.Parsed p = TeacherOutput.parse(s.getCompletionText());
                    if (p.ok() && hard.verifier().parsesAnswer(p.answer()) && kept.size() < needed) {
                        kept.add(new Pair(p.question(), p.answer(), s));
                    }
                }
            }
        }
        return kept;
    }

    /**
     * Runs work on the next free student group. Every piece of pool work starts from a reset, so
     * when its group's actor dies (a killed JVM: Ray restarts it) the work is simply redone on the
     * next free group: its result counts once, and it is the same result.
     */
    private <T> CompletableFuture<T> onPool(String what, Function<TrainerGroup, T> work) {
        return students.submit(work).handle((res, err) -> {
            if (err == null) {
                return CompletableFuture.completedFuture(res);
            }
            Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            if (!(cause instanceof RayActorException || cause instanceof RayWorkerException)) {
                return CompletableFuture.<T>failedFuture(cause); // not a dead process: a bug or bad input, reported as is
            }
            synchronized (this) {
                redone++;
                if (redone > 3 * soar.getDatasets() * soar.getRepeats()) {
                    throw new IllegalStateException("SOAR student groups keep dying; last: " + TrainerGroup.firstLine(cause), cause);
                }
            }
            log.accept(what + " failed (" + TrainerGroup.firstLine(cause) + "); redoing it on a live student group");
            return onPool(what, work);
        }).thenCompose(f -> f);
    }

    private <T> T onPoolNow(String what, Function<TrainerGroup, T> work) {
        return join(onPool(what, work));
    }

    /** A pool result, its failure rethrown as it was raised (not wrapped). */
    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** θ'_kj: the baseline, trained with RLOO on X_k for {@code steps} steps, then measured on Q_R. */
    private InnerLoop innerLoop(TrainerGroup grp, int t, int k, int j, List<Pair> xk, List<PromptBatch.Prompt> qr, int steps) {
        long t0 = System.nanoTime();
        grp.reset(baseline);
        grp.restartSchedule(steps); // the cosine spans this loop, however long promotions have made it
        if (soar.getStudent().getReference() == SoarSpec.StudentReference.BASELINE) {
            grp.refreshReference(0.0); // π_ref ← θ_S (a no-op when the student has no KL term)
        }
        List<Task> tasks = new ArrayList<>(xk.size());
        for (int i = 0; i < xk.size(); i++) {
            Pair p = xk.get(i);
            tasks.add(Task.of("t" + (t + 1) + "-k" + k + "-" + i, Prompts.student(p.question()), p.answer()));
        }
        ListTaskSource source = new ListTaskSource(tasks, List.of(), hard.verifier(),
                Seeds.of(Seeds.Purpose.SOAR_INNER_PROBLEMS, jobSeed, t, k, j));
        for (int s = 0; s < steps; s++) {
            List<PromptBatch.Prompt> prompts = prompts(source.tasksForStep(s, spec.getRollout().getPromptsPerStep()), t, k, j, s);
            grp.step(prompts, spec.getRollout().getGroupSize(), spec.getRollout().getPromptsPerCall(), s);
        }
        double acc = greedyAccuracy(grp, qr);
        return new InnerLoop(acc, grp.snapshot(), (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Intrinsic-T's teacher reward: per question r = 0 if the baseline student's success rate s
     * over the intrinsic samples is 0, else 1 − s; a dataset's reward is the mean r.
     */
    private double[] intrinsicRewards(int t, List<List<Pair>> x) {
        int samples = soar.getIntrinsicSamples();
        double[] out = new double[x.size()];
        for (int k = 0; k < x.size(); k++) {
            List<PromptBatch.Prompt> prompts = new ArrayList<>();
            for (int i = 0; i < x.get(k).size(); i++) {
                Pair p = x.get(k).get(i);
                prompts.add(PromptBatch.Prompt.newBuilder().setGroup(i).setId("intrinsic-" + k + "-" + i)
                        .setText(Prompts.student(p.question())).setAnswer(p.answer())
                        .setSeed(Seeds.of(Seeds.Purpose.SOAR_INTRINSIC, jobSeed, t, k, i)).build());
            }
            List<RolloutBatch> parts = onPoolNow("Intrinsic-T's sampling of X_" + k, grp -> {
                grp.reset(baseline);
                return grp.sample(prompts, samples, spec.getRollout().getPromptsPerCall(), null, t, false);
            });
            double sum = 0;
            int questions = 0;
            for (RolloutBatch part : parts) {
                for (RolloutGroup grp : part.getGroupsList()) {
                    double s = grp.getSamplesList().stream().mapToDouble(RolloutSample::getReward).average().orElse(0);
                    sum += s == 0 ? 0 : 1 - s;
                    questions++;
                }
            }
            out[k] = sum / questions;
        }
        return out;
    }

    private double greedyAccuracy(TrainerGroup grp, List<PromptBatch.Prompt> prompts) {
        double[] rewards = grp.evaluateGreedy(prompts, spec.getRollout().getMaxNewTokens(), spec.getRollout().getPromptsPerCall());
        double s = 0;
        for (double v : rewards) {
            s += v;
        }
        return s / rewards.length;
    }

    /** Prompts for tasks; inner-loop sampling seeds are keyed (t, k, j, inner step, group). */
    private List<PromptBatch.Prompt> prompts(List<Task> tasks, int t, int k, int j, int s) {
        List<PromptBatch.Prompt> out = new ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            Task q = tasks.get(i);
            out.add(PromptBatch.Prompt.newBuilder().setGroup(i).setId(q.id()).setText(q.prompt()).setAnswer(q.answer())
                    .setSeed(Seeds.of(Seeds.Purpose.SOAR_INNER_SAMPLING, jobSeed, t, k, j, s, i)).build());
        }
        return out;
    }

    // ------------------------------------------------------------------ state

    @Override
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        teacher.saveCheckpoint(dir.resolve("teacher").toAbsolutePath().toString());
        // through a free student group (every piece of pool work starts with a reset, so this disturbs nothing)
        if (promotedStudent != null) {
            onPoolNow("saving the promoted student", grp -> {
                grp.reset(promotedStudent);
                return grp.savePolicy(dir.resolve("promoted-student").toAbsolutePath().toString());
            });
        }
        onPoolNow("saving the baseline student", grp -> { // the harness evaluates the baseline student
            grp.reset(baseline);
            return grp.savePolicy(dir.resolve("policy").toAbsolutePath().toString());
        });
        JsonObject st = new JsonObject();
        JsonArray history = new JsonArray();
        promotion.history().forEach(history::add);
        st.add("r_hat_window", history);
        st.addProperty("promotions", promotions);
        st.addProperty("inner_steps", innerSteps);
        st.addProperty("redone_inner_loops", redone);
        st.addProperty("promoted_student_accuracy", promotedStudentAccuracy);
        JsonArray pq = new JsonArray();
        promotionQuestions.forEach(pq::add);
        st.add("promotion_questions", pq);
        Files.writeString(dir.resolve("soar-state.json"), new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(st)
                + "\n", StandardCharsets.UTF_8);
    }

    private void restoreState(Path file) throws IOException {
        JsonObject st = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        List<Double> history = new ArrayList<>();
        st.getAsJsonArray("r_hat_window").forEach(e -> history.add(e.getAsDouble()));
        promotion.restore(history);
        promotions = st.get("promotions").getAsInt();
        innerSteps = st.get("inner_steps").getAsInt();
        redone = st.get("redone_inner_loops").getAsInt();
        promotedStudentAccuracy = st.get("promoted_student_accuracy").getAsDouble();
        promotionQuestions.clear();
        st.getAsJsonArray("promotion_questions").forEach(e -> promotionQuestions.add(e.getAsJsonObject()));
    }

    /** RUN_DIR/promotion_questions.jsonl: PQ so far, in the dataset format (problem, answer) plus where each came from. */
    private void writePromotionQuestions() throws IOException {
        Gson gson = new GsonBuilder().disableHtmlEscaping().create();
        StringBuilder sb = new StringBuilder();
        for (JsonObject q : promotionQuestions) {
            sb.append(gson.toJson(q)).append('\n');
        }
        Path file = runDir.resolve("promotion_questions.jsonl");
        Path tmp = runDir.resolve("promotion_questions.jsonl.tmp");
        Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The job's outputs beside its checkpoints: the trained teacher and the Promoted Student, as Hugging Face folders. */
    @Override
    public JsonObject finish(Path finalCheckpoint, LadderMetrics metrics) throws IOException {
        copyFolder(finalCheckpoint.resolve("teacher").resolve("policy"), runDir.resolve("teacher"));
        if (Files.isDirectory(finalCheckpoint.resolve("promoted-student"))) {
            copyFolder(finalCheckpoint.resolve("promoted-student"), runDir.resolve("promoted-student"));
        }
        log.accept(String.format(java.util.Locale.ROOT, "SOAR outputs: %d promotion(s), %d promotion questions (%s), teacher %s%s",
                promotions, promotionQuestions.size(), runDir.resolve("promotion_questions.jsonl"), runDir.resolve("teacher"),
                promotedStudent == null ? ", no promoted student" : String.format(java.util.Locale.ROOT,
                        ", promoted student %s (hard-train greedy accuracy %.3f)", runDir.resolve("promoted-student"),
                        promotedStudentAccuracy)));
        JsonObject o = new JsonObject();
        o.addProperty("promotions", promotions);
        o.addProperty("promotion_questions", promotionQuestions.size());
        o.addProperty("promoted_student_hard_train_accuracy", promotedStudentAccuracy);
        o.addProperty("teacher", runDir.resolve("teacher").toString());
        if (promotedStudent != null) {
            o.addProperty("promoted_student", runDir.resolve("promoted-student").toString());
        }
        JsonObject out = new JsonObject();
        out.add("soar", o);
        return out;
    }

    private static void copyFolder(Path from, Path to) throws IOException {
        JobHarness.deleteTree(to);
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Override
    public void report(LadderMetrics metrics) {
        for (int w = 0; w < teacher.workerCount(); w++) {
            metrics.workerVersion("teacher", teacher.name() + "-rollout-" + w, teacher.workerVersion(w));
        }
        int restarts = 0;
        for (TrainerGroup grp : students.groups()) {
            restarts += grp.workerRestarts();
        }
        metrics.actorRestarts("teacher", "rollout_worker", teacher.workerRestarts());
        metrics.actorRestarts("student", "rollout_worker", restarts);
    }

    @Override
    public String describe() {
        List<String> groups = new ArrayList<>();
        for (TrainerGroup grp : students.groups()) { // the processes, so an operator (or a test) can find them
            groups.add("learner " + grp.learnerInfo() + ", workers " + String.join(" ", grp.workerInfo()));
        }
        return String.format("SOAR: teacher group (learner %s, workers %s), %d student group(s) [%s]; g=%d n=%d r=%d M=%d τ=%s m=%d, "
                        + "%d inner steps; %d promotion(s), %d inner loop(s) redone so far", teacher.learnerInfo(),
                String.join(" ", teacher.workerInfo()), students.size(), String.join("; ", groups), soar.getDatasets(),
                soar.getQuestionsPerDataset(), soar.getRepeats(), soar.getRewardQuestions(), soar.getPromotionThreshold(),
                soar.getMovingAverageWindow(), innerSteps, promotions, redone);
    }

    private static List<Double> boxed(double[] v) {
        List<Double> out = new ArrayList<>(v.length);
        for (double x : v) {
            out.add(x);
        }
        return out;
    }


    @Override
    public void close() {
        if (students != null) {
            students.close();
        }
        if (teacher != null) {
            teacher.close();
        }
    }
}
