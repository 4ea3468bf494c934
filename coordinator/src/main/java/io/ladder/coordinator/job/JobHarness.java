package io.ladder.coordinator.job;

import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.util.JsonFormat;
import io.ladder.coordinator.console.Progress;
import io.ladder.coordinator.eval.Evaluator;
import io.ladder.coordinator.eval.PairedBootstrap;
import io.ladder.coordinator.eval.PassAtK;
import io.ladder.coordinator.metrics.LadderMetrics;
import io.ladder.coordinator.runtime.RayRuntime;
import io.ladder.policy.Policy;
import io.ladder.policy.SamplingParams;
import io.ladder.proto.JobSpec;
import io.ladder.proto.JobFailure;
import io.ladder.proto.UserError;
import io.ladder.proto.StepRecord;
import io.ladder.tasks.Seeds;
import io.ladder.tasks.SpecTaskSource;
import io.ladder.tasks.Task;
import io.ladder.tasks.TaskSource;
import io.ladder.tasks.data.MathProblem;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The job harness: everything about a training job that is not the training method. It writes
 * the run folder (the resolved spec.json, pass_before.json, pass_after.json, metrics.jsonl, checkpoints/step-N,
 * summary.json), measures held-out pass@k before and after, resumes from the latest checkpoint,
 * serves Prometheus, and turns each step's {@link io.ladder.proto.StepRecord} into a metrics line,
 * a progress line and series. The method itself is an {@link Algorithm} ({@link Grpo} for GRPO
 * and RLOO), which owns its actors, one step and its checkpointed state.
 */
public final class JobHarness {
    private final JobSpec spec;
    private final Path runDir;
    private final Path modelPath;
    private final PrintStream out;
    private TaskSource tasks; // SOAR's hard sets replace the spec's task once the run folder exists
    private final Seeds seeds;
    private final List<Double> rewards = new ArrayList<>(); // mean reward of each step this run
    private JsonObject extras = new JsonObject();           // the algorithm's own summary fields

    public JobHarness(JobSpec spec, Path runDir, Path modelPath, PrintStream out) throws IOException {
        this.spec = spec;
        this.runDir = runDir;
        this.modelPath = modelPath;
        this.out = out;
        // checked here, before anything starts; SOAR's hard sets are read (or computed) in run()
        this.tasks = SpecTaskSource.of(spec.getTask(), spec.getSeed());
        this.seeds = new Seeds(spec.getSeed());
    }

    /**
     * The step a resume continues from, or a one-line refusal when there is nothing to do: the
     * checkpoint is at or past the spec's steps and the run has its summary.
     */
    public static int checkResume(JobSpec spec, Path runDir, Path resumeFrom) {
        int startStep;
        try {
            JsonObject state = JsonParser.parseString(Files.readString(resumeFrom.resolve("trainer.json"))).getAsJsonObject();
            startStep = state.get("step").getAsInt();
        } catch (IOException | RuntimeException e) {
            throw new UserError(resumeFrom.resolve("trainer.json") + ": unreadable (" + e.getMessage() + ")");
        }
        boolean onlyEvaluate = startStep == spec.getSteps() && !Files.exists(runDir.resolve("summary.json"));
        if (startStep >= spec.getSteps() && !onlyEvaluate) {
            throw new UserError(resumeFrom + ": the run is already at step " + startStep + " of " + spec.getSteps()
                    + (startStep == spec.getSteps() ? " (finished)" : "") + "; resume with --steps N above " + startStep
                    + " to train further");
        }
        return startStep;
    }

    /** What a finished job reports. */
    public record Summary(int steps, double firstReward, double lastReward, JsonObject passBefore, JsonObject passAfter,
                          JsonObject heldOutChange) {}

    /**
     * Runs from scratch, or from {@code resumeFrom} (a checkpoint folder of this run). A failure
     * after the start that is not the user's input (an actor's exception, a worker Ray could not
     * replace) becomes a {@link JobFailure}: one line naming where and why, the trace in the run
     * folder's ladder.log, and every checkpoint kept for --resume.
     */
    public Summary run(Path resumeFrom) throws IOException {
        try {
            return runJob(resumeFrom);
        } catch (UserError | JobFailure e) {
            throw e;
        } catch (RuntimeException | IOException e) {
            throw failure(e);
        }
    }

