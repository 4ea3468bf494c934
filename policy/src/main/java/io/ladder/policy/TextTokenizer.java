package io.ladder.policy;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.ladder.policy.chat.ChatTemplate;
import io.ladder.policy.chat.ChatTemplateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model folder's {@code tokenizer.json}, run by DJL's bindings to Hugging Face tokenizers,
 * plus what the folder says about special tokens: BOS, the EOS set (config.json,
 * generation_config.json and tokenizer_config.json may each name some), padding, and the
 * prompt template the model expects.
 */
public final class TextTokenizer implements AutoCloseable {
    private final HuggingFaceTokenizer hf;
    private final Map<String, Integer> specialTokens; // added tokens by content
    private final Set<Integer> specialIds;
    private final Set<Integer> eosIds;
    private final Integer bosId;
    private final int padId;
    private final int vocabSize;
    private final ChatTemplate chatTemplate; // null: the folder has none
    private final String folder;
    private volatile PromptTemplate template;

    private TextTokenizer(HuggingFaceTokenizer hf, Map<String, Integer> special, Set<Integer> specialIds,
                          Set<Integer> eosIds, Integer bosId, int padId, int vocabSize, ChatTemplate chatTemplate,
                          PromptTemplate template, String folder) {
        this.chatTemplate = chatTemplate;
        this.folder = folder;
        this.hf = hf;
        this.specialTokens = special;
        this.specialIds = specialIds;
        this.eosIds = eosIds;
        this.bosId = bosId;
        this.padId = padId;
        this.vocabSize = vocabSize;
        this.template = template;
    }

    /** Loads the tokenizer of a model folder; {@code config} supplies ids config.json names. */
    public static TextTokenizer load(Path dir, LlamaConfig config) {
        Path file = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(file)) {
            throw new ModelFolderException(file + ": missing (a model folder needs tokenizer.json)");
        }
        JsonObject tokJson = readJson(file);
        Map<String, Integer> special = new LinkedHashMap<>();
        Set<Integer> specialIds = new LinkedHashSet<>();
        JsonElement added = tokJson.get("added_tokens");
        if (added != null && added.isJsonArray()) {
            for (JsonElement e : added.getAsJsonArray()) {
                JsonObject t = e.getAsJsonObject();
                special.put(t.get("content").getAsString(), t.get("id").getAsInt());
                if (t.has("special") && t.get("special").getAsBoolean()) {
                    specialIds.add(t.get("id").getAsInt());
                }
            }
        }
        JsonObject tokConfig = dir.resolve("tokenizer_config.json").toFile().isFile()
                ? readJson(dir.resolve("tokenizer_config.json")) : new JsonObject();
        JsonObject genConfig = dir.resolve("generation_config.json").toFile().isFile()
                ? readJson(dir.resolve("generation_config.json")) : new JsonObject();

        Set<Integer> eos = new LinkedHashSet<>(config.eosTokenIds);
        addIds(eos, genConfig.get("eos_token_id"));
        Integer tokCfgEos = tokenId(tokConfig.get("eos_token"), special);
        if (tokCfgEos != null) {
            eos.add(tokCfgEos);
        }
        Integer bos = config.bosTokenId != null ? config.bosTokenId : tokenId(tokConfig.get("bos_token"), special);
        Integer pad = config.padTokenId != null ? config.padTokenId : tokenId(tokConfig.get("pad_token"), special);
        if (pad == null) {
            // Padding positions are always masked out, so any id will do; EOS is the usual choice.
            pad = eos.isEmpty() ? 0 : eos.iterator().next();
        }
        ChatTemplate chat = loadChatTemplate(dir, tokConfig);
        PromptTemplate template = PromptTemplate.named("auto", chat, null, dir.toString());

