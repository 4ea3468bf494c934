package io.ladder.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.ladder.policy.Policy;
import io.ladder.policy.RandomLlama;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --few-shot: the CLI's counterpart of a job's model.few_shot, every line checked. */
class FewShotOptionTest {
    @TempDir
    Path tmp;

    /** A random model with SmolLM2's chat template (the conformance fixture's byte-level tokenizer). */
    Path chatModel() throws Exception {
        Path dir = tmp.resolve("smol");
        new RandomLlama().layers(1).hidden(32).intermediate(64).heads(2).kvHeads(1).seed(5).write(dir);
        Path fixture = Path.of("..", "policy", "src", "test", "resources", "chat-templates", "smollm2");
        for (String f : new String[] {"tokenizer.json", "tokenizer_config.json", "chat_template.jinja"}) {
            Files.copy(fixture.resolve(f), dir.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return dir;
    }

    static PolicyCommands.PromptFormatOptions options(String template, Path fewShot) {
        PolicyCommands.PromptFormatOptions o = new PolicyCommands.PromptFormatOptions();
        o.template = template;
        o.fewShot = fewShot;
        return o;
    }

    @Test
    void theExamplesComeBeforeThePromptAsEarlierTurns() throws Exception {
        Path shots = Files.writeString(tmp.resolve("shots.jsonl"),
                "{\"user\": \"2+3\", \"assistant\": \"\\\\boxed{5}\"}\n\n{\"user\": \"4+4\", \"assistant\": \"\\\\boxed{8}\"}\n");
        try (NDManager m = Policy.newManager(); Policy policy = Policy.load(chatModel(), m)) {
            String text = policy.tokenizer().decode(options("chat", shots).render(policy, "1+1"), false);
            assertTrue(text.contains("<|im_start|>user\n2+3<|im_end|>\n<|im_start|>assistant\n\\boxed{5}<|im_end|>\n"
                    + "<|im_start|>user\n4+4<|im_end|>\n<|im_start|>assistant\n\\boxed{8}<|im_end|>\n"
                    + "<|im_start|>user\n1+1<|im_end|>\n<|im_start|>assistant\n"), text);
        }
    }

    @Test
    void aBadFileIsOneLineNamingTheFileAndLine() throws Exception {
        Path missing = tmp.resolve("none.jsonl");
        assertEquals("--few-shot: " + missing + " does not exist", refusal(missing));
        Path notJson = Files.writeString(tmp.resolve("a.jsonl"), "{\"user\": \"q\", \"assistant\": \"a\"}\nuser: q\n");
        assertEquals("--few-shot: " + notJson + ":2: not a JSON object", refusal(notJson));
        Path noAnswer = Files.writeString(tmp.resolve("b.jsonl"), "{\"user\": \"q\"}\n");
        assertEquals("--few-shot: " + noAnswer + ":1: needs non-empty \"user\" and \"assistant\" strings", refusal(noAnswer));
        Path empty = Files.writeString(tmp.resolve("c.jsonl"), "\n");
        assertEquals("--few-shot: " + empty + " holds no examples", refusal(empty));
        Path good = Files.writeString(tmp.resolve("d.jsonl"), "{\"user\": \"q\", \"assistant\": \"a\"}\n");
        try (NDManager m = Policy.newManager(); Policy policy = Policy.load(chatModel(), m)) {
            UsageException e = assertThrows(UsageException.class, () -> options("completion", good).applyTo(policy));
            assertTrue(e.getMessage().startsWith("--few-shot: few-shot examples need the chat format"), e.getMessage());
        }
    }

    static String refusal(Path file) {
        return assertThrows(UsageException.class, () -> PolicyCommands.PromptFormatOptions.examples(file)).getMessage();
    }
}
