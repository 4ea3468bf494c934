package io.ladder.coordinator.runtime;

import io.ladder.learner.LearnerActor;
import io.ladder.proto.ClusterSpec;
import io.ladder.proto.LearnerInit;
import io.ladder.proto.PromptBatch;
import io.ladder.proto.RolloutBatch;
import io.ladder.proto.RolloutGroup;
import io.ladder.proto.SamplingSpec;
import io.ladder.proto.RolloutWorkerInit;
import io.ladder.proto.StepReport;
import io.ladder.rollout.RolloutWorker;
import io.ray.api.ActorHandle;
import io.ray.api.ObjectRef;
import io.ray.api.PlacementGroups;
import io.ray.api.Ray;
import io.ray.api.exception.RayActorException;
import io.ray.api.function.RayFunc2;
import io.ray.api.options.PlacementGroupCreationOptions;
import io.ray.api.placementgroup.PlacementGroup;
import io.ray.api.placementgroup.PlacementStrategy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A trainer group: one learner actor and k rollout-worker actors sharing a weight version,
 * placed together in one placement group on a cluster. The coordinator hands it prompt batches
 * and rollout batches; the group keeps its workers on the learner's weights and survives a
 * rollout worker's death by waiting for Ray to restart it, re-sending the current weights and
 * redoing that worker's share of the step.
 */
public final class TrainerGroup implements AutoCloseable {
    private final RayRuntime runtime;
    private final String name;
    private final ActorHandle<LearnerActor> learner;
    private final List<ActorHandle<RolloutWorker>> workers = new ArrayList<>();
    private final PlacementGroup placement;
    private final Consumer<String> log;
    private ObjectRef<byte[]> currentWeights; // the last published version, re-sent to restarted workers
    private boolean ownsCurrentWeights;       // put by this group (released when replaced), not a caller's snapshot
    private long version;                     // currentWeights' version: what every rollout must be drawn with
    private long[] workerVersions;
    private int workerRestarts;

    public TrainerGroup(RayRuntime runtime, String job, int index, ClusterSpec cluster, LearnerInit learnerInit,
                        RolloutWorkerInit workerInit, Consumer<String> log) {
        this.runtime = runtime;
        this.name = "ladder-" + job + "-g" + index;
        this.log = log;
        int k = cluster.getRolloutWorkersPerGroup();
        double cpus = cluster.getCpusPerActor();
        if (runtime.isLocal()) {
            placement = null; // one process: nothing to place
        } else {
            List<Map<String, Double>> bundles = new ArrayList<>();
            bundles.add(bundle(cpus, cluster.getGpusPerLearner(), Map.of()));
            for (int i = 0; i < k; i++) {
                bundles.add(bundle(cpus, cluster.getGpusPerRolloutWorker(), cluster.getRolloutWorkerResourcesMap()));
            }
            placement = PlacementGroups.createPlacementGroup(new PlacementGroupCreationOptions.Builder()
                    .setName(name + "-pg").setBundles(bundles)
                    .setStrategy(PlacementStrategy.valueOf(cluster.getPlacement())).build());
            if (!placement.wait(120)) {
                throw new IllegalStateException("placement group " + name + "-pg (" + bundles
                        + ") could not be scheduled in 120 s: the cluster lacks the resources (see `ray status`)");
            }
        }
        var lc = Ray.actor(LearnerActor::new, learnerInit.toByteArray()).setName(name + "-learner")
                .setMaxRestarts(cluster.getMaxActorRestarts());
        if (placement != null) {
            lc.setPlacementGroup(placement, 0).setResource("CPU", cpus);
            if (cluster.getGpusPerLearner() > 0) {
                lc.setResource("GPU", cluster.getGpusPerLearner());
            }
        }
        learner = lc.remote();
        runtime.await(learner.task(LearnerActor::version).remote()); // created one at a time (local-mode bug)
        for (int i = 0; i < k; i++) {
            RolloutWorkerInit init = workerInit.toBuilder().setIndex(index * k + i).build();
            var wc = Ray.actor(RolloutWorker::new, init.toByteArray()).setName(name + "-rollout-" + i)
                    .setMaxRestarts(cluster.getMaxActorRestarts());
            if (placement != null) {
                wc.setPlacementGroup(placement, i + 1).setResource("CPU", cpus);
                if (cluster.getGpusPerRolloutWorker() > 0) {
                    wc.setResource("GPU", cluster.getGpusPerRolloutWorker());
                }
                cluster.getRolloutWorkerResourcesMap().forEach(wc::setResource);
            }
            ActorHandle<RolloutWorker> w = wc.remote();
            runtime.await(w.task(RolloutWorker::version).remote());
            workers.add(w);
        }
        workerVersions = new long[k];
    }

