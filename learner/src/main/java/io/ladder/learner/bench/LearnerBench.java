package io.ladder.learner.bench;

import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.ladder.learner.Learner;
import io.ladder.learner.LearnerConfig;
import io.ladder.learner.Rollout;
import io.ladder.learner.StepReport;
import io.ladder.policy.LlamaConfig;
import io.ladder.policy.Policy;
import io.ladder.policy.ProcessMemory;
import io.ladder.policy.RandomLlama;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * Learner throughput: tokens per second of one GRPO step (forward, backward, gradient clipping,
 * AdamW) on a tiny random model, or on the checkpoint given by {@code --model}. Writes the model folder and the batch ({@code batch.json}) to
 * {@code --out} so that scripts/reference/bench_torch_grpo_step.py times the same step in plain
 * PyTorch eager on the same data; scripts/bench/learner-step.sh runs both and prints the ratio.
 *
 * <pre>
 *   LearnerBench [--out DIR] [--model DIR] [--layers 4] [--hidden 256] [--heads 8] [--kv-heads 4] [--intermediate 688]
 *                [--batch 16] [--group 8] [--prompt-len 32] [--completion-len 64]
 *                [--warmup 2] [--repeats 5] [--micro-batch 0] [--seed 1]
 * </pre>
 * Prints one JSON line: {@code {"engine":"ladder","tokens_per_s":...,"seconds":...,...}}, where
 * tokens are prompt + completion tokens of the batch and seconds the median step time. Also
 * {@code bin/ladder bench-learner}.
 */
@Command(name = "bench-learner", description = "Benchmark: tokens/s of one GRPO learner step (JSON).",
        showDefaultValues = true, sortOptions = false, sortSynopsis = false)
