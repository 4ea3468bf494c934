package io.ladder.coordinator.cli;

import ai.djl.ndarray.NDManager;
import io.ladder.learner.bench.LearnerBench;
import io.ladder.policy.Policy;
import io.ladder.policy.ProcessMemory;
import io.ladder.policy.SamplingParams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Benchmarks that print figures (recorded in BENCHMARKS.md); never part of the test suite. */
final class BenchCommands {
    private BenchCommands() {}

    /** Prompts of random non-special token ids, the same for every engine given the seed. */
    static List<int[]> randomPrompts(Policy policy, int batch, int len, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<int[]> out = new ArrayList<>();
        int vocab = policy.tokenizer().vocabSize();
        for (int r = 0; r < batch; r++) {
            int[] p = new int[len];
            for (int i = 0; i < len; i++) {
                int id;
                do {
                    id = rng.nextInt(vocab);
                } while (policy.tokenizer().isSpecial(id) || policy.tokenizer().isEos(id));
                p[i] = id;
            }
            out.add(p);
        }
        return out;
    }

    /** {@code ladder bench-generate}: sampling throughput with and without the KV cache. */
    @Command(name = "bench-generate", description = "Benchmark: generated tokens per second.")
    static final class Generate implements Callable<Integer> {
        @Option(names = "--model", paramLabel = "DIR", required = true, description = "Model folder.")
        Path model;

        @Option(names = "--batches", paramLabel = "N", split = ",", defaultValue = "1,16,64",
                description = "Batch sizes, one line each; ascending, as peak memory accumulates.")
        int[] batches;

        @Option(names = "--prompt-len", paramLabel = "N", defaultValue = "16", description = "Tokens per random prompt.")
        int promptLen;

        @Option(names = "--new-tokens", paramLabel = "N", defaultValue = "64", description = "Tokens generated per sequence (end-of-sequence ignored).")
        int newTokens;

        @Option(names = "--repeats", paramLabel = "N", defaultValue = "3", description = "Timed runs per batch; the median is reported.")
        int repeats;

        @Option(names = "--no-kv-cache-too", description = "Also time generation without the KV cache.")
        boolean noKvCacheToo;

        @Override
        public Integer call() {
            SamplingParams p = SamplingParams.defaults().withMaxNewTokens(newTokens).withIgnoreEos(true).withSeed(1);
            try (NDManager m = Policy.newManager(); Policy policy = PolicyCommands.loadPolicy(model, PolicyCommands.PromptFormatOptions.AUTO, m)) {
                for (boolean cache : noKvCacheToo ? new boolean[] {true, false} : new boolean[] {true}) {
                    for (int batch : batches) {
                        List<int[]> prompts = randomPrompts(policy, batch, promptLen, 7);
                        policy.generate(prompts, p.withMaxNewTokens(Math.min(8, newTokens)), cache); // warm-up
                        double[] secs = new double[repeats];
                        for (int i = 0; i < repeats; i++) {
                            long t0 = System.nanoTime();
                            int total = policy.generate(prompts, p, cache).stream().mapToInt(c -> c.tokenIds().length).sum();
                            secs[i] = (System.nanoTime() - t0) / 1e9;
                            if (total != batch * newTokens) {
                                throw new IllegalStateException("generated " + total + " tokens, expected " + batch * newTokens);
                            }
                        }
                        double med = LearnerBench.median(secs);
                        // peak resident memory so far: batches run in the order given, so list them ascending
                        System.out.printf("{\"engine\":\"ladder\",\"batch\":%d,\"kv_cache\":%s,\"new_tokens\":%d,\"prompt_len\":%d,\"seconds\":%.4f,\"tokens_per_s\":%.1f,\"all_seconds\":\"%s\",\"peak_rss_mb\":%.1f}%n",
                                batch, cache, newTokens, promptLen, med, batch * newTokens / med,
                                java.util.Arrays.toString(secs), ProcessMemory.peakRssMb());
                    }
                }
            }
            return 0;
        }
    }

    /** {@code ladder bench-memory}: resident memory across many generate calls. */
    @Command(name = "bench-memory", description = "Benchmark: resident memory over repeated generate calls.")
    static final class Memory implements Callable<Integer> {
        @Option(names = "--model", paramLabel = "DIR", required = true, description = "Model folder.")
        Path model;

        @Option(names = "--calls", paramLabel = "N", defaultValue = "1000", description = "Measured generate calls, after the warm-up.")
        int calls;

        // The native allocator's caches fill during the first ~150 calls (RSS rises, then
        // stays flat); growth is measured after that, over `calls` further calls.
        @Option(names = "--warmup", paramLabel = "N", defaultValue = "200", description = "Generate calls before measuring.")
        int warmup;

        @Option(names = "--batch", paramLabel = "N", defaultValue = "8", description = "Sequences per call.")
        int batch;

        @Option(names = "--new-tokens", paramLabel = "N", defaultValue = "32", description = "Tokens generated per sequence.")
        int newTokens;

        @Override
        public Integer call() throws IOException {
            SamplingParams p = SamplingParams.defaults().withMaxNewTokens(newTokens).withIgnoreEos(true);
            try (NDManager m = Policy.newManager(); Policy policy = PolicyCommands.loadPolicy(model, PolicyCommands.PromptFormatOptions.AUTO, m)) {
                for (int i = 0; i < warmup; i++) {
                    policy.generate(randomPrompts(policy, batch, 8 + i % 9, i), p.withSeed(i));
                }
                double start = ProcessMemory.rssMb();
                double peak = start;
                System.out.printf("{\"call\":0,\"rss_mb\":%.1f}%n", start);
                for (int i = 1; i <= calls; i++) {
                    // ragged prompt lengths so every call allocates differently shaped arrays
                    policy.generate(randomPrompts(policy, batch, 8 + i % 9, i), p.withSeed(i));
                    if (i % 100 == 0 || i == calls) {
                        double rss = ProcessMemory.rssMb();
                        peak = Math.max(peak, rss);
                        System.out.printf("{\"call\":%d,\"rss_mb\":%.1f}%n", i, rss);
                    }
                }
                double end = ProcessMemory.rssMb();
                System.out.printf("{\"calls\":%d,\"rss_start_mb\":%.1f,\"rss_end_mb\":%.1f,\"growth_mb\":%.1f,\"peak_mb\":%.1f}%n",
                        calls, start, end, end - start, peak);
            }
            return 0;
        }
    }
}