    private static Map<String, Double> bundle(double cpus, double gpus, Map<String, Double> extra) {
        Map<String, Double> b = new LinkedHashMap<>();
        b.put("CPU", cpus);
        if (gpus > 0) {
            b.put("GPU", gpus);
        }
        b.putAll(extra);
        return b;
    }

    public String name() {
        return name;
    }

    public int workerCount() {
        return workers.size();
    }

    public long version() {
        return version;
    }

    /** The weight version worker i acknowledged last. */
    public long workerVersion(int i) {
        return workerVersions[i];
    }

    public int workerRestarts() {
        return workerRestarts;
    }

    /**
     * Runs rollout calls on the group's workers and returns their results in call order. Call c
     * goes to worker c mod k, so a call's content (and so its result) does not depend on k. On a
     * cluster the workers sample at once, each working through its calls in order; a worker that
     * dies is waited for, given the current weights again, and asked again.
     */
    public List<RolloutBatch> rollout(List<PromptBatch> calls) {
        List<ObjectRef<byte[]>> refs = new ArrayList<>();
        List<RolloutBatch> out = new ArrayList<>();
        for (int c = 0; c < calls.size(); c++) {
            ObjectRef<byte[]> ref = workers.get(c % workers.size()).task(RolloutWorker::rollout, calls.get(c).toByteArray()).remote();
            if (runtime.isLocal()) { // one call in flight at a time in local mode
                out.add(getWithRecovery(c % workers.size(), ref, calls.get(c)));
            } else {
                refs.add(ref);
            }
        }
        for (int c = 0; c < refs.size(); c++) {
            out.add(getWithRecovery(c % workers.size(), refs.get(c), calls.get(c)));
        }
        return out;
    }

    /** What one RL step on the group produced: the merged rollouts, the learner's report, and timings. */
    public record StepOutcome(RolloutBatch rollouts, StepReport report, long publishBytes, double rolloutSeconds,
                              double learnSeconds, double publishSeconds) {}

    /**
     * One RL step on this group: the prompt groups are cut into calls of {@code promptsPerCall},
     * dealt to the workers ({@link #rollout}), the rollouts merged in prompt order, the learner
     * updated on them, and the new weight version published to every worker. Each prompt carries
     * its group id and sampling seed, so the outcome does not depend on the worker count.
     */
    public StepOutcome step(List<PromptBatch.Prompt> prompts, int groupSize, int promptsPerCall, long step) {
        return step(prompts, groupSize, promptsPerCall, step, java.util.function.UnaryOperator.identity());
    }

    /** As {@link #step(List, int, int, long)}, with {@code shape} applied to the rollouts before the learner sees them (ExIt's diversity bonus). */
    public StepOutcome step(List<PromptBatch.Prompt> prompts, int groupSize, int promptsPerCall, long step,
                            java.util.function.UnaryOperator<RolloutBatch> shape) {
        long t0 = System.nanoTime();
        RolloutBatch.Builder merged = RolloutBatch.newBuilder();
        for (RolloutBatch part : rollout(calls(prompts, promptsPerCall, PromptBatch.newBuilder().setGroupSize(groupSize).setStep(step)))) {
            merged.addAllGroups(part.getGroupsList());
        }
        RolloutBatch all = shape.apply(merged.build());
        long t1 = System.nanoTime();
        StepReport report = learn(all);
        long t2 = System.nanoTime();
        long bytes = broadcast();
        long t3 = System.nanoTime();
        return new StepOutcome(all, report, bytes, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9);
    }

    /**
     * Greedy evaluation of tasks on the group's own workers (SOAR measures each student on Q_R
     * where it was trained): one greedy completion per prompt, scored by the workers' verifier.
     * Returns each prompt's reward, in prompt order.
     */
    public double[] evaluateGreedy(List<PromptBatch.Prompt> prompts, int maxNewTokens, int promptsPerCall) {
        SamplingSpec greedy = SamplingSpec.newBuilder().setTemperature(0).setMaxNewTokens(maxNewTokens).build();
        double[] out = new double[prompts.size()];
        int i = 0;
        for (RolloutBatch part : rollout(calls(prompts, promptsPerCall, PromptBatch.newBuilder().setGroupSize(1).setSampling(greedy)))) {
            for (RolloutGroup g : part.getGroupsList()) {
                out[i++] = g.getSamples(0).getReward();
            }
        }
        return out;
    }

