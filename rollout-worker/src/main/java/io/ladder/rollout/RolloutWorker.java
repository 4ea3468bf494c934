package io.ladder.rollout;

import ai.djl.ndarray.NDManager;
import com.google.protobuf.InvalidProtocolBufferException;
import io.ladder.policy.Completion;
import io.ladder.policy.Policy;
import io.ladder.policy.PromptTemplate;
import io.ladder.policy.SamplingParams;
import io.ladder.policy.WeightVersion;
import io.ladder.proto.PromptBatch;
import io.ladder.proto.RolloutBatch;
import io.ladder.proto.RolloutGroup;
import io.ladder.proto.RolloutSample;
import io.ladder.proto.RolloutSpec;
import io.ladder.proto.RolloutWorkerInit;
import io.ladder.proto.SamplingSpec;
import io.ladder.tasks.Seeds;
import io.ladder.tasks.SpecTaskSource;
import io.ladder.tasks.Verifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The rollout-worker actor: a policy replica at weight version v that turns a batch of prompts
 * into groups of G scored samples. It is a plain class (Ray creates it with
 * {@code Ray.actor(RolloutWorker::new, init)}); every argument and result is a serialised
 * protobuf message, so the same code runs in-process and in its own JVM on a cluster.
 */
public class RolloutWorker implements AutoCloseable {
    private final RolloutWorkerInit init;
    private final NDManager manager;
    private final Policy policy;
    private final Verifier verifier;
    private long version;

    public RolloutWorker(byte[] initBytes) {
        this.init = parse(initBytes);
        this.manager = Policy.newManager();
        this.policy = Policy.load(Path.of(init.getModelPath()), manager);
        policy.tokenizer().usePromptFormat(init.getPromptFormat(), init.getSystemPrompt(), init.getFewShotList().stream()
                .map(e -> new PromptTemplate.Example(e.getUser(), e.getAssistant())).toList());
        this.verifier = SpecTaskSource.verifierFor(init.getTask(), null); // the coordinator resolved "auto"
        this.version = 0;
    }

    private static RolloutWorkerInit parse(byte[] b) {
        try {
            return RolloutWorkerInit.parseFrom(b);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("rollout worker: bad init message: " + e.getMessage());
        }
    }

    /**
     * Samples G completions per prompt and scores them (or, for an environment's task, runs G
     * multi-turn episodes); returns a serialised RolloutBatch.
     */
    public byte[] rollout(byte[] promptBatchBytes) throws InvalidProtocolBufferException {
        PromptBatch all = PromptBatch.parseFrom(promptBatchBytes);
        PromptBatch.Builder single = all.toBuilder().clearPrompts();
        java.util.Map<Integer, RolloutGroup> groups = new java.util.HashMap<>();
        for (PromptBatch.Prompt p : all.getPromptsList()) {
            if (p.getEnvironment().isEmpty()) {
                single.addPrompts(p);
            } else if (p.getSampleTextsCount() > 0) {
                throw new IllegalArgumentException("prompt " + p.getId() + ": an episode has no sample_texts");
            } else {
                groups.put(p.getGroup(), episodes(p, all));
            }
        }
        if (single.getPromptsCount() > 0) {
            RolloutBatch.parseFrom(completions(single.build())).getGroupsList().forEach(gr -> groups.put(gr.getGroup(), gr));
        }
        RolloutBatch.Builder result = RolloutBatch.newBuilder();
        all.getPromptsList().forEach(p -> result.addGroups(groups.get(p.getGroup()))); // in the call's prompt order
        return result.build().toByteArray();
    }

