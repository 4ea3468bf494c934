package io.ladder.coordinator.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.ladder.coordinator.cli.Main;
import io.ladder.policy.SafeTensors;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SOAR job, embedded, on a tiny model pretrained here to write teacher pairs: hard sets computed
 * at the start, every outer step's R_kj matrix, R_k, R̂ and promotion in soar.jsonl, the outputs in
 * the run folder; the same run on one student group or two; and a driver killed in the middle of
 * an outer step and resumed ends with the same teacher and student as the uninterrupted run.
 */
class SoarJobTest {
    @TempDir
    static Path tmp;
    static Path model;

    @BeforeAll
    static void pretrain() throws Exception {
        model = pretrainTeacherModel(tmp);
    }

    /** A 1-layer model pretrained (200 steps, about 10 s) to write well-formed teacher pairs and answer levels 1-2. */
    static Path pretrainTeacherModel(Path tmp) throws Exception {
        Path spec = tmp.resolve("tiny.yaml");
        Files.writeString(spec, String.join("\n",
                "name: tiny-soar", "seed: 5",
                "model: {layers: 1, hidden: 32, heads: 2, kv_heads: 1, intermediate: 64, max_positions: 128, init_std: 0.02}",
                "corpus:",
                "  student_levels: [{level: 1, weight: 1}, {level: 2, weight: 1}]",
                "  teacher_levels: [{level: 1, weight: 1}, {level: 2, weight: 1}]",
                "  student_fraction: 0.5", "  teacher_fraction: 0.5", "  improve_fraction: 0", "  diverge_fraction: 0",
                "steps: 200", "batch_size: 16", "lr: 0.01", "warmup_steps: 10", "eval_problems: 8", ""));
        Path out = tmp.resolve("model");
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[] {"pretrain", "--config", spec.toString(), "--out", out.toString()},
                new PrintStream(sink), new PrintStream(sink)), sink::toString);
        return out;
    }

    private static Path config(String name, int studentGroups) throws Exception {
        return config(tmp, model, name, studentGroups, "", 2);
    }

    /** A small SOAR job spec on the tiny model: 2 datasets × 2 repeats, τ = -0.5 (every step promotes). */
    static Path config(Path tmp, Path model, String name, int studentGroups, String cluster, int innerSteps) throws Exception {
        Path c = tmp.resolve(name + ".yaml");
        Files.writeString(c, String.join("\n",
                "name: " + name,
                "seed: 3",
                "model: {path: " + model + "}",
                "task: {kind: arithmetic, levels: [2]}",
                "algorithm:",
                "  name: soar",
                "  soar:",
                "    datasets: 2",
                "    questions_per_dataset: 4",
                "    repeats: 2",
                "    reward_questions: 6",
                "    inner_steps: " + innerSteps,
                "    inner_steps_per_promotion: 1",
                "    promotion_threshold: -0.5",   // every outer step promotes: PQ, PS and longer loops are exercised
                "    filter_samples: 4",
                "    filter_candidates: 60",
                "    teacher: {lr: 0.001, kl_beta: 0.0, max_new_tokens: 16}",
                "    student: {lr: 0.01, kl_beta: 0.0}",
                "rollout: {group_size: 4, prompts_per_step: 2, prompts_per_call: 4, temperature: 1.0, max_new_tokens: 8}",
                "cluster: {trainer_groups: " + studentGroups + cluster + "}",
                "steps: 3",
                "checkpoint_every: 1",
                "eval: {problems: 4, samples: 2, k: [1]}", ""));
        return c;
    }

    @Test
    void outerStepsAreRecordedAndAResumedRunEndsLikeAnUninterruptedOne() throws Exception {
        Path whole = tmp.resolve("run-whole");
        JobProcess.run(tmp.resolve("whole.log"), 300, "train", "--config", config("soar-a", 2).toString(), "--run-dir", whole.toString());

        // its report has the SOAR section, every plot drawn from the real outer steps
        io.ladder.coordinator.report.Page page = io.ladder.coordinator.report.RunReport.build(
                io.ladder.coordinator.report.RunFolder.read(whole));
        io.ladder.coordinator.report.Page.Section soarSection = page.sections().stream()
                .filter(x -> x.title().equals("SOAR")).findFirst().orElseThrow();
        assertEquals(4, soarSection.figures().size());
        for (io.ladder.coordinator.report.Page.Figure f : soarSection.figures()) {
            java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(f.png()));
            assertTrue(io.ladder.coordinator.report.RunReportTest.inkFraction(img) > 0.01, f.title() + ": blank");
        }

        // soar.jsonl: one line per outer step, R_k the row means of R_kj, R̂ their mean
        List<JsonObject> steps = lines(whole.resolve("soar.jsonl"));
        assertEquals(3, steps.size());
        for (int t = 0; t < 3; t++) {
            JsonObject s = steps.get(t);
            assertEquals(t + 1, s.get("step").getAsInt());
            JsonArray rows = s.getAsJsonArray("r_kj");
            assertEquals(2, rows.size());
            double rHat = 0;
            for (int k = 0; k < 2; k++) {
                JsonArray row = rows.get(k).getAsJsonObject().getAsJsonArray("values");
                assertEquals(2, row.size());
                double rk = (row.get(0).getAsDouble() + row.get(1).getAsDouble()) / 2;
                assertEquals(rk, s.getAsJsonArray("r_k").get(k).getAsDouble(), 1e-12);
                rHat += rk / 2;
            }
            assertEquals(rHat, s.get("r_hat").getAsDouble(), 1e-12);
            assertTrue(s.get("promoted").getAsBoolean(), "τ = -0.5 promotes every step");
            assertEquals(t + 1, s.get("promotions").getAsInt());
            assertEquals(2 + t, s.get("inner_steps").getAsInt(), "one more inner step after each promotion");
            assertEquals(4 * (t + 1), s.get("promotion_questions").getAsInt());
            assertTrue(s.get("teacher_attempts").getAsInt() >= 8, s.toString());
            double wf = s.get("teacher_well_formed").getAsDouble();
            assertEquals(8.0 / s.get("teacher_attempts").getAsInt(), wf, 1e-12);
            assertEquals(4, s.getAsJsonArray("inner_loop_seconds").size());
            assertEquals(2, s.get("student_groups").getAsInt());
        }
        List<JsonObject> pq = lines(whole.resolve("promotion_questions.jsonl"));
        assertEquals(12, pq.size());
        for (JsonObject q : pq) {
            assertTrue(q.has("problem") && q.has("answer") && q.has("outer_step") && q.has("dataset"), q.toString());
        }
        for (String out : new String[] {"teacher", "promoted-student", "hard"}) {
            assertTrue(Files.isDirectory(whole.resolve(out)), out + " missing");
        }
        assertTrue(Files.isRegularFile(whole.resolve("teacher/model.safetensors")));
        assertTrue(Files.isRegularFile(whole.resolve("promoted-student/config.json")));
        assertTrue(Files.isRegularFile(whole.resolve("hard/hard-train.jsonl")));
        assertTrue(Files.isRegularFile(whole.resolve("summary.json")));
        // promotions moved the baseline student: its weights are no longer the base model's
        assertTrue(maxDiff(weights(model), weights(whole.resolve("checkpoints/step-3/policy"))) > 0, "baseline never moved");

        // One student group instead of two: the same run (streams are keyed by (t, k, j), not by group)
        Path single = tmp.resolve("run-single");
        JobProcess.run(tmp.resolve("single.log"), 300, "train", "--config", config("soar-b", 1).toString(), "--run-dir",
                single.toString());
        assertEquals(0.0, maxDiff(weights(whole.resolve("checkpoints/step-3/teacher/policy")),
                weights(single.resolve("checkpoints/step-3/teacher/policy"))), "teacher depends on the pool size");
        assertEquals(0.0, maxDiff(weights(whole.resolve("checkpoints/step-3/policy")),
                weights(single.resolve("checkpoints/step-3/policy"))), "student depends on the pool size");

        // kill -9 in the middle of outer step 2, then --resume
        Path broken = tmp.resolve("run-killed");
        Process p = JobProcess.builder(tmp.resolve("killed.log"), "train", "--config", config("soar-a", 2).toString(), "--run-dir",
                broken.toString()).start();
        Path marker = broken.resolve("checkpoints/step-1/trainer.json");
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (!Files.exists(marker) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(Files.exists(marker), "no checkpoint after outer step 1:\n" + JobProcess.tail(tmp.resolve("killed.log")));
        p.destroyForcibly(); // SIGKILL
        p.waitFor();
        assertTrue(!Files.exists(broken.resolve("summary.json")), "the run finished before it could be killed");
        JobProcess.run(tmp.resolve("resumed.log"), 300, "train", "--resume", broken.toString());
        for (String w : new String[] {"checkpoints/step-3/teacher/policy", "checkpoints/step-3/policy", "promoted-student", "teacher"}) {
            double diff = maxDiff(weights(whole.resolve(w)), weights(broken.resolve(w)));
            assertTrue(diff <= 1e-6, w + ": the resumed run differs by " + diff);
        }
        List<JsonObject> resumed = lines(broken.resolve("soar.jsonl"));
        assertEquals(3, resumed.size(), "outer steps in soar.jsonl after resume");
        for (int t = 0; t < 3; t++) {
            for (String key : new String[] {"r_kj", "r_k", "r_hat", "r_bar", "promoted_dataset", "promoted_repeat",
                    "baseline_accuracy", "teacher_attempts", "promotions", "inner_steps"}) {
                assertEquals(steps.get(t).get(key), resumed.get(t).get(key), key + " of outer step " + (t + 1));
            }
        }
        assertEquals(Files.readString(whole.resolve("promotion_questions.jsonl")),
                Files.readString(broken.resolve("promotion_questions.jsonl")), "promotion questions differ");
    }

    /** A teacher that never writes a well-formed pair exhausts its budget: one line, exit 2, the run folder kept. */
    @Test
    void anExhaustedTeacherBudgetStopsTheJobWithOneLine() throws Exception {
        Path random = tmp.resolve("random-teacher");
        JobProcess.tinyModel(random, "--seed", "9");
        Path c = config(tmp, model, "soar-budget", 1, "", 1);
        Files.writeString(c, Files.readString(c).replace("    teacher: {lr: 0.001,", "    teacher_attempts: 16\n    teacher: {model: "
                + random + ", lr: 0.001,"));
        Path run = tmp.resolve("run-budget");
        Path log = tmp.resolve("budget.log");
        Process p = JobProcess.builder(log, "train", "--config", c.toString(), "--run-dir", run.toString()).start(); // a fresh Ray
        assertTrue(p.waitFor(300, java.util.concurrent.TimeUnit.SECONDS), JobProcess.tail(log));
        assertEquals(2, p.exitValue(), JobProcess.tail(log));
        List<String> lines = Files.readAllLines(log);
        String line = lines.get(lines.size() - 1);
        assertTrue(line.startsWith("ladder train: outer step 1: the teacher wrote 0 well-formed pairs of the 8 needed in "
                + "algorithm.soar.teacher_attempts = 16 samples") && line.endsWith("(raise teacher_attempts and --resume)"), line);
        assertTrue(Files.isRegularFile(run.resolve("spec.json")) && Files.isRegularFile(run.resolve("pass_before.json")));
    }

    static List<JsonObject> lines(Path file) throws Exception {
        List<JsonObject> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            JsonElement e = JsonParser.parseString(line);
            out.add(e.getAsJsonObject());
        }
        return out;
    }

    static Map<String, float[]> weights(Path folder) {
        Map<String, float[]> out = new LinkedHashMap<>();
        SafeTensors.index(folder).forEach((k, v) -> out.put(k, SafeTensors.readFloats(v)));
        return out;
    }

    static double maxDiff(Map<String, float[]> a, Map<String, float[]> b) {
        return EmbeddedJobTest.maxDiff(a, b);
    }
}
