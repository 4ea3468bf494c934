package io.ladder.coordinator.metrics;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ladder.proto.StepRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The coordinator's Prometheus endpoint ({@code /metrics}, Micrometer's Prometheus registry).
 * Every series carries {@code job} (the Ladder job name), {@code strategy} (grpo, rloo, soar,
 * exit) and, where it applies, {@code role} (policy, teacher, student). Names and units are
 * listed in deploy/prometheus/METRICS.md, including those SOAR and ExIt reserve.
 */
public final class LadderMetrics implements AutoCloseable {
    /** Bucket bounds for variances of rewards in [0, 1] (at most 0.25 for binary rewards); le=1e-9 counts zero-variance groups. */
    static final double[] VARIANCE_BUCKETS = {1e-9, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.125, 0.15, 0.175,
            0.2, 0.225, 0.25, 0.5, 1.0};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Tags base;
    private final Map<String, AtomicDouble> gauges = new ConcurrentHashMap<>();
    private HttpServer server;

    public LadderMetrics(String job, String strategy) {
        this.base = Tags.of("job", job, "strategy", strategy);
    }

    /** Serves /metrics on host:port (port 0 = no endpoint). A busy port is a one-line error. */
    public void serve(String host, int port) throws IOException {
        if (port == 0) {
            return;
        }
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (BindException e) {
            throw new IllegalArgumentException("metrics_port " + port + " on " + host + " is busy (" + e.getMessage()
                    + "); choose another port or 0 for no endpoint");
        }
        server.createContext("/metrics", ex -> {
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        });
        server.start();
    }

    public int port() {
        return server == null ? 0 : server.getAddress().getPort();
    }

    public String scrape() {
        return registry.scrape();
    }

    private AtomicDouble gauge(String name, String description, String unit, Tags tags) {
        String key = name + tags;
        return gauges.computeIfAbsent(key, k -> {
            AtomicDouble v = new AtomicDouble();
            Gauge.builder(name, v, AtomicDouble::get).description(description).baseUnit(unit).tags(base.and(tags))
                    .register(registry);
            return v;
        });
    }

    private DistributionSummary summary(String name, String description, String unit, Tags tags, double[] buckets) {
        return DistributionSummary.builder(name).description(description).baseUnit(unit).tags(base.and(tags))
                .serviceLevelObjectives(buckets).register(registry);
    }

    private Counter counter(String name, String description, Tags tags) {
        return Counter.builder(name).description(description).tags(base.and(tags)).register(registry);
    }

