package io.ladder.policy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A Llama-architecture decoder (Touvron et al.; Hugging Face's {@code LlamaForCausalLM}):
 * token embeddings, then per layer {@code x += Attn(RMSNorm(x)); x += MLP(RMSNorm(x))} with
 * rotary embeddings and grouped-query attention, a final RMSNorm and the LM head (tied to the
 * embeddings or not). Parameters are kept under their Hugging Face names so checkpoints load
 * and save without a translation table.
 */
public final class LlamaModel implements AutoCloseable {
    /** Masked attention logits get this added; finite so fully masked (padding) rows stay NaN-free. */
    static final float MASKED = -1e30f;

    public final LlamaConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> params = new LinkedHashMap<>();
    private final Layer[] layers;
    private final NDArray embedTokens;
    private final NDArray finalNorm;
    private final NDArray lmHead;
    private final RotaryEmbedding rotary;
    private final NDArray rmsEps;
    private final NDArray attnScale; // 1/sqrt(head_dim) as a 0-d array: scalar operands cost an extra native call

    private record Layer(NDArray inputNorm, NDArray q, NDArray k, NDArray v, NDArray o,
                         NDArray qBias, NDArray kBias, NDArray vBias, NDArray oBias,
                         NDArray postNorm, NDArray gate, NDArray up, NDArray down,
                         NDArray gateBias, NDArray upBias, NDArray downBias) {}

    private LlamaModel(LlamaConfig config, NDManager manager, Map<String, float[]> weights) {
        this.config = config;
        this.manager = manager;
        for (TensorSpec spec : tensorSpecs(config)) {
            float[] w = weights.get(spec.name);
            if (w == null) {
                throw new ModelFolderException("weights: tensor " + spec.name + " is missing");
            }
            NDArray a = manager.create(w, new Shape(spec.shape));
            a.setName(spec.name);
            params.put(spec.name, a);
        }
        embedTokens = params.get("model.embed_tokens.weight");
        finalNorm = params.get("model.norm.weight");
        lmHead = config.tieWordEmbeddings ? embedTokens : params.get("lm_head.weight");
        layers = new Layer[config.numLayers];
        for (int l = 0; l < config.numLayers; l++) {
            String p = "model.layers." + l + ".";
            layers[l] = new Layer(params.get(p + "input_layernorm.weight"),
                    params.get(p + "self_attn.q_proj.weight"), params.get(p + "self_attn.k_proj.weight"),
                    params.get(p + "self_attn.v_proj.weight"), params.get(p + "self_attn.o_proj.weight"),
                    params.get(p + "self_attn.q_proj.bias"), params.get(p + "self_attn.k_proj.bias"),
                    params.get(p + "self_attn.v_proj.bias"), params.get(p + "self_attn.o_proj.bias"),
                    params.get(p + "post_attention_layernorm.weight"),
                    params.get(p + "mlp.gate_proj.weight"), params.get(p + "mlp.up_proj.weight"),
                    params.get(p + "mlp.down_proj.weight"),
                    params.get(p + "mlp.gate_proj.bias"), params.get(p + "mlp.up_proj.bias"),
                    params.get(p + "mlp.down_proj.bias"));
        }
        rotary = new RotaryEmbedding(config, manager, config.maxPositionEmbeddings);
        attnScale = manager.create((float) (1.0 / Math.sqrt(config.headDim)));
        rmsEps = manager.create((float) config.rmsNormEps);
    }

    /** One parameter's Hugging Face name and shape. */
    public record TensorSpec(String name, long[] shape) {}

    /** The parameters a config implies, in Hugging Face's order. */
    public static List<TensorSpec> tensorSpecs(LlamaConfig c) {
        List<TensorSpec> out = new ArrayList<>();
        long d = c.hiddenSize;
        long qDim = (long) c.numHeads * c.headDim;
        long kvDim = (long) c.numKvHeads * c.headDim;
        out.add(new TensorSpec("model.embed_tokens.weight", new long[] {c.vocabSize, d}));
        for (int l = 0; l < c.numLayers; l++) {
            String p = "model.layers." + l + ".";
            out.add(new TensorSpec(p + "self_attn.q_proj.weight", new long[] {qDim, d}));
            out.add(new TensorSpec(p + "self_attn.k_proj.weight", new long[] {kvDim, d}));
            out.add(new TensorSpec(p + "self_attn.v_proj.weight", new long[] {kvDim, d}));
            out.add(new TensorSpec(p + "self_attn.o_proj.weight", new long[] {d, qDim}));
            if (c.attentionBias) {
                out.add(new TensorSpec(p + "self_attn.q_proj.bias", new long[] {qDim}));
                out.add(new TensorSpec(p + "self_attn.k_proj.bias", new long[] {kvDim}));
                out.add(new TensorSpec(p + "self_attn.v_proj.bias", new long[] {kvDim}));
                out.add(new TensorSpec(p + "self_attn.o_proj.bias", new long[] {d}));
            }
            out.add(new TensorSpec(p + "mlp.gate_proj.weight", new long[] {c.intermediateSize, d}));
            out.add(new TensorSpec(p + "mlp.up_proj.weight", new long[] {c.intermediateSize, d}));
            out.add(new TensorSpec(p + "mlp.down_proj.weight", new long[] {d, c.intermediateSize}));
            if (c.mlpBias) {
                out.add(new TensorSpec(p + "mlp.gate_proj.bias", new long[] {c.intermediateSize}));
                out.add(new TensorSpec(p + "mlp.up_proj.bias", new long[] {c.intermediateSize}));
                out.add(new TensorSpec(p + "mlp.down_proj.bias", new long[] {d}));
            }
            out.add(new TensorSpec(p + "input_layernorm.weight", new long[] {d}));
            out.add(new TensorSpec(p + "post_attention_layernorm.weight", new long[] {d}));
        }
        out.add(new TensorSpec("model.norm.weight", new long[] {d}));
        if (!c.tieWordEmbeddings) {
            out.add(new TensorSpec("lm_head.weight", new long[] {c.vocabSize, d}));
        }
        return out;
    }

    /** Loads weights from a Hugging Face folder (single or sharded safetensors, F32/F16/BF16). */
    public static LlamaModel load(Path dir, LlamaConfig config, NDManager parent) {
        Map<String, SafeTensors.TensorInfo> index = SafeTensors.index(dir);
        Map<String, float[]> weights = new LinkedHashMap<>();
        for (TensorSpec spec : tensorSpecs(config)) {
            SafeTensors.TensorInfo t = index.get(spec.name);
            if (t == null) {
                throw new ModelFolderException(dir + ": tensor " + spec.name + " is missing from the safetensors");
            }
            if (!java.util.Arrays.equals(t.shape(), spec.shape)) {
                throw new ModelFolderException(dir + ": tensor " + spec.name + " has shape "
                        + java.util.Arrays.toString(t.shape()) + ", config.json implies "
                        + java.util.Arrays.toString(spec.shape));
            }
            float[] w = SafeTensors.readFloats(t);
            for (int i = 0; i < w.length; i++) {
                if (!Float.isFinite(w[i])) { // a diverged or corrupt checkpoint would sample garbage, silently
                    throw new ModelFolderException(dir + ": tensor " + spec.name + " holds " + w[i] + " at index " + i
                            + ": the weights are corrupt or diverged");
                }
            }
            weights.put(spec.name, w);
        }
        return new LlamaModel(config, parent.newSubManager(), weights);
    }

    /**
     * A model holding the given values (Hugging Face names, every tensor {@link #tensorSpecs}
     * implies), e.g. a frozen copy of another model's {@link #parameterValues()}.
     */
    public static LlamaModel fromValues(LlamaConfig config, Map<String, float[]> values, NDManager parent) {
        for (TensorSpec spec : tensorSpecs(config)) {
            float[] w = values.get(spec.name);
            long n = 1;
            for (long s : spec.shape) {
                n *= s;
            }
            if (w != null && w.length != n) {
                throw new IllegalArgumentException("tensor " + spec.name + " has " + w.length + " values, its shape "
                        + java.util.Arrays.toString(spec.shape) + " needs " + n);
            }
        }
        return new LlamaModel(config, parent.newSubManager(), values);
    }

    /**
     * A freshly initialised model (normal(0, std) matrices, unit norms), reproducible from the
     * seed on any machine because the numbers come from Java's SplittableRandom, not the engine.
     */
    public static LlamaModel initialize(LlamaConfig config, long seed, double std, NDManager parent) {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, float[]> weights = new LinkedHashMap<>();
        for (TensorSpec spec : tensorSpecs(config)) {
            long n = 1;
            for (long s : spec.shape) {
                n *= s;
            }
            float[] w = new float[(int) n];
            if (spec.name.endsWith("norm.weight")) {
                java.util.Arrays.fill(w, 1f);
            } else if (!spec.name.endsWith(".bias")) {
                for (int i = 0; i < w.length; i++) {
                    w[i] = (float) (gaussian(rng) * std);
                }
            }
            weights.put(spec.name, w);
        }
        return new LlamaModel(config, parent.newSubManager(), weights);
    }

    private static double gaussian(SplittableRandom rng) {
        // Box-Muller; SplittableRandom has no nextGaussian on JDK 17
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** Writes config.json and model.safetensors; dtype is "float32", "bfloat16" or "float16". */
    public void save(Path dir, String dtype) throws IOException {
        String st = switch (dtype) {
            case "float32" -> "F32";
            case "bfloat16" -> "BF16";
            case "float16" -> "F16";
            default -> throw new IllegalArgumentException("dtype must be float32, bfloat16 or float16: " + dtype);
        };
        Files.createDirectories(dir);
        Map<String, SafeTensors.Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            out.put(e.getKey(), new SafeTensors.Tensor(e.getValue().toFloatArray(), e.getValue().getShape().getShape()));
        }
        SafeTensors.write(dir.resolve(SafeTensors.SINGLE_FILE), out, st);
        Files.deleteIfExists(dir.resolve(SafeTensors.INDEX_FILE));
        Files.writeString(dir.resolve("config.json"), config.toJson(dtype));
    }

    /** Parameters by Hugging Face name (the learner trains these in place). */
    public Map<String, NDArray> parameters() {
        return params;
    }

    public NDManager manager() {
        return manager;
    }

    public int maxPositions() {
        return rotary.maxPositions;
    }

    /**
     * Additive attention bias [B, 1, T, S] for queries at cache slots {@code start..start+T-1}
     * over key slots {@code 0..S-1} (S = start + T): a key is visible if it is not padding and
     * not in the future.
     */
    public static NDArray attentionBias(NDManager m, boolean[][] keyValid, int start, int t) {
        int b = keyValid.length;
        int s = start + t;
        float[] bias = new float[b * t * s];
        for (int r = 0; r < b; r++) {
            for (int q = 0; q < t; q++) {
                int base = (r * t + q) * s;
                int last = start + q;
                for (int k = 0; k < s; k++) {
                    if (k > last || !keyValid[r][k]) {
                        bias[base + k] = MASKED;
                    }
                }
            }
        }
        return m.create(bias, new Shape(b, 1, t, s));
    }

    /**
     * The decoder forward pass.
     *
     * @param m          manager for every intermediate (the caller closes it after the step)
     * @param inputIds   [B, T] token ids (int64)
     * @param positions  [B, T] rotary positions (int64)
     * @param bias       [B, 1, T, S] additive attention bias over key slots 0..S-1
     * @param cache      key/value cache or null (then S must equal T)
     * @param start      cache slot of the first input token (0 without a cache)
     * @param lastOnly   compute logits for the last position only (generation)
     * @return logits [B, T, V] (or [B, 1, V] with lastOnly), float32
     */
    public NDArray forward(NDManager m, NDArray inputIds, NDArray positions, NDArray bias, KvCache cache,
                           int start, boolean lastOnly) {
        return lmHead(decoder(m, inputIds, positions, bias, cache, start, lastOnly));
    }

    /** Final-normed hidden states [B, T, D] of a full sequence (no cache), for scoring. */
    public NDArray hidden(NDManager m, NDArray inputIds, NDArray positions, NDArray bias) {
        return decoder(m, inputIds, positions, bias, null, 0, false);
    }

    /** The LM head: hidden states [..., D] to logits [..., V]. */
    public NDArray lmHead(NDArray hidden) {
        return linear(hidden, lmHead, null);
    }

    private NDArray decoder(NDManager m, NDArray inputIds, NDArray positions, NDArray bias, KvCache cache,
                            int start, boolean lastOnly) {
        long b = inputIds.getShape().get(0);
        long t = inputIds.getShape().get(1);
        int hq = config.numHeads;
        int hkv = config.numKvHeads;
        int g = config.kvGroups();
        int hd = config.headDim;
        NDArray x = inputIds.getNDArrayInternal().embedding(inputIds, embedTokens, SparseFormat.DENSE).singletonOrThrow();
        NDArray[] cs = rotary.cosSin(m, positions);
        NDArray attnBias = g > 1 ? bias.expandDims(1) : bias; // [B,1,1,T,S] broadcasts over (kvHead, group)
        long s = start + t;
        // Without a graph to keep (sampling, reference scoring) a layer's intermediates are freed
        // when the layer is done: held to the end of the pass they took ~30x a layer's memory
        // (a 256-row prefill of a 30-layer model went past 24 GB).
        boolean freeEachLayer = !JniUtils.isGradMode();
        for (int l = 0; l < layers.length; l++) {
            Layer L = layers[l];
            NDManager lm = freeEachLayer ? m.newSubManager() : m;
            if (freeEachLayer) {
                x.attach(lm); // ops take their first operand's manager: the layer's arrays land in lm
            }
            NDArray h = rmsNorm(x, L.inputNorm);
            // Rotate while [B, T, H, hd] is still contiguous (a matmul on the transposed view
            // would copy first), then move heads in front of time.
            NDArray q = rotary.apply(linear(h, L.q, L.qBias).reshape(b, t, hq, hd), cs[0], cs[1])
                    .mul(attnScale).transpose(0, 2, 1, 3);
            NDArray k = rotary.apply(linear(h, L.k, L.kBias).reshape(b, t, hkv, hd), cs[0], cs[1])
                    .transpose(0, 2, 1, 3);
            NDArray v = linear(h, L.v, L.vBias).reshape(b, t, hkv, hd).transpose(0, 2, 1, 3);
            if (cache != null) {
                // built, not parsed: NDIndex's string form costs a regex pass per call
                NDIndex slots = NDIndex.sliceAxis(2, start, start + t);
                cache.keys[l].set(slots, k);
                cache.values[l].set(slots, v);
                NDIndex filled = NDIndex.sliceAxis(2, 0, s);
                k = cache.keys[l].get(lm, filled);
                v = cache.values[l].get(lm, filled);
            }
            NDArray ctx;
            if (g == 1) {
                NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).add(bias);
                ctx = scores.softmax(-1).matMul(v); // [B,H,T,hd]
            } else {
                // Grouped-query attention without copying K/V: query heads h = kv*g + j share
                // kv head `kv`, so fold the g query heads of a group into the time axis.
                NDArray qg = q.reshape(b, hkv, (long) g * t, hd);
                NDArray scores = qg.matMul(k.transpose(0, 1, 3, 2)).reshape(b, hkv, g, t, s).add(attnBias);
                ctx = scores.softmax(-1).reshape(b, hkv, (long) g * t, s).matMul(v).reshape(b, hq, t, hd);
            }
            ctx = ctx.transpose(0, 2, 1, 3).reshape(b, t, (long) hq * hd);
            x = x.add(linear(ctx, L.o, L.oBias));
            NDArray h2 = rmsNorm(x, L.postNorm);
            NDArray gate = linear(h2, L.gate, L.gateBias);
            NDArray mlp = gate.mul(gate.getNDArrayInternal().sigmoid()).mul(linear(h2, L.up, L.upBias));
            x = x.add(linear(mlp, L.down, L.downBias));
            if (freeEachLayer) {
                x.attach(m);
                lm.close();
            }
        }
        if (lastOnly) {
            x = x.get(NDIndex.sliceAxis(1, t - 1, t));
        }
        return rmsNorm(x, finalNorm);
    }

    private NDArray rmsNorm(NDArray x, NDArray weight) {
        // x / sqrt(mean(x^2) + eps) * w; sqrt + div is one native call cheaper than pow(-0.5)
        NDArray rms = x.square().mean(new int[] {-1}, true).add(rmsEps).sqrt();
        return x.div(rms).mul(weight);
    }

    private static NDArray linear(NDArray x, NDArray w, NDArray bias) {
        NDList out = bias == null ? Linear.linear(x, w) : Linear.linear(x, w, bias);
        return out.singletonOrThrow();
    }

    /** Copies new values into every parameter (a weight version from the learner). */
    public void setParameters(Map<String, float[]> values) {
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            float[] v = values.get(e.getKey());
            if (v == null) {
                throw new IllegalArgumentException("weight update lacks tensor " + e.getKey());
            }
            if (v.length != e.getValue().size()) {
                throw new IllegalArgumentException("weight update for " + e.getKey() + " has " + v.length
                        + " values, expected " + e.getValue().size());
            }
        }
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            e.getValue().set(values.get(e.getKey()));
        }
    }

    /** A snapshot of every parameter as float arrays, in Hugging Face order. */
    public Map<String, float[]> parameterValues() {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            out.put(e.getKey(), e.getValue().toFloatArray());
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
