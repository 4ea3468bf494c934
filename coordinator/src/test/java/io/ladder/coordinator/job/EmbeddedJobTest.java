package io.ladder.coordinator.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.util.JsonFormat;
import io.ladder.coordinator.cli.Main;
import io.ladder.proto.JobSpec;
import io.ladder.policy.SafeTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training job in Ray's local mode, each run in its own JVM: the reward of the trivial
 * fixed-digit task rises, every step is logged exactly once, 1, 2 and 3 rollout workers give
 * bit-identical runs, and a run killed with SIGKILL and resumed from its checkpoint ends with the
 * same weights as an uninterrupted run.
 */
class EmbeddedJobTest {
    @TempDir
    static Path tmp;
    static Path model;
    static Path config;

    @BeforeAll
    static void setUp() throws Exception {
        model = tmp.resolve("model");
        JobProcess.tinyModel(model, "--std", "0.1", "--seed", "1234");
        config = config(2);
    }

    /** The job spec with {@code workers} rollout workers (calls of 2 prompts: 4 calls a step). */
    static Path config(int workers) throws Exception {
        Path c = tmp.resolve("job-" + workers + "w.yaml");
        Files.writeString(c, String.join("\n",
                "name: digit",
                // The first reward comes by luck (a '7' among 259 tokens of a random model); with seed 4 it
                // comes in the first step, so 12 steps show the reward rise rather than the wait for it.
                "seed: 4",
                "model: {path: " + model + "}",
                "task: {kind: fixed_digit, digit: 7}",
                "algorithm: {name: grpo, lr: 0.02, max_grad_norm: 1.0}",
                "rollout: {group_size: 16, prompts_per_step: 8, prompts_per_call: 2, temperature: 1.0, max_new_tokens: 2}",
                "cluster: {rollout_workers_per_group: " + workers + "}",
                "steps: 12",
                "checkpoint_every: 4",
                "eval: {problems: 0}", ""));
        return c;
    }

