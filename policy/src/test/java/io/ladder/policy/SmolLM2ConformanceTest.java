package io.ladder.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.ladder.policy.chat.PyJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The real SmolLM2-135M-Instruct against transformers (float32): the chat template's token ids,
 * per-token log-probs of chat-formatted prompt + answer within 1e-4, the 256 most likely next
 * tokens at the prompt's end, and the same 32 greedy tokens. Runs when the model folder exists
 * ({@code scripts/models/smollm2.sh}, or {@code LADDER_SMOLLM2=DIR}); reference values:
 * scripts/reference/make_smollm2_reference.py.
 */
class SmolLM2ConformanceTest {
    static Path modelDir() {
        String env = System.getenv("LADDER_SMOLLM2");
        return env != null ? Path.of(env) : Path.of("..", "build", "models", "SmolLM2-135M-Instruct").toAbsolutePath().normalize();
    }

    @SuppressWarnings("unchecked")
    @Test
    void matchesTransformers() throws Exception {
        Path dir = modelDir();
        assumeTrue(Files.isRegularFile(dir.resolve("model.safetensors")), dir + " not there (scripts/models/smollm2.sh)");
        Path refFile = Path.of(SmolLM2ConformanceTest.class.getResource("/smollm2/reference.json").toURI());
        JsonObject ref = JsonParser.parseString(Files.readString(refFile)).getAsJsonObject();
        double worst = 0;
        try (NDManager m = Policy.newManager(); Policy policy = Policy.load(dir, m)) {
            assertEquals("chat", policy.tokenizer().template().name(), "auto picks the model's chat template");
            List<int[]> prompts = new ArrayList<>();
            List<int[]> greedyRef = new ArrayList<>();
            for (JsonElement e : ref.getAsJsonArray("cases")) {
                JsonObject c = e.getAsJsonObject();
                int[] ids = ConformanceTest.ints(c.get("prompt_ids"));
                List<Map<String, Object>> messages = (List<Map<String, Object>>) PyJson.toJava(c.get("messages"));
                assertEquals(c.get("text").getAsString(), policy.tokenizer().chatTemplate().render(messages, true, null, Map.of()));
                assertArrayEquals(ids, policy.tokenizer().encodeChat(messages, true, null), "chat token ids");
                if (messages.size() == 1) {
                    assertArrayEquals(ids, policy.tokenizer().encodePrompt((String) messages.get(0).get("content")));
                }
                int[] answer = ConformanceTest.ints(c.get("answer_ids"));
                assertArrayEquals(answer, policy.tokenizer().encode(c.get("answer").getAsString(), false));
                // teacher-forced log-probs of every token after the first (prompt and answer)
                int[] full = new int[ids.length + answer.length];
                System.arraycopy(ids, 0, full, 0, ids.length);
                System.arraycopy(answer, 0, full, ids.length, answer.length);
                float[] got = policy.scoreValues(List.of(new int[] {full[0]}),
                        List.of(java.util.Arrays.copyOfRange(full, 1, full.length)), 1.0).get(0);
                double[] want = ConformanceTest.doubles(c.get("token_logprobs"));
                assertEquals(want.length, got.length);
                for (int i = 0; i < want.length; i++) {
                    worst = Math.max(worst, Math.abs(want[i] - got[i]));
                }
                // the 256 most likely next tokens at the end of the prompt
                JsonObject last = c.getAsJsonObject("last_logprobs");
                int[] topIds = ConformanceTest.ints(last.get("ids"));
                double[] topLp = ConformanceTest.doubles(last.get("logprobs"));
                for (int i = 0; i < topIds.length; i++) {
                    int[] one = {topIds[i]};
                    float lp = policy.scoreValues(List.of(ids), List.of(one), 1.0).get(0)[0];
                    worst = Math.max(worst, Math.abs(topLp[i] - lp));
                    if (i == 15) {
                        break; // 16 of them: each is a forward pass of the whole prompt
                    }
                }
                prompts.add(ids);
                greedyRef.add(ConformanceTest.ints(c.get("greedy_ids")));
            }
            assertTrue(worst <= ConformanceTest.TOLERANCE, "max |Δ log-prob| vs transformers = " + worst);
            System.out.printf("SmolLM2-135M-Instruct: max |Δ log-prob| vs transformers = %.3g%n", worst);
            // 32 greedy tokens past end-of-turn, all prompts in one ragged batch with the KV cache; the
            // reference's smallest top-1/top-2 gap is 0.029, far above twice the log-prob error.
            var params = new SamplingParams(0.0, 1.0, 0, 32, List.of(), 0, true);
            var out = policy.generate(prompts, params);
            for (int i = 0; i < prompts.size(); i++) {
                assertArrayEquals(greedyRef.get(i), out.get(i).tokenIds(), "greedy continuation of case " + i);
            }
        }
    }
}
