package io.ladder.tasks.env.tools;

import java.util.stream.Collectors;

/**
 * The first prompt of a tool-world episode for models without a chat template that knows tools:
 * the functions with their parameters, the call format, then the request. (Chat models get the
 * tools through their own template instead.)
 */
public final class ToolPrompts {
    private ToolPrompts() {}

    /**
     * The functions as the JSON schemas chat templates take ({@code tools=} in transformers'
     * {@code apply_chat_template}): {"type": "function", "function": {name, description, parameters}}.
     */
    public static java.util.List<java.util.Map<String, Object>> schemas() {
        java.util.List<java.util.Map<String, Object>> out = new java.util.ArrayList<>();
        for (Apis.Function f : Apis.FUNCTIONS) {
            java.util.Map<String, Object> props = new java.util.LinkedHashMap<>();
            for (Apis.Param p : f.params()) {
                props.put(p.name(), java.util.Map.of("type", p.integer() ? "integer" : "string", "description", p.description()));
            }
            java.util.Map<String, Object> params = new java.util.LinkedHashMap<>();
            params.put("type", "object");
            params.put("properties", props);
            params.put("required", f.params().stream().map(Apis.Param::name).toList());
            java.util.Map<String, Object> fn = new java.util.LinkedHashMap<>();
            fn.put("name", f.name());
            fn.put("description", f.description());
            fn.put("parameters", params);
            out.add(java.util.Map.of("type", "function", "function", fn));
        }
        return out;
    }

    /** Everything of the first prompt before the request: the functions and the call format. */
    public static final String HEAD = "Tools: " + Apis.FUNCTIONS.stream()
            .map(f -> f.name() + "(" + f.params().stream().map(p -> p.name() + (p.integer() ? ": int" : ": str"))
                    .collect(Collectors.joining(", ")) + ")")
            .collect(Collectors.joining("; "))
            + ".\nCall a tool as <tool_call>{\"name\": ..., \"arguments\": {...}}</tool_call>; "
            + "answer without a call when the request is done.\nRequest: ";

    public static String prompt(String request) {
        return HEAD + request + "\n";
    }

    /** A follow-up request after an episode ended (ExIt's improve / diverge), in the first prompt's form. */
    public static String followup(String request) {
        return "Request: " + request + "\n";
    }

    /** A call as the tool world's transcripts write it: {@code <tool_call>{"name": "f", "arguments": {"k": "v", "n": 3}}</tool_call>}. */
    public static String call(com.google.gson.JsonObject call) {
        StringBuilder b = new StringBuilder(CALL_OPEN).append(call.get("name").getAsString()).append(ARGUMENTS);
        String sep = "";
        for (java.util.Map.Entry<String, com.google.gson.JsonElement> a : call.getAsJsonObject("arguments").entrySet()) {
            b.append(sep).append(new com.google.gson.JsonPrimitive(a.getKey())).append(": ").append(a.getValue());
            sep = ", ";
        }
        return b.append(CALL_CLOSE).toString();
    }

    static final String CALL_OPEN = "<tool_call>{\"name\": \"";
    static final String ARGUMENTS = "\", \"arguments\": {";
    static final String CALL_CLOSE = "}}</tool_call>";

    /**
     * Text the tiny models' tokenizer keeps as whole tokens when it is made for the tool world (as
     * {@link io.ladder.tasks.Prompts#TEMPLATE_TOKENS} for arithmetic): the prompt's head, the call
     * and response frames, the function names and argument keys. A byte-level first prompt is
     * about 450 tokens; with these it is the head, one token, and the request.
     */
    public static final java.util.List<String> TEMPLATE_TOKENS;

    static {
        java.util.List<String> t = new java.util.ArrayList<>(java.util.List.of(HEAD, CALL_OPEN, ARGUMENTS, CALL_CLOSE,
                "<tool_response>ok: ", "<tool_response>error: ", "</tool_response>\n"));
        java.util.Set<String> keys = new java.util.TreeSet<>();
        for (Apis.Function f : Apis.FUNCTIONS) {
            t.add(f.name());
            f.params().forEach(p -> keys.add("\"" + p.name() + "\": " + (p.integer() ? "" : "\"")));
        }
        t.addAll(keys);
        TEMPLATE_TOKENS = java.util.List.copyOf(t);
    }
}