    static List<JsonObject> metrics(Path run) throws Exception {
        List<JsonObject> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            out.add(JsonParser.parseString(line).getAsJsonObject());
        }
        return out;
    }

    static Map<String, float[]> finalWeights(Path run) {
        return finalWeights(run, 12);
    }

    static Map<String, float[]> finalWeights(Path run, int step) {
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        SafeTensors.index(run.resolve("checkpoints/step-" + step + "/policy")).forEach((k, v) -> out.put(k, SafeTensors.readFloats(v)));
        return out;
    }

    @Test
    void rewardRisesAndEveryStepIsLoggedOnce() throws Exception {
        Path run = tmp.resolve("run-a");
        JobProcess.run(tmp.resolve("a.log"), 300, "train", "--config", config.toString(), "--run-dir", run.toString());
        List<JsonObject> m = metrics(run);
        assertEquals(12, m.size());
        for (int i = 0; i < m.size(); i++) {
            assertEquals(i + 1, m.get(i).get("step").getAsInt());
        }
        double first = m.get(0).get("reward_mean").getAsDouble();
        double last = (m.get(9).get("reward_mean").getAsDouble() + m.get(10).get("reward_mean").getAsDouble()
                + m.get(11).get("reward_mean").getAsDouble()) / 3;
        assertTrue(first < 0.2 && last > 0.6, "reward " + first + " -> " + last);
        assertTrue(Files.isRegularFile(run.resolve("summary.json")));
        // spec.json is the resolved spec: every preset value written out
        JobSpec.Builder written = JobSpec.newBuilder();
        JsonFormat.parser().merge(Files.readString(run.resolve("spec.json")), written);
        assertEquals(JobSpecs.load(config).toBuilder().setRunDir(run.toString()).build(), written.build());
        for (int s : new int[] {4, 8, 12}) {
            assertTrue(Files.isRegularFile(run.resolve("checkpoints/step-" + s + "/policy/model.safetensors")), "step " + s);
            assertTrue(Files.isRegularFile(run.resolve("checkpoints/step-" + s + "/learner/optimizer.safetensors")), "step " + s);
        }
    }

    @Test
    void theRunDependsOnItsSpecAndSeedNotOnTheWorkerCount() throws Exception {
        Path two = tmp.resolve("run-2w");
        JobProcess.run(tmp.resolve("2w.log"), 300, "train", "--config", config.toString(), "--run-dir", two.toString());
        for (int workers : new int[] {1, 3}) {
            Path other = tmp.resolve("run-" + workers + "w");
            JobProcess.run(tmp.resolve(workers + "w.log"), 300, "train", "--config", config(workers).toString(),
                    "--run-dir", other.toString());
            assertEquals(0.0, maxDiff(finalWeights(two), finalWeights(other)),
                    workers + " rollout workers and 2 give different weights");
            assertTrue(metrics(other).get(11).get("reward_mean").getAsDouble() > 0.6,
                    "the runs compared must have learned something, or equal weights mean nothing");
            List<JsonObject> a = metrics(two);
            List<JsonObject> b = metrics(other);
            for (int i = 0; i < a.size(); i++) {
                assertEquals(a.get(i).get("reward_mean").getAsDouble(), b.get(i).get("reward_mean").getAsDouble(),
                        "step " + (i + 1) + " reward with " + workers + " workers");
                assertEquals(a.get(i).get("loss").getAsDouble(), b.get(i).get("loss").getAsDouble(),
                        "step " + (i + 1) + " loss with " + workers + " workers");
            }
        }
    }

    @Test
    void killedAndResumedRunEndsWithTheSameWeights() throws Exception {
        Path whole = tmp.resolve("run-whole");
        JobProcess.run(tmp.resolve("whole.log"), 300, "train", "--config", config.toString(), "--run-dir", whole.toString());

        Path broken = tmp.resolve("run-killed");
        Process p = JobProcess.builder(tmp.resolve("killed.log"), "train", "--config", config.toString(), "--run-dir",
                broken.toString()).start();
        Path marker = broken.resolve("checkpoints/step-8/trainer.json");
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (!Files.exists(marker) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(marker), "no checkpoint at step 8:\n" + JobProcess.tail(tmp.resolve("killed.log")));
        p.destroyForcibly(); // SIGKILL
        p.waitFor();
        assertTrue(!Files.exists(broken.resolve("checkpoints/step-12")) || !Files.exists(broken.resolve("summary.json")),
                "the run finished before it could be killed; nothing was tested");

        JobProcess.run(tmp.resolve("resumed.log"), 300, "train", "--resume", broken.toString());
        double diff = maxDiff(finalWeights(whole), finalWeights(broken));
        assertTrue(diff <= 1e-6, "resumed run differs from the uninterrupted one by " + diff);
        List<JsonObject> m = metrics(broken);
        assertEquals(12, m.size(), "steps in metrics.jsonl after resume");
        for (int i = 0; i < m.size(); i++) {
            assertEquals(i + 1, m.get(i).get("step").getAsInt());
        }

        // A finished run, or fewer steps than it has done, is refused before anything is touched.
        String spec = Files.readString(whole.resolve("spec.json"));
        String summary = Files.readString(whole.resolve("summary.json"));
        for (String[] args : new String[][] {{"train", "--resume", whole.toString()},
                {"train", "--resume", whole.toString(), "--steps", "6"}}) {
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            assertEquals(2, Main.run(args, System.out, new java.io.PrintStream(err)));
            String line = err.toString().strip();
            assertTrue(line.contains("the run is already at step 12 of") && !line.contains("\n"), line);
        }
        assertEquals(spec, Files.readString(whole.resolve("spec.json")), "a refused resume rewrote spec.json");
        assertEquals(summary, Files.readString(whole.resolve("summary.json")));

        // Trained to the end but its final evaluation never finished: resume does only that.
        Map<String, float[]> trained = finalWeights(whole);
        Files.delete(whole.resolve("summary.json"));
        assertEquals(0, Main.run(new String[] {"train", "--resume", whole.toString()}, System.out, System.err));
        assertTrue(Files.isRegularFile(whole.resolve("summary.json")), "summary.json written by the resumed evaluation");
        assertEquals(12, metrics(whole).size(), "no step trained or logged again");
        assertEquals(0.0, maxDiff(trained, finalWeights(whole)), "the final checkpoint is untouched");

        // spec.json edited by hand is checked like a YAML file
        Files.writeString(whole.resolve("spec.json"), spec.replace("\"groupSize\": 16", "\"groupSize\": 1"));
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        assertEquals(2, Main.run(new String[] {"train", "--resume", whole.toString(), "--steps", "20"}, System.out,
                new java.io.PrintStream(err)));
        assertTrue(err.toString().contains("rollout.group_size: must be in [2, 4096], got 1"), err.toString());
    }

    @Test
    void aCheckpointBeingReplacedIsStillFoundBesideIt() throws Exception {
        Path run = tmp.resolve("run-replacing");
        Path old = run.resolve("checkpoints/step-4.old");
        Files.createDirectories(old);
        Files.writeString(old.resolve("trainer.json"), "{\"step\": 4}");
        Files.writeString(run.resolve("checkpoints/latest"), "step-4\n");
        assertEquals(old, JobHarness.latestCheckpoint(run), "killed between moving step-4 aside and moving the new one in");
        Files.createDirectories(run.resolve("checkpoints/step-4"));
        Files.writeString(run.resolve("checkpoints/step-4/trainer.json"), "{\"step\": 4}");
        assertEquals(run.resolve("checkpoints/step-4"), JobHarness.latestCheckpoint(run));
        // killed after step-8 was renamed into place but before `latest` was rewritten: step-8 is complete
        Files.createDirectories(run.resolve("checkpoints/step-8"));
        Files.writeString(run.resolve("checkpoints/step-8/trainer.json"), "{\"step\": 8}");
        Files.createDirectories(run.resolve("checkpoints/step-12.tmp")); // a half-written copy never counts
        assertEquals(run.resolve("checkpoints/step-8"), JobHarness.latestCheckpoint(run));
    }

    static double maxDiff(Map<String, float[]> a, Map<String, float[]> b) {
        assertEquals(a.keySet(), b.keySet());
        double worst = 0;
        for (String k : a.keySet()) {
            float[] x = a.get(k);
            float[] y = b.get(k);
            for (int i = 0; i < x.length; i++) {
                worst = Math.max(worst, Math.abs(x[i] - y[i]));
            }
        }
        return worst;
    }
}
