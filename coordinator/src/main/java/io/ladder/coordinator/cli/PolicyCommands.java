package io.ladder.coordinator.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.ladder.policy.Completion;
import io.ladder.policy.LlamaConfig;
import io.ladder.policy.LlamaModel;
import io.ladder.policy.Policy;
import io.ladder.policy.PromptTemplate;
import io.ladder.policy.RandomLlama;
import io.ladder.policy.SamplingParams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Commands that load one model folder: sample, score, create, convert. */
final class PolicyCommands {
    private PolicyCommands() {}

    /** {@code --template}, {@code --system} and {@code --few-shot}: how a prompt is put to the model (a job's model.prompt_format, system_prompt, few_shot). */
    static final class PromptFormatOptions {
        /** What commands without the flags use: the model's own format, no system prompt. */
        static final PromptFormatOptions AUTO = new PromptFormatOptions();

        // an initial value rather than defaultValue: AUTO is used without being parsed
        @Option(names = "--template", paramLabel = "auto|chat|completion",
                description = "Prompt format: the model's chat template, plain text, or auto (the template when the model has one).")
        String template = "auto";

        @Option(names = "--system", paramLabel = "TEXT", description = "System prompt of chat-formatted prompts. Default: none.")
        String system;

        @Option(names = "--few-shot", paramLabel = "FILE.jsonl",
                description = "Worked examples shown before each prompt as earlier turns, one {\"user\": ..., \"assistant\": ...} per line (chat format). Default: none.")
        Path fewShot;

        /** Applies the format to the policy's prompts. */
        void applyTo(Policy policy) {
            List<PromptTemplate.Example> examples = examples(fewShot);
            try {
                policy.tokenizer().usePromptFormat(template, system == null ? "" : system, examples);
            } catch (IllegalArgumentException e) {
                throw new UsageException((examples.isEmpty() ? "--template: " : "--few-shot: ") + e.getMessage());
            }
        }

