package io.ladder.policy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A language-model policy: a {@link LlamaModel} with its {@link TextTokenizer}. It samples
 * batched continuations with a key/value cache and scores given continuations by teacher
 * forcing; both report the same per-token log-probabilities, which is what on-policy RL needs.
 */
public final class Policy implements AutoCloseable {
    private final LlamaModel model;
    private final TextTokenizer tokenizer;
    private final Path sourceDir; // where the tokenizer files came from (copied on save)

    public Policy(LlamaModel model, TextTokenizer tokenizer, Path sourceDir) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.sourceDir = sourceDir;
    }

    /** Loads config.json, the safetensors weights and tokenizer.json from a Hugging Face folder. */
    public static Policy load(Path dir, NDManager parent) {
        if (!Files.isDirectory(dir)) {
            throw new ModelFolderException(dir + ": not a directory (expected a model folder with config.json, model.safetensors, tokenizer.json)");
        }
        LlamaConfig config = LlamaConfig.load(dir);
        TextTokenizer tok = TextTokenizer.load(dir, config);
        try {
            return new Policy(LlamaModel.load(dir, config, parent), tok, dir);
        } catch (RuntimeException e) {
            tok.close();
            throw e;
        }
    }

    /** The engine's manager on its default device; callers own and close it. */
    public static NDManager newManager() {
        return Engine.getEngine("PyTorch").newBaseManager();
    }

    public LlamaModel model() {
        return model;
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    /**
     * Saves a Hugging Face folder: config.json, model.safetensors and the tokenizer and chat
     * template files this policy was loaded with, so {@code AutoModelForCausalLM.from_pretrained(dir)} works.
     */
    public void save(Path dir, String dtype) throws IOException {
        model.save(dir, dtype);
        if (sourceDir != null && !sourceDir.toAbsolutePath().normalize().equals(dir.toAbsolutePath().normalize())) {
            // chat_template.jinja (.json from transformers 4.43-4.47) is the model's prompt format:
            // a checkpoint without it could not be prompted as the job prompted it
            for (String f : List.of("tokenizer.json", "tokenizer_config.json", "generation_config.json",
                    "special_tokens_map.json", "chat_template.jinja", "chat_template.json")) {
                Path src = sourceDir.resolve(f);
                if (Files.isRegularFile(src)) {
                    Files.copy(src, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    // ------------------------------------------------------------------ sampling

    /** Renders and tokenizes prompts with the model's template, then samples one completion each. */
    public List<Completion> generateText(List<String> prompts, SamplingParams params) {
        List<int[]> ids = new ArrayList<>(prompts.size());
        for (String p : prompts) {
            ids.add(tokenizer.encodePrompt(p));
        }
        return generate(ids, params);
    }

    /**
     * Samples one continuation per prompt, all prompts in one batch. Prompts are left-padded to a
     * common length; each row's rotary positions start at 0 at its first real token and padding
     * keys are masked, so a row's result does not depend on what else is in the batch (up to
     * float rounding). Row i draws from its own random stream, split in order from the seed.
     */
    public List<Completion> generate(List<int[]> prompts, SamplingParams params) {
        return generate(prompts, params, true);
    }

    /**
     * As {@link #generate(List, SamplingParams)}; {@code useKvCache = false} recomputes the whole
     * sequence for every new token (same results; only for benchmarks and cross-checks).
     */
    public List<Completion> generate(List<int[]> prompts, SamplingParams params, boolean useKvCache) {
        return generate(prompts, params, null, useKvCache);
    }

    /**
     * As {@link #generate(List, SamplingParams)}, with row i drawing from its own stream seeded
     * by {@code rowSeeds[i]} (params.seed() is then unused): a row's sample is a function of its
     * own seed, not of its position in the batch, so callers can batch rows any way they like.
     */
    public List<Completion> generate(List<int[]> prompts, SamplingParams params, long[] rowSeeds) {
        return generate(prompts, params, rowSeeds, true);
    }

    private List<Completion> generate(List<int[]> prompts, SamplingParams params, long[] rowSeeds, boolean useKvCache) {
        if (rowSeeds != null && rowSeeds.length != prompts.size()) {
            throw new IllegalArgumentException(rowSeeds.length + " row seeds for " + prompts.size() + " prompts");
        }
        // Sampling never needs a graph; without this a thread other than the engine's loader
        // records one through every forward pass (libtorch's grad mode is per thread).
        try (NoGrad ignored = new NoGrad()) {
            return generateNoGrad(prompts, params, rowSeeds, useKvCache);
        }
    }

    private List<Completion> generateNoGrad(List<int[]> prompts, SamplingParams params, long[] rowSeeds,
                                            boolean useKvCache) {
        int b = prompts.size();
        if (b == 0) {
            return List.of();
        }
        int maxPrompt = 0;
        int minPrompt = Integer.MAX_VALUE;
        for (int[] p : prompts) {
            if (p.length == 0) {
                throw new IllegalArgumentException("empty prompt (no tokens)");
            }
            maxPrompt = Math.max(maxPrompt, p.length);
            minPrompt = Math.min(minPrompt, p.length);
        }
        int maxPos = model.maxPositions();
        if (maxPrompt >= maxPos) {
            throw new IllegalArgumentException("a prompt has " + maxPrompt + " tokens, the model's context is "
                    + maxPos + " (max_position_embeddings)");
        }
        // Buffers and the KV cache hold what can be generated: no row runs past the context, so a
        // max_new_tokens far beyond it costs nothing (it once sized a cache that took the machine's memory).
        int budget = Math.min(params.maxNewTokens(), maxPos - minPrompt);
        int capacity = maxPrompt + budget;
        SplittableRandom base = new SplittableRandom(params.seed());
        SplittableRandom[] rng = new SplittableRandom[b];
        for (int r = 0; r < b; r++) {
            rng[r] = rowSeeds == null ? base.split() : new SplittableRandom(rowSeeds[r]);
        }
        boolean[][] keyValid = new boolean[b][capacity];
        int[] promptLen = new int[b];
        long[] prefillIds = new long[b * maxPrompt];
        long[] prefillPos = new long[b * maxPrompt];
        for (int r = 0; r < b; r++) {
            int[] p = prompts.get(r);
            promptLen[r] = p.length;
            int off = maxPrompt - p.length;
            for (int i = 0; i < maxPrompt; i++) {
                if (i < off) {
                    prefillIds[r * maxPrompt + i] = tokenizer.padId();
                } else {
                    prefillIds[r * maxPrompt + i] = p[i - off];
                    prefillPos[r * maxPrompt + i] = i - off;
                    keyValid[r][i] = true;
                }
            }
        }
        int[][] out = new int[b][budget];
        float[][] outLp = new float[b][budget];
        int[] n = new int[b];
        Completion.FinishReason[] finish = new Completion.FinishReason[b];
        String[] stopText = new String[b];
        int active = b;
        double temperature = params.isGreedy() ? 1.0 : params.temperature();
        long[] allIds = new long[b * capacity]; // slot-major copy of every token, for the no-cache path
        long[] allPos = new long[b * capacity];
        for (int r = 0; r < b; r++) {
            System.arraycopy(prefillIds, r * maxPrompt, allIds, r * capacity, maxPrompt);
            System.arraycopy(prefillPos, r * maxPrompt, allPos, r * capacity, maxPrompt);
        }
        try (NDManager gm = model.manager().newSubManager();
             KvCache cache = useKvCache ? new KvCache(model.config, gm, b, capacity) : null) {
            int[] next;
            try (NDManager sm = gm.newSubManager()) {
                NDArray ids = sm.create(prefillIds, new Shape(b, maxPrompt));
                NDArray pos = sm.create(prefillPos, new Shape(b, maxPrompt));
                NDArray bias = LlamaModel.attentionBias(sm, keyValid, 0, maxPrompt);
                NDArray logits = model.forward(sm, ids, pos, bias, cache, 0, true);
                next = choose(logits, temperature, params, rng, finish, out, outLp, n);
            }
            for (int step = 0; ; step++) {
                // record the chosen tokens and decide who is finished
                for (int r = 0; r < b; r++) {
                    if (finish[r] != null) {
                        continue;
                    }
                    int tok = next[r];
                    out[r][n[r]] = tok;
                    n[r]++;
                    if (!params.ignoreEos() && tokenizer.isEos(tok)) {
                        finish[r] = Completion.FinishReason.STOP;
                    } else if (!params.stopStrings().isEmpty() && (stopText[r] = stopMatch(out[r], n[r], params)) != null) {
                        finish[r] = Completion.FinishReason.STOP;
                    } else if (n[r] >= params.maxNewTokens() || promptLen[r] + n[r] >= maxPos) {
                        finish[r] = Completion.FinishReason.LENGTH;
                    }
                    if (finish[r] != null) {
                        active--;
                    }
                }
                if (active == 0) {
                    break;
                }
                int slot = maxPrompt + step;
                try (NDManager sm = gm.newSubManager()) {
                    long[] ids = new long[b];
                    long[] pos = new long[b];
                    for (int r = 0; r < b; r++) {
                        ids[r] = n[r] > 0 ? out[r][n[r] - 1] : tokenizer.padId();
                        pos[r] = Math.min(promptLen[r] + n[r] - 1, maxPos - 1);
                        keyValid[r][slot] = true;
                    }
                    NDArray logits;
                    if (useKvCache) {
                        NDArray bias = LlamaModel.attentionBias(sm, keyValid, slot, 1);
                        logits = model.forward(sm, sm.create(ids, new Shape(b, 1)),
                                sm.create(pos, new Shape(b, 1)), bias, cache, slot, true);
                    } else {
                        int len = slot + 1;
                        long[] seqIds = new long[b * len];
                        long[] seqPos = new long[b * len];
                        for (int r = 0; r < b; r++) {
                            allIds[r * capacity + slot] = ids[r];
                            allPos[r * capacity + slot] = pos[r];
                            System.arraycopy(allIds, r * capacity, seqIds, r * len, len);
                            System.arraycopy(allPos, r * capacity, seqPos, r * len, len);
                        }
                        NDArray bias = LlamaModel.attentionBias(sm, keyValid, 0, len);
                        logits = model.forward(sm, sm.create(seqIds, new Shape(b, len)),
                                sm.create(seqPos, new Shape(b, len)), bias, null, 0, true);
                    }
                    next = choose(logits, temperature, params, rng, finish, out, outLp, n);
                }
            }
        }
        List<Completion> result = new ArrayList<>(b);
        for (int r = 0; r < b; r++) {
            int[] toks = Arrays.copyOf(out[r], n[r]);
            String text = stopText[r] != null ? stopText[r] : tokenizer.decode(toks, true);
            result.add(new Completion(toks, text, Arrays.copyOf(outLp[r], n[r]), finish[r]));
        }
        return result;
    }

    /**
     * Picks the next token of every unfinished row from last-position logits [B, 1, V] and
     * stores its log-probability at {@code outLp[r][n[r]]}.
     */
    private int[] choose(NDArray logits, double temperature, SamplingParams params, SplittableRandom[] rng,
                         Completion.FinishReason[] finish, int[][] out, float[][] outLp, int[] n) {
        NDArray scaled = temperature == 1.0 ? logits : logits.div(temperature);
        float[] lp = scaled.logSoftmax(-1).toFloatArray();
        int v = (int) logits.getShape().get(2);
        int b = rng.length;
        int[] next = new int[b];
        for (int r = 0; r < b; r++) {
            if (finish[r] != null) {
                continue;
            }
            int off = r * v;
            int tok = params.isGreedy() ? TokenChooser.argmax(lp, off, v)
                    : TokenChooser.sample(lp, off, v, params.topK(), params.topP(), rng[r]);
            next[r] = tok;
            outLp[r][n[r]] = lp[off + tok];
        }
        return next;
    }

    /** The completion text cut before the first stop string, or null if none occurs yet. */
    private String stopMatch(int[] toks, int count, SamplingParams params) {
        String text = tokenizer.decode(Arrays.copyOf(toks, count), true);
        int cut = -1;
        for (String s : params.stopStrings()) {
            int i = text.indexOf(s);
            if (i >= 0 && (cut < 0 || i < cut)) {
                cut = i;
            }
        }
        return cut < 0 ? null : text.substring(0, cut);
    }

    // ------------------------------------------------------------------ scoring

    /** Per-token log-probabilities (and optionally entropies) of completions, [B, Lmax], zero-padded. */
    public record Scores(NDArray logprobs, NDArray entropy, NDArray mask, int[] lengths) {}

    /**
     * Teacher-forced log-probabilities of each completion token given its prompt and the
     * completion tokens before it: log softmax(logits / T)[token]. Differentiable with respect to
     * the model's parameters (run it inside a GradientCollector to train). All arrays are
     * attached to {@code m}.
     */
    public Scores score(NDManager m, List<int[]> prompts, List<int[]> completions, double temperature,
                        boolean withEntropy) {
        int b = prompts.size();
        if (completions.size() != b) {
            throw new IllegalArgumentException(b + " prompts but " + completions.size() + " completions");
        }
        int t = 0;
        int lc = 0;
        for (int r = 0; r < b; r++) {
            if (prompts.get(r).length == 0) {
                throw new IllegalArgumentException("row " + r + ": empty prompt");
            }
            t = Math.max(t, prompts.get(r).length + completions.get(r).length);
            lc = Math.max(lc, completions.get(r).length);
        }
        if (t > model.maxPositions()) {
            throw new IllegalArgumentException("a prompt+completion has " + t + " tokens, the model's context is "
                    + model.maxPositions());
        }
        lc = Math.max(lc, 1);
        // Right-padded rows: row r's tokens sit at 0..len_r-1 with positions 0..len_r-1.
        long[] ids = new long[b * t];
        long[] pos = new long[b * t];
        boolean[][] keyValid = new boolean[b][t];
        long[] gatherRows = new long[b * lc]; // flat index (r * t + position) whose logits predict token j
        long[] targets = new long[b * lc];
        float[] mask = new float[b * lc];
        int[] lengths = new int[b];
        for (int r = 0; r < b; r++) {
            int[] p = prompts.get(r);
            int[] c = completions.get(r);
            Arrays.fill(ids, r * t, (r + 1) * t, (long) tokenizer.padId());
            for (int i = 0; i < p.length + c.length; i++) {
                ids[r * t + i] = i < p.length ? p[i] : c[i - p.length];
                pos[r * t + i] = i;
                keyValid[r][i] = true;
            }
            lengths[r] = c.length;
            for (int j = 0; j < lc; j++) {
                if (j < c.length) {
                    gatherRows[r * lc + j] = (long) r * t + p.length - 1 + j;
                    targets[r * lc + j] = c[j];
                    mask[r * lc + j] = 1f;
                } else {
                    gatherRows[r * lc + j] = (long) r * t; // any valid row; masked out
                }
            }
        }
        NDArray bias = LlamaModel.attentionBias(m, keyValid, 0, t);
        NDArray hidden = model.hidden(m, m.create(ids, new Shape(b, t)), m.create(pos, new Shape(b, t)), bias);
        long d = hidden.getShape().get(2);
        NDArray picked = hidden.reshape(b * (long) t, d).get(m, new NDIndex("{}", m.create(gatherRows)));
        NDArray logits = model.lmHead(picked);
        if (temperature != 1.0) {
            logits = logits.div(temperature);
        }
        NDArray logp = logits.logSoftmax(-1); // [B*Lc, V]
        NDArray tokLp = logp.gather(m.create(targets, new Shape((long) b * lc, 1)), 1).reshape(b, lc);
        NDArray maskArr = m.create(mask, new Shape(b, lc));
        tokLp = tokLp.mul(maskArr);
        NDArray entropy = null;
        if (withEntropy) {
            entropy = logp.exp().mul(logp).sum(new int[] {-1}).neg().reshape(b, lc).mul(maskArr);
        }
        return new Scores(tokLp, entropy, maskArr, lengths);
    }

    /** {@link #score} without gradients, as plain arrays (one per row, completion length each). */
    public List<float[]> scoreValues(List<int[]> prompts, List<int[]> completions, double temperature) {
        try (NoGrad ignored = new NoGrad(); NDManager m = model.manager().newSubManager()) {
            Scores s = score(m, prompts, completions, temperature, false);
            float[] all = s.logprobs().toFloatArray();
            int lc = (int) s.logprobs().getShape().get(1);
            List<float[]> out = new ArrayList<>();
            for (int r = 0; r < prompts.size(); r++) {
                out.add(Arrays.copyOfRange(all, r * lc, r * lc + s.lengths()[r]));
            }
            return out;
        }
    }

    @Override
    public void close() {
        model.close();
        tokenizer.close();
    }
}
