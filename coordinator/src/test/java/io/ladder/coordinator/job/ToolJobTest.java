package io.ladder.coordinator.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GRPO on the tool world, embedded: each group is G multi-turn episodes of one generated task,
 * the learner trains on the model's turns only, and the held-out evaluation runs episodes too.
 * (A random model solves nothing; this shows the path runs end to end and is reproducible.)
 */
class ToolJobTest {
    @TempDir
    Path tmp;

    @Test
    void grpoRunsOnMultiTurnEpisodes() throws Exception {
        Path model = tmp.resolve("model");
        JobProcess.tinyModel(model, "--max-positions", "2048", "--seed", "1");
        Path config = tmp.resolve("tools.yaml");
        Files.writeString(config, String.join("\n", "name: tools", "seed: 3", "model: {path: " + model + "}",
                "task: {kind: tools, levels: [1, 2]}", "algorithm: {name: grpo, lr: 0.01}",
                "rollout: {group_size: 4, prompts_per_step: 2, prompts_per_call: 1, max_new_tokens: 12}",
                "steps: 2", "eval: {problems: 2, samples: 2, k: [1]}", ""));
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        JobProcess.run(tmp.resolve("a.log"), 300, "train", "--config", config.toString(), "--run-dir", a.toString());
        JobProcess.run(tmp.resolve("b.log"), 300, "train", "--config", config.toString(), "--run-dir", b.toString());
        List<JsonObject> m = EmbeddedJobTest.metrics(a);
        assertEquals(2, m.size());
        assertEquals(8, m.get(0).get("samples").getAsInt(), "2 tasks x G = 4 episodes");
        assertTrue(Files.readString(tmp.resolve("a.log")).contains("held-out before training (2 problems x 2 samples):  pass@1"));
        List<JsonObject> n = EmbeddedJobTest.metrics(b);
        for (int step = 0; step < 2; step++) {
            for (String f : new String[] {"reward_mean", "loss", "completion_tokens"}) {
                assertEquals(m.get(step).get(f), n.get(step).get(f), f + " of step " + (step + 1));
            }
        }
        assertEquals(0.0, EmbeddedJobTest.maxDiff(EmbeddedJobTest.finalWeights(a, 2), EmbeddedJobTest.finalWeights(b, 2)),
                "the same spec and seed give the same weights");
    }

    /**
     * ExIt on episodes, embedded: once the buffer holds B_min prefixes every group restarts from a
     * buffered turn prefix (p = 1), a resumed run ends like an uninterrupted one, and the end-of-job
     * evaluation takes K more attempts from each held-out episode.
     */
    @Test
    void exitRestartsEpisodesFromBufferedTurnPrefixes() throws Exception {
        Path model = JobProcess.tinyModel(tmp.resolve("model"), "--max-positions", "2048", "--seed", "1");
        Path config = tmp.resolve("tools-exit.yaml");
        Files.writeString(config, String.join("\n", "name: tools-exit", "seed: 3", "model: {path: " + model + "}",
                "task: {kind: tools, levels: [1, 2]}",
                "algorithm: {name: exit, lr: 0.01, exit: {preset: diverge, buffer_capacity: 64, min_buffer: 2, self_iteration_prob: 1.0,",
                "            divergence_prob: 0.5, self_improve_steps: 2, self_improve_samples: 2}}",
                "rollout: {group_size: 4, prompts_per_step: 2, prompts_per_call: 1, max_new_tokens: 12}",
                "steps: 4", "checkpoint_every: 2", "eval: {problems: 2, samples: 2, k: [1]}", ""));
        Path whole = tmp.resolve("whole");
        Path split = tmp.resolve("split");
        JobProcess.run(tmp.resolve("whole.log"), 300, "train", "--config", config.toString(), "--run-dir", whole.toString());
        JobProcess.run(tmp.resolve("first.log"), 300, "train", "--config", config.toString(), "--run-dir", split.toString(), "--steps", "2");
        JobProcess.run(tmp.resolve("second.log"), 300, "train", "--resume", split.toString(), "--steps", "4");
        List<JsonObject> m = EmbeddedJobTest.metrics(whole);
        assertEquals(4, m.size());
        for (int step = 1; step < 4; step++) {
            JsonObject exit = m.get(step).getAsJsonObject("exit");
            assertEquals(1.0, exit.get("improve_share").getAsDouble() + exit.get("diverge_share").getAsDouble(), 1e-9,
                    "every group restarts from a prefix at step " + (step + 1) + ": " + exit);
        }
        String buffer = Files.readString(whole.resolve("checkpoints/step-4/tasks/exit-buffer.json"));
        assertTrue(buffer.contains("followup") && buffer.contains("environmentTask"), "episode prefixes in the buffer");
        assertEquals(buffer, Files.readString(split.resolve("checkpoints/step-4/tasks/exit-buffer.json")), "the resumed buffer differs");
        assertEquals(0.0, EmbeddedJobTest.maxDiff(EmbeddedJobTest.finalWeights(whole, 4), EmbeddedJobTest.finalWeights(split, 4)),
                "the resumed ExIt run differs from the uninterrupted one");
        JsonObject si = com.google.gson.JsonParser.parseString(Files.readString(whole.resolve("self_improve.json"))).getAsJsonObject();
        assertEquals(3, si.getAsJsonArray("by_step").size(), "the first episode and K = 2 more attempts");
        assertTrue(si.getAsJsonArray("by_step").get(1).getAsJsonObject().has("out_of_context"), "per step: chains with no room left");
        assertEquals(4, si.get("problems").getAsInt() * si.get("samples_per_problem").getAsInt());
    }