        /** The examples of a --few-shot file, each line checked; none without the flag. */
        static List<PromptTemplate.Example> examples(Path file) {
            if (file == null) {
                return List.of();
            }
            List<String> lines;
            try {
                lines = Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8);
            } catch (java.nio.file.NoSuchFileException e) {
                throw new UsageException("--few-shot: " + file + " does not exist");
            } catch (IOException | java.io.UncheckedIOException e) {
                throw new UsageException("--few-shot: " + file + ": cannot be read as UTF-8 text (" + e.getMessage() + ")");
            }
            List<PromptTemplate.Example> out = new java.util.ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                String where = "--few-shot: " + file + ":" + (i + 1) + ": ";
                com.google.gson.JsonObject o;
                try {
                    com.google.gson.JsonElement e = com.google.gson.JsonParser.parseString(lines.get(i));
                    o = e.isJsonObject() ? e.getAsJsonObject() : null;
                } catch (com.google.gson.JsonParseException e) {
                    o = null;
                }
                if (o == null) {
                    throw new UsageException(where + "not a JSON object");
                }
                String user = text(o, "user");
                String assistant = text(o, "assistant");
                if (user == null || assistant == null) {
                    throw new UsageException(where + "needs non-empty \"user\" and \"assistant\" strings");
                }
                out.add(new PromptTemplate.Example(user, assistant));
            }
            if (out.isEmpty()) {
                throw new UsageException("--few-shot: " + file + " holds no examples");
            }
            return out;
        }

        private static String text(com.google.gson.JsonObject o, String key) {
            com.google.gson.JsonElement v = o.get(key);
            return v != null && v.isJsonPrimitive() && v.getAsJsonPrimitive().isString() && !v.getAsString().isEmpty() ? v.getAsString() : null;
        }

        /** The prompt's ids in this format. */
        int[] render(Policy policy, String prompt) {
            applyTo(policy);
            try {
                return policy.tokenizer().encodePrompt(prompt);
            } catch (io.ladder.policy.chat.ChatTemplateException e) {
                throw new UsageException(e.getMessage());
            }
        }
    }

    static Policy loadPolicy(Path model, PromptFormatOptions format, NDManager m) {
        Policy policy = Policy.load(model, m);
        format.applyTo(policy);
        return policy;
    }

    /** {@code ladder generate}: sample completions of one prompt. */
    @Command(name = "generate", description = "Sample completions of one prompt.")
    static final class Generate implements Callable<Integer> {
        @Option(names = "--model", paramLabel = "DIR", required = true, description = "Model folder (Hugging Face layout).")
        Path model;

        @Option(names = "--prompt", paramLabel = "TEXT", required = true, description = "The prompt.")
        String prompt;

        @Option(names = "--samples", paramLabel = "N", defaultValue = "1", description = "Completions to sample.")
        int samples;

        @Option(names = "--temperature", paramLabel = "T", defaultValue = "1.0", description = "Sampling temperature.")
        double temperature;

        @Option(names = "--top-p", paramLabel = "P", defaultValue = "1.0", description = "Nucleus sampling: the smallest set of tokens with this much probability.")
        double topP;

        @Option(names = "--top-k", paramLabel = "K", defaultValue = "0", description = "Sample among the K likeliest tokens; 0: all.")
        int topK;

        @Option(names = "--max-new-tokens", paramLabel = "M", defaultValue = "64", description = "Tokens to generate at most.")
        int maxNewTokens;

        @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Sampling seed.")
        long seed;

        @Option(names = "--stop", paramLabel = "STR", description = "Stop after this text. Default: at the end-of-sequence token only.")
        String stop;

        @Mixin
        PromptFormatOptions format;

        @Option(names = "--json", description = "One JSON object per sample (text, token ids, log-probs, finish reason).")
        boolean json;

        @Override
        public Integer call() {
            if (samples < 1) {
                throw new UsageException("--samples must be at least 1, got " + samples);
            }
            SamplingParams p = TaskCommands.SamplingOptions.checked(() -> new SamplingParams(temperature, topP, topK, maxNewTokens,
                    stop != null ? List.of(stop) : List.of(), seed, false));
            try (NDManager m = Policy.newManager(); Policy policy = loadPolicy(model, format, m)) {
                int[] ids = format.render(policy, prompt);
                List<Completion> out = policy.generate(Collections.nCopies(samples, ids), p);
                Gson gson = new GsonBuilder().disableHtmlEscaping().create();
                for (int i = 0; i < out.size(); i++) {
                    Completion c = out.get(i);
                    if (json) {
                        JsonObject o = new JsonObject();
                        o.addProperty("sample", i);
                        o.addProperty("text", c.text());
                        o.add("token_ids", gson.toJsonTree(c.tokenIds()));
                        o.add("logprobs", gson.toJsonTree(c.logprobs()));
                        o.addProperty("finish_reason", c.finishReason().wireName());
                        System.out.println(gson.toJson(o));
                    } else {
                        System.out.printf("--- sample %d (%d tokens, finish: %s, sum log-prob %.3f)%n", i,
                                c.tokenIds().length, c.finishReason().wireName(), c.sumLogprob());
                        System.out.println(c.text());
                    }
                }
            }
            return 0;
        }
    }

    /** {@code ladder chat-template}: a conversation rendered by the model's own template, with ids. */
    @Command(name = "chat-template", description = "A conversation in the model's chat template, with ids.")
    static final class ChatTemplateCommand implements Callable<Integer> {
        @Option(names = "--model", paramLabel = "DIR", required = true, description = "Model folder with a chat template.")
        Path model;

        @Option(names = "--messages", paramLabel = "FILE.json", required = true,
                description = "The conversation: a JSON list of {\"role\", \"content\"} objects.")
        Path messagesFile;

        @Option(names = "--tools", paramLabel = "FILE.json", description = "A JSON list of tool schemas for the template. Default: none.")
        Path toolsFile;

        @Option(names = "--no-generation-prompt", description = "Leave out the assistant turn's opening.")
        boolean noGenerationPrompt;

        @Override
        @SuppressWarnings("unchecked")
        public Integer call() {
            Object messages = readJson(messagesFile, "--messages");
            Object tools = toolsFile != null ? readJson(toolsFile, "--tools") : null;
            if (!(messages instanceof List<?> ml) || ml.isEmpty() || !ml.stream().allMatch(x -> x instanceof java.util.Map<?, ?>)) {
                throw new UsageException("--messages: expected a non-empty JSON list of {\"role\", \"content\"} objects");
            }
            if (tools != null && !(tools instanceof List<?>)) {
                throw new UsageException("--tools: expected a JSON list of tool schemas");
            }
            try (NDManager m = Policy.newManager(); Policy policy = loadPolicy(model, PromptFormatOptions.AUTO, m)) {
                var template = policy.tokenizer().chatTemplate();
                if (template == null) {
                    throw new UsageException(model + ": the model has no chat template");
                }
                String text;
                try {
                    text = template.render((List<java.util.Map<String, Object>>) messages, !noGenerationPrompt,
                            (List<java.util.Map<String, Object>>) tools, java.util.Map.of());
                } catch (io.ladder.policy.chat.ChatTemplateException e) {
                    throw new UsageException(e.getMessage());
                }
                JsonObject o = new JsonObject();
                o.addProperty("template", template.source());
                o.addProperty("text", text);
                o.add("token_ids", new Gson().toJsonTree(policy.tokenizer().encode(text, false)));
                System.out.println(new GsonBuilder().disableHtmlEscaping().create().toJson(o));
            }
            return 0;
        }

        private static Object readJson(java.nio.file.Path file, String flag) {
            try {
                return io.ladder.policy.chat.PyJson.toJava(com.google.gson.JsonParser.parseString(java.nio.file.Files.readString(file)));
            } catch (java.io.IOException e) {
                throw new UsageException(flag + ": " + file + " cannot be read (" + e.getMessage() + ")");
            } catch (com.google.gson.JsonParseException e) {
                throw new UsageException(flag + ": " + file + " is not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
            }
        }
    }

    /** {@code ladder score}: teacher-forced log-probs of a given completion. */
    @Command(name = "score", description = "Per-token log-probs of a given completion, as JSON.")
    static final class Score implements Callable<Integer> {
        @Option(names = "--model", paramLabel = "DIR", required = true, description = "Model folder.")
        Path model;

        @Option(names = "--prompt", paramLabel = "TEXT", required = true, description = "The prompt.")
        String prompt;

        @Option(names = "--completion", paramLabel = "TEXT", required = true, description = "The completion to score after the prompt.")
        String completion;

        @Option(names = "--temperature", paramLabel = "T", defaultValue = "1.0", description = "Temperature the log-probs are taken at.")
        double temperature;

        @Mixin
        PromptFormatOptions format;

        @Override
        public Integer call() {
            if (temperature <= 0) {
                throw new UsageException("--temperature must be positive, got " + temperature);
            }
            try (NDManager m = Policy.newManager(); Policy policy = loadPolicy(model, format, m)) {
                int[] p = format.render(policy, prompt);
                int[] c = policy.tokenizer().encode(completion, false);
                if (c.length == 0) {
                    throw new UsageException("--completion encodes to no tokens");
                }
                float[] lp = policy.scoreValues(List.of(p), List.of(c), temperature).get(0);
                JsonObject o = new JsonObject();
                Gson gson = new GsonBuilder().disableHtmlEscaping().create();
                o.add("tokens", gson.toJsonTree(policy.tokenizer().tokenStrings(c)));
                o.add("token_ids", gson.toJsonTree(c));
                o.add("logprobs", gson.toJsonTree(lp));
                double sum = 0;
                for (float f : lp) {
                    sum += f;
                }
                o.addProperty("sum_logprob", sum);
                System.out.println(gson.toJson(o));
            }
            return 0;
        }
    }

    /** {@code ladder init-model}: a randomly initialised byte-level Llama folder. */
    @Command(name = "init-model", description = "Write a randomly initialised tiny Llama folder.")
    static final class InitModel implements Callable<Integer> {
        @Option(names = "--out", paramLabel = "DIR", required = true, description = "New model folder (absent or empty).")
        Path out;

        @Option(names = "--layers", paramLabel = "N", defaultValue = "2", description = "Transformer layers.")
        int layers;

        @Option(names = "--hidden", paramLabel = "D", defaultValue = "64", description = "Hidden size, a multiple of --heads.")
        int hidden;

        @Option(names = "--heads", paramLabel = "H", defaultValue = "4", description = "Attention heads, a multiple of --kv-heads.")
        int heads;

        @Option(names = "--kv-heads", paramLabel = "H", defaultValue = "2", description = "Key/value heads.")
        int kvHeads;

        @Option(names = "--intermediate", paramLabel = "N", description = "MLP width. Default: 4 x --hidden.")
        Integer intermediate;

        @Option(names = "--max-positions", paramLabel = "N", defaultValue = "512", description = "Context length (max_position_embeddings).")
        int maxPositions;

        @Option(names = "--untied", description = "A separate output head instead of the tied input embedding.")
        boolean untied;

        @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Initialisation seed.")
        long seed;

        @Option(names = "--std", paramLabel = "X", defaultValue = "0.02", description = "Standard deviation of the initial weights.")
        double std;

        @Override
        public Integer call() throws Exception {
            PretrainCommand.refuseExisting(out);
            if (hidden <= 0 || heads <= 0 || kvHeads <= 0 || hidden % heads != 0 || heads % kvHeads != 0) {
                throw new UsageException("need hidden % heads == 0 and heads % kv-heads == 0 (got "
                        + hidden + ", " + heads + ", " + kvHeads + ")");
            }
            LlamaConfig cfg = new RandomLlama().layers(layers).hidden(hidden).heads(heads).kvHeads(kvHeads)
                    .intermediate(intermediate != null ? intermediate : 4 * hidden).maxPositions(maxPositions)
                    .tied(!untied).seed(seed).std(std).write(out);
            System.out.println("wrote " + out + " (" + cfg.parameterCount() + " parameters)");
            return 0;
        }
    }

    /**
     * {@code ladder export}: re-save a model folder in the given dtype; with --with-logits also
     * write {@code ladder_logits.json} (logits for fixed token ids) for the reverse check
     * against transformers.
     */
    @Command(name = "export", description = "Re-save a model folder, optionally in another dtype.")
    static final class Export implements Callable<Integer> {
        @Option(names = "--model", paramLabel = "DIR", required = true, description = "Model folder to read.")
        Path model;

        @Option(names = "--out", paramLabel = "DIR", required = true, description = "Folder to write.")
        Path out;

        @Option(names = "--dtype", paramLabel = "float32|bfloat16|float16", defaultValue = "float32", description = "Weight type to save.")
        String dtype;

        @Option(names = "--with-logits", description = "Also write ladder_logits.json (logits of fixed texts) for the check against transformers.")
        boolean withLogits;

        @Override
        public Integer call() throws Exception {
            OutputPaths.folder("out", out);
            if (!List.of("float32", "bfloat16", "float16").contains(dtype)) {
                throw new UsageException("--dtype must be float32, bfloat16 or float16, got " + dtype);
            }
            try (NDManager m = Policy.newManager(); Policy policy = loadPolicy(model, PromptFormatOptions.AUTO, m)) {
                policy.save(out, dtype);
                if (withLogits) {
                    // Logits of the saved (possibly narrowed) weights, so the comparison is exact.
                    try (Policy saved = Policy.load(out, m)) {
                        writeLogits(saved, out.resolve("ladder_logits.json"));
                    }
                }
            }
            System.out.println("wrote " + out);
            return 0;
        }

        private static void writeLogits(Policy policy, Path file) throws Exception {
            String[] texts = {"The quick brown fox jumps over 13 lazy dogs.", "1+2*(3-4)=?\\boxed{-1} ok"};
            List<int[]> rows = new ArrayList<>();
            int len = Integer.MAX_VALUE;
            for (String t : texts) {
                int[] ids = policy.tokenizer().encode(t, true);
                rows.add(ids);
                len = Math.min(len, ids.length);
            }
            JsonArray idsJson = new JsonArray();
            JsonArray logitsJson = new JsonArray();
            try (NDManager m = policy.model().manager().newSubManager()) {
                for (int[] full : rows) {
                    long[] ids = new long[len];
                    long[] pos = new long[len];
                    boolean[][] valid = new boolean[1][len];
                    JsonArray row = new JsonArray();
                    for (int i = 0; i < len; i++) {
                        ids[i] = full[i];
                        pos[i] = i;
                        valid[0][i] = true;
                        row.add(full[i]);
                    }
                    idsJson.add(row);
                    NDArray logits = policy.model().forward(m, m.create(ids, new Shape(1, len)),
                            m.create(pos, new Shape(1, len)), LlamaModel.attentionBias(m, valid, 0, len), null, 0, false);
                    float[] v = logits.toFloatArray();
                    int vocab = (int) logits.getShape().get(2);
                    JsonArray rowLogits = new JsonArray();
                    for (int t = 0; t < len; t++) {
                        JsonArray step = new JsonArray();
                        for (int k = 0; k < vocab; k++) {
                            step.add(v[t * vocab + k]);
                        }
                        rowLogits.add(step);
                    }
                    logitsJson.add(rowLogits);
                }
            }
            JsonObject o = new JsonObject();
            o.add("input_ids", idsJson);
            o.add("logits", logitsJson);
            Files.writeString(file, new Gson().toJson(o));
        }
    }
}
