package io.ladder.coordinator.cli;

import com.google.gson.JsonObject;
import io.ladder.tasks.env.tools.ToolTasks;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The built-in tool world outside a job: its generated tasks as a dataset. */
final class ToolCommands {
    private ToolCommands() {}

    /** {@code ladder tool-tasks}: generated tool-world tasks (request, start state, ground-truth calls) as JSONL. */
    @Command(name = "tool-tasks", description = "Write generated tool-world tasks as a JSONL dataset.")
    static final class Tasks implements Callable<Integer> {
        @Option(names = "--levels", paramLabel = "L", split = ",", defaultValue = "1,2,3",
                description = "Levels: the number of calls a task needs (1 to " + ToolTasks.MAX_LEVEL + ").")
        int[] levels;

        @Option(names = "--per-level", paramLabel = "N", defaultValue = "100", description = "Tasks per level.")
        int per;

        @Option(names = "--out", paramLabel = "FILE", required = true, description = "JSONL file to write.")
        Path outFile;

        @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Task seed.")
        long seed;

        @Override
        public Integer call() throws IOException {
            if (per < 1) {
                throw new UsageException("--per-level must be at least 1, got " + per);
            }
            for (int level : levels) {
                if (level < 1 || level > ToolTasks.MAX_LEVEL) {
                    throw new UsageException("--levels: " + level + " is not a level (1.." + ToolTasks.MAX_LEVEL + ")");
                }
            }
            Path out = OutputPaths.file("out", outFile);
            if (out.getParent() != null) {
                Files.createDirectories(out.getParent());
            }
            try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                for (int level : levels) {
                    for (int i = 0; i < per; i++) {
                        JsonObject task = ToolTasks.generate(seed, level, i);
                        w.write(task.toString());
                        w.newLine();
                    }
                }
            }
            System.out.printf("wrote %d tool-world tasks (levels %s) to %s%n", levels.length * per, java.util.Arrays.toString(levels), out);
            return 0;
        }
    }
}
