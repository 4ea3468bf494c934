package io.ladder.policy.chat;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The wider check: every template of llama.cpp's collection (about seventy real models' chat
 * templates) over a few plain conversations, against transformers' rendering. Needs the corpus
 * written by {@code make_chat_template_fixtures.py --corpus FILE}; run with
 * {@code LADDER_CHAT_CORPUS=FILE}. Prints each template that differs and requires at least 90%
 * of renderings to match (the misses are listed in policy/src/test/resources/chat-templates/README.md).
 */
class ChatTemplateCorpusTest {

    @SuppressWarnings("unchecked")
    @Test
    @EnabledIfEnvironmentVariable(named = "LADDER_CHAT_CORPUS", matches = ".+")
    void rendersTheCollectionLikeTransformers() throws Exception {
        List<String> lines = Files.readAllLines(Path.of(System.getenv("LADDER_CHAT_CORPUS")));
        int same = 0;
        Map<String, String> misses = new TreeMap<>();
        for (String line : lines) {
            JsonObject c = JsonParser.parseString(line).getAsJsonObject();
            String name = c.get("template_name").getAsString() + " / " + c.get("conversation").getAsString();
            Map<String, Object> special = (Map<String, Object>) PyJson.toJava(c.get("special_tokens"));
            List<Map<String, Object>> messages = (List<Map<String, Object>>) PyJson.toJava(c.get("messages"));
            String got;
            boolean refused = false;
            try {
                ChatTemplate t = new ChatTemplate(c.get("template_name").getAsString(), c.get("template").getAsString(), special);
                got = t.render(messages, c.get("add_generation_prompt").getAsBoolean(), null, Map.of());
            } catch (ChatTemplateException | IllegalArgumentException e) {
                got = e.getMessage();
                refused = true;
            }
            boolean ok = c.has("error") ? refused : !refused && got.equals(c.get("text").getAsString());
            if (ok) {
                same++;
            } else {
                misses.put(name, c.has("error") ? "transformers refused: " + c.get("error").getAsString()
                        : refused ? "Ladder refused: " + got : "text differs");
            }
        }
        misses.forEach((k, v) -> System.out.println("MISS " + k + ": " + v));
        System.out.printf("chat template corpus: %d of %d renderings as transformers%n", same, lines.size());
        assertTrue(same >= 0.9 * lines.size(), same + " of " + lines.size());
    }
}
