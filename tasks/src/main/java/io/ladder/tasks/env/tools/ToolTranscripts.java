package io.ladder.tasks.env.tools;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.ladder.tasks.env.Environment;

/**
 * A task's ground-truth episode as text, for pretraining a completion model on the tool world:
 * exactly what an episode's context holds when the model solves it one call per turn (the first
 * prompt, each call closed by the end-of-turn token the model must learn to write, the world's
 * answer, and finally an answer without a call). The world's answers come from running the calls.
 */
public final class ToolTranscripts {
    private ToolTranscripts() {}

    /** The transcript split where the model's part begins: the first prompt, and everything after it. */
    public record Transcript(String prompt, String completion) {}

    /** @param endOfTurn the text of the token that ends a model turn (the tokenizer's EOS) */
    public static Transcript solve(JsonObject task, String endOfTurn) {
        ToolWorld world = new ToolWorld();
        String request = world.reset(task);
        StringBuilder completion = new StringBuilder();
        for (JsonElement c : task.getAsJsonArray("calls")) {
            String turn = ToolPrompts.call(c.getAsJsonObject());
            Environment.Step s = world.step(turn);
            if (s.done() || !s.observation().startsWith("<tool_response>ok: ")) {
                throw new IllegalStateException("the ground truth of " + task.get("id") + " failed: " + s.observation());
            }
            completion.append(turn).append(endOfTurn).append(s.observation());
        }
        String done = "Done.";
        if (world.step(done).quality() != 1.0) {
            throw new IllegalStateException("the ground truth of " + task.get("id") + " does not solve it");
        }
        return new Transcript(world.firstPrompt(request), completion.append(done).toString());
    }
}