    /** `ladder episodes`: success by level on the terminal, one JSONL line per episode, a function of its seeds. */
    @Test
    void theEpisodesCommandReportsSuccessByLevelAndEveryTranscript() throws Exception {
        Path model = JobProcess.tinyModel(tmp.resolve("model"), "--max-positions", "2048", "--seed", "1");
        String[] args = {"episodes", "--model", model.toString(), "--levels", "1,3", "--per-level", "2", "--samples", "2",
                "--max-new-tokens", "8", "--seed", "5"};
        Path first = tmp.resolve("first.jsonl");
        Path second = tmp.resolve("second.jsonl");
        JobProcess.run(tmp.resolve("e1.log"), 300, concat(args, "--out", first.toString()));
        JobProcess.run(tmp.resolve("e2.log"), 300, concat(args, "--out", second.toString()));
        String log = Files.readString(tmp.resolve("e1.log"));
        assertTrue(log.contains("| level | tasks | episodes | success |") && log.contains("| 1 | 2 | 4 | ") && log.contains("| 3 | 2 | 4 | "), log);
        List<String> lines = Files.readAllLines(first);
        assertEquals(8, lines.size(), "2 levels x 2 tasks x 2 episodes");
        for (String line : lines) {
            JsonObject e = com.google.gson.JsonParser.parseString(line).getAsJsonObject();
            for (String f : new String[] {"task", "level", "sample", "request", "quality", "turns", "transcript", "ground_truth"}) {
                assertTrue(e.has(f), f + " missing in " + line);
            }
            assertEquals(e.get("level").getAsInt(), e.getAsJsonArray("ground_truth").size());
        }
        assertEquals(lines, Files.readAllLines(second), "the same seeds give the same episodes");
        // --attempts K: ExIt's K-step evaluation per level, after the first-episode table
        JobProcess.run(tmp.resolve("e3.log"), 300, concat(args, "--attempts", "2", "--out", tmp.resolve("third.jsonl").toString()));
        String k = Files.readString(tmp.resolve("e3.log"));
        assertTrue(k.contains("level 1: a first episode and 2 more attempts, 4 chains") && k.contains("level 3: a first episode")
                && k.contains("| step | accuracy | wrong → right | right → wrong |") && k.contains("Δ_2 = "), k);
        assertEquals(lines, Files.readAllLines(tmp.resolve("third.jsonl")), "the first episodes do not change");
    }

    static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