    /**
     * Samples {@code groupSize} completions per prompt without training on them, with the call's
     * own sampling settings ({@code null}: the workers' rollout spec). SOAR's teacher writes its
     * pairs this way ({@code skipRewards}: they are rewarded later, by the students' progress).
     */
    public List<RolloutBatch> sample(List<PromptBatch.Prompt> prompts, int groupSize, int promptsPerCall, SamplingSpec sampling,
                                     long step, boolean skipRewards) {
        PromptBatch.Builder template = PromptBatch.newBuilder().setGroupSize(groupSize).setStep(step).setSkipRewards(skipRewards);
        if (sampling != null) {
            template.setSampling(sampling);
        }
        return rollout(calls(prompts, promptsPerCall, template));
    }

    /**
     * The prompts cut into calls of {@code promptsPerCall}, each a copy of {@code template} (group
     * size, step, sampling) with its share: a spec value, never the worker count, decides the cut.
     */
    private static List<PromptBatch> calls(List<PromptBatch.Prompt> prompts, int promptsPerCall, PromptBatch.Builder template) {
        List<PromptBatch> calls = new ArrayList<>();
        for (int first = 0; first < prompts.size(); first += promptsPerCall) {
            calls.add(template.clone().clearPrompts()
                    .addAllPrompts(prompts.subList(first, Math.min(prompts.size(), first + promptsPerCall))).build());
        }
        return calls;
    }

    /** Restarts the learner's learning-rate schedule over {@code totalSteps} updates (a SOAR inner loop). */
    public void restartSchedule(int totalSteps) {
        runtime.await(learner.task(LearnerActor::restartSchedule, totalSteps).remote());
    }

    /** π_ref ← α·π_ref + (1 − α)·π_θ on the learner (ExIt's periodic refresh); false when it keeps no reference. */
    public boolean refreshReference(double alpha) {
        return runtime.await(learner.task(LearnerActor::refreshReference, alpha).remote());
    }

    /**
     * A rollout call's result, sampled with the current weights. A worker that died during the
     * call is waited for and asked again; so is one that answers with other weights than the
     * current ones: Ray restarted it (on the initial model) after it died between calls, during a
     * weight broadcast say, and the calls queued meanwhile ran on the fresh actor. Either way it
     * gets the current weights again first, so the redone call is the call it replaces.
     */
    private RolloutBatch getWithRecovery(int i, ObjectRef<byte[]> ref, PromptBatch batch) {
        for (int attempt = 1; ; attempt++) {
            String why;
            try {
                RolloutBatch result = parseRollout(runtime.take(ref));
                long stale = staleVersion(result);
                if (stale < 0) {
                    if (currentWeights != null) {
                        workerVersions[i] = version; // also after a redo: the restarted worker holds them now
                    }
                    return result;
                }
                why = "answered with weights v" + stale + ", not v" + version + " (Ray restarted it between calls)";
            } catch (RayActorException e) {
                why = "died (" + firstLine(e) + ")";
                sleep(Math.min(5000, 500L * attempt));
            }
            if (attempt > 20) {
                throw new IllegalStateException("rollout worker " + i + " of " + name + " keeps failing: " + why);
            }
            workerRestarts++;
            log.accept("rollout worker " + i + " of " + name + " " + why + "; re-sending weights v" + version
                    + " and redoing its rollouts on the restarted actor");
            // Calls to a restarting actor queue until it is back, in submission order: the
            // restarted worker (which loaded the initial model) first gets the current weights.
            if (currentWeights != null) {
                workers.get(i).task(RolloutWorker::resetWeights, currentWeights).remote();
            }
            ref = workers.get(i).task(RolloutWorker::rollout, batch.toByteArray()).remote();
        }
    }

    /** The weight version a sample of {@code result} was drawn with when it is not the current one; else -1. */
    private long staleVersion(RolloutBatch result) {
        if (currentWeights == null) { // nothing published yet: every worker, restarted or not, holds the initial model
            return -1;
        }
        for (RolloutGroup g : result.getGroupsList()) {
            for (var sample : g.getSamplesList()) {
                if (sample.getPolicyVersion() != version) {
                    return sample.getPolicyVersion();
                }
            }
        }
        return -1;
    }

    private static RolloutBatch parseRollout(byte[] b) {
        try {
            return RolloutBatch.parseFrom(b);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException("rollout worker returned a malformed batch: " + e.getMessage());
        }
    }

    /** One learner update on the step's rollouts. */
    public StepReport learn(RolloutBatch batch) {
        byte[] r = runtime.take(learner.task(LearnerActor::step, batch.toByteArray()).remote());
        try {
            return StepReport.parseFrom(r);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException("learner returned a malformed report: " + e.getMessage());
        }
    }

