package io.ladder.coordinator.job;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.ladder.coordinator.runtime.TrainerGroup;
import io.ladder.proto.RolloutGroup;
import io.ladder.proto.RolloutSample;
import io.ladder.proto.StepRecord;
import io.ladder.proto.StepReport;
import java.util.Locale;

/** Builds a step's {@link StepRecord} from a trainer-group step, and renders it as JSON and as the progress line. */
public final class StepRecords {
    private static final JsonFormat.Printer JSON =
            JsonFormat.printer().preservingProtoFieldNames().includingDefaultValueFields().omittingInsignificantWhitespace();

    private StepRecords() {}

    /** The record of step {@code step} (1-based) from what the trainer group's step returned. */
    public static StepRecord of(int step, String role, TrainerGroup.StepOutcome o, long weightVersion, int workerRestarts) {
        long tokens = 0;
        double sum = 0;
        double sumSq = 0;
        int n = 0;
        for (RolloutGroup g : o.rollouts().getGroupsList()) {
            for (RolloutSample s : g.getSamplesList()) {
                tokens += s.getCompletionIdsCount();
                sum += s.getReward();
                sumSq += s.getReward() * s.getReward();
                n++;
            }
        }
        double mean = n == 0 ? Double.NaN : sum / n;
        StepReport r = o.report();
        StepRecord.Builder b = StepRecord.newBuilder().setStep(step).setRole(role)
                .setRewardMean(mean).setRewardStd(Math.sqrt(Math.max(0, sumSq / Math.max(1, n) - mean * mean)))
                .setZeroVarianceFraction(r.getZeroVarianceFraction())
                .setLoss(r.getLoss()).setKl(r.getKl()).setEntropy(r.getEntropy()).setGradNorm(r.getGradNorm()).setLr(r.getLr())
                .setClipLowFraction(r.getClipLowFraction()).setClipHighFraction(r.getClipHighFraction())
                .setSkipped(r.getSkipped()).setSkipReason(r.getSkipReason())
                .setWeightVersion(Math.toIntExact(weightVersion)).setSamples(n).setCompletionTokens(Math.toIntExact(tokens))
                .setTokensPerS(tokens / Math.max(o.rolloutSeconds(), 1e-9))
                .setRolloutSeconds(o.rolloutSeconds()).setLearnerSeconds(o.learnSeconds()).setPublishSeconds(o.publishSeconds())
                .setPublishBytes(Math.toIntExact(o.publishBytes()))
                .setStepSeconds(o.rolloutSeconds() + o.learnSeconds() + o.publishSeconds())
                .setWorkerRestarts(workerRestarts)
                .setLearnerRssMb(r.getRssMb()).setLearnerPeakRssMb(r.getPeakRssMb());
        r.getGroupsList().forEach(gs -> b.addGroupRewardVariance(gs.getVariance()));
        return b.build();
    }

    /** One line of metrics.jsonl: the record's fields under their proto names. */
    public static String json(StepRecord r) {
        try {
            return JSON.print(r);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e); // a StepRecord has no Any fields
        }
    }

    /** One line of soar.jsonl: the outer step and its SOAR figures. */
    public static String soarJson(StepRecord r) {
        try {
            String body = JSON.print(r.getSoar());
            return "{\"step\":" + r.getStep() + ",\"step_seconds\":" + r.getStepSeconds() + "," + body.substring(1);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The progress line a terminal shows for one step. */
    public static String progressLine(StepRecord r, int totalSteps) {
        return String.format(Locale.ROOT,
                "step %d/%d  reward %.3f ± %.3f  zero-var %.2f  loss %+.4f  tokens/s %.0f  step %.2f s (rollout %.2f, learn %.2f, sync %.2f)%s",
                r.getStep(), totalSteps, r.getRewardMean(), r.getRewardStd(), r.getZeroVarianceFraction(), r.getLoss(),
                r.getTokensPerS(), r.getStepSeconds(), r.getRolloutSeconds(), r.getLearnerSeconds(), r.getPublishSeconds(),
                r.getSkipped() ? "  [skipped: " + r.getSkipReason() + "]" : "")
                + (r.hasExit() ? String.format(Locale.ROOT, "  buffer %d (S %.3f, improve %.0f%%, diverge %.0f%%)",
                        r.getExit().getBufferSize(), r.getExit().getScoreMean(), 100 * r.getExit().getImproveShare(),
                        100 * r.getExit().getDivergeShare()) : "")
                + (r.hasSoar() ? String.format(Locale.ROOT, "  R̂ %+.4f R̄ %+.4f%s  acc0 %.3f  well-formed %.0f%%  pool %.0f%%",
                        r.getSoar().getRHat(), r.getSoar().getRBar(), r.getSoar().getPromoted() ? "  PROMOTED k*=" + r.getSoar().getPromotedDataset()
                                + " j*=" + r.getSoar().getPromotedRepeat() : "", r.getSoar().getBaselineAccuracy(),
                        100 * r.getSoar().getTeacherWellFormed(), 100 * r.getSoar().getPoolUtilisation()) : "");
    }
}
