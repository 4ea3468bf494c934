package io.ladder.policy;

import java.util.List;

/**
 * How to sample: temperature (0 = greedy), nucleus (top-p) and top-k truncation, a budget of
 * new tokens, stop strings and the seed. Immutable; the {@code with*} methods return copies.
 */
public record SamplingParams(double temperature, double topP, int topK, int maxNewTokens,
                             List<String> stopStrings, long seed, boolean ignoreEos) {
    public SamplingParams {
        if (temperature < 0 || Double.isNaN(temperature)) {
            throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top-k must be >= 0 (0 = off), got " + topK);
        }
        if (maxNewTokens <= 0) {
            throw new IllegalArgumentException("max-new-tokens must be at least 1, got " + maxNewTokens);
        }
        stopStrings = List.copyOf(stopStrings);
    }

    public static SamplingParams defaults() {
        return new SamplingParams(1.0, 1.0, 0, 64, List.of(), 0L, false);
    }

    public static SamplingParams greedy(int maxNewTokens) {
        return new SamplingParams(0.0, 1.0, 0, maxNewTokens, List.of(), 0L, false);
    }

    public boolean isGreedy() {
        return temperature == 0.0;
    }

    public SamplingParams withTemperature(double t) {
        return new SamplingParams(t, topP, topK, maxNewTokens, stopStrings, seed, ignoreEos);
    }

    public SamplingParams withTopP(double p) {
        return new SamplingParams(temperature, p, topK, maxNewTokens, stopStrings, seed, ignoreEos);
    }

    public SamplingParams withTopK(int k) {
        return new SamplingParams(temperature, topP, k, maxNewTokens, stopStrings, seed, ignoreEos);
    }

    public SamplingParams withMaxNewTokens(int n) {
        return new SamplingParams(temperature, topP, topK, n, stopStrings, seed, ignoreEos);
    }

    public SamplingParams withStopStrings(List<String> stops) {
        return new SamplingParams(temperature, topP, topK, maxNewTokens, stops, seed, ignoreEos);
    }

    public SamplingParams withSeed(long s) {
        return new SamplingParams(temperature, topP, topK, maxNewTokens, stopStrings, s, ignoreEos);
    }

    public SamplingParams withIgnoreEos(boolean ignore) {
        return new SamplingParams(temperature, topP, topK, maxNewTokens, stopStrings, seed, ignore);
    }
}
