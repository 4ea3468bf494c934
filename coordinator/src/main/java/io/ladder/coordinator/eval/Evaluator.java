package io.ladder.coordinator.eval;

import io.ladder.policy.Completion;
import io.ladder.policy.Policy;
import io.ladder.policy.SamplingParams;
import io.ladder.tasks.Prompts;
import io.ladder.tasks.Seeds;
import io.ladder.tasks.Verifier;
import io.ladder.tasks.data.MathProblem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * Samples student answers for a set of problems and counts the correct ones, batching rows of
 * many problems together (sorted by prompt length so little padding is computed).
 */
public final class Evaluator {
    private final Policy policy;
    private final Verifier verifier;
    private final int batchRows;
    private final Function<MathProblem, String> promptText;

    /** Problems rendered with the student prompt (answer in a box). */
    public Evaluator(Policy policy, Verifier verifier, int batchRows) {
        this(policy, verifier, batchRows, p -> Prompts.student(p.question()));
    }

    public Evaluator(Policy policy, Verifier verifier, int batchRows, Function<MathProblem, String> promptText) {
        this.policy = policy;
        this.verifier = verifier;
        this.batchRows = Math.max(1, batchRows);
        this.promptText = promptText;
    }

    /** Correct counts per problem, sample counts per problem. */
    public record Counts(int[] samples, int[] correct) {}

    /**
     * Draws up to {@code samples} completions of each problem, in rounds of {@code round}
     * samples; with {@code stopAtFirstCorrect} a problem stops being sampled once one answer is
     * right (enough for fail@k filtering, where only "zero correct" matters).
     */
    public Counts run(List<MathProblem> problems, int samples, int round, SamplingParams params,
                      boolean stopAtFirstCorrect, IntConsumer progress) {
        int p = problems.size();
        int[] n = new int[p];
        int[] c = new int[p];
        int[][] prompts = new int[p][];
        int context = policy.model().maxPositions();
        for (int i = 0; i < p; i++) {
            String text = promptText.apply(problems.get(i));
            // a token spans at most a few hundred characters: a text this long cannot fit, and is not worth tokenizing
            if (text.length() > 256L * context) {
                throw new io.ladder.proto.UserError("problem " + problems.get(i).id() + ": " + text.length()
                        + " characters cannot fit the model's context of " + context + " tokens");
            }
            prompts[i] = policy.tokenizer().encodePrompt(text);
            if (prompts[i].length >= context) {
                throw new io.ladder.proto.UserError("problem " + problems.get(i).id() + ": its prompt has " + prompts[i].length
                        + " tokens, the model's context is " + context + " (max_position_embeddings)");
            }
        }
        long seed = params.seed();
        for (int done = 0; done < samples; done += round) {
            int r = Math.min(round, samples - done);
            List<int[]> rows = new ArrayList<>(); // (problem index, sample index)
            for (int i = 0; i < p; i++) {
                if (stopAtFirstCorrect && c[i] > 0) {
                    continue;
                }
                for (int j = 0; j < r; j++) {
                    rows.add(new int[] {i, done + j});
                }
            }
            rows.sort((a, b) -> Integer.compare(prompts[a[0]].length, prompts[b[0]].length));
            for (int start = 0; start < rows.size(); start += batchRows) {
                List<int[]> chunk = rows.subList(start, Math.min(rows.size(), start + batchRows));
                List<int[]> batch = new ArrayList<>(chunk.size());
                long[] rowSeeds = new long[chunk.size()];
                for (int k = 0; k < chunk.size(); k++) {
                    batch.add(prompts[chunk.get(k)[0]]);
                    // a sample's stream is keyed by (problem, sample index), not by where it is batched
                    rowSeeds[k] = Seeds.sample(seed, chunk.get(k)[0], chunk.get(k)[1]);
                }
                List<Completion> out = policy.generate(batch, params, rowSeeds);
                for (int k = 0; k < chunk.size(); k++) {
                    int i = chunk.get(k)[0];
                    n[i]++;
                    if (verifier.reward(out.get(k).text(), problems.get(i).answer()) >= 1.0) {
                        c[i]++;
                    }
                }
                if (progress != null) {
                    progress.accept(chunk.size());
                }
            }
        }
        return new Counts(n, c);
    }

    /** Greedy accuracy (one sample per problem, temperature 0). */
    public double greedyAccuracy(List<MathProblem> problems, int maxNewTokens) {
        Counts k = run(problems, 1, 1, SamplingParams.greedy(maxNewTokens), false, null);
        return Arrays.stream(k.correct()).sum() / (double) Math.max(1, problems.size());
    }
}
