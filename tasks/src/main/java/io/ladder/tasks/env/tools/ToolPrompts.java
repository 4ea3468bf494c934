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

    public static String prompt(String request) {
        String tools = Apis.FUNCTIONS.stream()
                .map(f -> f.name() + "(" + f.params().stream().map(p -> p.name() + (p.integer() ? ": int" : ": str"))
                        .collect(Collectors.joining(", ")) + ")")
                .collect(Collectors.joining("; "));
        return "Tools: " + tools + ".\nCall a tool as <tool_call>{\"name\": ..., \"arguments\": {...}}</tool_call>; "
                + "answer without a call when the request is done.\nRequest: " + request + "\n";
    }
}
