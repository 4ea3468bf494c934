package io.ladder.coordinator.cli;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import io.ladder.coordinator.console.Progress;
import io.ladder.policy.Policy;
import io.ladder.policy.SamplingParams;
import io.ladder.tasks.Seeds;
import io.ladder.tasks.env.tools.ToolTasks;
import io.ladder.tasks.env.tools.ToolWorld;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The built-in tool world outside a job: its generated tasks as a dataset, and a model's episodes on them. */
final class ToolCommands {
    private ToolCommands() {}

    /**
     * {@code ladder episodes}: what a model does in the tool world, through its own chat template
     * when it has one: success (quality 1 in the first episode) by level, and every transcript.
     */
    @Command(name = "episodes", description = "A model's tool-world episodes: success by level.")
    static final class Episodes implements Callable<Integer> {
        @Option(names = "--model", paramLabel = "DIR", required = true, description = "Model folder.")
        Path model;

        @Option(names = "--levels", paramLabel = "L", split = ",", defaultValue = "1,2,3",
                description = "Levels: the number of calls a task needs (1 to " + ToolTasks.MAX_LEVEL + ").")
        int[] levels;

        @Option(names = "--per-level", paramLabel = "N", defaultValue = "8", description = "Tasks per level.")
        int per;

        @Option(names = "--samples", paramLabel = "N", defaultValue = "4", description = "Episodes per task (batched together).")
        int samples;

        @Option(names = "--task-seed", paramLabel = "S", defaultValue = "0", description = "Task seed (as tool-tasks --seed).")
        long taskSeed;

        @Option(names = "--attempts", paramLabel = "K", defaultValue = "0",
                description = "Then ExIt's K-step evaluation: per task, --samples chains of a first episode and K more "
                        + "attempts, each reopening the latest episode with the improve request (0 to 100).")
        int attempts;

        @Mixin
        TaskCommands.SamplingOptions sampling;

        @Mixin
        PolicyCommands.PromptFormatOptions format;

        @Option(names = "--out", paramLabel = "FILE.jsonl", description = "One line per episode. Default: runs/episodes/MODEL.jsonl.")
        Path outFile;

        @Override
        public Integer call() throws IOException {
            TaskCommands.checkLevels(levels, per, ToolTasks.MAX_LEVEL);
            if (samples < 1) {
                throw new UsageException("--samples: must be at least 1, got " + samples);
            }
            if (attempts < 0 || attempts > 100) {
                throw new UsageException("--attempts: must be between 0 and 100, got " + attempts);
            }
            SamplingParams params = sampling.params(); // --max-new-tokens is one turn's budget
            Path out = OutputPaths.file("out", outFile != null ? outFile
                    : BuiltinModels.home().resolve("runs").resolve("episodes").resolve(model.getFileName() + ".jsonl"));
            if (out.getParent() != null) {
                Files.createDirectories(out.getParent());
            }
            System.out.println("| level | tasks | episodes | success | mean turns | ended by an error |");
            System.out.println("|---|---|---|---|---|---|");
            try (NDManager m = Policy.newManager(); Policy policy = PolicyCommands.loadPolicy(model, format, m);
                 BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                firstEpisodes(policy, params, w);
                if (attempts > 0) {
                    kMoreAttempts(policy, params);
                }
            }
            System.out.println("wrote " + out);
            return 0;
        }

        /** Per level: success, turns and errors of the first episodes; every transcript to {@code w}. */
        private void firstEpisodes(Policy policy, SamplingParams params, BufferedWriter w) throws IOException {
            try (Progress bar = Progress.start("episodes", (long) levels.length * per * samples, "episodes", System.err)) {
                for (int level : levels) {
                    int solved = 0;
                    int errors = 0;
                    long turns = 0;
                    for (int i = 0; i < per; i++) {
                        JsonObject task = ToolTasks.generate(taskSeed, level, i);
                        List<io.ladder.rollout.Episodes.Episode> eps = io.ladder.rollout.Episodes.run(policy, ToolWorld.NAME, task,
                                params, Seeds.rows(Seeds.mix(Seeds.mix(params.seed(), level), i), samples));
                        for (int j = 0; j < eps.size(); j++) {
                            io.ladder.rollout.Episodes.Episode e = eps.get(j);
                            solved += e.solved() ? 1 : 0;
                            errors += e.error() != null ? 1 : 0;
                            turns += e.turns();
                            JsonObject line = new JsonObject();
                            line.addProperty("task", task.get("id").getAsString());
                            line.addProperty("level", level);
                            line.addProperty("sample", j);
                            line.addProperty("request", task.get("request").getAsString());
                            line.addProperty("quality", e.quality());
                            line.addProperty("turns", e.turns());
                            line.addProperty("error", e.error());
                            line.addProperty("transcript", e.transcript());
                            line.add("ground_truth", task.get("calls"));
                            w.write(line.toString());
                            w.newLine();
                        }
                        bar.advance(samples);
                    }
                    int n = per * samples;
                    System.out.printf(java.util.Locale.ROOT, "| %d | %d | %d | %.1f%% | %.2f | %d |%n", level, per, n, 100.0 * solved / n,
                            turns / (double) n, errors);
                }
            }
        }

        /** Per level, ExIt's K-step evaluation; its chains draw their own streams, so step 0 is a new first episode. */
        private void kMoreAttempts(Policy policy, SamplingParams params) {
            try (Progress bar = Progress.start("attempts", (long) levels.length * per * samples * (attempts + 1), "episodes", System.err)) {
                for (int level : levels) {
                    List<io.ladder.tasks.Task> tasks = new java.util.ArrayList<>();
                    for (int i = 0; i < per; i++) {
                        tasks.add(ToolTasks.asTask(ToolTasks.generate(taskSeed, level, i)));
                    }
                    io.ladder.coordinator.eval.SelfImprove.Result r = new io.ladder.coordinator.eval.SelfImprove(policy, null, 1)
                            .runEpisodes(tasks, samples, attempts, params.withSeed(Seeds.mix(params.seed(), level)), bar::advance);
                    System.out.printf("level %d: a first episode and %d more attempts, %d chains%n", level, attempts, per * samples);
                    System.out.print(r.table());
                }
            }
        }
    }

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
            TaskCommands.checkLevels(levels, per, ToolTasks.MAX_LEVEL);
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
