package io.ladder.tasks.env.tools;

import java.util.stream.Collectors;

/**
 * The first prompt of a tool-world episode for models without a chat template that knows tools:
 * the functions with their parameters, the call format, then the request. (Chat models get the
 * tools through their own template instead.)
 */
public final class ToolPrompts {
    private ToolPrompts() {}

    public static String prompt(String request) {
        String tools = Apis.FUNCTIONS.stream()
                .map(f -> f.name() + "(" + f.params().stream().map(p -> p.name() + (p.integer() ? ": int" : ": str"))
                        .collect(Collectors.joining(", ")) + ")")
                .collect(Collectors.joining("; "));
        return "Tools: " + tools + ".\nCall a tool as <tool_call>{\"name\": ..., \"arguments\": {...}}</tool_call>; "
                + "answer without a call when the request is done.\nRequest: " + request + "\n";
    }
}
