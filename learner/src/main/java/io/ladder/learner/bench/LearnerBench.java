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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Learner throughput: tokens per second of one GRPO step (forward, backward, gradient clipping,
 * AdamW) on a tiny random model, or on the checkpoint given by {@code --model}. Writes the model folder and the batch ({@code batch.json}) to
 * {@code --out} so that scripts/reference/bench_torch_grpo_step.py times the same step in plain
 * PyTorch eager on the same data; scripts/bench/learner-step.sh runs both and prints the ratio.
 *
 * <pre>
 *   LearnerBench --out DIR [--model DIR] [--layers 4] [--hidden 256] [--heads 8] [--kv-heads 4] [--intermediate 688]
 *                [--batch 16] [--group 8] [--prompt-len 32] [--completion-len 64]
 *                [--warmup 2] [--repeats 5] [--micro-batch 0] [--seed 1]
 * </pre>
 * Prints one JSON line: {@code {"engine":"ladder","tokens_per_s":...,"seconds":...,...}}, where
 * tokens are prompt + completion tokens of the batch and seconds the median step time.
 */
public final class LearnerBench {
    private LearnerBench() {}

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = parse(argv);
        Path out = Path.of(a.getOrDefault("out", Files.createTempDirectory("ladder-learner-bench").toString()));
        int layers = Integer.parseInt(a.getOrDefault("layers", "4"));
        int hidden = Integer.parseInt(a.getOrDefault("hidden", "256"));
        int heads = Integer.parseInt(a.getOrDefault("heads", "8"));
        int kvHeads = Integer.parseInt(a.getOrDefault("kv-heads", "4"));
        int inter = Integer.parseInt(a.getOrDefault("intermediate", "688"));
        int batch = Integer.parseInt(a.getOrDefault("batch", "16"));
        int group = Integer.parseInt(a.getOrDefault("group", "8"));
        int promptLen = Integer.parseInt(a.getOrDefault("prompt-len", "32"));
        int complLen = Integer.parseInt(a.getOrDefault("completion-len", "64"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "2"));
        int repeats = Integer.parseInt(a.getOrDefault("repeats", "5"));
        int micro = Integer.parseInt(a.getOrDefault("micro-batch", "0"));
        long seed = Long.parseLong(a.getOrDefault("seed", "1"));

        // The step the PyTorch script reproduces: GRPO advantages, token-level clipped ratio, token-mean
        // loss (TRL "bnpo"), no KL (so no reference forward), clip to norm 1, AdamW.
        LearnerConfig lc = LearnerConfig.grpo().lr(1e-6).weightDecay(0.0).maxGradNorm(1.0).clipEpsLow(0.2)
                .clipEpsHigh(0.28).microBatchSize(micro).reportEntropy(false).build();
        try (NDManager m = Policy.newManager()) {
            // --model: an existing folder (a real checkpoint); otherwise a random model written to --out
            Path modelDir = a.containsKey("model") ? Path.of(a.get("model")) : out;
            if (!a.containsKey("model")) {
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

    static Map<String, String> parse(String[] argv) {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
                throw new IllegalArgumentException("usage: LearnerBench --out DIR [--key value ...]; bad argument "
                        + argv[i]);
            }
            a.put(argv[i].substring(2).toLowerCase(Locale.ROOT), argv[++i]);
        }
        return a;
    }
}
