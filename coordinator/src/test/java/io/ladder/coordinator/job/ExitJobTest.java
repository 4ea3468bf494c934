package io.ladder.coordinator.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ExIt job, embedded: the buffer fills with improve instances grown from the model's answers,
 * the KL reference is refreshed every M steps, the ExIt figures reach metrics.jsonl, and a run
 * stopped at a checkpoint and resumed (buffer and all) ends as the uninterrupted run does.
 */
class ExitJobTest {
    @TempDir
    static Path tmp;
    static Path config;

    @BeforeAll
    static void setUp() throws Exception {
        Path model = tmp.resolve("model");
        JobProcess.tinyModel(model, "--std", "0.1", "--seed", "1234");
        config = tmp.resolve("exit.yaml");
        Files.writeString(config, spec(model, "exit-digit", "{rollout_workers_per_group: 1}", 8) + "checkpoint_every: 4\n");
    }

    /** A short ExIt job on the fixed-digit task (preset diverge, small buffer, KL refresh every 2 steps). */
    static String spec(Path model, String name, String cluster, int steps) {
        return String.join("\n",
                "name: " + name,
                "seed: 4",
                "model: {path: " + model + "}",
                "task: {kind: fixed_digit, digit: 7}",
                "algorithm: {name: exit, lr: 0.02, kl_beta: 0.01,",
                "            exit: {preset: diverge, buffer_capacity: 32, min_buffer: 4, kl_refresh_every: 2}}",
                "rollout: {group_size: 16, prompts_per_step: 8, prompts_per_call: 4, temperature: 1.0, max_new_tokens: 2}",
                "cluster: " + cluster,
                "steps: " + steps,
                "eval: {problems: 0}", "");
    }

    @Test
    void theBufferGrowsAndAResumedRunEndsLikeAnUninterruptedOne() throws Exception {
        Path whole = tmp.resolve("run-whole");
        JobProcess.run(tmp.resolve("whole.log"), 300, "train", "--config", config.toString(), "--run-dir", whole.toString());
        List<JsonObject> m = EmbeddedJobTest.metrics(whole);
        assertEquals(8, m.size());
        JsonObject last = m.get(7).getAsJsonObject("exit");
        assertTrue(last.get("buffer_size").getAsInt() > 4, "buffer " + last);
        assertTrue(m.stream().anyMatch(r -> r.getAsJsonObject("exit").get("improve_share").getAsDouble()
                + r.getAsJsonObject("exit").get("diverge_share").getAsDouble() > 0), "no self-iteration step");
        for (int i = 0; i < 8; i++) {
            assertEquals((i + 1) % 2 == 0, m.get(i).getAsJsonObject("exit").get("reference_refreshed").getAsBoolean(),
                    "KL reference refresh at step " + (i + 1));
        }
        assertTrue(Files.isRegularFile(whole.resolve("checkpoints/step-8/tasks/exit-buffer.json")), "buffer checkpointed");

        Path split = tmp.resolve("run-split");
        JobProcess.run(tmp.resolve("first.log"), 300, "train", "--config", config.toString(), "--run-dir", split.toString(),
                "--steps", "4");
        JobProcess.run(tmp.resolve("second.log"), 300, "train", "--resume", split.toString(), "--steps", "8");
        assertEquals(0.0, EmbeddedJobTest.maxDiff(EmbeddedJobTest.finalWeights(whole, 8), EmbeddedJobTest.finalWeights(split, 8)),
                "resumed ExIt run differs from the uninterrupted one");
        List<JsonObject> s = EmbeddedJobTest.metrics(split);
        for (int i = 0; i < 8; i++) {
            assertEquals(m.get(i).getAsJsonObject("exit"), s.get(i).getAsJsonObject("exit"), "ExIt figures of step " + (i + 1));
            assertEquals(m.get(i).get("reward_mean"), s.get(i).get("reward_mean"));
        }
        assertEquals(Files.readString(whole.resolve("checkpoints/step-8/tasks/exit-buffer.json")),
                Files.readString(split.resolve("checkpoints/step-8/tasks/exit-buffer.json")), "buffers differ");
    }

