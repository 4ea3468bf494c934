package io.ladder.policy;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the tokenizer of the models Ladder trains from scratch: byte-level BPE with the 256
 * byte symbols and no merges (so any text encodes, digits are single tokens, which suits
 * arithmetic), Llama-3-style special tokens, and extra whole-word tokens for the template
 * pieces the tasks use ({@code <question>}, {@code \boxed{}, ...}) so prompts stay short.
 * The files are ordinary Hugging Face {@code tokenizer.json} / {@code tokenizer_config.json}.
 */
public final class ByteLevelTokenizerWriter {
    public static final String BOS = "<|begin_of_text|>";
    public static final String EOS = "<|end_of_text|>";
    public static final String PAD = "<|pad|>";
    /** Ids of the three special tokens, right after the 256 bytes. */
    public static final int BOS_ID = 256;
    public static final int EOS_ID = 257;
    public static final int PAD_ID = 258;

    private ByteLevelTokenizerWriter() {}

    /** Writes tokenizer.json and tokenizer_config.json; returns the vocabulary size. */
    public static int write(Path dir, List<String> extraTokens) throws IOException {
        Files.createDirectories(dir);
        JsonObject vocab = new JsonObject();
        int[] byteToChar = bytesToUnicode();
        for (int b = 0; b < 256; b++) {
            vocab.addProperty(new String(Character.toChars(byteToChar[b])), b);
        }
        JsonArray added = new JsonArray();
        int id = 256;
        for (String s : List.of(BOS, EOS, PAD)) {
            added.add(addedToken(id++, s, true));
        }
        for (String s : extraTokens) {
            added.add(addedToken(id++, s, false));
        }
        JsonObject tok = new JsonObject();
        tok.addProperty("version", "1.0");
        tok.add("truncation", JsonNull.INSTANCE);
        tok.add("padding", JsonNull.INSTANCE);
        tok.add("added_tokens", added);
        tok.add("normalizer", JsonNull.INSTANCE);
        JsonObject pre = new JsonObject();
        pre.addProperty("type", "ByteLevel");
        pre.addProperty("add_prefix_space", false);
        pre.addProperty("trim_offsets", true);
        pre.addProperty("use_regex", false);
        tok.add("pre_tokenizer", pre);
        tok.add("post_processor", bosTemplate(256));
        JsonObject dec = new JsonObject();
        dec.addProperty("type", "ByteLevel");
        dec.addProperty("add_prefix_space", false);
        dec.addProperty("trim_offsets", true);
        dec.addProperty("use_regex", false);
        tok.add("decoder", dec);
        JsonObject model = new JsonObject();
        model.addProperty("type", "BPE");
        model.add("dropout", JsonNull.INSTANCE);
        model.add("unk_token", JsonNull.INSTANCE);
        model.add("continuing_subword_prefix", JsonNull.INSTANCE);
        model.add("end_of_word_suffix", JsonNull.INSTANCE);
        model.addProperty("fuse_unk", false);
        model.addProperty("byte_fallback", false);
        model.addProperty("ignore_merges", false);
        model.add("vocab", vocab);
        model.add("merges", new JsonArray());
        tok.add("model", model);
        var gson = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create();
        Files.writeString(dir.resolve("tokenizer.json"), gson.toJson(tok) + "\n");

        JsonObject cfg = new JsonObject();
        cfg.addProperty("tokenizer_class", "PreTrainedTokenizerFast");
        cfg.addProperty("bos_token", BOS);
        cfg.addProperty("eos_token", EOS);
        cfg.addProperty("pad_token", PAD);
        cfg.addProperty("model_max_length", 1_000_000);
        cfg.addProperty("clean_up_tokenization_spaces", false);
        Files.writeString(dir.resolve("tokenizer_config.json"), gson.toJson(cfg) + "\n");
        return id;
    }

    private static JsonObject addedToken(int id, String content, boolean special) {
        JsonObject t = new JsonObject();
        t.addProperty("id", id);
        t.addProperty("content", content);
        t.addProperty("single_word", false);
        t.addProperty("lstrip", false);
        t.addProperty("rstrip", false);
        t.addProperty("normalized", false);
        t.addProperty("special", special);
        return t;
    }

    /** Post-processor that puts BOS before every encoded text, as Llama 3's does. */
    private static JsonObject bosTemplate(int bosId) {
        JsonObject special = new JsonObject();
        special.add("SpecialToken", pieceId(BOS));
        JsonObject seqA = new JsonObject();
        seqA.add("Sequence", pieceId("A"));
        JsonObject seqB = new JsonObject();
        seqB.add("Sequence", pieceId("B"));
        JsonArray single = new JsonArray();
        single.add(special);
        single.add(seqA);
        JsonArray pair = new JsonArray();
        pair.add(special.deepCopy());
        pair.add(seqA.deepCopy());
        pair.add(special.deepCopy());
        pair.add(seqB);
        JsonObject bos = new JsonObject();
        bos.addProperty("id", BOS);
        JsonArray ids = new JsonArray();
        ids.add(bosId);
        bos.add("ids", ids);
        JsonArray toks = new JsonArray();
        toks.add(BOS);
        bos.add("tokens", toks);
        JsonObject specials = new JsonObject();
        specials.add(BOS, bos);
        JsonObject p = new JsonObject();
        p.addProperty("type", "TemplateProcessing");
        p.add("single", single);
        p.add("pair", pair);
        p.add("special_tokens", specials);
        return p;
    }

    private static JsonObject pieceId(String id) {
        JsonObject o = new JsonObject();
        o.addProperty("id", id);
        o.addProperty("type_id", 0);
        return o;
    }

    /** GPT-2's reversible byte-to-printable-character map used by ByteLevel pre-tokenizers. */
    static int[] bytesToUnicode() {
        int[] map = new int[256];
        boolean[] direct = new boolean[256];
        for (int b = '!'; b <= '~'; b++) {
            direct[b] = true;
        }
        for (int b = 0xA1; b <= 0xAC; b++) {
            direct[b] = true;
        }
        for (int b = 0xAE; b <= 0xFF; b++) {
            direct[b] = true;
        }
        int n = 0;
        for (int b = 0; b < 256; b++) {
            map[b] = direct[b] ? b : 256 + n++;
        }
        return map;
    }
}
