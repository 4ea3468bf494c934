package io.ladder.learner;

import io.ladder.policy.WeightVersion;
import ai.djl.ndarray.NDManager;
import com.google.protobuf.InvalidProtocolBufferException;
import io.ladder.policy.Policy;
import io.ladder.policy.ProcessMemory;
import io.ladder.proto.LearnerInit;
import io.ladder.proto.RolloutBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The learner actor: owns the trained policy, applies GRPO/RLOO updates to batches of rollouts
 * and publishes weight versions. Like the rollout worker it is a plain class whose arguments and
 * results are serialised protobuf messages, so it runs in-process or in its own JVM.
 */
public class LearnerActor implements AutoCloseable {
    private final NDManager manager;
    private final Policy policy;
    private final Learner learner;

    public LearnerActor(byte[] initBytes) throws InvalidProtocolBufferException {
        LearnerInit init = LearnerInit.parseFrom(initBytes);
        this.manager = Policy.newManager();
        this.policy = Policy.load(Path.of(init.getModelPath()), manager);
        this.learner = new Learner(policy, AlgorithmSpecs.config(init.getAlgorithm(), init.getRollout().getTemperature(),
                init.getTotalSteps()));
    }

    /** One update on a serialised RolloutBatch; returns the serialised StepReport. */
    public byte[] step(byte[] rolloutBatchBytes) throws InvalidProtocolBufferException {
        RolloutBatch batch = RolloutBatch.parseFrom(rolloutBatchBytes);
        io.ladder.proto.Faults.failAt("learner.step");
        StepReport r = learner.step(ProtoConvert.fromProto(batch));
        return ProtoConvert.toProto(r).toBuilder()
                .setRssMb(ProcessMemory.rssMb()).setPeakRssMb(ProcessMemory.peakRssMb()).build().toByteArray();
    }

    /** Restarts the learning-rate schedule over {@code totalSteps} updates; returns true. */
    public boolean restartSchedule(int totalSteps) {
        learner.restartSchedule(totalSteps);
        return true;
    }

    /** π_ref ← α·π_ref + (1 − α)·π_θ; false when the learner keeps no reference. */
    public boolean refreshReference(double alpha) {
        return learner.refreshReference(alpha);
    }

    /** The current weights as a serialised WeightVersion. */
    public byte[] publish() {
        return ProtoConvert.toProto(learner.publish()).toByteArray();
    }

    public long version() {
        return learner.version();
    }

    /** Resets weights, optimizer and version to a serialised WeightVersion; returns the version. */
    public long resetTo(byte[] weightVersionBytes) throws InvalidProtocolBufferException {
        learner.resetTo(ProtoConvert.fromProto(io.ladder.proto.WeightVersion.parseFrom(weightVersionBytes)));
        return learner.version();
    }

    /**
     * Writes a checkpoint: the policy as a Hugging Face folder in {@code dir/policy} and the
     * learner's optimizer/reference state in {@code dir/learner}.
     */
    public String saveCheckpoint(String dir) throws IOException {
        Path d = Path.of(dir);
        Files.createDirectories(d);
        policy.save(d.resolve("policy"), "float32");
        learner.saveState(d.resolve("learner"));
        return dir;
    }

    /** Writes only the policy, as a Hugging Face folder (SOAR's promoted student, its teacher). */
    public String savePolicy(String dir) throws IOException {
        policy.save(Path.of(dir), "float32");
        return dir;
    }

    /**
     * Starts over from the weights of a Hugging Face folder of the same architecture (as
     * {@link #resetTo}: optimizer forgotten, KL reference kept); returns the version.
     */
    public long loadWeights(String dir) {
        try (NDManager m = Policy.newManager(); Policy other = Policy.load(Path.of(dir), m)) {
            learner.resetTo(WeightVersion.of(learner.version(), other.model()));
        }
        return learner.version();
    }

    /** Restores optimizer/reference state from a checkpoint (the weights came with the model path). */
    public long loadCheckpoint(String dir) throws IOException {
        learner.loadState(Path.of(dir).resolve("learner"));
        return learner.version();
    }

    public String info() {
        return ProcessHandle.current().pid() + " v" + learner.version();
    }

    /** Releases the model's native memory (local mode has no process to kill); returns true. */
    public boolean shutdown() {
        close();
        return true;
    }

    @Override
    public void close() {
        learner.close();
        policy.close();
        manager.close();
    }
}
