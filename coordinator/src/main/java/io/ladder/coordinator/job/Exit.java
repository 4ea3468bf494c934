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
 *     GRPO step on them               rollouts → (full: A_i ← d_i·A_i, diversity bonus) → learn → publish (Grpo)
 *     observe: S = Var(rewards)       rescore the instance, add its children (inheriting S)
 *     every M steps: π_ref ← α·π_ref + (1 − α)·π_θ
 * </pre>
 */
public final class Exit implements Algorithm {
    private final ExitSpec settings;
    private final ExitTaskSource tasks;
    private final Grpo grpo;

    public Exit(JobSpec spec, TaskSource base) {
        this.settings = ExitSettings.resolve(spec.getAlgorithm().getExit());
        this.tasks = new ExitTaskSource(base, settings, spec.getSeed());
        this.grpo = new Grpo(spec, tasks);
        if (settings.getDiversityBonus()) {
            grpo.shapeRollouts(io.ladder.tasks.exit.DiversityBonus::apply); // A_i ← d_i · A_i
        }
    }

    @Override
    public void start(Context ctx, Path resumeFrom) throws IOException {
        grpo.start(ctx, resumeFrom); // restores the buffer too (the task source's state)
    }

    @Override
    public StepRecord step(int t) {
        StepRecord r = grpo.step(t);
        int m = settings.getKlRefreshEvery(); // M
        boolean refreshed = m > 0 && (t + 1) % m == 0 && grpo.group().refreshReference(settings.getKlRefreshDecay());
        return r.toBuilder().setExit(tasks.stats().toBuilder().setReferenceRefreshed(refreshed)).build();
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
