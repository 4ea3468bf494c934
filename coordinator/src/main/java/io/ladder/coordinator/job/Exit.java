package io.ladder.coordinator.job;

import io.ladder.coordinator.metrics.LadderMetrics;
import io.ladder.proto.ExitSpec;
import io.ladder.proto.JobSpec;
import io.ladder.proto.StepRecord;
import io.ladder.tasks.TaskSource;
import io.ladder.tasks.exit.ExitSettings;
import io.ladder.tasks.exit.ExitTaskSource;
import java.io.IOException;
import java.nio.file.Path;

/**
 * ExIt (shared/papers/EXIT.md): GRPO whose tasks come from a learnability-prioritised buffer of
 * self-iteration instances grown from the model's own answers.
 *
 * <pre>
 * for step t:
 *     tasks ← ExitTaskSource(t)       base tasks, or buffer instances by softmax(κ·S) as improve / diverge prompts
 *     GRPO step on them               rollouts → r ← max(0, Δ/Δ_max) on self-iterations
 *                                     → (full: A_i ← d_i·A_i, diversity bonus) → learn → publish (Grpo)
 *     observe: S = Var(qualities)     rescore the instance, add its children (inheriting S)
 *     every M steps: π_ref ← α·π_ref + (1 − α)·π_θ
 * </pre>
 */
public final class Exit implements Algorithm {
    private final ExitSpec settings;
    private final ExitTaskSource tasks;
    private final Grpo grpo;

    private final JobSpec spec;
    private Context ctx;

    public Exit(JobSpec spec, TaskSource base) {
        this.spec = spec;
        this.settings = ExitSettings.resolve(spec.getAlgorithm().getExit());
        this.tasks = new ExitTaskSource(base, settings, spec.getSeed(), spec.getRollout().getGroupSize());
        this.grpo = new Grpo(spec, tasks);
        // r ← max(0, Δ/Δ_max) for self-iteration rollouts, then (full) A_i ← d_i · A_i
        grpo.shapeRollouts(settings.getDiversityBonus() ? b -> io.ladder.tasks.exit.DiversityBonus.apply(tasks.rewardIterations(b))
                : tasks::rewardIterations);
    }

    @Override
    public void start(Context ctx, Path resumeFrom) throws IOException {
        this.ctx = ctx;
        grpo.start(ctx, resumeFrom); // restores the buffer too (the task source's state)
    }

    @Override
    public StepRecord step(int t) {
        StepRecord r = grpo.step(t);
        int m = settings.getKlRefreshEvery(); // M
        boolean refreshed = m > 0 && (t + 1) % m == 0 && grpo.group().refreshReference(settings.getKlRefreshDecay());
        return r.toBuilder().setExit(tasks.stats().toBuilder().setReferenceRefreshed(refreshed)).build();
    }

    /**
     * ExIt is trained single-step but judged as K-step self-improvement: the final policy answers
     * each held-out task, then improves its own latest answer K times (self_improve.json); on
     * episodes, K more attempts from the latest episode.
     */
    @Override
    public com.google.gson.JsonObject finish(Path finalCheckpoint, LadderMetrics metrics) throws IOException {
        com.google.gson.JsonObject out = new com.google.gson.JsonObject();
        int k = settings.getSelfImproveSteps();
        int problems = spec.getEval().getProblems();
        if (k == 0 || problems == 0) {
            return out;
        }
        java.util.List<io.ladder.tasks.Task> held = tasks.evalTasks(problems);
        io.ladder.policy.SamplingParams params = io.ladder.policy.SamplingParams.defaults()
                .withTemperature(spec.getEval().getTemperature()).withMaxNewTokens(spec.getRollout().getMaxNewTokens())
                .withSeed(new io.ladder.tasks.Seeds(spec.getSeed()).evalSampling());
        io.ladder.coordinator.eval.SelfImprove.Result r;
        try (ai.djl.ndarray.NDManager m = io.ladder.policy.Policy.newManager();
             io.ladder.policy.Policy policy = io.ladder.policy.Policy.load(finalCheckpoint.resolve("policy"), m)) {
            PromptFormats.apply(policy, spec.getModel());
            try (io.ladder.coordinator.console.Progress bar = io.ladder.coordinator.console.Progress.start("self-improvement",
                    (long) held.size() * settings.getSelfImproveSamples() * (k + 1), "answers", ctx.out())) {
                io.ladder.coordinator.eval.SelfImprove si = new io.ladder.coordinator.eval.SelfImprove(policy, tasks.verifier(), 256);
                r = held.stream().anyMatch(t -> !t.environment().isEmpty()) // episodes: K more attempts from the latest one
                        ? si.runEpisodes(held, settings.getSelfImproveSamples(), k, params, bar::advance)
                        : si.runTasks(held, settings.getSelfImproveSamples(), k, params, bar::advance);
            }
        }
        ctx.log().accept(String.format(java.util.Locale.ROOT, "K-step self-improvement of the final policy (%d held-out tasks x %d "
                + "chains, K = %d): Δ_K %+.1f points", held.size(), settings.getSelfImproveSamples(), k, 100 * r.deltaK()));
        for (String line : r.table().split("\n")) {
            ctx.log().accept(line);
        }
        java.nio.file.Files.writeString(ctx.runDir().resolve("self_improve.json"),
                new com.google.gson.GsonBuilder().setPrettyPrinting().create().toJson(r.toJson()) + "\n");
        metrics.selfImprove("policy", r.accuracy(), r.deltaK());
        out.add("self_improvement", r.toJson());
        return out;
    }

    @Override
    public void save(Path dir) throws IOException {
        grpo.save(dir);
    }

    @Override
    public void report(LadderMetrics metrics) {
        grpo.report(metrics);
    }

    @Override
    public String describe() {
        return "ExIt (" + settings.getPreset().name().toLowerCase(java.util.Locale.ROOT) + ") over GRPO, " + grpo.describe();
    }

    @Override
    public void close() {
        grpo.close();
    }
}
