package io.ladder.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.ladder.coordinator.pretrain.Pretrainer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A base model is a function of its spec and seed, and its report says which model it is. */
class PretrainReproducibleTest {
    @TempDir
    Path tmp;

    @Test
    void sameSpecSameModelAndTheReportCarriesItsFingerprint() throws Exception {
        Path spec = tmp.resolve("tiny.yaml");
        Files.writeString(spec, String.join("\n",
                "name: tiny", "seed: 5",
                "model: {layers: 1, hidden: 32, heads: 2, kv_heads: 1, intermediate: 64, max_positions: 128, init_std: 0.02}",
                "corpus: {student_levels: [{level: 1, weight: 1}], teacher_levels: [{level: 1, weight: 1}]}",
                "steps: 12", "batch_size: 8", "warmup_steps: 2", "eval_problems: 2", ""));
        JsonObject[] reports = new JsonObject[2];
        for (int i = 0; i < 2; i++) {
            Path out = tmp.resolve("m" + i);
            reports[i] = pretrain(spec, out);
            assertEquals(Pretrainer.sha256(out.resolve("model.safetensors")), reports[i].get("model_sha256").getAsString());
            assertEquals(12, reports[i].get("steps").getAsInt());
            assertFalse(reports[i].get("stopped_by_time_budget").getAsBoolean());
        }
        assertEquals(reports[0].get("model_sha256"), reports[1].get("model_sha256"), "same spec and seed, another model");
        assertFalse(Files.exists(tmp.resolve("m0.partial")), "the partial folder is renamed into place");
        // an existing model folder is never overwritten, by pretrain or init-model
        for (String[] args : new String[][] {{"pretrain", "--config", spec.toString(), "--out", tmp.resolve("m0").toString()},
                {"init-model", "--out", tmp.resolve("m0").toString()}}) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertEquals(2, Main.run(args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err)));
            assertEquals("ladder " + args[0] + ": --out: " + tmp.resolve("m0") + " already exists and is not empty (choose another "
                    + "folder or remove it)", err.toString().strip());
        }
        assertEquals(reports[0].get("model_sha256").getAsString(), Pretrainer.sha256(tmp.resolve("m0/model.safetensors")));
        assertEquals(reports[0].get("spec_sha256"), reports[1].get("spec_sha256"));
        assertEquals(64, reports[0].get("spec_sha256").getAsString().length());
    }

    /** A corpus with tool-world transcripts, packed: the report gains tool success by level, and the tokenizer the tool tokens. */
    @Test
    void aToolCorpusPacksTranscriptsAndReportsToolSuccessByLevel() throws Exception {
        Path spec = tmp.resolve("tools.yaml");
        Files.writeString(spec, String.join("\n",
                "name: tiny-tools", "seed: 5",
                "model: {layers: 1, hidden: 32, heads: 2, kv_heads: 1, intermediate: 64, max_positions: 512, init_std: 0.02}",
                "corpus: {student_levels: [{level: 1, weight: 1}], teacher_levels: [{level: 1, weight: 1}],",
                "         student_fraction: 0.5, tools: {fraction: 0.5, levels: [{level: 1, weight: 1}, {level: 2, weight: 1}]}}",
                "steps: 3", "batch_size: 2", "pack_length: 256", "warmup_steps: 1", "eval_problems: 4", ""));
        Path out = tmp.resolve("tools");
        JsonObject tools = pretrain(spec, out).getAsJsonObject("tool_success_by_level");
        assertEquals(6, tools.getAsJsonObject("greedy").size(), tools.toString());
        assertEquals(6, tools.getAsJsonObject("sampled").size());
        java.util.Set<String> added = new java.util.HashSet<>();
        JsonParser.parseString(Files.readString(out.resolve("tokenizer.json"))).getAsJsonObject().getAsJsonArray("added_tokens")
                .forEach(t -> added.add(t.getAsJsonObject().get("content").getAsString()));
        assertTrue(added.containsAll(io.ladder.tasks.env.tools.ToolPrompts.TEMPLATE_TOKENS), "the tool tokens are whole tokens: " + added);
    }

    /** `ladder pretrain` of {@code spec} into {@code out}, which must succeed; its pretrain_report.json. */
    static JsonObject pretrain(Path spec, Path out) throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[] {"pretrain", "--config", spec.toString(), "--out", out.toString()},
                new PrintStream(sink), new PrintStream(sink)), sink::toString);
        return JsonParser.parseString(Files.readString(out.resolve("pretrain_report.json"))).getAsJsonObject();
    }
}
