package io.ladder.coordinator.eval;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.ladder.policy.Completion;
import io.ladder.policy.Policy;
import io.ladder.policy.SamplingParams;
import io.ladder.tasks.Prompts;
import io.ladder.tasks.Seeds;
import io.ladder.tasks.Verifier;
import io.ladder.tasks.env.EpisodePrefix;
import io.ladder.rollout.Episodes;
import io.ladder.tasks.data.MathProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * ExIt's K-step self-improvement evaluation (shared/papers/EXIT.md, "Evaluation"): each problem
 * is answered S times; each answer is then improved K times, every step re-prompting the model
 * with the request and its latest response (Ladder's improve format). Reports the accuracy after
 * every step, Δ_K = accuracy after K steps − accuracy of the first answers, and per step the
 * corrections (wrong → right) and regressions (right → wrong).
 */
public final class SelfImprove {
    private final Policy policy;
    private final Verifier verifier;
    private final int batchRows;

    public SelfImprove(Policy policy, Verifier verifier, int batchRows) {
        this.policy = policy;
        this.verifier = verifier;
        this.batchRows = Math.max(1, batchRows);
    }

    /**
     * What K steps did: {@code accuracy[k]} after step k (k = 0: the first answers), and for
     * k ≥ 1 the chains that went wrong → right and right → wrong at step k.
     */
    public record Result(int problems, int samples, double[] accuracy, int[] corrections, int[] regressions,
                         int[] outOfContext) {
        public Result(int problems, int samples, double[] accuracy, int[] corrections, int[] regressions) {
            this(problems, samples, accuracy, corrections, regressions, new int[accuracy.length]);
        }

        /** Chains that had no room for another attempt by step K (episodes only). */
        public int stoppedChains() {
            return java.util.Arrays.stream(outOfContext).sum();
        }

        public int steps() {
            return accuracy.length - 1;
        }

        /** Δ_K in accuracy (not points). */
        public double deltaK() {
            return accuracy[accuracy.length - 1] - accuracy[0];
        }

        public JsonObject toJson() {
            JsonObject o = new JsonObject();
            o.addProperty("problems", problems);
            o.addProperty("samples_per_problem", samples);
            o.addProperty("steps", steps());
            o.addProperty("delta_k", deltaK());
            JsonArray rows = new JsonArray();
            for (int k = 0; k < accuracy.length; k++) {
                JsonObject r = new JsonObject();
                r.addProperty("step", k);
                r.addProperty("accuracy", accuracy[k]);
                r.addProperty("corrections", corrections[k]);
                r.addProperty("regressions", regressions[k]);
                r.addProperty("out_of_context", outOfContext[k]); // chains whose step-k attempt did not fit: they keep their last
                rows.add(r);
            }
            o.add("by_step", rows);
            o.addProperty("chains_out_of_context", stoppedChains());
            return o;
        }

        /** The printed table: one row per step. */
        public String table() {
            boolean stops = stoppedChains() > 0; // episodes whose context filled up: a column of its own
            StringBuilder sb = new StringBuilder("| step | accuracy | wrong → right | right → wrong |" + (stops ? " out of context |" : "")
                    + "\n|---|---|---|---|" + (stops ? "---|" : "") + "\n");
            for (int k = 0; k < accuracy.length; k++) {
                sb.append(String.format(java.util.Locale.ROOT, "| %d | %.2f%% | %s | %s |", k, 100 * accuracy[k],
                        k == 0 ? "" : Integer.toString(corrections[k]), k == 0 ? "" : Integer.toString(regressions[k])));
                sb.append(stops ? " " + (k == 0 ? "" : Integer.toString(outOfContext[k])) + " |\n" : "\n");
            }
            sb.append(String.format(java.util.Locale.ROOT, "Δ_%d = %+.2f points%n", steps(), 100 * deltaK()));
            if (stoppedChains() > 0) {
                sb.append(String.format(java.util.Locale.ROOT, "%d of %d chains ran out of context before step %d and kept their "
                        + "last attempt%n", stoppedChains(), problems * samples, steps()));
            }
            return sb.toString();
        }
    }

    /**
     * Runs the evaluation. Chain (problem i, sample j) draws step k from its own stream,
     * Seeds.sample(Seeds.mix(seed, k), i, j), so results do not depend on the batch size.
     *
     * @param params sampling of every step (temperature, max new tokens); its seed is the run's
     */
    public Result run(List<MathProblem> problems, int samples, int steps, SamplingParams params, IntConsumer progress) {
        List<String> first = new ArrayList<>();
        List<String> answers = new ArrayList<>();
        for (MathProblem p : problems) {
            first.add(Prompts.student(p.question()));
            answers.add(p.answer());
        }
        return run(first, answers, samples, steps, params, progress);
    }

    /**
     * The same on tasks whose prompt is already the student's (a job's held-out tasks): step 0
     * answers the prompt, step k improves the answer of step k − 1 with the prompt as the request,
     * as ExIt's training instances do.
     */
    public Result runTasks(List<io.ladder.tasks.Task> tasks, int samples, int steps, SamplingParams params, IntConsumer progress) {
        List<String> first = new ArrayList<>();
        List<String> answers = new ArrayList<>();
        for (io.ladder.tasks.Task t : tasks) {
            first.add(t.prompt());
            answers.add(t.answer());
        }
        return run(first, answers, samples, steps, params, progress);
    }

    /**
     * The same on episode tasks (tool use: "K more attempts from the latest episode"): step 0 is a
     * fresh episode; step k reopens the chain's episode with the improve request and the model
     * continues it from the state the earlier attempts left. A chain is right when its latest
     * attempt leaves the episode solved. A chain whose next attempt no longer fits the model's
     * context (before it wrote a turn) keeps its last attempt from then on, counted in
     * {@link Result#outOfContext}; any other error is a failed attempt.
     */
    public Result runEpisodes(List<io.ladder.tasks.Task> tasks, int samples, int steps, SamplingParams params, IntConsumer progress) {
        if (samples < 1 || steps < 0) {
            throw new IllegalArgumentException("self-improvement needs samples >= 1 and steps >= 0");
        }
        double[] correct = new double[steps + 1];
        int[] corrections = new int[steps + 1];
        int[] regressions = new int[steps + 1];
        int[] outOfContext = new int[steps + 1];
        for (int i = 0; i < tasks.size(); i++) {
            io.ladder.tasks.Task t = tasks.get(i);
            com.google.gson.JsonObject task = com.google.gson.JsonParser.parseString(t.environmentTask()).getAsJsonObject();
            List<List<EpisodePrefix.Turn>> history = new ArrayList<>();
            boolean[] right = new boolean[samples];
            boolean[] stopped = new boolean[samples];
            for (int j = 0; j < samples; j++) {
                history.add(new ArrayList<>());
            }
            for (int k = 0; k <= steps; k++) {
                List<Integer> going = new ArrayList<>();
                List<Episodes.Start> starts = new ArrayList<>();
                for (int j = 0; j < samples; j++) {
                    if (!stopped[j]) {
                        going.add(j);
                        starts.add(k == 0 ? Episodes.Start.FRESH : new Episodes.Start(history.get(j), EpisodePrefix.Followup.IMPROVE));
                    }
                }
                long stepSeed = Seeds.mix(params.seed(), k);
                int problem = i;
                long[] rowSeeds = going.stream().mapToLong(j -> Seeds.sample(stepSeed, problem, j)).toArray();
                List<Episodes.Episode> eps = going.isEmpty() ? List.of()
                        : Episodes.run(policy, t.environment(), task, starts, params, rowSeeds);
                for (int a = 0; a < going.size(); a++) {
                    int j = going.get(a);
                    Episodes.Episode e = eps.get(a);
                    if (k > 0 && e.turns() == 0 && e.error() != null && e.error().contains("outgrew the model's context")) {
                        stopped[j] = true; // no room for another attempt: the chain keeps its last one
                        outOfContext[k]++;
                        continue;
                    }
                    boolean now = e.solved();
                    if (k > 0 && now && !right[j]) {
                        corrections[k]++;
                    } else if (k > 0 && !now && right[j]) {
                        regressions[k]++;
                    }
                    right[j] = now;
                    history.get(j).addAll(EpisodePrefix.turns(k > 0 ? EpisodePrefix.Followup.IMPROVE : EpisodePrefix.Followup.NONE,
                            e.turnTexts()));
                    if (e.error() != null) {
                        stopped[j] = true; // an attempt that failed midway cannot be reopened
                    }
                }
                for (int j = 0; j < samples; j++) {
                    correct[k] += right[j] ? 1 : 0;
                }
                if (progress != null) {
                    progress.accept(samples);
                }
            }
        }
        double[] accuracy = new double[steps + 1];
        for (int k = 0; k <= steps; k++) {
            accuracy[k] = correct[k] / Math.max(1, tasks.size() * samples);
        }
        return new Result(tasks.size(), samples, accuracy, corrections, regressions, outOfContext);
    }

    private Result run(List<String> firstPrompts, List<String> answers, int samples, int steps, SamplingParams params,
                       IntConsumer progress) {
        if (samples < 1 || steps < 0) {
            throw new IllegalArgumentException("self-improvement needs samples >= 1 and steps >= 0");
        }
        int chains = firstPrompts.size() * samples;
        String[] latest = new String[chains];
        boolean[] right = new boolean[chains];
        double[] accuracy = new double[steps + 1];
        int[] corrections = new int[steps + 1];
        int[] regressions = new int[steps + 1];
        for (int k = 0; k <= steps; k++) {
            List<int[]> prompts = new ArrayList<>(chains);
            for (int c = 0; c < chains; c++) {
                String first = firstPrompts.get(c / samples);
                // step 0 answers the question; step k improves the answer of step k - 1 (the request: the first prompt)
                prompts.add(policy.tokenizer().encodePrompt(k == 0 ? first : Prompts.improve(first.strip(), latest[c].strip())));
            }
            long stepSeed = Seeds.mix(params.seed(), k);
            int correct = 0;
            for (int start = 0; start < chains; start += batchRows) {
                int end = Math.min(chains, start + batchRows);
                long[] rowSeeds = new long[end - start];
                for (int c = start; c < end; c++) {
                    rowSeeds[c - start] = Seeds.sample(stepSeed, c / samples, c % samples);
                }
                List<Completion> out = policy.generate(prompts.subList(start, end), params, rowSeeds);
                for (int c = start; c < end; c++) {
                    latest[c] = out.get(c - start).text();
                    boolean now = verifier.reward(latest[c], answers.get(c / samples)) >= 1.0;
                    if (k > 0 && now && !right[c]) {
                        corrections[k]++;
                    } else if (k > 0 && !now && right[c]) {
                        regressions[k]++;
                    }
                    right[c] = now;
                    correct += now ? 1 : 0;
                }
                if (progress != null) {
                    progress.accept(end - start);
                }
            }
            accuracy[k] = correct / (double) Math.max(1, chains);
        }
        return new Result(firstPrompts.size(), samples, accuracy, corrections, regressions);
    }
}
