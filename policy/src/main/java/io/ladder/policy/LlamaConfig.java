package io.ladder.policy;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The architecture of a Llama-family decoder, read from (and written as) a Hugging Face
 * {@code config.json}. Only fields that change the computation are kept; the rest of the
 * original file is preserved verbatim when a loaded model is saved again.
 */
public final class LlamaConfig {
    public final int vocabSize;
    public final int hiddenSize;
    public final int intermediateSize;
    public final int numLayers;
    public final int numHeads;
    public final int numKvHeads;
    public final int headDim;
    public final double rmsNormEps;
    public final double ropeTheta;
    public final RopeScaling ropeScaling; // null: plain RoPE
    public final int maxPositionEmbeddings;
    public final boolean tieWordEmbeddings;
    public final boolean attentionBias;
    public final boolean mlpBias;
    public final String torchDtype;
    public final Integer bosTokenId;
    public final List<Integer> eosTokenIds;
    public final Integer padTokenId;
    /** The whole original JSON, so fields Ladder does not interpret survive a save. */
    private final JsonObject raw;

    /** Llama 3's frequency-dependent RoPE scaling ({@code rope_scaling.rope_type = "llama3"}). */
    public record RopeScaling(double factor, double lowFreqFactor, double highFreqFactor,
                              int originalMaxPositionEmbeddings) {}

    private LlamaConfig(JsonObject raw, String source) {
        this.raw = raw;
        Fields f = new Fields(raw, source);
        String modelType = f.string("model_type", "llama");
        if (!modelType.equals("llama")) {
            throw new ModelFolderException(source + ": model_type \"" + modelType
                    + "\" is not supported (Ladder runs Llama-architecture decoders)");
        }
        String act = f.string("hidden_act", "silu");
        if (!act.equals("silu")) {
            throw new ModelFolderException(source + ": hidden_act \"" + act + "\" is not supported (only silu)");
        }
        vocabSize = f.positiveInt("vocab_size");
        hiddenSize = f.positiveInt("hidden_size");
        intermediateSize = f.positiveInt("intermediate_size");
        numLayers = f.positiveInt("num_hidden_layers");
        numHeads = f.positiveInt("num_attention_heads");
        numKvHeads = raw.has("num_key_value_heads") && !raw.get("num_key_value_heads").isJsonNull()
                ? f.positiveInt("num_key_value_heads") : numHeads;
        if (numHeads % numKvHeads != 0) {
            throw new ModelFolderException(source + ": num_attention_heads (" + numHeads
                    + ") is not a multiple of num_key_value_heads (" + numKvHeads + ")");
        }
        headDim = raw.has("head_dim") && !raw.get("head_dim").isJsonNull()
                ? f.positiveInt("head_dim") : hiddenSize / numHeads;
        if (headDim % 2 != 0) {
            throw new ModelFolderException(source + ": head_dim " + headDim + " must be even for rotary embeddings");
        }
        rmsNormEps = f.number("rms_norm_eps", 1e-6);
        ropeTheta = f.number("rope_theta", 10000.0);
        maxPositionEmbeddings = raw.has("max_position_embeddings") ? f.positiveInt("max_position_embeddings") : 2048;
        tieWordEmbeddings = f.bool("tie_word_embeddings", false);
        attentionBias = f.bool("attention_bias", false);
        mlpBias = f.bool("mlp_bias", false);
        torchDtype = f.string("torch_dtype", f.string("dtype", "float32"));
        bosTokenId = f.optionalInt("bos_token_id");
        eosTokenIds = f.intOrList("eos_token_id");
        padTokenId = f.optionalInt("pad_token_id");
        ropeScaling = parseRopeScaling(raw.get("rope_scaling"), source);
        refuseUnimplemented(raw, source);
    }

    /** The fields the constructor reads: they are implemented. */
    private static final java.util.Set<String> IMPLEMENTED = java.util.Set.of(
            "model_type", "hidden_act", "vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers",
            "num_attention_heads", "num_key_value_heads", "head_dim", "rms_norm_eps", "rope_theta",
            "max_position_embeddings", "tie_word_embeddings", "attention_bias", "mlp_bias", "torch_dtype", "dtype",
            "bos_token_id", "eos_token_id", "pad_token_id", "rope_scaling");