public final class LearnerBench implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR", description = "Folder for the model and batch.json. Default: a new temporary folder.")
    Path outDir;

    @Option(names = "--model", paramLabel = "DIR", description = "An existing model folder. Default: a random model written to --out.")
    Path model;

    @Option(names = "--layers", paramLabel = "N", defaultValue = "4", description = "Layers of the random model.")
    int layers;

    @Option(names = "--hidden", paramLabel = "D", defaultValue = "256", description = "Hidden size of the random model.")
    int hidden;

    @Option(names = "--heads", paramLabel = "H", defaultValue = "8", description = "Attention heads of the random model.")
    int heads;

    @Option(names = "--kv-heads", paramLabel = "H", defaultValue = "4", description = "Key/value heads of the random model.")
    int kvHeads;

    @Option(names = "--intermediate", paramLabel = "N", defaultValue = "688", description = "MLP width of the random model.")
    int inter;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "16", description = "Rows (prompt + completion) per step.")
    int batch;

    @Option(names = "--group", paramLabel = "N", defaultValue = "8", description = "Rows per prompt (a GRPO group).")
    int group;

    @Option(names = "--prompt-len", paramLabel = "N", defaultValue = "32", description = "Tokens per prompt.")
    int promptLen;

    @Option(names = "--completion-len", paramLabel = "N", defaultValue = "64", description = "Tokens per completion.")
    int complLen;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "2", description = "Untimed steps first.")
    int warmup;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "5", description = "Timed steps; the median is reported.")
    int repeats;

    @Option(names = "--micro-batch", paramLabel = "N", defaultValue = "0", description = "Rows per forward/backward pass; 0: the whole batch.")
    int micro;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of the random model and batch.")
    long seed;

    public static void main(String[] argv) {
        CommandLine cl = new CommandLine(new LearnerBench());
        // under bin/ladder the command inherits --help; run alone it needs its own
        cl.getCommandSpec().addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help and exit.").build());
        System.exit(cl.execute(argv));
    }

    @Override
    public Integer call() throws Exception {
        Path out = outDir != null ? outDir : Files.createTempDirectory("ladder-learner-bench");
        // The step the PyTorch script reproduces: GRPO advantages, token-level clipped ratio, token-mean
        // loss (TRL "bnpo"), no KL (so no reference forward), clip to norm 1, AdamW.
        LearnerConfig lc = LearnerConfig.grpo().lr(1e-6).weightDecay(0.0).maxGradNorm(1.0).clipEpsLow(0.2)
                .clipEpsHigh(0.28).microBatchSize(micro).reportEntropy(false).build();
        try (NDManager m = Policy.newManager()) {
            // --model: an existing folder (a real checkpoint); otherwise a random model written to --out
            Path modelDir = model != null ? model : out;
            if (model == null) {
                new RandomLlama().layers(layers).hidden(hidden).intermediate(inter).heads(heads).kvHeads(kvHeads)
                        .maxPositions(Math.max(128, promptLen + complLen)).tied(false).seed(seed).std(0.02).write(out);
            }
            Files.createDirectories(out);
            try (Policy policy = Policy.load(modelDir, m); Learner learner = new Learner(policy, lc)) {
                LlamaConfig cfg = policy.model().config;
                List<Rollout> rows = batch(policy, batch, group, promptLen, complLen, seed);
                writeBatch(out.resolve("batch.json"), rows, group);
                double[] secs = new double[repeats];
                for (int i = 0; i < warmup + repeats; i++) {
                    long t0 = System.nanoTime();
                    StepReport r = learner.step(rows);
                    double s = (System.nanoTime() - t0) / 1e9;
                    if (r.skipped()) {
                        throw new IllegalStateException("benchmark step skipped: " + r.skipReason());
                    }
                    if (i >= warmup) {
                        secs[i - warmup] = s;
                    }
                }
                long tokens = (long) batch * (promptLen + complLen);
                double med = median(secs);
                JsonObject o = new JsonObject();
                o.addProperty("engine", "ladder");
                o.addProperty("tokens_per_s", Math.round(tokens / med * 10) / 10.0);
                o.addProperty("seconds", med);
                o.addProperty("tokens_per_step", tokens);
                o.addProperty("batch", batch);
                o.addProperty("prompt_len", promptLen);
                o.addProperty("completion_len", complLen);
                o.addProperty("model", modelDir.toString());
                o.addProperty("layers", cfg.numLayers);
                o.addProperty("hidden", cfg.hiddenSize);
                o.addProperty("parameters", cfg.parameterCount());
                o.addProperty("micro_batch", micro);
                o.addProperty("repeats", repeats);
                o.addProperty("threads", ai.djl.pytorch.jni.JniUtils.getNumThreads());
                o.addProperty("all_seconds", Arrays.toString(secs));
                o.addProperty("peak_rss_mb", ProcessMemory.peakRssMb());
                System.out.println(new Gson().toJson(o));
            }
        }
        return 0;
    }

    /** Random prompts/completions (byte tokens), sampling log-probs = the model's own, 0/1 rewards. */
    static List<Rollout> batch(Policy policy, int n, int group, int promptLen, int complLen, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<int[]> prompts = new ArrayList<>();
        List<int[]> comps = new ArrayList<>();
        int[] prompt = null;
        for (int i = 0; i < n; i++) {
            if (i % group == 0) {
                prompt = rng.ints(promptLen, 0, 256).toArray();
            }
            prompts.add(prompt);
            comps.add(rng.ints(complLen, 0, 256).toArray());
        }
        List<float[]> lp = policy.scoreValues(prompts, comps, 1.0);
        List<Rollout> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(new Rollout(prompts.get(i), comps.get(i), lp.get(i), i % 3 == 0 ? 1.0 : 0.0, i / group));
        }
        return rows;
    }

    static void writeBatch(Path file, List<Rollout> rows, int group) throws java.io.IOException {
        JsonObject o = new JsonObject();
        o.addProperty("group_size", group);
        JsonArray arr = new JsonArray();
        Gson gson = new Gson();
        for (Rollout r : rows) {
            JsonObject j = new JsonObject();
            j.add("prompt_ids", gson.toJsonTree(r.promptIds()));
            j.add("completion_ids", gson.toJsonTree(r.completionIds()));
            j.add("sampling_logprobs", gson.toJsonTree(r.samplingLogprobs()));
            j.addProperty("reward", r.reward());
            j.addProperty("group", r.group());
            arr.add(j);
        }
        o.add("rows", arr);
        Files.writeString(file, gson.toJson(o));
    }

    /** Median of the timings (the benchmarks' summary statistic on this noisy shared machine). */
    public static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
