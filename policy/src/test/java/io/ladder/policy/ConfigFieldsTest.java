package io.ladder.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every config.json field is honoured or refused with one line naming it. */
class ConfigFieldsTest {

    private static String withField(String field, String jsonValue) throws Exception {
        JsonObject o = JsonParser.parseString(Files.readString(ConformanceTest.fixtureDir("gqa_tied").resolve("config.json")))
                .getAsJsonObject();
        o.add(field, JsonParser.parseString(jsonValue));
        return o.toString();
    }

    @Test
    void fieldsThatChangeTheComputationAreRefusedByName() throws Exception {
        for (String[] f : new String[][] {
                {"final_logit_softcapping", "30.0"}, {"sliding_window", "4096"}, {"attention_dropout", "0.1"},
                {"no_rope_layers", "[1, 0]"}, {"is_encoder_decoder", "true"}, {"logits_scaling", "2.0"}}) {
            ModelFolderException e = assertThrows(ModelFolderException.class,
                    () -> LlamaConfig.parse(withField(f[0], f[1]), "m/config.json"), f[0]);
            assertTrue(e.getMessage().startsWith("m/config.json: field \"" + f[0] + "\""), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), "one line");
        }
    }

    @Test
    void bookkeepingAndGenerateDefaultsLoad() throws Exception {
        for (String[] f : new String[][] {
                {"_name_or_path", "\"x\""}, {"transformers_version", "\"4.57.6\""}, {"max_length", "20"},
                {"repetition_penalty", "1.0"}, {"attention_dropout", "0.0"}, {"pretraining_tp", "1"},
                {"use_cache", "true"}, {"unk_token_id", "0"}}) {
            LlamaConfig.parse(withField(f[0], f[1]), "m/config.json");
        }
    }

    /** The biases fixture (attention_bias and mlp_bias) survives a save and a reload unchanged. */
    @Test
    void mlpBiasesAreCountedSavedAndReloaded(@TempDir Path tmp) throws Exception {
        Path dir = ConformanceTest.fixtureDir("biases");
        try (NDManager m = Policy.newManager(); Policy p = Policy.load(dir, m)) {
            LlamaConfig c = p.model().config;
            assertTrue(c.mlpBias && c.attentionBias);
            long stored = p.model().parameters().values().stream().mapToLong(a -> a.size()).sum();
            assertEquals(stored, c.parameterCount(), "parameterCount counts the biases");
            assertTrue(p.model().parameters().containsKey("model.layers.1.mlp.down_proj.bias"));
            Path out = tmp.resolve("saved");
            p.save(out, "float32");
            try (Policy q = Policy.load(out, m)) {
                List<int[]> prompts = List.of(p.tokenizer().encode("Solve 2x = 4.", true));
                List<int[]> completions = List.of(p.tokenizer().encode(" x = 2", false));
                assertArrayEquals(p.scoreValues(prompts, completions, 1.0).get(0),
                        q.scoreValues(prompts, completions, 1.0).get(0), 0f);
            }
        }
    }
}
