package io.ladder.coordinator.cli;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import io.ladder.coordinator.eval.HardFilter;
import io.ladder.coordinator.eval.QuestionDiversity;
import io.ladder.policy.Completion;
import io.ladder.policy.Policy;
import io.ladder.policy.SamplingParams;
import io.ladder.tasks.Prompts;
import io.ladder.tasks.Seeds;
import io.ladder.tasks.TeacherOutput;
import io.ladder.tasks.Verifier;
import io.ladder.tasks.data.MathProblem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** SOAR's question sets outside a training job: a teacher's questions (Base-T, Grounded-T) and their diversity. */
final class SoarCommands {
    private SoarCommands() {}

    /** {@code ladder soar-questions}: N well-formed (question, answer) pairs from a teacher, as a dataset. */
    @Command(name = "soar-questions", description = "A teacher's question set (Base-T, Grounded-T) as JSONL.")
    static final class Questions implements Callable<Integer> {
        @Option(names = "--teacher", paramLabel = "DIR", required = true, description = "The teacher's model folder.")
        Path teacherDir;

        @Option(names = "--count", paramLabel = "N", defaultValue = "128", description = "Well-formed (question, answer) pairs to keep.")
        int count;

        @Option(names = "--out", paramLabel = "FILE.jsonl", required = true, description = "Dataset to write (and FILE.jsonl.report.json).")
        Path outFile;

        @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Sampling seed.")
        long seed;

        @Option(names = "--temperature", paramLabel = "T", defaultValue = "1.0", description = "Sampling temperature.")
        double temperature;

        @Option(names = "--max-new-tokens", paramLabel = "M", defaultValue = "512", description = "Tokens per teacher sample at most.")
        int maxNewTokens;

        @Option(names = "--attempts", paramLabel = "N", description = "Teacher samples at most. Default: 8 x --count.")
        Integer attemptsFlag;

        @Option(names = "--verifier", paramLabel = "math|exact-integer", defaultValue = "math", description = "The answers must parse for this checker.")
        String verifierName;

        @Option(names = "--batch", paramLabel = "N", defaultValue = "256", description = "Samples drawn at once.")
        int batchFlag;

        @Override
        public Integer call() throws IOException {
            if (count < 1) {
                throw new UsageException("--count: must be at least 1, got " + count);
            }
            int budget = attemptsFlag != null ? attemptsFlag : 8 * count;
            int batch = Math.max(1, batchFlag);
            Verifier verifier;
            try {
                verifier = Verifier.named(verifierName);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--verifier: " + e.getMessage());
            }
            SamplingParams params = TaskCommands.SamplingOptions.checked(
                    () -> SamplingParams.defaults().withTemperature(temperature).withMaxNewTokens(maxNewTokens));
            Path out = OutputPaths.file("out", outFile);
            List<MathProblem> kept = new ArrayList<>();
            int attempts = 0;
            try (NDManager m = Policy.newManager(); Policy teacher = Policy.load(teacherDir, m)) {
                int[] prompt = teacher.tokenizer().encodePrompt(Prompts.TEACHER);
                while (kept.size() < count && attempts < budget) {
                    int rows = Math.min(batch, budget - attempts);
                    List<int[]> prompts = new ArrayList<>();
                    long[] seeds = new long[rows];
                    for (int i = 0; i < rows; i++) {
                        prompts.add(prompt);
                        seeds[i] = Seeds.sample(seed, 0, attempts + i); // sample i of the run, however it is batched
                    }
                    List<Completion> cs = teacher.generate(prompts, params, seeds);
                    for (Completion c : cs) {
                        if (kept.size() == count) {
                            break; // samples past the last pair needed are not attempts
                        }
                        attempts++;
                        TeacherOutput.Parsed p = TeacherOutput.parse(c.text());
                        if (kept.size() < count && p.ok() && verifier.parsesAnswer(p.answer())) {
                            kept.add(new MathProblem("teacher-" + seed + "-" + kept.size(), p.question(), p.answer()));
                        }
                    }
                }
            }
            if (kept.size() < count) {
                throw new io.ladder.proto.UserError(String.format("the teacher wrote %d well-formed pairs of %d in %d samples "
                        + "(--attempts); nothing written", kept.size(), count, attempts));
            }
            HardFilter.writeProblems(out, kept);
            QuestionDiversity.Result d = QuestionDiversity.of(kept.stream().map(MathProblem::question).toList());
            JsonObject report = new JsonObject();
            report.addProperty("teacher", teacherDir.toString());
            report.addProperty("questions", d.questions());
            report.addProperty("distinct", d.distinct());
            report.addProperty("vendi", d.vendi());
            report.addProperty("attempts", attempts);
            report.addProperty("well_formed", (double) count / attempts);
            report.addProperty("seed", seed);
            TaskCommands.writeJson(Path.of(out + ".report.json"), report);
            System.out.printf(Locale.ROOT, "%d questions (%d distinct, Vendi %.2f) from %d samples (%.0f%% well-formed) -> %s%n",
                    d.questions(), d.distinct(), d.vendi(), attempts, 100.0 * count / attempts, out);
            return 0;
        }
    }

    /** {@code ladder question-diversity}: distinct questions and the Vendi score of datasets. */
    @Command(name = "question-diversity", description = "Distinct questions and the Vendi score of datasets.")
    static final class Diversity implements Callable<Integer> {
        @Option(names = "--datasets", paramLabel = "FILE[,FILE...]", required = true, description = "JSONL datasets, comma-separated.")
        String datasets;

        @Option(names = "--json", description = "One JSON object per dataset.")
        boolean json;

        @Override
        public Integer call() throws IOException {
            for (String f : datasets.split(",")) {
                List<MathProblem> ps = TaskCommands.loadDataset(Path.of(f));
                QuestionDiversity.Result d = QuestionDiversity.of(ps.stream().map(MathProblem::question).toList());
                if (json) {
                    System.out.printf(Locale.ROOT, "{\"dataset\":\"%s\",\"questions\":%d,\"distinct\":%d,\"vendi\":%.4f}%n",
                            f.replace("\\", "\\\\").replace("\"", "\\\""), d.questions(), d.distinct(), d.vendi());
                } else {
                    System.out.printf(Locale.ROOT, "%s: %d questions, %d distinct, Vendi %.2f%n", f, d.questions(), d.distinct(), d.vendi());
                }
            }
            return 0;
        }
    }
}
