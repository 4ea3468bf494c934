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
import java.util.Set;
import java.util.SplittableRandom;

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
    static final class Generate implements Main.Command {
        @Override
        public String summary() {
            return "generated tokens/s: --model DIR [--batches 1,16,64] [--prompt-len 16] [--new-tokens 64] [--repeats 3] [--no-kv-cache-too]";
        }

        @Override
        public int run(List<String> argv) {
            Args a = Args.parse("bench-generate", argv,
                    Set.of("model", "batches", "prompt-len", "new-tokens", "repeats"), Set.of("no-kv-cache-too"));
            int[] batches = a.intList("batches", new int[] {1, 16, 64});
            int promptLen = a.integer("prompt-len", 16);
            int newTokens = a.integer("new-tokens", 64);
            int repeats = a.integer("repeats", 3);
            SamplingParams p = SamplingParams.defaults().withMaxNewTokens(newTokens).withIgnoreEos(true).withSeed(1);
            try (NDManager m = Policy.newManager(); Policy policy = PolicyCommands.loadPolicy(a, m)) {
                for (boolean cache : a.flag("no-kv-cache-too") ? new boolean[] {true, false} : new boolean[] {true}) {
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
    static final class Memory implements Main.Command {
        @Override
        public String summary() {
            return "resident memory over repeated generate calls: --model DIR [--calls 1000] [--warmup 200] [--batch 8] [--new-tokens 32]";
        }

        @Override
        public int run(List<String> argv) throws IOException {
            Args a = Args.parse("bench-memory", argv, Set.of("model", "calls", "warmup", "batch", "new-tokens"), Set.of());
            int calls = a.integer("calls", 1000);
            int batch = a.integer("batch", 8);
            SamplingParams p = SamplingParams.defaults().withMaxNewTokens(a.integer("new-tokens", 32)).withIgnoreEos(true);
            try (NDManager m = Policy.newManager(); Policy policy = PolicyCommands.loadPolicy(a, m)) {
                // The native allocator's caches fill during the first ~150 calls (RSS rises, then
                // stays flat); measure growth after that, over `calls` further calls.
                int warmup = a.integer("warmup", 200);
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
