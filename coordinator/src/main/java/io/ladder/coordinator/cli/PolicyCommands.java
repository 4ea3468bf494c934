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
import io.ladder.policy.RandomLlama;
import io.ladder.policy.SamplingParams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/** Commands that load one model folder: sample, score, create, convert. */
final class PolicyCommands {
    private PolicyCommands() {}

    static Policy loadPolicy(Args a, NDManager m) {
        Policy policy = Policy.load(a.path("model"), m);
        usePromptFormat(policy, a); // --template / --system where the command takes them, else auto
        return policy;
    }

    /** {@code ladder generate}: sample completions of one prompt. */
    static final class Generate implements Main.Command {
        @Override
        public String summary() {
            return "sample completions: --model DIR --prompt TEXT [--samples N] [--temperature T] [--top-p P] [--top-k K] [--max-new-tokens M] [--seed S] [--stop STR] [--template auto|chat|completion] [--system TEXT] [--json]";
        }

        @Override
        public int run(List<String> argv) {
            Args a = Args.parse("generate", argv,
                    Set.of("model", "prompt", "samples", "temperature", "top-p", "top-k", "max-new-tokens", "seed", "stop", "template", "system"),
                    Set.of("json"));
            String prompt = a.required("prompt");
            int samples = a.integer("samples", 1);
            if (samples < 1) {
                throw new UsageException("--samples must be at least 1, got " + samples);
            }
            SamplingParams p = new SamplingParams(a.number("temperature", 1.0), a.number("top-p", 1.0),
                    a.integer("top-k", 0), a.integer("max-new-tokens", 64),
                    a.has("stop") ? List.of(a.string("stop", "")) : List.of(), a.longValue("seed", 0), false);
            try (NDManager m = Policy.newManager(); Policy policy = loadPolicy(a, m)) {
                int[] ids = renderPrompt(policy, prompt, a);
                List<Completion> out = policy.generate(Collections.nCopies(samples, ids), p);
                Gson gson = new GsonBuilder().disableHtmlEscaping().create();
                for (int i = 0; i < out.size(); i++) {
                    Completion c = out.get(i);
                    if (a.flag("json")) {
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

    /** The prompt's ids with {@code --template auto|chat|completion} and {@code --system TEXT}. */
    static int[] renderPrompt(Policy policy, String prompt, Args a) {
        usePromptFormat(policy, a);
        try {
            return policy.tokenizer().encodePrompt(prompt);
        } catch (io.ladder.policy.chat.ChatTemplateException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** Applies {@code --template auto|chat|completion} and {@code --system TEXT} to the policy's prompts. */
    static void usePromptFormat(Policy policy, Args a) {
        try {
            policy.tokenizer().usePromptFormat(a.string("template", "auto"), a.string("system", ""));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--template: " + e.getMessage());
        }
    }

    /** {@code ladder chat-template}: a conversation rendered by the model's own template, with ids. */
    static final class ChatTemplateCommand implements Main.Command {
        @Override
        public String summary() {
            return "a conversation in the model's chat template, as text and token ids (JSON): --model DIR --messages FILE.json [--tools FILE.json] [--no-generation-prompt]";
        }

        @Override
        @SuppressWarnings("unchecked")
        public int run(List<String> argv) {
            Args a = Args.parse("chat-template", argv, Set.of("model", "messages", "tools"), Set.of("no-generation-prompt"));
            Object messages = readJson(a.path("messages"), "--messages");
            Object tools = a.has("tools") ? readJson(a.path("tools"), "--tools") : null;
            if (!(messages instanceof List<?> ml) || ml.isEmpty() || !ml.stream().allMatch(x -> x instanceof java.util.Map<?, ?>)) {
                throw new UsageException("--messages: expected a non-empty JSON list of {\"role\", \"content\"} objects");
            }
            if (tools != null && !(tools instanceof List<?>)) {
                throw new UsageException("--tools: expected a JSON list of tool schemas");
            }
            try (NDManager m = Policy.newManager(); Policy policy = loadPolicy(a, m)) {
                var template = policy.tokenizer().chatTemplate();
                if (template == null) {
                    throw new UsageException(a.path("model") + ": the model has no chat template");
                }
                String text;
                try {
                    text = template.render((List<java.util.Map<String, Object>>) messages, !a.flag("no-generation-prompt"),
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
    static final class Score implements Main.Command {
        @Override
        public String summary() {
            return "per-token log-probs of a completion as JSON: --model DIR --prompt TEXT --completion TEXT [--temperature T] [--template auto|chat|completion] [--system TEXT]";
        }

        @Override
        public int run(List<String> argv) {
            Args a = Args.parse("score", argv, Set.of("model", "prompt", "completion", "temperature", "template", "system"), Set.of());
            String prompt = a.required("prompt");
            String completion = a.required("completion");
            double temperature = a.number("temperature", 1.0);
            if (temperature <= 0) {
                throw new UsageException("--temperature must be positive, got " + temperature);
            }
            try (NDManager m = Policy.newManager(); Policy policy = loadPolicy(a, m)) {
                int[] p = renderPrompt(policy, prompt, a);
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
    static final class InitModel implements Main.Command {
        @Override
        public String summary() {
            return "write a random tiny Llama folder: --out DIR [--layers 2] [--hidden 64] [--heads 4] [--kv-heads 2] [--intermediate 4*hidden] [--max-positions 512] [--untied] [--seed 0]";
        }

        @Override
        public int run(List<String> argv) throws Exception {
            Args a = Args.parse("init-model", argv,
                    Set.of("out", "layers", "hidden", "heads", "kv-heads", "intermediate", "max-positions", "seed", "std"),
                    Set.of("untied"));
            Path out = a.path("out");
            PretrainCommand.refuseExisting(out);
            int hidden = a.integer("hidden", 64);
            int heads = a.integer("heads", 4);
            int kv = a.integer("kv-heads", 2);
            if (hidden <= 0 || heads <= 0 || kv <= 0 || hidden % heads != 0 || heads % kv != 0) {
                throw new UsageException("need hidden % heads == 0 and heads % kv-heads == 0 (got "
                        + hidden + ", " + heads + ", " + kv + ")");
            }
            LlamaConfig cfg = new RandomLlama().layers(a.integer("layers", 2)).hidden(hidden).heads(heads).kvHeads(kv)
                    .intermediate(a.integer("intermediate", 4 * hidden)).maxPositions(a.integer("max-positions", 512))
                    .tied(!a.flag("untied")).seed(a.longValue("seed", 0)).std(a.number("std", 0.02)).write(out);
            System.out.println("wrote " + out + " (" + cfg.parameterCount() + " parameters)");
            return 0;
        }
    }

    /**
     * {@code ladder export}: re-save a model folder in the given dtype; with --with-logits also
     * write {@code ladder_logits.json} (logits for fixed token ids) for the reverse check
     * against transformers.
     */
    static final class Export implements Main.Command {
        @Override
        public String summary() {
            return "re-save a model folder: --model DIR --out DIR [--dtype float32|bfloat16|float16] [--with-logits]";
        }

        @Override
        public int run(List<String> argv) throws Exception {
            Args a = Args.parse("export", argv, Set.of("model", "out", "dtype"), Set.of("with-logits"));
            Path out = Args.outputFolder("out", a.path("out"));
            String dtype = a.string("dtype", "float32");
            if (!List.of("float32", "bfloat16", "float16").contains(dtype)) {
                throw new UsageException("--dtype must be float32, bfloat16 or float16, got " + dtype);
            }
            try (NDManager m = Policy.newManager(); Policy policy = loadPolicy(a, m)) {
                policy.save(out, dtype);
                if (a.flag("with-logits")) {
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