    /** Preset full: the diversity bonus scales advantages; the job runs and its updates differ from diverge's. */
    @Test
    void theFullPresetTrainsWithTheDiversityBonus() throws Exception {
        Path full = tmp.resolve("full.yaml");
        Files.writeString(full, Files.readString(config).replace("preset: diverge", "preset: full, self_improve_steps: 2")
                .replace("steps: 8", "steps: 2").replace("checkpoint_every: 4", "checkpoint_every: 0")
                .replace("eval: {problems: 0}", "eval: {problems: 4, samples: 2, k: [1]}"));
        Path diverge = tmp.resolve("diverge2.yaml");
        Files.writeString(diverge, Files.readString(config).replace("steps: 8", "steps: 2").replace("checkpoint_every: 4", "checkpoint_every: 0"));
        Path a = tmp.resolve("run-full");
        Path b = tmp.resolve("run-diverge2");
        JobProcess.run(tmp.resolve("full.log"), 300, "train", "--config", full.toString(), "--run-dir", a.toString());
        JobProcess.run(tmp.resolve("diverge2.log"), 300, "train", "--config", diverge.toString(), "--run-dir", b.toString());
        assertEquals(EmbeddedJobTest.metrics(a).get(0).get("reward_mean"), EmbeddedJobTest.metrics(b).get(0).get("reward_mean"),
                "the same samples at step 1");
        assertTrue(EmbeddedJobTest.maxDiff(EmbeddedJobTest.finalWeights(a, 2), EmbeddedJobTest.finalWeights(b, 2)) > 0,
                "the bonus should change the update");
        // the end-of-job K-step self-improvement: accuracy after 0..K improve steps, in self_improve.json and the summary
        com.google.gson.JsonObject si = com.google.gson.JsonParser.parseString(Files.readString(a.resolve("summary.json")))
                .getAsJsonObject().getAsJsonObject("self_improvement");
        assertTrue(si != null && Files.isRegularFile(a.resolve("self_improve.json")), "no self-improvement evaluation");
        assertEquals(si, com.google.gson.JsonParser.parseString(Files.readString(a.resolve("self_improve.json"))));
        assertTrue(Files.readString(tmp.resolve("full.log")).contains("K-step self-improvement of the final policy"));
    }

    /** p_div per rollout and a graded verifier reach the job: groups mix improve and diverge prompts. */
    @Test
    void perRolloutDivergenceOnAGradedTask() throws Exception {
        Path spec = tmp.resolve("graded.yaml");
        Files.writeString(spec, Files.readString(config).replace("task: {kind: fixed_digit, digit: 7}",
                        "task: {kind: arithmetic, levels: [1], verifier: closeness}")
                .replace("kl_refresh_every: 2}", "kl_refresh_every: 2, divergence_prob: 0.5, divergence_draw: per_rollout}")
                .replace("max_new_tokens: 2", "max_new_tokens: 3").replace("steps: 8", "steps: 4")
                .replace("checkpoint_every: 4", "checkpoint_every: 0"));
        Path run = tmp.resolve("run-graded");
        JobProcess.run(tmp.resolve("graded.log"), 300, "train", "--config", spec.toString(), "--run-dir", run.toString());
        List<JsonObject> m = EmbeddedJobTest.metrics(run);
        assertEquals(4, m.size());
        boolean mixed = false;
        for (JsonObject r : m) {
            double perGroup = r.getAsJsonObject("exit").get("diverge_share").getAsDouble() * 8; // 8 groups a step
            mixed |= Math.abs(perGroup - Math.rint(perGroup)) > 1e-9; // a share of a group: its rollouts were split
        }
        assertTrue(mixed, "no step with a group of mixed improve and diverge prompts: " + m);
    }
}
