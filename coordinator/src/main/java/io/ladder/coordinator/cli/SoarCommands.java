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
import java.util.Set;

/** SOAR's question sets outside a training job: a teacher's questions (Base-T, Grounded-T) and their diversity. */
final class SoarCommands {
    private SoarCommands() {}

    /** {@code ladder soar-questions}: N well-formed (question, answer) pairs from a teacher, as a dataset. */
    static final class Questions implements Main.Command {
        @Override
        public String summary() {
            return "a teacher's question set (Base-T / Grounded-T): --teacher DIR --count 128 --out FILE.jsonl [--seed 0] "
                    + "[--temperature 1.0] [--max-new-tokens 512] [--attempts 8*count] [--verifier math|exact-integer] [--batch 256]";
        }

        @Override
        public int run(List<String> argv) throws IOException {
            Args a = Args.parse("soar-questions", argv, Set.of("teacher", "count", "out", "seed", "temperature", "max-new-tokens",
                    "attempts", "verifier", "batch"), Set.of());
            int count = a.integer("count", 128);
            if (count < 1) {
                throw new UsageException("--count: must be at least 1, got " + count);
            }
            int budget = a.integer("attempts", 8 * count);
            int batch = Math.max(1, a.integer("batch", 256));
            long seed = a.longValue("seed", 0);
            Verifier verifier;
            try {
                verifier = Verifier.named(a.string("verifier", "math"));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--verifier: " + e.getMessage());
            }
            SamplingParams params = SamplingParams.defaults().withTemperature(a.number("temperature", 1.0))
                    .withMaxNewTokens(a.integer("max-new-tokens", 512));
            Path out = Args.outputFile("out", a.path("out"));
            List<MathProblem> kept = new ArrayList<>();
            int attempts = 0;
            try (NDManager m = Policy.newManager(); Policy teacher = Policy.load(a.path("teacher"), m)) {
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
            report.addProperty("teacher", a.required("teacher"));
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
    static final class Diversity implements Main.Command {
        @Override
        public String summary() {
            return "distinct questions and Vendi score: --datasets FILE[,FILE...] [--json]";
        }

        @Override
        public int run(List<String> argv) throws IOException {
            Args a = Args.parse("question-diversity", argv, Set.of("datasets"), Set.of("json"));
            for (String f : a.required("datasets").split(",")) {
                List<MathProblem> ps = TaskCommands.loadDataset(Path.of(f));
                QuestionDiversity.Result d = QuestionDiversity.of(ps.stream().map(MathProblem::question).toList());
                if (a.flag("json")) {
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