    /**
     * Fields that do not change what the model computes: bookkeeping, other token ids, and
     * generate() defaults of older configs (Ladder samples as the job spec or CLI says).
     * {@code pretraining_tp} only sliced matmuls in old transformers versions: same result.
     */
    private static final java.util.Set<String> NO_EFFECT = java.util.Set.of(
            "architectures", "transformers_version", "initializer_range", "use_cache", "unk_token_id", "sep_token_id",
            "decoder_start_token_id", "id2label", "label2id", "finetuning_task", "problem_type", "tokenizer_class",
            "prefix", "task_specific_params", "return_dict", "output_attentions", "output_hidden_states",
            "torchscript", "use_bfloat16", "tf_legacy_loss", "is_decoder", "chunk_size_feed_forward",
            "pretraining_tp", "tie_encoder_decoder", "cross_attention_hidden_size",
            "do_sample", "temperature", "top_k", "top_p", "typical_p", "num_beams", "num_beam_groups",
            "diversity_penalty", "repetition_penalty", "length_penalty", "no_repeat_ngram_size",
            "encoder_no_repeat_ngram_size", "bad_words_ids", "min_length", "max_length", "early_stopping",
            "num_return_sequences", "output_scores", "return_dict_in_generate", "forced_bos_token_id",
            "forced_eos_token_id", "remove_invalid_values", "exponential_decay_length_penalty", "suppress_tokens",
            "begin_suppress_tokens", "max_sequence_length", "quantization_config_applied");

    /**
     * A config.json field Ladder does not implement is refused rather than ignored: an ignored
     * field that changes the computation (an MLP bias, a logit soft-cap, a sliding window) gives
     * log-probs off by nats without a word. Fields whose default is harmless are checked by value.
     */
    private static void refuseUnimplemented(JsonObject raw, String source) {
        for (Map.Entry<String, JsonElement> e : raw.entrySet()) {
            String k = e.getKey();
            JsonElement v = e.getValue();
            if (k.startsWith("_") || IMPLEMENTED.contains(k) || NO_EFFECT.contains(k)) {
                continue;
            }
            boolean harmless = switch (k) {
                // dropout only acts in training mode, and Ladder trains without it
                case "attention_dropout", "hidden_dropout", "dropout" -> v.isJsonNull()
                        || v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber() && v.getAsDouble() == 0.0;
                case "is_encoder_decoder", "add_cross_attention" -> v.isJsonNull()
                        || v.isJsonPrimitive() && v.getAsJsonPrimitive().isBoolean() && !v.getAsBoolean();
                case "pruned_heads" -> v.isJsonNull() || v.isJsonObject() && v.getAsJsonObject().size() == 0;
                default -> false;
            };
            if (!harmless) {
                throw new ModelFolderException(source + ": field \"" + k + "\" = " + v
                        + " is not implemented by Ladder and would change the computation");
            }
        }
    }

    private static RopeScaling parseRopeScaling(JsonElement el, String source) {
        if (el == null || el.isJsonNull()) {
            return null;
        }
        if (!el.isJsonObject()) {
            throw new ModelFolderException(source + ": rope_scaling must be an object or null");
        }
        Fields f = new Fields(el.getAsJsonObject(), source + ": rope_scaling");
        String type = f.string("rope_type", f.string("type", "default"));
        switch (type) {
            case "default":
                return null;
            case "llama3":
                return new RopeScaling(f.number("factor", 8.0), f.number("low_freq_factor", 1.0),
                        f.number("high_freq_factor", 4.0), f.positiveInt("original_max_position_embeddings"));
            default:
                throw new ModelFolderException(source + ": rope_scaling type \"" + type
                        + "\" is not supported (default or llama3)");
        }
    }

    public static LlamaConfig parse(String json, String source) {
        JsonElement el;
        try {
            el = JsonParser.parseString(json);
        } catch (RuntimeException e) {
            throw new ModelFolderException(source + ": not valid JSON (" + firstLine(e.getMessage()) + ")");
        }
        if (!el.isJsonObject()) {
            throw new ModelFolderException(source + ": expected a JSON object");
        }
        return new LlamaConfig(el.getAsJsonObject(), source);
    }

