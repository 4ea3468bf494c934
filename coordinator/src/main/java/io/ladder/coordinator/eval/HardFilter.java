package io.ladder.coordinator.eval;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.ladder.policy.Policy;
import io.ladder.policy.SamplingParams;
import io.ladder.tasks.Verifier;
import io.ladder.tasks.data.MathProblem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * SOAR's hard sets: the problems a model never solves in N samples (fail@N; the paper's N = 128
 * at temperature 1), shuffled and split 50/50 into hard-train and hard-test. Used by
 * {@code ladder filter-hard} and by a SOAR job that computes its hard sets at the start.
 */
public final class HardFilter {
    /** The split, and what was measured. */
    public record Result(List<MathProblem> hardTrain, List<MathProblem> hardTest, JsonObject report) {
        /** Writes hard-train.jsonl, hard-test.jsonl and filter-report.json into {@code dir}. */
        public void write(Path dir) throws IOException {
            Files.createDirectories(dir);
            writeProblems(dir.resolve("hard-train.jsonl"), hardTrain);
            writeProblems(dir.resolve("hard-test.jsonl"), hardTest);
            Files.writeString(dir.resolve("filter-report.json"),
                    new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(report) + "\n");
        }
    }

    private HardFilter() {}

    /**
     * Samples each problem up to {@code samples} times (a problem leaves at its first correct
     * answer) and keeps those with none correct.
     *
     * @param seed shuffles the kept problems before the split
     */
    public static Result run(Policy policy, Verifier verifier, List<MathProblem> problems, int samples, SamplingParams params,
                             long seed, int batchRows, IntConsumer progress) {
        Evaluator ev = new Evaluator(policy, verifier, batchRows);
        // rounds of 32: a problem leaves the pool at its first correct answer
        Evaluator.Counts counts = ev.run(problems, samples, Math.min(32, samples), params, true, progress);
        List<MathProblem> hard = new ArrayList<>();
        for (int i = 0; i < problems.size(); i++) {
            if (counts.correct()[i] == 0) {
                hard.add(problems.get(i));
            }
        }
        Collections.shuffle(hard, new Random(seed));
        int half = hard.size() / 2;
        JsonObject report = new JsonObject();
        report.addProperty("samples", samples);
        report.addProperty("temperature", params.temperature());
        report.addProperty("max_new_tokens", params.maxNewTokens());
        report.addProperty("problems", problems.size());
        report.addProperty("hard", hard.size());
        report.addProperty("hard_train", half);
        report.addProperty("hard_test", hard.size() - half);
        report.addProperty("seed", seed);
        return new Result(List.copyOf(hard.subList(0, half)), List.copyOf(hard.subList(half, hard.size())), report);
    }

    /** Problems as JSONL with the fields MathDataset reads back (id, problem, answer). */
    public static void writeProblems(Path file, List<MathProblem> problems) throws IOException {
        Gson gson = new GsonBuilder().disableHtmlEscaping().create();
        StringBuilder sb = new StringBuilder();
        for (MathProblem p : problems) {
            JsonObject o = new JsonObject();
            o.addProperty("id", p.id());
            o.addProperty("problem", p.question());
            o.addProperty("answer", p.answer());
            sb.append(gson.toJson(o)).append('\n');
        }
        Files.writeString(file, sb.toString());
    }
}
