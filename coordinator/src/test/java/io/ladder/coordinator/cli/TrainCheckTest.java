package io.ladder.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train --check runs nothing: not even the pretraining of a built-in model that is not made yet. */
class TrainCheckTest {
    @TempDir
    Path home;

    @Test
    void checkingAJobOnAnUnmadeBuiltinModelDoesNotPretrainIt() throws Exception {
        Path recipe = home.resolve("examples/tools/pretrain.yaml");
        Files.createDirectories(recipe.getParent());
        Files.copy(Path.of("..", "examples", "tools", "pretrain.yaml"), recipe);
        Path spec = Files.writeString(home.resolve("job.yaml"), String.join("\n", "name: t", "model: {path: \"builtin:tools-base\"}",
                "task: {kind: tools, levels: [1]}", "algorithm: {name: grpo, lr: 0.0001}", "steps: 1", ""));
        String before = System.getProperty("ladder.home");
        System.setProperty("ladder.home", home.toString());
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertEquals(0, Main.run(new String[] {"train", "--config", spec.toString(), "--run-dir", home.resolve("run").toString(),
                    "--check"}, System.out, System.err));
        } finally {
            System.setOut(stdout);
            if (before == null) {
                System.clearProperty("ladder.home");
            } else {
                System.setProperty("ladder.home", before);
            }
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("model.path: builtin:tools-base is not made yet; the job would pretrain it first")
                && text.contains("the job can start (nothing was run)"), text);
        assertFalse(Files.exists(home.resolve("runs")), "nothing was pretrained");
    }
}
