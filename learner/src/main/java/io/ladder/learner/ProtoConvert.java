package io.ladder.learner;

import io.ladder.policy.WeightVersion;
import io.ladder.proto.GroupStat;
import io.ladder.proto.RolloutBatch;
import io.ladder.proto.RolloutGroup;
import io.ladder.proto.RolloutSample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Conversions between the learner's types and the messages of rollout.proto. */
public final class ProtoConvert {
    private ProtoConvert() {}

    public static RolloutSample toProto(Rollout r, long policyVersion) {
        RolloutSample.Builder b = RolloutSample.newBuilder().setReward(r.reward()).setGroup(r.group())
                .setUnit(r.unit()).setPolicyVersion(policyVersion);
        if (r.advantageScale() != 1.0) {
            b.setAdvantageScale(r.advantageScale());
        }
        for (int id : r.promptIds()) {
            b.addPromptIds(id);
        }
        for (int id : r.completionIds()) {
            b.addCompletionIds(id);
        }
        for (float lp : r.samplingLogprobs()) {
            b.addSamplingLogprobs(lp);
        }
        if (r.trained() != null) {
            for (boolean t : r.trained()) {
                b.addTrained(t);
            }
        }
        return b.build();
    }

    public static Rollout fromProto(RolloutSample s) {
        int[] prompt = s.getPromptIdsList().stream().mapToInt(Integer::intValue).toArray();
        int[] completion = s.getCompletionIdsList().stream().mapToInt(Integer::intValue).toArray();
        float[] lp = new float[s.getSamplingLogprobsCount()];
        for (int i = 0; i < lp.length; i++) {
            lp[i] = s.getSamplingLogprobs(i);
        }
        boolean[] trained = null;
        if (s.getTrainedCount() > 0) {
            trained = new boolean[s.getTrainedCount()];
            for (int i = 0; i < trained.length; i++) {
                trained[i] = s.getTrained(i);
            }
        }
        return new Rollout(prompt, completion, lp, s.getReward(), s.getGroup(), s.getUnit(),
                s.hasAdvantageScale() ? s.getAdvantageScale() : 1.0, trained);
    }

    /** Groups the rollouts by group id (in order of first appearance). */
    public static RolloutBatch toProto(List<Rollout> rollouts, long policyVersion) {
        Map<Integer, RolloutGroup.Builder> groups = new LinkedHashMap<>();
        for (Rollout r : rollouts) {
            groups.computeIfAbsent(r.group(), g -> RolloutGroup.newBuilder().setGroup(g))
                    .addSamples(toProto(r, policyVersion));
        }
        RolloutBatch.Builder b = RolloutBatch.newBuilder();
        groups.values().forEach(g -> b.addGroups(g.build()));
        return b.build();
    }

    public static List<Rollout> fromProto(RolloutBatch batch) {
        List<Rollout> out = new ArrayList<>();
        for (RolloutGroup g : batch.getGroupsList()) {
            for (RolloutSample s : g.getSamplesList()) {
                if (s.getGroup() != g.getGroup()) {
                    throw new IllegalArgumentException("rollout sample of group " + s.getGroup()
                            + " inside group " + g.getGroup());
                }
                out.add(fromProto(s));
            }
        }
        return out;
    }

    public static io.ladder.proto.WeightVersion toProto(WeightVersion w) {
        // wrapped, not copied: the payload is the whole model (538 MB for SmolLM2) and nothing writes to it after encoding
        return io.ladder.proto.WeightVersion.newBuilder().setVersion(w.version())
                .setPayload(com.google.protobuf.UnsafeByteOperations.unsafeWrap(w.payload())).setSha256(w.sha256()).build();
    }

    public static WeightVersion fromProto(io.ladder.proto.WeightVersion w) {
        return new WeightVersion(w.getVersion(), w.getPayload().toByteArray(), w.getSha256());
    }

    public static io.ladder.proto.StepReport toProto(StepReport r) {
        io.ladder.proto.StepReport.Builder b = io.ladder.proto.StepReport.newBuilder()
                .setOptimizerStep(r.optimizerStep()).setVersion(r.version()).setLoss(r.loss())
                .setPolicyLoss(r.policyLoss()).setKl(r.kl()).setEntropy(r.entropy())
                .setClipLowFraction(r.clipLowFraction()).setClipHighFraction(r.clipHighFraction())
                .setGradNorm(r.gradNorm()).setLr(r.lr()).setRewardMean(r.groupStats().rewardMean())
                .setZeroVarianceFraction(r.groupStats().zeroVarianceFraction()).setDroppedGroups(r.droppedGroups())
                .setSkipped(r.skipped()).setSkipReason(r.skipReason() == null ? "" : r.skipReason())
                .setUpdates(r.updates()).setSkippedUpdates(r.skippedUpdates())
                .setTotalSkippedUpdates(r.totalSkippedUpdates()).setSamples(r.samples())
                .setCompletionTokens(r.completionTokens()).setTotalTokens(r.totalTokens()).setSeconds(r.seconds());
        for (GroupStats.Group g : r.groupStats().groups()) {
            b.addGroups(GroupStat.newBuilder().setGroup(g.id()).setSize(g.size()).setMean(g.mean())
                    .setVariance(g.variance()).setZeroVariance(g.zeroVariance()));
        }
        return b.build();
    }
}
