package io.ladder.coordinator.job;

import io.ladder.coordinator.metrics.LadderMetrics;
import io.ladder.coordinator.runtime.RayRuntime;
import io.ladder.proto.JobSpec;
import io.ladder.proto.StepRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A training method's own part of a job: its actors, one step, and the state a checkpoint keeps.
 * The {@link JobHarness} owns everything else (run folder, resolved spec, resume, held-out
 * evaluation before and after, checkpoint cadence and protocol, metrics.jsonl, Prometheus, the
 * summary). Adding a method is one implementation of this and one message in job.proto.
 */
public interface Algorithm extends AutoCloseable {
    /**
     * What the harness hands an algorithm when it starts: the model to start from (a resumed
     * job's checkpoint policy), the job's own model before any training, and the run folder.
     */
    record Context(JobSpec spec, RayRuntime ray, Path initialModel, Path baseModel, Path runDir, Consumer<String> log,
                   java.io.PrintStream out) {}

    /**
     * Starts the algorithm's trainer groups on {@code ctx.ray()}, from {@code ctx.initialModel()};
     * when {@code resumeFrom} is a checkpoint folder, also restores what {@link #save} wrote there.
     */
    void start(Context ctx, Path resumeFrom) throws IOException;

    /** Step {@code step} (0-based): the whole update, returned as the step's record. */
    StepRecord step(int step);

    /**
     * Writes what a resume needs into {@code dir}: the trained policy as a Hugging Face folder in
     * {@code dir/policy} (the harness evaluates it), optimizer state, and the algorithm's own state.
     */
    void save(Path dir) throws IOException;

    /**
     * After the final checkpoint: the algorithm's own outputs and evaluations (SOAR's teacher and
     * promoted student, ExIt's K-step self-improvement); returns fields for summary.json.
     */
    default com.google.gson.JsonObject finish(Path finalCheckpoint, LadderMetrics metrics) throws IOException {
        return new com.google.gson.JsonObject();
    }

    /** Sets the algorithm's own series after a step (weight version per worker, restarts). */
    default void report(LadderMetrics metrics) {}

    /** One line on where the algorithm runs, for the start of the log. */
    String describe();

    @Override
    void close();
}