        HuggingFaceTokenizer hf;
        try {
            hf = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(file)
                    .optAddSpecialTokens(true)
                    .optTruncation(false)
                    .optPadding(false)
                    .build();
        } catch (IOException | RuntimeException e) {
            throw new ModelFolderException(file + ": cannot be loaded by Hugging Face tokenizers ("
                    + LlamaConfig.firstLine(e.getMessage()) + ")");
        }
        return new TextTokenizer(hf, special, specialIds, eos, bos, pad, config.vocabSize, chat, template,
                dir.toString());
    }

    /**
     * The folder's chat template as transformers finds it: chat_template.jinja (what current
     * transformers writes) before tokenizer_config.json's {@code chat_template}, which is either
     * the Jinja source or a list of named templates of which {@code default} is the one used.
     */
    private static ChatTemplate loadChatTemplate(Path dir, JsonObject tokConfig) {
        Path jinjaFile = dir.resolve("chat_template.jinja");
        String source;
        String text;
        if (Files.isRegularFile(jinjaFile)) {
            source = jinjaFile.toString();
            try {
                text = Files.readString(jinjaFile);
            } catch (IOException e) {
                throw new ModelFolderException(jinjaFile + ": cannot be read (" + e.getMessage() + ")");
            }
        } else {
            source = dir.resolve("tokenizer_config.json") + " chat_template";
            JsonElement t = tokConfig.get("chat_template");
            if (t == null || t.isJsonNull()) {
                return null;
            }
            text = null;
            if (t.isJsonPrimitive()) {
                text = t.getAsString();
            } else if (t.isJsonArray()) {
                for (JsonElement e : t.getAsJsonArray()) {
                    JsonObject o = e.isJsonObject() ? e.getAsJsonObject() : null;
                    if (o != null && o.has("name") && o.get("name").getAsString().equals("default") && o.has("template")) {
                        text = o.get("template").getAsString();
                    }
                }
                if (text == null) {
                    throw new ModelFolderException(source + ": a list of templates without one named \"default\"");
                }
            } else {
                throw new ModelFolderException(source + ": expected a string or a list of {name, template}");
            }
        }
        Map<String, Object> specialTokens = new LinkedHashMap<>();
        for (String key : List.of("bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token")) {
            String content = tokenContent(tokConfig.get(key));
            if (content != null) {
                specialTokens.put(key, content);
            }
        }
        List<String> additional = new ArrayList<>();
        JsonElement add = tokConfig.get("additional_special_tokens");
        if (add != null && add.isJsonArray()) {
            add.getAsJsonArray().forEach(e -> additional.add(tokenContent(e)));
        }
        specialTokens.put("additional_special_tokens", additional);
        try {
            return new ChatTemplate(source, text, specialTokens);
        } catch (ChatTemplateException e) {
            throw new ModelFolderException(e.getMessage());
        }
    }

    private static String tokenContent(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        return e.isJsonObject() ? e.getAsJsonObject().get("content").getAsString() : e.getAsString();
    }

    private static JsonObject readJson(Path file) {
        try {
            JsonElement e = JsonParser.parseString(Files.readString(file));
            if (!e.isJsonObject()) {
                throw new ModelFolderException(file + ": expected a JSON object");
            }
            return e.getAsJsonObject();
        } catch (IOException e) {
            throw new ModelFolderException(file + ": cannot be read (" + e.getMessage() + ")");
        } catch (com.google.gson.JsonParseException e) {
            throw new ModelFolderException(file + ": not valid JSON (" + LlamaConfig.firstLine(e.getMessage()) + ")");
        }
    }

    private static void addIds(Set<Integer> out, JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return;
        }
        if (e.isJsonArray()) {
            e.getAsJsonArray().forEach(x -> out.add(x.getAsInt()));
        } else {
            out.add(e.getAsInt());
        }
    }

    /** tokenizer_config.json names tokens either as a string or as {"content": ...}. */
    private static Integer tokenId(JsonElement e, Map<String, Integer> special) {
        String content = tokenContent(e);
        return content == null ? null : special.get(content);
    }

    /** Token ids of a text; {@code addSpecial} lets the tokenizer's post-processor add BOS. */
    public int[] encode(String text, boolean addSpecial) {
        Encoding enc = hf.encode(text, addSpecial, false);
        long[] ids = enc.getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = (int) ids[i];
        }
        return out;
    }

    /** Token ids of a prompt rendered with the model's template (BOS included once). */
    public int[] encodePrompt(String userText) {
        PromptTemplate.Rendered r = template.render(userText);
        return encode(r.text(), r.addSpecialTokens());
    }

    /**
     * How prompts are rendered from now on: {@code auto}, {@code chat} or {@code completion}
     * (see {@link PromptTemplate#named}), with an optional system turn.
     */
    public void usePromptFormat(String format, String systemPrompt) {
        usePromptFormat(format, systemPrompt, List.of());
    }

    /** As {@link #usePromptFormat(String, String)}, with example exchanges before every prompt (chat only). */
    public void usePromptFormat(String format, String systemPrompt, List<PromptTemplate.Example> fewShot) {
        this.template = PromptTemplate.named(format, chatTemplate, systemPrompt, fewShot, folder);
    }

    /** A whole conversation in the model's chat template, tokenized as apply_chat_template does. */
    public int[] encodeChat(List<Map<String, Object>> messages, boolean addGenerationPrompt,
                            List<Map<String, Object>> tools) {
        if (chatTemplate == null) {
            throw new IllegalStateException(folder + " has no chat template");
        }
        return encode(chatTemplate.render(messages, addGenerationPrompt, tools, Map.of()), false);
    }

    /** The conversation of a chat prompt for {@code userText}: the format's system turn and examples, then the user turn. */
    public List<Map<String, Object>> chatMessages(String userText) {
        return template.messages(userText);
    }

    /** The prompt format in use: "chat" (the model's template) or "completion". */
    public String promptFormat() {
        return template.name();
    }

    /** The folder's own chat template, or null. */
    public ChatTemplate chatTemplate() {
        return chatTemplate;
    }

    public String decode(int[] ids, boolean skipSpecial) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        return hf.decode(l, skipSpecial);
    }

    /** One string per token id, for display ({@code score} output). */
    public List<String> tokenStrings(int[] ids) {
        List<String> out = new ArrayList<>(ids.length);
        for (int id : ids) {
            out.add(decode(new int[] {id}, false));
        }
        return out;
    }

    public boolean isEos(int id) {
        return eosIds.contains(id);
    }

    public Set<Integer> eosIds() {
        return eosIds;
    }

    public Integer bosId() {
        return bosId;
    }

    public int padId() {
        return padId;
    }

    public boolean isSpecial(int id) {
        return specialIds.contains(id);
    }

    public Integer specialTokenId(String content) {
        return specialTokens.get(content);
    }

    public int vocabSize() {
        return vocabSize;
    }

    public PromptTemplate template() {
        return template;
    }

    @Override
    public void close() {
        hf.close();
    }
}