    /** Sets every series one step reports, from the step's record. */
    public void recordStep(StepRecord s) {
        Tags role = Tags.of("role", s.getRole());
        gauge("ladder_reward_mean", "Mean reward of the step's samples", null, role).set(s.getRewardMean());
        gauge("ladder_reward_std", "Standard deviation of the step's sample rewards", null, role).set(s.getRewardStd());
        DistributionSummary variance = summary("ladder_group_reward_variance",
                "Variance of the rewards within each group (one observation per group per step)", null, role,
                VARIANCE_BUCKETS);
        DistributionSummary learnability = summary("ladder_learnability_score",
                "Learnability score of each group: the variance of its rewards in [0,1] (ExIt's S)", null, role,
                VARIANCE_BUCKETS);
        for (double v : s.getGroupRewardVarianceList()) {
            variance.record(v);
            learnability.record(v);
        }
        gauge("ladder_zero_variance_group_ratio", "Fraction of the step's groups whose rewards are all equal", null, role)
                .set(s.getZeroVarianceFraction());
        gauge("ladder_rollout_tokens_per_second", "Completion tokens generated per second in the step's rollouts", null, role)
                .set(s.getTokensPerS());
        counter("ladder_rollout_tokens_total", "Completion tokens generated", role).increment(s.getCompletionTokens());
        Timer.builder("ladder_learner_step_seconds").description("Learner update time per step").tags(base.and(role))
                .serviceLevelObjectives(Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
                        Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10),
                        Duration.ofSeconds(30), Duration.ofSeconds(60))
                .register(registry).record(Duration.ofNanos((long) (s.getLearnerSeconds() * 1e9)));
        Timer.builder("ladder_weight_publish_seconds").description("Time to publish a weight version to every worker")
                .tags(base.and(role))
                .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100),
                        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5))
                .register(registry).record(Duration.ofNanos((long) (s.getPublishSeconds() * 1e9)));
        gauge("ladder_weight_publish_bytes", "Size of the last published weight payload", "bytes", role).set(s.getPublishBytes());
        gauge("ladder_learner_loss", "Loss of the last learner update", null, role).set(s.getLoss());
        gauge("ladder_learner_kl", "Mean token KL to the reference policy", null, role).set(s.getKl());
        gauge("ladder_learner_entropy", "Mean token entropy of the policy on the step's samples", null, role).set(s.getEntropy());
        gauge("ladder_training_step", "Steps completed", null, role).set(s.getStep());
        gauge("ladder_learner_resident_memory", "Resident memory of the learner process after the step", "bytes", role)
                .set(s.getLearnerRssMb() * 1024 * 1024);
        if (s.hasExit()) {
            var e = s.getExit();
            gauge("ladder_exit_buffer_size", "ExIt: instances in the learnability buffer", null, role).set(e.getBufferSize());
            gauge("ladder_exit_learnability_mean", "ExIt: mean learnability S in the buffer", null, role).set(e.getScoreMean());
            gauge("ladder_exit_learnability_max", "ExIt: largest learnability S in the buffer", null, role).set(e.getScoreMax());
            String[] quantile = {"0.1", "0.5", "0.9"};
            double[] score = {e.getScoreP10(), e.getScoreP50(), e.getScoreP90()};
            for (int i = 0; i < quantile.length; i++) {
                gauge("ladder_exit_learnability_quantile", "ExIt: quantiles of learnability S in the buffer", null,
                        role.and("quantile", quantile[i])).set(score[i]);
            }
            gauge("ladder_exit_task_share", "ExIt: share of the step's groups by task kind", null, role.and("kind", "base"))
                    .set(e.getBaseShare());
            gauge("ladder_exit_task_share", "ExIt: share of the step's groups by task kind", null, role.and("kind", "improve"))
                    .set(e.getImproveShare());
            gauge("ladder_exit_task_share", "ExIt: share of the step's groups by task kind", null, role.and("kind", "diverge"))
                    .set(e.getDivergeShare());
            gauge("ladder_exit_iterate_mean", "ExIt: mean iterate k of the step's tasks", null, role).set(e.getIterateMean());
            gauge("ladder_exit_distinct_instances", "ExIt: distinct task prompts trained on so far", null, role)
                    .set(e.getDistinctInstances());
        }
        if (s.hasSoar()) {
            var o = s.getSoar();
            gauge("ladder_soar_r_hat", "SOAR: mean student gain R̂ of the outer step", null, role).set(o.getRHat());
            gauge("ladder_soar_r_bar", "SOAR: moving average R̄ compared with τ", null, role).set(o.getRBar());
            for (int k = 0; k < o.getRKCount(); k++) {
                gauge("ladder_soar_dataset_reward", "SOAR: R_k, dataset k's mean student gain", null, role.and("dataset", String.valueOf(k)))
                        .set(o.getRK(k));
            }
            gauge("ladder_soar_baseline_accuracy", "SOAR: the baseline student's greedy accuracy on Q_R", null, role)
                    .set(o.getBaselineAccuracy());
            gauge("ladder_soar_promotions", "SOAR: promotions so far", null, role).set(o.getPromotions());
            gauge("ladder_soar_promotion_questions", "SOAR: promotion questions so far", null, role).set(o.getPromotionQuestions());
            gauge("ladder_soar_teacher_well_formed_ratio", "SOAR: well-formed share of the teacher's samples", null, role)
                    .set(o.getTeacherWellFormed());
            gauge("ladder_soar_pool_utilisation_ratio", "SOAR: busy share of the student groups during the inner loops", null, role)
                    .set(o.getPoolUtilisation());
            gauge("ladder_soar_inner_steps", "SOAR: inner steps per loop this outer step", null, role).set(o.getInnerSteps());
        }
        Counter skipped = counter("ladder_skipped_steps_total", "Learner steps skipped for NaN/Inf or no signal", role);
        if (s.getSkipped()) {
            skipped.increment();
        }
    }

    /** ExIt's K-step self-improvement of the final policy: accuracy after each improve step k, and Δ_K. */
    public void selfImprove(String role, double[] accuracyByStep, double deltaK) {
        for (int k = 0; k < accuracyByStep.length; k++) {
            gauge("ladder_exit_self_improve_accuracy", "ExIt: held-out accuracy after k improve steps of the final policy", null,
                    Tags.of("role", role, "k", String.valueOf(k))).set(accuracyByStep[k]);
        }
        gauge("ladder_exit_self_improve_delta", "ExIt: Δ_K, accuracy after K improve steps minus the first answer's", null,
                Tags.of("role", role)).set(deltaK);
    }

    /** The weight version a worker holds. */
    public void workerVersion(String role, String worker, long version) {
        gauge("ladder_weight_version", "Weight version held by each rollout worker", null,
                Tags.of("role", role, "worker", worker)).set(version);
    }

    /** Sets the count of actor restarts the coordinator has recovered from (a counter; only grows). */
    public void actorRestarts(String role, String actorRole, long total) {
        Counter c = counter("ladder_actor_restarts_total", "Actor restarts the coordinator has recovered from",
                Tags.of("role", role, "actor", actorRole));
        if (total > c.count()) {
            c.increment(total - c.count());
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
        registry.close();
    }

    /** A double holder for gauges. */
    static final class AtomicDouble {
        private final AtomicLong bits = new AtomicLong(Double.doubleToRawLongBits(Double.NaN));

        double get() {
            return Double.longBitsToDouble(bits.get());
        }

        void set(double v) {
            bits.set(Double.doubleToRawLongBits(v));
        }
    }
}
