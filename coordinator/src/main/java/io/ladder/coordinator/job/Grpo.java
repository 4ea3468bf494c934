package io.ladder.coordinator.job;

import io.ladder.coordinator.metrics.LadderMetrics;
import io.ladder.coordinator.runtime.TrainerGroup;
import io.ladder.proto.JobSpec;
import io.ladder.proto.LearnerInit;
import io.ladder.proto.PromptBatch;
import io.ladder.proto.RolloutWorkerInit;
import io.ladder.proto.StepRecord;
import io.ladder.tasks.Seeds;
import io.ladder.tasks.Task;
import io.ladder.tasks.TaskSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * GRPO (and RLOO: the learner's config decides the advantages) on one trainer group.
 *
 * <pre>
 * for step t = 0 .. T-1:
 *     q_1..q_P  ~ tasks(t)                          draw the step's prompts
 *     o_i1..o_iG ~ π_old(· | q_i), r_ij = R(o_ij)    rollouts, on the group's workers
 *     A_ij from the rewards of group i              group statistics (in the learner)
 *     θ ← θ + η ∇ J_clip(θ; o, A)                   learn
 *     π_old ← π_θ                                   publish the new weights
 * </pre>
 */
public final class Grpo implements Algorithm {
    private final JobSpec spec;
    private final TaskSource tasks;
    private final Seeds seeds;
    private TrainerGroup group;
    private java.util.function.UnaryOperator<io.ladder.proto.RolloutBatch> shape = java.util.function.UnaryOperator.identity();

    public Grpo(JobSpec spec, TaskSource tasks) {
        this.spec = spec;
        this.tasks = tasks;
        this.seeds = new Seeds(spec.getSeed());
    }

    @Override
    public void start(Context ctx, Path resumeFrom) throws IOException {
        String model = ctx.initialModel().toAbsolutePath().toString();
        RolloutWorkerInit workerInit = PromptFormats.copyTo(RolloutWorkerInit.newBuilder().setJob(spec.getName())
                .setModelPath(model).setTask(spec.getTask().toBuilder().setVerifier(tasks.verifier().name()))
                .setRollout(spec.getRollout()), spec.getModel()).build();
        LearnerInit learnerInit = LearnerInit.newBuilder().setJob(spec.getName()).setModelPath(model)
                .setAlgorithm(spec.getAlgorithm()).setRollout(spec.getRollout()).setTotalSteps(spec.getSteps()).build();
        group = new TrainerGroup(ctx.ray(), spec.getName(), 0, spec.getCluster(), learnerInit, workerInit, ctx.log());
        if (resumeFrom != null) {
            group.loadCheckpoint(resumeFrom.toAbsolutePath().toString());
            tasks.loadState(resumeFrom.resolve("tasks"));
        }
        group.broadcast(); // every worker starts from the learner's version
    }

    @Override
    public StepRecord step(int t) {
        int p = spec.getRollout().getPromptsPerStep();
        List<Task> batch = tasks.tasksForStep(t, p);                                  // q_1..q_P
        List<PromptBatch.Prompt> prompts = new ArrayList<>(p);
        for (int i = 0; i < p; i++) {
            Task q = batch.get(i);
            prompts.add(PromptBatch.Prompt.newBuilder().setGroup(i).setId(q.id()).setText(q.prompt())
                    .setAnswer(q.answer()).setVerifier(q.verifier()).setSeed(seeds.groupSampling(t, i))
                    .setEnvironment(q.environment()).setEnvironmentTask(q.environmentTask())    // episodes: G of them
                    .addAllSampleTexts(q.samplePrompts())                                     // per-sample prompts, if any
                    .addAllEpisodePrefix(io.ladder.tasks.env.EpisodePrefix.encodeAll(q.episodePrefix()))  // ExIt: a turn prefix
                    .setEpisodeFollowup(q.followup().wire()).build());
        }
        TrainerGroup.StepOutcome o = group.step(prompts, spec.getRollout().getGroupSize(),   // rollouts → learn → publish
                spec.getRollout().getPromptsPerCall(), t, shape);
        tasks.observe(t, batch, o.rollouts());
        return StepRecords.of(t + 1, "policy", o, group.version(), group.workerRestarts());
    }

    @Override
    public void save(Path dir) throws IOException {
        group.saveCheckpoint(dir.toAbsolutePath().toString());
        Path taskState = dir.resolve("tasks");
        Files.createDirectories(taskState);
        tasks.saveState(taskState);
    }

    /** Reshapes each step's rollouts before the learner sees them (ExIt's diversity bonus sets advantage scales). */
    void shapeRollouts(java.util.function.UnaryOperator<io.ladder.proto.RolloutBatch> f) {
        this.shape = f;
    }

    /** The trainer group (an algorithm built on GRPO refreshes its KL reference through it). */
    TrainerGroup group() {
        return group;
    }

    @Override
    public void report(LadderMetrics metrics) {
        for (int w = 0; w < group.workerCount(); w++) {
            metrics.workerVersion("policy", group.name() + "-rollout-" + w, group.workerVersion(w));
        }
        metrics.actorRestarts("policy", "rollout_worker", group.workerRestarts());
    }

    @Override
    public String describe() {
        return String.format("%d rollout worker(s) (%s), learner %s, %d restart(s) recovered", group.workerCount(),
                String.join(", ", group.workerInfo()), group.learnerInfo(), group.workerRestarts());
    }

    @Override
    public void close() {
        if (group != null) {
            group.close();
        }
    }
}
