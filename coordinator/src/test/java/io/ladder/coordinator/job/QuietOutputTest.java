package io.ladder.coordinator.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job's terminal shows Ladder's own lines only: libtorch's native deprecation warning (written
 * straight to file descriptor 2) lands in the run folder's ladder.log; with --verbose it is on
 * the terminal as well.
 */
class QuietOutputTest {
    @TempDir
    Path tmp;

    @Test
    void nativeAndLibraryLinesGoToTheRunFolderUnlessVerbose() throws Exception {
        Path model = tmp.resolve("model");
        JobProcess.tinyModel(model, "--seed", "1");
        Path config = tmp.resolve("job.yaml");
        Files.writeString(config, String.join("\n", "name: quiet", "model: {path: " + model + "}",
                "task: {kind: fixed_digit, digit: 7}", "algorithm: {name: grpo, lr: 0.01}",
                "rollout: {group_size: 4, prompts_per_step: 2, prompts_per_call: 2, max_new_tokens: 2}",
                "steps: 1", "eval: {problems: 0}", ""));
        Path quiet = tmp.resolve("quiet");
        JobProcess.run(tmp.resolve("quiet.out"), 300, "train", "--config", config.toString(), "--run-dir", quiet.toString());
        String terminal = Files.readString(tmp.resolve("quiet.out"));
        String log = Files.readString(quiet.resolve("ladder.log"));
        assertTrue(terminal.contains("step 1/1"), terminal);
        assertTrue(log.contains("Warning:"), "libtorch's warning in ladder.log:\n" + log);
        assertFalse(terminal.contains("Warning:"), "a native warning reached the terminal:\n" + terminal);

        Path verbose = tmp.resolve("verbose");
        JobProcess.run(tmp.resolve("verbose.out"), 300, "train", "--config", config.toString(), "--run-dir",
                verbose.toString(), "--verbose");
        assertTrue(Files.readString(tmp.resolve("verbose.out")).contains("Warning:"), "--verbose shows it");
    }
}
