package io.ladder.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A saved policy (a checkpoint) keeps the chat template it was prompted with. */
class PolicySaveTest {

    @Test
    void aCheckpointKeepsTheSeparateChatTemplateFile(@TempDir Path tmp) throws Exception {
        // the conformance fixture, with its template moved to chat_template.jinja as current transformers writes it
        Path src = Path.of(PolicySaveTest.class.getResource("/conformance/gqa_tied/config.json").toURI()).getParent();
        Path model = tmp.resolve("model");
        Files.createDirectories(model);
        try (Stream<Path> files = Files.list(src)) {
            for (Path f : files.toList()) {
                Files.copy(f, model.resolve(f.getFileName()));
            }
        }
        JsonObject tc = JsonParser.parseString(Files.readString(model.resolve("tokenizer_config.json"))).getAsJsonObject();
        Files.writeString(model.resolve("chat_template.jinja"), tc.remove("chat_template").getAsString());
        Files.writeString(model.resolve("tokenizer_config.json"), tc.toString());

        Path saved = tmp.resolve("checkpoint");
        try (NDManager m = Policy.newManager(); Policy p = Policy.load(model, m)) {
            assertEquals("chat", p.tokenizer().template().name());
            int[] want = p.tokenizer().encodePrompt("Solve 2x = 4.");
            p.save(saved, "float32");
            assertTrue(Files.isRegularFile(saved.resolve("chat_template.jinja")));
            try (Policy back = Policy.load(saved, m)) {
                assertEquals("chat", back.tokenizer().template().name());
                assertArrayEquals(want, back.tokenizer().encodePrompt("Solve 2x = 4."));
            }
        }
    }
}
