package io.ladder.coordinator.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.ladder.coordinator.cli.Main;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (installed from Debian's packages by deploy/prometheus/install.sh) scrapes a
 * short training job; the reward-variance series it stores equal the job's own metrics.jsonl,
 * and promtool accepts the endpoint's output.
 */
class PrometheusScrapeTest {
    @TempDir
    Path tmp;

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static Process start(Path log, List<String> cmd) throws IOException {
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @Test
    void prometheusStoresWhatTheJobLogged() throws Exception {
        Process install = new ProcessBuilder("bash", io.ladder.coordinator.job.JobProcessAccess.repo().resolve("deploy/prometheus/install.sh").toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("install.log").toFile()).start();
        assertTrue(install.waitFor(600, TimeUnit.SECONDS) && install.exitValue() == 0,
                "deploy/prometheus/install.sh failed:\n" + Files.readString(tmp.resolve("install.log")));

        Path model = tmp.resolve("model");
        assertEquals(0, Main.run(new String[] {"init-model", "--out", model.toString(), "--layers", "1", "--hidden", "32",
                "--heads", "2", "--kv-heads", "1", "--std", "0.1", "--seed", "1234"}, System.out, System.err));
        int metricsPort = freePort();
        int promPort = freePort();
        Path run = tmp.resolve("run");
        Path job = tmp.resolve("job.yaml");
        Files.writeString(job, String.join("\n", "name: scrape", "seed: 5", "model: {path: " + model + "}",
                "task: {kind: fixed_digit, digit: 7}", "algorithm: {name: grpo, lr: 0.02}",
                "rollout: {group_size: 16, prompts_per_step: 8, max_new_tokens: 2}", "steps: 12",
                "metrics_port: " + metricsPort, "metrics_linger_seconds: 30", "eval: {problems: 0}", ""));
        Path promConfig = tmp.resolve("prometheus.yml");
        Files.writeString(promConfig, String.join("\n", "global: {scrape_interval: 1s}", "scrape_configs:",
                "  - job_name: ladder", "    honor_labels: true", "    static_configs:",
                "      - targets: [\"127.0.0.1:" + metricsPort + "\"]", ""));
        Process prom = start(tmp.resolve("prometheus.log"), List.of("prometheus", "--config.file=" + promConfig,
                "--storage.tsdb.path=" + tmp.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + promPort));
        Path jobLog = tmp.resolve("job.log");
        Process train = io.ladder.coordinator.job.JobProcessAccess.builder(jobLog, "train", "--config", job.toString(),
                "--run-dir", run.toString()).start();
        try {
            // wait for the job to finish training and linger with its final values
            long deadline = System.nanoTime() + 300_000_000_000L;
            while (!Files.readString(jobLog).contains("serving final metrics") && train.isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(Files.readString(jobLog).contains("serving final metrics"), "job did not finish:\n" + Files.readString(jobLog));
            HttpClient http = HttpClient.newHttpClient();
            String exposition = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Path expo = tmp.resolve("metrics.txt");
            Files.writeString(expo, exposition);
            Process check = new ProcessBuilder("promtool", "check", "metrics").redirectInput(expo.toFile())
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("promtool.log").toFile()).start();
            assertTrue(check.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, check.exitValue(), "promtool check metrics:\n" + Files.readString(tmp.resolve("promtool.log")));

            // what the job logged per step
            double varianceSum = 0;
            int groups = 0;
            JsonObject last = null;
            for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
                last = JsonParser.parseString(line).getAsJsonObject();
                for (var v : last.getAsJsonArray("group_reward_variance")) {
                    varianceSum += v.getAsDouble();
                    groups++;
                }
            }
            assertEquals(12, last.get("step").getAsInt());
            // what Prometheus scraped (poll until a scrape after the last step is stored)
            String sel = "{job=\"scrape\",role=\"policy\",strategy=\"grpo\"}";
            double promCount = Double.NaN;
            for (int i = 0; i < 100 && promCount != groups; i++) {
                promCount = query(http, promPort, "ladder_group_reward_variance_count" + sel);
                Thread.sleep(200);
            }
            assertEquals(groups, promCount, 0.0, "groups observed");
            assertEquals(varianceSum, query(http, promPort, "ladder_group_reward_variance_sum" + sel), 1e-9);
            assertEquals(last.get("reward_mean").getAsDouble(), query(http, promPort, "ladder_reward_mean" + sel), 1e-12);
            assertEquals(last.get("zero_variance_fraction").getAsDouble(),
                    query(http, promPort, "ladder_zero_variance_group_ratio" + sel), 1e-12);
            assertEquals(12.0, query(http, promPort, "ladder_training_step" + sel), 0.0);
            // zero-variance groups sit in the first bucket
            long zeroGroups = 0;
            for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
                for (var v : JsonParser.parseString(line).getAsJsonObject().getAsJsonArray("group_reward_variance")) {
                    zeroGroups += v.getAsDouble() <= 1e-9 ? 1 : 0;
                }
            }
            assertEquals(zeroGroups, query(http, promPort,
                    "ladder_group_reward_variance_bucket{job=\"scrape\",role=\"policy\",strategy=\"grpo\",le=\"1.0E-9\"}"), 0.0);
        } finally {
            train.destroyForcibly();
            prom.destroy();
            prom.waitFor(10, TimeUnit.SECONDS);
            prom.destroyForcibly();
        }
    }

    static double query(HttpClient http, int port, String promql) throws Exception {
        String url = "http://127.0.0.1:" + port + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
        String body = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
        JsonObject o = JsonParser.parseString(body).getAsJsonObject();
        JsonArray result = o.getAsJsonObject("data").getAsJsonArray("result");
        if (result.size() != 1) {
            return Double.NaN;
        }
        return Double.parseDouble(result.get(0).getAsJsonObject().getAsJsonArray("value").get(1).getAsString());
    }
}