    private JobFailure failure(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String where = "";
        for (StackTraceElement f : root.getStackTrace()) {
            if (f.getClassName().startsWith("io.ladder.") && !f.getClassName().equals(io.ladder.proto.Faults.class.getName())) {
                where = f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1) + "." + f.getMethodName() + ": ";
                break;
            }
        }
        String cause = String.valueOf(root.getMessage()).lines().findFirst().orElse("");
        Path log = runDir.resolve(io.ladder.coordinator.console.Terminal.LOG_FILE);
        try (java.io.PrintWriter w = new java.io.PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
            w.println(java.time.Instant.now() + " the job stopped:");
            e.printStackTrace(w);
        } catch (IOException io) {
            e.addSuppressed(io); // the run folder itself is the problem; the line below still says what happened
        }
        Path latest;
        try {
            latest = latestCheckpoint(runDir);
        } catch (IOException io) {
            latest = null;
        }
        return new JobFailure(String.format(Locale.ROOT, "the job stopped after step %d of %d: %s%s: %s (trace in %s; %s)",
                rewards.size(), spec.getSteps(), where, root.getClass().getSimpleName(), cause, log,
                latest == null ? "--resume " + runDir + " starts it over" : "--resume " + runDir + " continues from "
                        + latest.getFileName()), e);
    }

    private Summary runJob(Path resumeFrom) throws IOException {
        Files.createDirectories(runDir);
        int startStep = 0;
        boolean onlyEvaluate = false;
        Path initialModel = modelPath;
        if (resumeFrom != null) {
            startStep = checkResume(spec, runDir, resumeFrom);
            // trained to the end but its final evaluation never finished (a crash, a kill): resume does only that
            onlyEvaluate = startStep == spec.getSteps();
            initialModel = resumeFrom.resolve("policy");
            writeSpec(); // only once the resume is known to make sense: a refused one changes nothing
            truncateMetrics(startStep);
            rewards.addAll(loggedRewards()); // the summary's reward windows cover the whole run, not this process's part
            out.printf("resuming %s from %s (step %d of %d)%s%n", spec.getName(), resumeFrom, startStep, spec.getSteps(),
                    onlyEvaluate ? ": only the final evaluation is left" : "");
        }
        if (resumeFrom == null) {
            writeSpec();
            truncateMetrics(0); // a run that died before its first checkpoint starts over: its lines go
        }
        io.ladder.coordinator.console.Terminal.logTo(runDir); // libraries' and native log lines from here on
        if (spec.getAlgorithm().getName() == io.ladder.proto.AlgorithmSpec.Name.SOAR) {
            tasks = HardSet.prepare(spec, runDir, modelPath, out); // the held-out set is hard-test
        }
        Eval passBefore;
        if (resumeFrom == null) {
            passBefore = evaluate(modelPath, "before");
            Files.writeString(runDir.resolve("pass_before.json"), new Gson().toJson(passBefore.toJson()) + "\n");
        } else {
            passBefore = readPassBefore();
        }
        Path finalCheckpoint;
        String strategy = spec.getAlgorithm().getName().name().toLowerCase(Locale.ROOT);
        try (LadderMetrics metricsEndpoint = new LadderMetrics(spec.getName(), strategy)) {
            String bind = spec.getMetricsBind().isEmpty() ? "127.0.0.1" : spec.getMetricsBind();
            metricsEndpoint.serve(bind, spec.getMetricsPort());
            if (metricsEndpoint.port() != 0) {
                out.printf("metrics: http://%s:%d/metrics%n", bind, metricsEndpoint.port());
            }
            finalCheckpoint = onlyEvaluate ? resumeFrom : train(resumeFrom, startStep, initialModel, metricsEndpoint);
            Eval passAfter = evaluate(finalCheckpoint.resolve("policy"), "after");
            // per-problem counts, as before training: what report intervals are computed from
            Files.writeString(runDir.resolve("pass_after.json"), new Gson().toJson(passAfter.toJson()) + "\n");
            Summary s = new Summary(spec.getSteps(), windowReward(true), windowReward(false), passBefore.pass(),
                    passAfter.pass(), heldOutChange(passBefore, passAfter));
            writeSummary(s, finalCheckpoint);
            if (spec.getMetricsLingerSeconds() > 0 && metricsEndpoint.port() != 0) {
                out.printf("serving final metrics for %.0f s%n", spec.getMetricsLingerSeconds());
                sleepSeconds(spec.getMetricsLingerSeconds());
            }
            return s;
        }
    }

    /** Mean reward of the first (or last) tenth of the steps run: one step's reward is noisy. */
    private double windowReward(boolean first) {
        if (rewards.isEmpty()) {
            return Double.NaN;
        }
        int w = Math.max(1, rewards.size() / 10);
        List<Double> part = first ? rewards.subList(0, w) : rewards.subList(rewards.size() - w, rewards.size());
        return part.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static void sleepSeconds(double s) {
        try {
            Thread.sleep((long) (s * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Path train(Path resumeFrom, int startStep, Path initialModel, LadderMetrics metricsEndpoint) throws IOException {
        Path finalCheckpoint;
        try (RayRuntime ray = RayRuntime.start(spec.getCluster().getRayAddress(), spec.getCluster().getWorkerJvmOptionsList());
             Algorithm algorithm = algorithm();
             BufferedWriter metrics = Files.newBufferedWriter(runDir.resolve("metrics.jsonl"), StandardCharsets.UTF_8,
                     StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            io.ladder.coordinator.console.Terminal.logTo(runDir); // again: starting Ray replaced the logging configuration
            BufferedWriter soarLog = null; // soar.jsonl: SOAR's outer-step records on their own
            algorithm.start(new Algorithm.Context(spec, ray, initialModel, modelPath, runDir, msg -> out.println("[ladder] " + msg), out),
                    resumeFrom);
            out.printf("%s: %s on %s, %s%n", spec.getName(), spec.getAlgorithm().getName(),
                    ray.isLocal() ? "embedded Ray (local mode)" : "Ray cluster " + ray.address(), algorithm.describe());
            for (int step = startStep; step < spec.getSteps(); step++) {
                StepRecord r = algorithm.step(step);
                // one record, three renderings: metrics.jsonl, Prometheus, the progress line
                metricsEndpoint.recordStep(r);
                algorithm.report(metricsEndpoint);
                rewards.add(r.getRewardMean());
                metrics.write(StepRecords.json(r));
                metrics.newLine();
                metrics.flush();
                io.ladder.proto.Faults.killAt("step.logged");
                if (r.hasSoar()) {
                    if (soarLog == null) {
                        soarLog = Files.newBufferedWriter(runDir.resolve("soar.jsonl"), StandardCharsets.UTF_8,
                                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    }
                    soarLog.write(StepRecords.soarJson(r));
                    soarLog.newLine();
                    soarLog.flush();
                }
                out.println(StepRecords.progressLine(r, spec.getSteps()));
                int done = step + 1;
                if (spec.getCheckpointEvery() > 0 && done % spec.getCheckpointEvery() == 0 && done < spec.getSteps()) {
                    checkpoint(algorithm, done);
                }
            }
            if (soarLog != null) {
                soarLog.close();
            }
            finalCheckpoint = checkpoint(algorithm, spec.getSteps());
            extras = algorithm.finish(finalCheckpoint, metricsEndpoint);
            out.printf("at the end: %s%n", algorithm.describe());
        }
        return finalCheckpoint;
    }

    /** The spec's training method. */
    private Algorithm algorithm() {
        return switch (spec.getAlgorithm().getName()) {
            case GRPO, RLOO -> new Grpo(spec, tasks);
            case EXIT -> new Exit(spec, tasks);
            case SOAR -> new Soar(spec, (HardSet) tasks);
            default -> throw new IllegalStateException("algorithm " + spec.getAlgorithm().getName() + " has no implementation");
        };
    }

    /** Writes checkpoints/step-N (policy, learner state, trainer.json) and points `latest` at it. */
    private Path checkpoint(Algorithm algorithm, int step) throws IOException {
        Path dir = runDir.resolve("checkpoints").resolve("step-" + step).toAbsolutePath();
        Path tmp = dir.resolveSibling("step-" + step + ".tmp");
        deleteTree(tmp);
        algorithm.save(tmp);
        JsonObject st = new JsonObject();
        st.addProperty("step", step);
        st.addProperty("seed", spec.getSeed());
        // Every random stream is a function of (seed, step); a task source's own state is in tasks/.
        Files.writeString(tmp.resolve("trainer.json"), new GsonBuilder().setPrettyPrinting().create().toJson(st) + "\n");
        fsyncTree(tmp);
        io.ladder.proto.Faults.killAt("checkpoint.written");
        // Never a moment without a complete copy: an existing step-N moves aside (and stays
        // findable, see latestCheckpoint) until the new one is in place and `latest` names it.
        Path old = dir.resolveSibling("step-" + step + ".old");
        deleteTree(old);
        if (Files.exists(dir)) {
            Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
            io.ladder.proto.Faults.killAt("checkpoint.old-aside");
        }
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        io.ladder.proto.Faults.killAt("checkpoint.moved");
        Path latest = runDir.resolve("checkpoints").resolve("latest");
        Path latestTmp = runDir.resolve("checkpoints").resolve("latest.tmp");
        Files.writeString(latestTmp, dir.getFileName().toString() + "\n");
        fsync(latestTmp);
        io.ladder.proto.Faults.killAt("checkpoint.latest-written");
        Files.move(latestTmp, latest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        deleteTree(old);
        out.printf("checkpoint: %s%n", dir);
        return dir;
    }

    /**
     * The newest complete checkpoint of a run folder, or null. A step-N folder appears only by the
     * atomic rename of a finished copy, so every one is complete; `latest` is written after that
     * rename, and a kill between the two leaves it one checkpoint behind, so the folders decide.
     * A step-N.old (killed while step-N was being replaced) stands in for a missing step-N.
     */
    public static Path latestCheckpoint(Path runDir) throws IOException {
        Path dir = runDir.resolve("checkpoints");
        if (!Files.isDirectory(dir)) {
            return null;
        }
        Path best = null;
        long bestStep = -1;
        try (var entries = Files.list(dir)) {
            for (Path p : entries.toList()) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("step-(\\d+)(\\.old)?").matcher(p.getFileName().toString());
                if (!m.matches() || !Files.isRegularFile(p.resolve("trainer.json"))) {
                    continue;
                }
                long step = Long.parseLong(m.group(1));
                boolean old = m.group(2) != null;
                if (old && Files.isRegularFile(dir.resolve("step-" + step).resolve("trainer.json"))) {
                    continue; // the replacement is in place
                }
                if (step > bestStep) {
                    bestStep = step;
                    best = p;
                }
            }
        }
        return best;
    }

    /** Flushes a file's bytes to the disk, so a rename after it cannot publish a half-written file. */
    static void fsync(Path file) throws IOException {
        try (java.nio.channels.FileChannel c = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
            c.force(true);
        }
    }

    static void fsyncTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                fsync(p);
            }
        }
    }

    /** reward_mean of every step metrics.jsonl holds, in order. */
    private List<Double> loggedRewards() throws IOException {
        List<Double> out = new ArrayList<>();
        Path m = runDir.resolve("metrics.jsonl");
        if (Files.isRegularFile(m)) {
            for (String line : Files.readAllLines(m)) {
                if (!line.isBlank()) {
                    out.add(JsonParser.parseString(line).getAsJsonObject().get("reward_mean").getAsDouble());
                }
            }
        }
        return out;
    }

    private void truncateMetrics(int step) throws IOException {
        truncateLog(runDir.resolve("metrics.jsonl"), step);
        truncateLog(runDir.resolve("soar.jsonl"), step);
    }

    /** Keeps the lines of a per-step JSONL log up to {@code step}. */
    private static void truncateLog(Path m, int step) throws IOException {
        if (!Files.isRegularFile(m)) {
            return;
        }
        List<String> keep = new ArrayList<>();
        for (String line : Files.readAllLines(m)) {
            if (!line.isBlank() && JsonParser.parseString(line).getAsJsonObject().get("step").getAsInt() <= step) {
                keep.add(line);
            }
        }
        // a new file renamed over the old one: a kill mid-way leaves one or the other, never half
        Path tmp = m.resolveSibling(m.getFileName() + ".tmp");
        Files.write(tmp, keep);
        fsync(tmp);
        io.ladder.proto.Faults.killAt("metrics.truncating");
        Files.move(tmp, m, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A held-out evaluation: pass@k by k, and each problem's sample and correct counts (for paired comparisons). */
    record Eval(JsonObject pass, int[] samples, int[] correct) {
        static final Eval NONE = new Eval(new JsonObject(), new int[0], new int[0]);

        JsonObject toJson() {
            JsonObject o = pass.deepCopy();
            o.add("samples", new Gson().toJsonTree(samples));
            o.add("correct", new Gson().toJsonTree(correct));
            return o;
        }

        static Eval fromJson(JsonObject o) {
            JsonObject pass = new JsonObject();
            o.entrySet().stream().filter(e -> e.getKey().startsWith("pass@")).forEach(e -> pass.add(e.getKey(), e.getValue()));
            Gson g = new Gson();
            return new Eval(pass, o.has("samples") ? g.fromJson(o.get("samples"), int[].class) : new int[0],
                    o.has("correct") ? g.fromJson(o.get("correct"), int[].class) : new int[0]);
        }
    }

    private Eval evaluate(Path model, String when) throws IOException {
        int count = spec.getEval().getProblems();
        if (count == 0) {
            return Eval.NONE;
        }
        JsonObject pass = new JsonObject();
        List<Task> held = tasks.evalTasks(count);
        List<MathProblem> problems = new ArrayList<>();
        for (Task t : held) {
            problems.add(new MathProblem(t.id(), t.prompt(), t.answer())); // the prompt is already the task's text
        }
        try (NDManager m = Policy.newManager(); Policy policy = Policy.load(model, m)) {
            PromptFormats.apply(policy, spec.getModel());
            Evaluator ev = new Evaluator(policy, tasks.verifier(), 256, MathProblem::question);
            SamplingParams params = SamplingParams.defaults().withTemperature(spec.getEval().getTemperature())
                    .withMaxNewTokens(spec.getRollout().getMaxNewTokens()).withSeed(seeds.evalSampling());
            Evaluator.Counts c;
            try (Progress bar = Progress.start("held-out evaluation " + when, (long) problems.size() * spec.getEval().getSamples(),
                    "samples", out)) {
                c = held.stream().anyMatch(t -> !t.environment().isEmpty())
                        ? episodes(policy, held, params, bar)
                        : ev.run(problems, spec.getEval().getSamples(), spec.getEval().getSamples(), params, false, bar::advance);
            }
            StringBuilder sb = new StringBuilder();
            for (int k : spec.getEval().getKList()) {
                double v = PassAtK.mean(c.samples(), c.correct(), k);
                pass.addProperty("pass@" + k, v);
                sb.append(String.format(Locale.ROOT, "  pass@%d %.1f%%", k, 100 * v));
            }
            out.printf("held-out %s training (%d problems x %d samples):%s%n", when, problems.size(),
                    spec.getEval().getSamples(), sb);
            return new Eval(pass, c.samples(), c.correct());
        }
    }

    /** Held-out episodes: per task, eval.samples episodes; success is a quality of 1 (the first episode, no retries). */
    private Evaluator.Counts episodes(Policy policy, List<Task> held, SamplingParams params, Progress bar) {
        int samples = spec.getEval().getSamples();
        int[] n = new int[held.size()];
        int[] c = new int[held.size()];
        for (int i = 0; i < held.size(); i++) {
            Task t = held.get(i);
            List<io.ladder.rollout.Episodes.Episode> eps = io.ladder.rollout.Episodes.run(policy, t.environment(),
                    JsonParser.parseString(t.environmentTask()).getAsJsonObject(), params,
                    io.ladder.tasks.Seeds.rows(io.ladder.tasks.Seeds.mix(params.seed(), i), samples));
            n[i] = samples;
            c[i] = (int) eps.stream().filter(io.ladder.rollout.Episodes.Episode::solved).count();
            bar.advance(samples);
        }
        return new Evaluator.Counts(n, c);
    }

    /**
     * The held-out change per k: mean difference over problems with a 95% paired-bootstrap
     * interval, so a reader can tell a gain from the noise of which problems were drawn.
     */
    private JsonObject heldOutChange(Eval before, Eval after) {
        JsonObject o = new JsonObject();
        if (before.samples().length == 0 || before.samples().length != after.samples().length) {
            return o;
        }
        for (int k : spec.getEval().getKList()) {
            PairedBootstrap b = PairedBootstrap.of(PairedBootstrap.perProblem(before.samples(), before.correct(), k),
                    PairedBootstrap.perProblem(after.samples(), after.correct(), k), 2000, seeds.evalSampling());
            JsonObject e = new JsonObject();
            e.addProperty("delta", b.delta());
            com.google.gson.JsonArray ci = new com.google.gson.JsonArray();
            ci.add(b.low());
            ci.add(b.high());
            e.add("ci95", ci);
            e.addProperty("significant", b.significant());
            e.addProperty("problems", b.problems());
            o.add("pass@" + k, e);
        }
        return o;
    }

    private void writeSpec() throws IOException {
        // the resolved spec, every field written: what ran, readable without knowing the defaults
        Files.writeString(runDir.resolve("spec.json"), JsonFormat.printer().includingDefaultValueFields().print(spec) + "\n");
    }

    private Eval readPassBefore() throws IOException {
        Path p = runDir.resolve("pass_before.json");
        return Files.isRegularFile(p) ? Eval.fromJson(JsonParser.parseString(Files.readString(p)).getAsJsonObject()) : Eval.NONE;
    }

    private void writeSummary(Summary s, Path finalCheckpoint) throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("job", spec.getName());
        o.addProperty("steps", spec.getSteps());
        o.addProperty("reward_mean_first_tenth", s.firstReward());
        o.addProperty("reward_mean_last_tenth", s.lastReward());
        o.add("pass_at_k_before", s.passBefore());
        o.add("pass_at_k_after", s.passAfter());
        o.add("held_out_change", s.heldOutChange());
        o.addProperty("final_policy", finalCheckpoint.resolve("policy").toString());
        extras.entrySet().forEach(e -> o.add(e.getKey(), e.getValue()));
        Gson gson = new GsonBuilder().setPrettyPrinting().create();
        Files.writeString(runDir.resolve("summary.json"), gson.toJson(o) + "\n");
        out.printf("summary: mean reward %.3f (first tenth of the steps) -> %.3f (last tenth) over %d steps; final policy %s%n",
                s.firstReward(), s.lastReward(), s.steps(), finalCheckpoint.resolve("policy"));
        for (String key : s.heldOutChange().keySet()) {
            JsonObject c = s.heldOutChange().getAsJsonObject(key);
            double lo = c.getAsJsonArray("ci95").get(0).getAsDouble();
            double hi = c.getAsJsonArray("ci95").get(1).getAsDouble();
            out.printf(Locale.ROOT, "held-out %s: %.1f%% -> %.1f%%, change %+.1f points, 95%% interval [%+.1f, %+.1f] (paired bootstrap over %d problems): %s%n",
                    key, 100 * s.passBefore().get(key).getAsDouble(), 100 * s.passAfter().get(key).getAsDouble(),
                    100 * c.get("delta").getAsDouble(), 100 * lo, 100 * hi, c.get("problems").getAsInt(),
                    c.get("significant").getAsBoolean() ? (lo > 0 ? "a gain" : "a loss") : "within noise");
        }
    }

    /** Deletes a file or a folder and everything in it (nothing when it does not exist). */
    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
