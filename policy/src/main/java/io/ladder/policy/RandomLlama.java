package io.ladder.policy;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A randomly initialised Llama with Ladder's byte-level tokenizer, as a Hugging Face folder: what
 * {@code ladder init-model}, pretraining, the learner benchmark and the tests start from. Set the
 * shape, then {@link #write} (a folder) or {@link #initialize} (a folder plus the live model, for
 * callers that go on to train it).
 */
public final class RandomLlama {
    private int layers = 2;
    private int hidden = 64;
    private int heads = 4;
    private int kvHeads = 2;
    private int intermediate = 0; // 0: 4 × hidden
    private int maxPositions = 512;
    private boolean tied = true;
    private long seed = 0;
    private double std = 0.02;
    private List<String> specialTokens = List.of();

    public RandomLlama layers(int v) { layers = v; return this; }
    public RandomLlama hidden(int v) { hidden = v; return this; }
    public RandomLlama heads(int v) { heads = v; return this; }
    public RandomLlama kvHeads(int v) { kvHeads = v; return this; }
    public RandomLlama intermediate(int v) { intermediate = v; return this; }
    public RandomLlama maxPositions(int v) { maxPositions = v; return this; }
    public RandomLlama tied(boolean v) { tied = v; return this; }
    public RandomLlama seed(long v) { seed = v; return this; }
    public RandomLlama std(double v) { std = v; return this; }
    /** Extra special tokens of the byte-level vocabulary (e.g. a prompt format's tags). */
    public RandomLlama specialTokens(List<String> v) { specialTokens = List.copyOf(v); return this; }

    /** Writes tokenizer.json, config.json and random weights into {@code dir}; returns the config. */
    public LlamaConfig write(Path dir) throws IOException {
        try (NDManager m = Policy.newManager(); LlamaModel model = initialize(dir, m)) {
            return model.config;
        }
    }

    /** As {@link #write}, and returns the model (owned by the caller, arrays in {@code manager}). */
    public LlamaModel initialize(Path dir, NDManager manager) throws IOException {
        if (hidden <= 0 || heads <= 0 || kvHeads <= 0 || hidden % heads != 0 || heads % kvHeads != 0) {
            throw new IllegalArgumentException("need hidden % heads == 0 and heads % kv-heads == 0 (got "
                    + hidden + ", " + heads + ", " + kvHeads + ")");
        }
        int vocab = ByteLevelTokenizerWriter.write(dir, specialTokens);
        LlamaConfig cfg = LlamaConfig.create(vocab, hidden, intermediate > 0 ? intermediate : 4 * hidden, layers, heads,
                kvHeads, maxPositions, tied, ByteLevelTokenizerWriter.BOS_ID, ByteLevelTokenizerWriter.EOS_ID,
                ByteLevelTokenizerWriter.PAD_ID);
        LlamaModel model = LlamaModel.initialize(cfg, seed, std, manager);
        model.save(dir, "float32");
        return model;
    }
}