    /** G episodes of an environment's task, one sample each, as one group. */
    private RolloutGroup episodes(PromptBatch.Prompt p, PromptBatch batch) {
        com.google.gson.JsonObject task;
        try {
            task = com.google.gson.JsonParser.parseString(p.getEnvironmentTask()).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("prompt " + p.getId() + ": environment_task is not a JSON object");
        }
        Episodes.Start start;
        try { // ExIt: the turn prefix the group restarts from
            start = new Episodes.Start(io.ladder.tasks.env.EpisodePrefix.decodeAll(p.getEpisodePrefixList()),
                    io.ladder.tasks.env.EpisodePrefix.Followup.fromWire(p.getEpisodeFollowup()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("prompt " + p.getId() + ": " + e.getMessage());
        }
        List<Episodes.Episode> eps = Episodes.run(policy, p.getEnvironment(), task, start, sampling(batch, init.getRollout()),
                Seeds.rows(p.getSeed(), batch.getGroupSize()));
        RolloutGroup.Builder group = RolloutGroup.newBuilder().setGroup(p.getGroup());
        for (Episodes.Episode e : eps) {
            RolloutSample.Builder s = RolloutSample.newBuilder().setGroup(p.getGroup()).setUnit(-1).setPolicyVersion(version)
                    .setReward(batch.getSkipRewards() ? 0.0 : e.quality()).setCompletionText(e.transcript())
                    .setFinishReason(e.error() == null ? "episode" : "error: " + e.error()).addAllTurnTexts(e.turnTexts());
            for (int id : e.promptIds()) {
                s.addPromptIds(id);
            }
            for (int t = 0; t < e.completionIds().length; t++) {
                s.addCompletionIds(e.completionIds()[t]).addSamplingLogprobs(e.samplingLogprobs()[t]).addTrained(e.trained()[t]);
            }
            group.addSamples(s);
        }
        return group.build();
    }

    /** G single completions per prompt, scored by the verifier. */
    private byte[] completions(PromptBatch batch) {
        RolloutSpec r = init.getRollout();
        int g = batch.getGroupSize();
        List<int[]> rows = new ArrayList<>(batch.getPromptsCount() * g);
        long[] rowSeeds = new long[batch.getPromptsCount() * g];
        for (PromptBatch.Prompt p : batch.getPromptsList()) {
            if (p.getSampleTextsCount() != 0 && p.getSampleTextsCount() != g) {
                throw new IllegalArgumentException("prompt " + p.getId() + ": " + p.getSampleTextsCount()
                        + " sample_texts for a group of " + g + " (one per sample, or none)");
            }
            int[] shared = p.getSampleTextsCount() == 0 ? policy.tokenizer().encodePrompt(p.getText()) : null;
            long[] groupRows = Seeds.rows(p.getSeed(), g); // sample j of this group, wherever it is batched
            for (int j = 0; j < g; j++) {
                rowSeeds[rows.size()] = groupRows[j];
                rows.add(shared != null ? shared : policy.tokenizer().encodePrompt(p.getSampleTexts(j)));
            }
        }
        List<Completion> out = policy.generate(rows, sampling(batch, r), rowSeeds);
        RolloutBatch.Builder result = RolloutBatch.newBuilder();
        int row = 0;
        for (PromptBatch.Prompt p : batch.getPromptsList()) {
            Verifier check = p.getVerifier().isEmpty() ? verifier : Verifier.named(p.getVerifier());
            RolloutGroup.Builder group = RolloutGroup.newBuilder().setGroup(p.getGroup());
            for (int j = 0; j < g; j++, row++) {
                Completion c = out.get(row);
                RolloutSample.Builder s = RolloutSample.newBuilder()
                        .setGroup(p.getGroup()).setUnit(-1).setPolicyVersion(version)
                        .setReward(batch.getSkipRewards() ? 0.0 : check.reward(c.text(), p.getAnswer()))
                        .setCompletionText(c.text()).setFinishReason(c.finishReason().name().toLowerCase(java.util.Locale.ROOT));
                for (int id : rows.get(row)) {
                    s.addPromptIds(id);
                }
                for (int id : c.tokenIds()) {
                    s.addCompletionIds(id);
                }
                for (float lp : c.logprobs()) {
                    s.addSamplingLogprobs(lp);
                }
                group.addSamples(s);
            }
            result.addGroups(group);
        }
        return result.build().toByteArray();
    }

    /** The call's own sampling settings when it has them, else the worker's rollout spec. */
    static SamplingParams sampling(PromptBatch batch, RolloutSpec r) {
        if (!batch.hasSampling()) {
            return new SamplingParams(r.getTemperature(), r.getTopP(), r.getTopK(), r.getMaxNewTokens(), List.of(), 0L, false);
        }
        SamplingSpec s = batch.getSampling();
        double topP = s.getTopP() == 0 ? 1.0 : s.getTopP();
        return new SamplingParams(s.getTemperature(), topP, s.getTopK(), s.getMaxNewTokens(), s.getStopList(), 0L, false);
    }

    /**
     * Applies a published weight version if it is newer than the worker's; a stale version is
     * ignored (a retried broadcast) and a corrupt payload is refused with
     * {@link io.ladder.policy.WeightVersionException}. Returns the worker's version after.
     */
    public long applyWeights(byte[] weightVersionBytes) throws InvalidProtocolBufferException {
        io.ladder.proto.Faults.killAt("worker.weights"); // dies before acknowledging: Ray restarts it on the initial model
        WeightVersion w = weights(weightVersionBytes);
        if (w.version() <= version) {
            return version;
        }
        version = w.applyTo(policy.model(), version);
        return version;
    }

    /** Sets the weights to a version whatever its number (SOAR resets students to the baseline). */
    public long resetWeights(byte[] weightVersionBytes) throws InvalidProtocolBufferException {
        WeightVersion w = weights(weightVersionBytes);
        version = w.applyTo(policy.model(), Long.MIN_VALUE);
        return version;
    }

    private static WeightVersion weights(byte[] bytes) throws InvalidProtocolBufferException {
        io.ladder.proto.WeightVersion w = io.ladder.proto.WeightVersion.parseFrom(bytes);
        return new WeightVersion(w.getVersion(), w.getPayload().toByteArray(), w.getSha256());
    }

    public long version() {
        return version;
    }

    /** "pid@host v<version>", for logs and fault-tolerance tests. */
    public String info() {
        return ProcessHandle.current().pid() + "@" + hostName() + " v" + version;
    }

    static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "unknown";
        }
    }

    /** Releases the model's native memory (local mode has no process to kill); returns true. */
    public boolean shutdown() {
        close();
        return true;
    }

    @Override
    public void close() {
        policy.close();
        manager.close();
    }
}
