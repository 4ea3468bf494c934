package io.ladder.coordinator.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import io.ladder.proto.StepRecord;
import org.junit.jupiter.api.Test;

class LadderMetricsTest {
    @Test
    void busyPortIsAOneLineErrorNotACrash() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             LadderMetrics m = new LadderMetrics("j", "grpo")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.serve("127.0.0.1", taken.getLocalPort()));
            assertTrue(e.getMessage().startsWith("metrics_port " + taken.getLocalPort() + " on 127.0.0.1 is busy"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
        }
    }

    @Test
    void stepsBecomeLabelledSeries() {
        try (LadderMetrics m = new LadderMetrics("j", "grpo")) {
            m.recordStep(StepRecord.newBuilder().setStep(1).setRole("policy").setRewardMean(0.5).setRewardStd(0.5)
                    .addGroupRewardVariance(0.25).addGroupRewardVariance(0.0).setZeroVarianceFraction(0.5)
                    .setTokensPerS(1000).setCompletionTokens(64).setLearnerSeconds(0.2).setPublishSeconds(0.01)
                    .setPublishBytes(1234).setLoss(0.1).setEntropy(0.3).build());
            m.workerVersion("policy", "w0", 1);
            String text = m.scrape();
            assertTrue(text.contains("ladder_reward_mean{job=\"j\",role=\"policy\",strategy=\"grpo\"} 0.5"), text);
            assertTrue(text.contains("ladder_group_reward_variance_count{job=\"j\",role=\"policy\",strategy=\"grpo\"} 2"), text);
            assertTrue(text.contains("ladder_group_reward_variance_bucket{job=\"j\",role=\"policy\",strategy=\"grpo\",le=\"1.0E-9\"} 1"), text);
            assertTrue(text.contains("ladder_weight_version{job=\"j\",role=\"policy\",strategy=\"grpo\",worker=\"w0\"} 1.0"), text);
            assertTrue(text.contains("ladder_weight_publish_bytes"), text);
        }
    }

    /** Every series the Grafana dashboard queries is one Ladder exports (a renamed metric would leave a panel empty). */
    @Test
    void theDashboardQueriesOnlySeriesLadderExports() throws Exception {
        java.nio.file.Path repo = java.nio.file.Path.of("").toAbsolutePath();
        while (!java.nio.file.Files.isRegularFile(repo.resolve("deploy/grafana/ladder-dashboard.json"))) {
            repo = repo.getParent();
        }
        String dashboard = java.nio.file.Files.readString(repo.resolve("deploy/grafana/ladder-dashboard.json"));
        String text;
        try (LadderMetrics m = new LadderMetrics("j", "soar")) {
            m.recordStep(StepRecord.newBuilder().setStep(1).setRole("teacher").setRewardMean(0.1).addGroupRewardVariance(0.1)
                    .setSoar(io.ladder.proto.SoarStats.newBuilder().setRHat(0.02).setRBar(0.015).addRK(0.01).addRK(0.03)
                            .setPromotions(1).setPromotionQuestions(32).setBaselineAccuracy(0.1).setTeacherWellFormed(0.9)
                            .setPoolUtilisation(0.8))
                    .setExit(io.ladder.proto.ExitStats.newBuilder().setBufferSize(3).setScoreMean(0.1)).build());
            m.workerVersion("teacher", "w0", 1);
            m.actorRestarts("teacher", "rollout_worker", 0);
            m.selfImprove("policy", new double[] {0.5, 0.55}, 0.05);
            text = m.scrape();
        }
        java.util.regex.Matcher names = java.util.regex.Pattern.compile("\\b(ladder_[a-z_]+?)(_bucket|_count|_sum)?\\b").matcher(dashboard);
        java.util.Set<String> missing = new java.util.TreeSet<>();
        int queried = 0;
        while (names.find()) {
            queried++;
            String name = names.group(1) + (names.group(2) == null ? "" : names.group(2));
            if (!text.contains(name + "{") && !text.contains(name + " ")) {
                missing.add(name);
            }
        }
        assertTrue(queried > 20, "the dashboard should query Ladder's series");
        assertTrue(missing.isEmpty(), "the dashboard queries series Ladder does not export: " + missing);
        assertTrue(text.contains("ladder_soar_dataset_reward{dataset=\"1\""), text);
    }
}