    public static LlamaConfig load(Path modelDir) {
        Path file = modelDir.resolve("config.json");
        try {
            return parse(Files.readString(file), file.toString());
        } catch (NoSuchFileException e) {
            throw new ModelFolderException(file + ": missing (a model folder needs config.json)");
        } catch (IOException e) {
            throw new ModelFolderException(file + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    /** A config for a model Ladder creates from scratch. */
    public static LlamaConfig create(int vocabSize, int hiddenSize, int intermediateSize, int numLayers,
                                     int numHeads, int numKvHeads, int maxPositions, boolean tied,
                                     int bosId, int eosId, int padId) {
        JsonObject o = new JsonObject();
        JsonArray arch = new JsonArray();
        arch.add("LlamaForCausalLM");
        o.add("architectures", arch);
        o.addProperty("model_type", "llama");
        o.addProperty("vocab_size", vocabSize);
        o.addProperty("hidden_size", hiddenSize);
        o.addProperty("intermediate_size", intermediateSize);
        o.addProperty("num_hidden_layers", numLayers);
        o.addProperty("num_attention_heads", numHeads);
        o.addProperty("num_key_value_heads", numKvHeads);
        o.addProperty("head_dim", hiddenSize / numHeads);
        o.addProperty("hidden_act", "silu");
        o.addProperty("rms_norm_eps", 1e-5);
        o.addProperty("rope_theta", 10000.0);
        o.add("rope_scaling", null);
        o.addProperty("max_position_embeddings", maxPositions);
        o.addProperty("tie_word_embeddings", tied);
        o.addProperty("attention_bias", false);
        o.addProperty("mlp_bias", false);
        o.addProperty("torch_dtype", "float32");
        o.addProperty("bos_token_id", bosId);
        o.addProperty("eos_token_id", eosId);
        o.addProperty("pad_token_id", padId);
        o.addProperty("initializer_range", 0.02);
        return new LlamaConfig(o, "config");
    }

    /** config.json text for saving, with the dtype of the tensors actually written. */
    public String toJson(String savedDtype) {
        JsonObject copy = raw.deepCopy();
        copy.addProperty("torch_dtype", savedDtype);
        if (copy.has("dtype")) {
            copy.addProperty("dtype", savedDtype); // newer transformers write this name instead
        }
        if (!copy.has("architectures")) {
            JsonArray arch = new JsonArray();
            arch.add("LlamaForCausalLM");
            copy.add("architectures", arch);
        }
        Gson gson = new GsonBuilder().setPrettyPrinting().serializeNulls().create();
        return gson.toJson(copy) + "\n";
    }

    public int kvGroups() {
        return numHeads / numKvHeads;
    }

    /** Number of trainable scalars (tied embeddings counted once). */
    public long parameterCount() {
        long attn = (long) hiddenSize * headDim * (numHeads * 2L + numKvHeads * 2L);
        long mlp = 3L * hiddenSize * intermediateSize
                + (mlpBias ? 2L * intermediateSize + hiddenSize : 0);
        attn += attentionBias ? (long) headDim * (numHeads + numKvHeads * 2L) + hiddenSize : 0;
        long norms = 2L * hiddenSize;
        long perLayer = attn + mlp + norms;
        long emb = (long) vocabSize * hiddenSize;
        return emb * (tieWordEmbeddings ? 1 : 2) + perLayer * numLayers + hiddenSize;
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Typed access to config fields with one-line errors naming the field. */
    private static final class Fields {
        private final JsonObject o;
        private final String source;

        Fields(JsonObject o, String source) {
            this.o = o;
            this.source = source;
        }

        private JsonElement get(String name) {
            JsonElement e = o.get(name);
            return e == null || e.isJsonNull() ? null : e;
        }

        String string(String name, String dflt) {
            JsonElement e = get(name);
            if (e == null) {
                return dflt;
            }
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                throw new ModelFolderException(source + ": " + name + " must be a string");
            }
            return e.getAsString();
        }

        double number(String name, double dflt) {
            JsonElement e = get(name);
            if (e == null) {
                return dflt;
            }
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
                throw new ModelFolderException(source + ": " + name + " must be a number");
            }
            return e.getAsDouble();
        }

        boolean bool(String name, boolean dflt) {
            JsonElement e = get(name);
            if (e == null) {
                return dflt;
            }
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
                throw new ModelFolderException(source + ": " + name + " must be true or false");
            }
            return e.getAsBoolean();
        }

        int positiveInt(String name) {
            JsonElement e = get(name);
            if (e == null) {
                throw new ModelFolderException(source + ": " + name + " is missing");
            }
            Integer v = asInt(name, e);
            if (v <= 0) {
                throw new ModelFolderException(source + ": " + name + " must be positive, got " + v);
            }
            return v;
        }

        Integer optionalInt(String name) {
            JsonElement e = get(name);
            return e == null ? null : asInt(name, e);
        }

        List<Integer> intOrList(String name) {
            JsonElement e = get(name);
            List<Integer> out = new ArrayList<>();
            if (e == null) {
                return out;
            }
            if (e.isJsonArray()) {
                for (JsonElement x : e.getAsJsonArray()) {
                    out.add(asInt(name, x));
                }
            } else {
                out.add(asInt(name, e));
            }
            return out;
        }

        private Integer asInt(String name, JsonElement e) {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
                throw new ModelFolderException(source + ": " + name + " must be an integer");
            }
            double d = e.getAsDouble();
            if (d != Math.rint(d)) {
                throw new ModelFolderException(source + ": " + name + " must be an integer, got " + d);
            }
            return (int) d;
        }
    }
}
