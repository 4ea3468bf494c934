package io.ladder.policy.chat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.ladder.policy.LlamaConfig;
import io.ladder.policy.PromptTemplate;
import io.ladder.policy.TextTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Five real chat templates (SmolLM2, Llama 3.1, Qwen2.5, Mistral Nemo, Gemma 2) rendered by
 * Ladder give the text and token ids transformers' apply_chat_template gives, and refuse what it
 * refuses. Fixtures: scripts/reference/make_chat_template_fixtures.py.
 */
class ChatTemplateConformanceTest {

    static Path fixture(String name) throws Exception {
        return Path.of(ChatTemplateConformanceTest.class.getResource("/chat-templates/" + name + "/cases.json").toURI())
                .getParent();
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest
    @ValueSource(strings = {"smollm2", "llama3.1", "qwen2.5", "mistral-nemo", "gemma2"})
    void rendersLikeTransformers(String name) throws Exception {
        Path dir = fixture(name);
        JsonArray cases = JsonParser.parseString(Files.readString(dir.resolve("cases.json"))).getAsJsonArray();
        try (TextTokenizer tok = TextTokenizer.load(dir, LlamaConfig.load(dir))) {
            ChatTemplate t = tok.chatTemplate();
            assertTrue(t != null, name + ": template found");
            int checked = 0;
            for (JsonElement e : cases) {
                JsonObject c = e.getAsJsonObject();
                String what = name + " / " + c.get("name").getAsString();
                List<Map<String, Object>> messages = (List<Map<String, Object>>) PyJson.toJava(c.get("messages"));
                List<Map<String, Object>> tools = (List<Map<String, Object>>) PyJson.toJava(c.get("tools"));
                boolean gen = c.get("add_generation_prompt").getAsBoolean();
                if (c.has("error")) {
                    ChatTemplateException ex = assertThrows(ChatTemplateException.class,
                            () -> t.render(messages, gen, tools, Map.of()), what);
                    assertTrue(ex.getMessage().contains(c.get("error").getAsString()), what + ": " + ex.getMessage());
                    continue;
                }
                assertEquals(c.get("text").getAsString(), t.render(messages, gen, tools, Map.of()), what);
                int[] want = c.get("ids").getAsJsonArray().asList().stream().mapToInt(JsonElement::getAsInt).toArray();
                assertArrayEquals(want, tok.encodeChat(messages, gen, tools), what + ": token ids");
                checked++;
            }
            assertTrue(checked >= 5, name + ": " + checked + " cases compared");
        }
    }

    /** Few-shot examples are earlier turns of the same conversation, rendered by the model's own template. */
    @Test
    void fewShotExamplesAreEarlierTurnsOfTheConversation() throws Exception {
        Path dir = fixture("smollm2");
        try (TextTokenizer tok = TextTokenizer.load(dir, LlamaConfig.load(dir))) {
            List<PromptTemplate.Example> shots = List.of(new PromptTemplate.Example("Question: 2+3", "2+3 = \\boxed{5}"));
            tok.usePromptFormat("auto", "Answer in \\boxed{}.", shots);
            List<Map<String, Object>> conversation = List.of(ChatTemplate.message("system", "Answer in \\boxed{}."),
                    ChatTemplate.message("user", "Question: 2+3"), ChatTemplate.message("assistant", "2+3 = \\boxed{5}"),
                    ChatTemplate.message("user", "Question: 7-1"));
            assertArrayEquals(tok.encodeChat(conversation, true, null), tok.encodePrompt("Question: 7-1"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> tok.usePromptFormat("completion", "", shots));
            assertTrue(e.getMessage().contains("few-shot examples need the chat format"), e.getMessage());
        }
    }
}
