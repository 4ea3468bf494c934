package io.ladder.coordinator.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.ladder.coordinator.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job on a real Ray cluster started by deploy/local-cluster.sh (two nodes on this machine,
 * Ray from the pinned pip package): the learner and two rollout workers each run in their own
 * JVM; the reward of the trivial task rises; then a rollout worker's JVM is killed with SIGKILL
 * in the middle of the run, Ray restarts it, the coordinator re-sends the weights and redoes its
 * rollouts, and the job finishes with every step logged exactly once, with the same weights as
 * the same spec run embedded.
 */
class RayClusterJobTest {
    static final int PORT = 6590; // not the script's default, so a developer's cluster is left alone
    @TempDir
    static Path tmp;
    static String address;
    static Path model;

    static String script(Path log, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", JobProcess.repo().resolve("deploy/local-cluster.sh").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(900, TimeUnit.SECONDS), "local-cluster.sh " + String.join(" ", args) + " hung");
        assertEquals(0, p.exitValue(), "local-cluster.sh " + String.join(" ", args) + ":\n" + Files.readString(log));
        return out;
    }

    @BeforeAll
    static void startCluster() throws Exception {
        String out = script(tmp.resolve("cluster-start.log"), "start", "--nodes", "2", "--port", Integer.toString(PORT));
        String[] lines = out.strip().split("\n");
        address = lines[lines.length - 1].strip();
        model = tmp.resolve("model");
        assertEquals(0, Main.run(new String[] {"init-model", "--out", model.toString(), "--layers", "1", "--hidden", "32",
                "--heads", "2", "--kv-heads", "1", "--std", "0.1", "--seed", "1234"}, System.out, System.err));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        script(tmp.resolve("cluster-stop.log"), "stop", "--port", Integer.toString(PORT));
    }

    @Test
    void separateProcessesLearnAndSurviveAKilledRolloutWorker() throws Exception {
        Path config = tmp.resolve("job.yaml");
        Files.writeString(config, String.join("\n",
                "name: cluster-digit",
                "seed: 3",
                "model: {path: " + model + "}",
                "task: {kind: fixed_digit, digit: 7}",
                "algorithm: {name: grpo, lr: 0.02, max_grad_norm: 1.0}",
                // long completions make each step's rollout the bulk of its time, so the kill lands in one
                "rollout: {group_size: 16, prompts_per_step: 16, prompts_per_call: 4, temperature: 1.0, max_new_tokens: 24}",
                "cluster: {ray_address: \"" + address + "\", rollout_workers_per_group: 2, cpus_per_actor: 1,"
                        + " placement: SPREAD, max_actor_restarts: 3}",
                "steps: 30",
                "checkpoint_every: 0",
                "eval: {problems: 0}", ""));
        Path run = tmp.resolve("run");
        Path log = tmp.resolve("job.log");
        Process job = JobProcess.builder(log, "train", "--config", config.toString(), "--run-dir", run.toString()).start();
        long killed;
        try {
            // the coordinator names each worker's pid: "2 rollout worker(s) (PID@host v0, PID@host v0), learner PID v0"
            Pattern info = Pattern.compile("rollout worker\\(s\\) \\((\\d+)@\\S+ v\\d+, (\\d+)@\\S+ v\\d+\\), learner (\\d+)");
            long deadline = System.nanoTime() + 600_000_000_000L;
            Matcher m = null;
            while (System.nanoTime() < deadline && job.isAlive()) {
                m = info.matcher(Files.readString(log));
                if (m.find() && Files.readString(log).contains("step 5/30")) {
                    break;
                }
                Thread.sleep(50);
            }
            assertTrue(m != null && m.find(0), "job did not start on the cluster:\n" + JobProcess.tail(log));
            long worker0 = Long.parseLong(m.group(1));
            long worker1 = Long.parseLong(m.group(2));
            long learner = Long.parseLong(m.group(3));
            long driver = job.pid();
            assertTrue(worker0 != worker1 && worker0 != learner && worker1 != learner && worker0 != driver && learner != driver,
                    "actors should run in separate JVMs: " + m.group());
            killed = worker0;
            Process kill = new ProcessBuilder("kill", "-9", Long.toString(worker0)).start();
            assertEquals(0, kill.waitFor(), "kill -9 " + worker0);
            assertTrue(job.waitFor(600, TimeUnit.SECONDS), "job did not finish:\n" + JobProcess.tail(log));
            assertEquals(0, job.exitValue(), JobProcess.tail(log));
        } finally {
            job.destroyForcibly();
        }
        String text = Files.readString(log);
        assertTrue(text.contains("rollout worker 0 of ladder-cluster-digit-g0 died"), "no recovery logged:\n" + JobProcess.tail(log));
        Matcher end = Pattern.compile("at the end: 2 rollout worker\\(s\\) \\((\\d+)@\\S+ v(\\d+), (\\d+)@").matcher(text);
        assertTrue(end.find(), JobProcess.tail(log));
        assertNotEquals(Long.toString(killed), end.group(1), "worker 0 should be a new process after the restart");
        assertEquals("30", end.group(2), "the restarted worker should hold the final weight version");
        List<JsonObject> m = EmbeddedJobTest.metrics(run);
        assertEquals(30, m.size(), "steps in metrics.jsonl");
        for (int i = 0; i < m.size(); i++) {
            assertEquals(i + 1, m.get(i).get("step").getAsInt(), "step log order");
        }
        double first = m.get(0).get("reward_mean").getAsDouble();
        double last = (m.get(27).get("reward_mean").getAsDouble() + m.get(28).get("reward_mean").getAsDouble()
                + m.get(29).get("reward_mean").getAsDouble()) / 3;
        assertTrue(first < 0.2 && last > 0.6, "reward " + first + " -> " + last);
        assertTrue(m.get(29).get("worker_restarts").getAsInt() >= 1, "restarts recorded in metrics");

        // The same spec embedded, with one in-process rollout worker instead of two JVMs (one of
        // them killed and its calls redone): the same run, bit for bit.
        Path embeddedConfig = tmp.resolve("job-embedded.yaml");
        Files.writeString(embeddedConfig, Files.readString(config)
                .replaceAll("cluster: \\{[^}]*\\}", "cluster: {rollout_workers_per_group: 1}"));
        Path embedded = tmp.resolve("run-embedded");
        JobProcess.run(tmp.resolve("embedded.log"), 600, "train", "--config", embeddedConfig.toString(), "--run-dir",
                embedded.toString());
        List<JsonObject> e = EmbeddedJobTest.metrics(embedded);
        for (int i = 0; i < m.size(); i++) {
            assertEquals(m.get(i).get("reward_mean").getAsDouble(), e.get(i).get("reward_mean").getAsDouble(),
                    "step " + (i + 1) + " reward, cluster vs embedded");
        }
        assertEquals(0.0, EmbeddedJobTest.maxDiff(EmbeddedJobTest.finalWeights(run, 30), EmbeddedJobTest.finalWeights(embedded, 30)),
                "the cluster run and the embedded run of one spec end with different weights");
    }
}