    /**
     * Publishes the learner's weights and applies them on every worker; returns the payload size
     * in bytes. The payload goes through the object store once and every worker reads it there.
     */
    public long broadcast() {
        byte[] payload = runtime.take(learner.task(LearnerActor::publish).remote());
        replaceWeights(Ray.put(payload), true);
        version = versionOf(payload);
        List<ObjectRef<Long>> acks = sendToWorkers(RolloutWorker::applyWeights, currentWeights);
        for (int i = 0; i < acks.size(); i++) {
            try {
                workerVersions[i] = runtime.await(acks.get(i));
            } catch (RayActorException e) {
                // a dead worker gets the weights when its rollouts are redone
                log.accept("rollout worker " + i + " of " + name + " missed weight broadcast (" + firstLine(e) + ")");
            }
        }
        return payload.length;
    }

    /**
     * Calls a weight-setting method on every worker with the payload in the object store: all at
     * once on a cluster, one by one in local mode. Returns each worker's acknowledged version.
     */
    private List<ObjectRef<Long>> sendToWorkers(RayFunc2<RolloutWorker, byte[], Long> method, ObjectRef<byte[]> weights) {
        List<ObjectRef<Long>> acks = new ArrayList<>();
        for (ActorHandle<RolloutWorker> worker : workers) {
            ObjectRef<Long> ack = worker.task(method, weights).remote();
            if (runtime.isLocal()) {
                runtime.await(ack);
            }
            acks.add(ack);
        }
        return acks;
    }

    /**
     * The learner's current weights as a serialised WeightVersion in the object store; the caller
     * owns it (and releases it with {@link RayRuntime#free} when done).
     */
    public ObjectRef<byte[]> snapshot() {
        return Ray.put(runtime.take(learner.task(LearnerActor::publish).remote()));
    }

    /** The version of a serialised WeightVersion, read without copying its payload. */
    private static long versionOf(byte[] weightVersion) {
        try {
            com.google.protobuf.CodedInputStream in = com.google.protobuf.CodedInputStream.newInstance(weightVersion);
            in.enableAliasing(true);
            return io.ladder.proto.WeightVersion.parseFrom(in).getVersion();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the learner published a malformed weight version: " + e.getMessage());
        }
    }

    private void replaceWeights(ObjectRef<byte[]> weights, boolean owned) {
        if (ownsCurrentWeights && currentWeights != weights) {
            runtime.free(currentWeights);
        }
        currentWeights = weights;
        ownsCurrentWeights = owned;
    }

    /**
     * Resets the whole group to a weight version (a snapshot of this or another group): the
     * learner's weights, optimizer and version, and every worker's weights.
     */
    public void reset(ObjectRef<byte[]> weights) {
        version = runtime.take(learner.task(LearnerActor::resetTo, weights).remote()); // the snapshot's version
        List<ObjectRef<Long>> acks = sendToWorkers(RolloutWorker::resetWeights, weights);
        for (int i = 0; i < acks.size(); i++) {
            workerVersions[i] = runtime.await(acks.get(i));
        }
        replaceWeights(weights, false);
    }

    /** Resets the group to the weights of a Hugging Face folder (a resumed SOAR job's baseline student). */
    public void resetToFolder(String dir) {
        runtime.take(learner.task(LearnerActor::loadWeights, dir).remote());
        ObjectRef<byte[]> loaded = snapshot();
        reset(loaded);
        ownsCurrentWeights = true; // nobody else holds it
    }

    /** Writes the learner's policy (only) as a Hugging Face folder. */
    public String savePolicy(String dir) {
        return runtime.await(learner.task(LearnerActor::savePolicy, dir).remote());
    }

    public String saveCheckpoint(String dir) {
        return runtime.await(learner.task(LearnerActor::saveCheckpoint, dir).remote());
    }

    public long loadCheckpoint(String dir) {
        return runtime.await(learner.task(LearnerActor::loadCheckpoint, dir).remote());
    }

    public List<String> workerInfo() {
        List<String> out = new ArrayList<>();
        for (ActorHandle<RolloutWorker> w : workers) {
            out.add(runtime.await(w.task(RolloutWorker::info).remote()));
        }
        return out;
    }

    public String learnerInfo() {
        return runtime.await(learner.task(LearnerActor::info).remote());
    }

    /** The first line of an exception's message (Ray's carry the remote trace after it). */
    public static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        if (runtime.isLocal()) { // actors are objects in this JVM: free their models, nothing to kill
            for (ActorHandle<RolloutWorker> w : workers) {
                runtime.await(w.task(RolloutWorker::shutdown).remote());
            }
            runtime.await(learner.task(LearnerActor::shutdown).remote());
            return;
        }
        for (ActorHandle<RolloutWorker> w : workers) {
            w.kill();
        }
        learner.kill();
        if (placement != null) {
            PlacementGroups.removePlacementGroup(placement.getId());
        }
    }
}
