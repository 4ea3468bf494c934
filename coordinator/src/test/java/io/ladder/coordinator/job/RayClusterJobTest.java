package io.ladder.coordinator.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
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
        JobProcess.tinyModel(model, "--std", "0.1", "--seed", "1234");
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

    /**
     * SOAR on the cluster, two student groups: the learner JVM of one is killed with SIGKILL while
     * the inner loops run; its loop is redone on a live group (Ray restarts the actor), the outer
     * step completes with every R_kj once, and the run ends as the same spec run embedded does.
     */
    @Test
    void soarRedoesTheInnerLoopOfAKilledStudentGroup() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("soar"));
        Path teacherModel = SoarJobTest.pretrainTeacherModel(dir);
        Path config = SoarJobTest.config(dir, teacherModel, "cluster-soar", 2, ", ray_address: \"" + address
                + "\", rollout_workers_per_group: 1, cpus_per_actor: 1, placement: PACK, max_actor_restarts: 3", 12);
        Path run = dir.resolve("run");
        Path log = dir.resolve("job.log");
        Process job = JobProcess.builder(log, "train", "--config", config.toString(), "--run-dir", run.toString()).start();
        try {
            // describe() names the processes: "student group(s) [learner PID vN, workers ...; learner PID vN, ..."
            Pattern groups = Pattern.compile("student group\\(s\\) \\[learner (\\d+) v\\d+, workers [^;]+; learner (\\d+) v\\d+");
            long deadline = System.nanoTime() + 600_000_000_000L;
            Matcher m = null;
            while (System.nanoTime() < deadline && job.isAlive()) {
                String text = Files.readString(log);
                m = groups.matcher(text);
                if (m.find() && text.contains("outer step 2: 4 inner loops")) {
                    break;
                }
                Thread.sleep(20);
            }
            assertTrue(m != null && m.find(0) && Files.readString(log).contains("outer step 2: 4 inner loops"),
                    "SOAR did not reach its second outer step on the cluster:\n" + JobProcess.tail(log));
            long learner = Long.parseLong(m.group(2));
            Thread.sleep(500); // both groups are inside an inner loop of 13 steps
            Process kill = new ProcessBuilder("kill", "-9", Long.toString(learner)).start();
            assertEquals(0, kill.waitFor(), "kill -9 " + learner);
            assertTrue(job.waitFor(600, TimeUnit.SECONDS), "job did not finish:\n" + JobProcess.tail(log));
            assertEquals(0, job.exitValue(), JobProcess.tail(log));
        } finally {
            job.destroyForcibly();
        }
        String text = Files.readString(log);
        assertTrue(text.contains("redoing it on a live student group"), "no redone inner loop:\n" + JobProcess.tail(log));
        List<JsonObject> steps = SoarJobTest.lines(run.resolve("soar.jsonl"));
        assertEquals(3, steps.size());
        for (JsonObject s : steps) {
            assertEquals(4, s.getAsJsonArray("inner_loop_seconds").size(), "one result per (k, j): " + s);
        }
        assertTrue(steps.get(2).get("redone_inner_loops").getAsInt() >= 1, steps.get(2).toString());

        // The same spec embedded: a redone loop is the loop it replaced, so the runs agree bit for bit.
        Path embeddedConfig = SoarJobTest.config(dir, teacherModel, "embedded-soar", 2, "", 12);
        Path embedded = dir.resolve("run-embedded");
        JobProcess.run(dir.resolve("embedded.log"), 600, "train", "--config", embeddedConfig.toString(), "--run-dir",
                embedded.toString());
        List<JsonObject> e = SoarJobTest.lines(embedded.resolve("soar.jsonl"));
        for (int t = 0; t < 3; t++) {
            assertEquals(e.get(t).get("r_kj"), steps.get(t).get("r_kj"), "R_kj of outer step " + (t + 1) + ", cluster vs embedded");
        }
        for (String w : new String[] {"checkpoints/step-3/teacher/policy", "checkpoints/step-3/policy"}) {
            assertEquals(0.0, SoarJobTest.maxDiff(SoarJobTest.weights(run.resolve(w)), SoarJobTest.weights(embedded.resolve(w))),
                    w + ": cluster and embedded runs differ");
        }
    }

    /**
     * ExIt on the cluster (two rollout-worker JVMs) ends as the same spec run embedded: buffer
     * figures and weights. Each worker JVM kills itself on receiving its third weight version, so
     * it misses that broadcast and Ray restarts it on the initial model. Its next rollout call
     * either fails (sent before Ray saw the death) or runs on the restarted actor and comes back
     * drawn with weights v0 (which of the two is Ray's timing); either way the coordinator
     * re-sends the current weights and redoes the call rather than training on it.
     */
    @Test
    void exitOnTheClusterMatchesTheEmbeddedRun() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("exit"));
        Path cluster = dir.resolve("cluster.yaml");
        Files.writeString(cluster, ExitJobTest.spec(model, "cluster-exit", "{ray_address: \"" + address
                + "\", rollout_workers_per_group: 2, cpus_per_actor: 1, placement: SPREAD, max_actor_restarts: 4,"
                + " worker_jvm_options: [\"-Dladder.killAt=worker.weights#3\"]}", 6));
        Path embedded = dir.resolve("embedded.yaml");
        Files.writeString(embedded, ExitJobTest.spec(model, "embedded-exit", "{rollout_workers_per_group: 1}", 6));
        Path clusterLog = dir.resolve("cluster.log");
        JobProcess.run(clusterLog, 600, "train", "--config", cluster.toString(), "--run-dir", dir.resolve("c").toString());
        JobProcess.run(dir.resolve("embedded.log"), 600, "train", "--config", embedded.toString(), "--run-dir", dir.resolve("e").toString());
        String recovery = Files.readAllLines(clusterLog).stream().filter(l -> l.contains("rollout worker")).collect(
                java.util.stream.Collectors.joining("\n"));
        assertTrue(recovery.contains("missed weight broadcast") && recovery.contains("redoing its rollouts"),
                "no worker restarted between calls and redone:\n" + JobProcess.tail(clusterLog));
        List<JsonObject> c = EmbeddedJobTest.metrics(dir.resolve("c"));
        List<JsonObject> e = EmbeddedJobTest.metrics(dir.resolve("e"));
        assertEquals(6, c.size());
        for (int i = 0; i < 6; i++) {
            assertEquals(e.get(i).getAsJsonObject("exit"), c.get(i).getAsJsonObject("exit"), "ExIt figures of step " + (i + 1)
                    + "; the cluster job's recoveries:\n" + recovery);
            assertEquals(e.get(i).get("reward_mean"), c.get(i).get("reward_mean"), "reward of step " + (i + 1));
        }
        assertEquals(0.0, EmbeddedJobTest.maxDiff(EmbeddedJobTest.finalWeights(dir.resolve("c"), 6),
                EmbeddedJobTest.finalWeights(dir.resolve("e"), 6)), "ExIt on the cluster and embedded end with different weights");
        assertEquals(Files.readString(dir.resolve("c/checkpoints/step-6/tasks/exit-buffer.json")),
                Files.readString(dir.resolve("e/checkpoints/step-6/tasks/exit-buffer.json")), "buffers differ");
    }

    /** An actor's exception on the cluster: one line naming it, exit 1, the trace in the run folder. */
    @Test
    void anActorFailingOnTheClusterStopsTheJobWithOneLine() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("fail"));
        Path config = dir.resolve("job.yaml");
        Files.writeString(config, ExitJobTest.spec(model, "cluster-fail", "{ray_address: \"" + address
                + "\", rollout_workers_per_group: 1, cpus_per_actor: 1, worker_jvm_options: [\"-Dladder.failAt=learner.step#2\"]}", 4));
        Path run = dir.resolve("run");
        Path log = dir.resolve("fail.log");
        Process p = JobProcess.builder(log, "train", "--config", config.toString(), "--run-dir", run.toString()).start();
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), JobProcess.tail(log));
        assertEquals(1, p.exitValue(), JobProcess.tail(log));
        List<String> lines = Files.readAllLines(log);
        String last = lines.get(lines.size() - 1);
        assertTrue(last.startsWith("ladder train: the job stopped after step 1 of 4: LearnerActor.step: ")
                && last.contains("injected failure at learner.step"), JobProcess.tail(log));
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("\tat ")), "no stack trace on the terminal:\n" + JobProcess.tail(log));
        assertTrue(Files.readString(run.resolve("ladder.log")).contains("injected failure"), "the trace is in ladder.log");
    }
}
