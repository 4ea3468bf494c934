package io.ladder.tasks.env.tools;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.ladder.tasks.env.Environment;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in stateful tool world: a user request, the simulated {@link Apis}, and the model
 * calling them over several turns. A turn calls functions in the format its prompt asked for:
 * {@code <tool_call>{"name": "deposit", "arguments": {"owner": "ann", "amount": 30}}</tool_call>}
 * (Ladder's own prompt, and Hermes- and Qwen-style chat templates), or, as Llama 3.1's template
 * asks, the whole turn one bare JSON object {@code {"name": "deposit", "parameters": {...}}}
 * (optionally after {@code <|python_tag|>}). Each call is answered by a
 * {@code <tool_response>ok: …</tool_response>} or {@code error: …} (a chat template gets each
 * result unframed as a tool message, and frames it its own way). A turn without a call ends the
 * episode. The reward is the paper's: 1 if the final state equals the state the ground-truth calls
 * produce and those calls are a subsequence of the calls made, else 0. A malformed call is an
 * error observation; an episode that uses up its turn budget ends with quality 0.
 */
public final class ToolWorld implements Environment {
    public static final String NAME = "tool-world";
    static final int DEFAULT_MAX_TURNS = 6;
    static final int MAX_CALLS_PER_TURN = 8;
    static final int MAX_CALL_CHARS = 2048;
    private static final Pattern CALL = Pattern.compile("<tool_call>(.*?)</tool_call>", Pattern.DOTALL);

    private JsonObject task;
    private Apis world;
    private final List<String> calls = new ArrayList<>(); // canonical form of every well-formed call made
    private int turns;
    private boolean done;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String firstPrompt(String observation) {
        return ToolPrompts.prompt(observation);
    }

    @Override
    public String followupPrompt(String request) {
        return ToolPrompts.followup(request);
    }

    @Override
    public void reopen() {
        if (!done) {
            throw new IllegalStateException("the episode is not over: nothing to reopen");
        }
        done = false;
        turns = 0; // a fresh turn budget for this attempt
    }

    @Override
    public List<java.util.Map<String, Object>> tools() {
        return ToolPrompts.schemas();
    }

    @Override
    public String reset(JsonObject task) {
        this.task = task;
        this.world = Apis.fromJson(task.getAsJsonObject("initial"));
        calls.clear();
        turns = 0;
        done = false;
        return task.get("request").getAsString();
    }

    @Override
    public Step step(String modelTurn) {
        if (done) {
            throw new IllegalStateException("the episode is over");
        }
        turns++;
        Matcher m = CALL.matcher(modelTurn);
        List<String> results = new ArrayList<>(); // one per call, "ok: ..." or "error: ..."
        int n = 0;
        while (m.find()) {
            if (++n > MAX_CALLS_PER_TURN) {
                results.add(result(false, "more than " + MAX_CALLS_PER_TURN + " calls in one turn; the rest were not run"));
                break;
            }
            results.add(run(m.group(1)));
        }
        String bare = bareCall(modelTurn);
        if (n == 0 && bare != null) {
            n = 1;
            results.add(run(bare));
        }
        if (n == 0) { // the model answered without calling: the episode is judged now
            done = true;
            return new Step("", true, quality(), List.of());
        }
        boolean outOfTurns = turns >= maxTurns();
        if (outOfTurns) {
            done = true;
            results.add(result(false, "the turn budget of " + maxTurns() + " turns is used up"));
        }
        StringBuilder obs = new StringBuilder();
        results.forEach(r -> obs.append("<tool_response>").append(r).append("</tool_response>\n"));
        return new Step(obs.toString(), outOfTurns, 0.0, results);
    }

    private static final String PYTHON_TAG = "<|python_tag|>";

    /**
     * The turn as one bare JSON call (Llama 3.1's format: the turn is only {"name": ...,
     * "parameters": {...}}), or null when it is not one: prose is an answer, not a call.
     */
    static String bareCall(String turn) {
        String t = turn.strip();
        if (t.startsWith(PYTHON_TAG)) {
            t = t.substring(PYTHON_TAG.length()).strip();
        }
        if (!t.startsWith("{") || !t.endsWith("}")) {
            return null;
        }
        try {
            JsonElement e = JsonParser.parseString(t);
            return e.isJsonObject() && e.getAsJsonObject().has("name") ? t : null;
        } catch (JsonParseException e) {
            return null;
        }
    }

    /** Parses and runs one call; its response, never an exception. */
    private String run(String body) {
        if (body.length() > MAX_CALL_CHARS) {
            return result(false, "a call longer than " + MAX_CALL_CHARS + " characters");
        }
        JsonObject call;
        try {
            JsonElement e = JsonParser.parseString(body.strip());
            call = e.isJsonObject() ? e.getAsJsonObject() : null;
        } catch (JsonParseException e) {
            call = null;
        }
        String argsKey = call != null && !call.has("arguments") && call.has("parameters") ? "parameters" : "arguments"; // Llama 3.1 says parameters
        if (call == null || !call.has("name") || !call.get("name").isJsonPrimitive()
                || (call.has(argsKey) && !call.get(argsKey).isJsonObject())) {
            return result(false, "malformed call: expected {\"name\": ..., \"arguments\": {...}}");
        }
        JsonObject args = call.has(argsKey) ? call.getAsJsonObject(argsKey) : new JsonObject();
        Apis.Checked c = Apis.check(call.get("name").getAsString(), args);
        if (c.error() == null) {
            calls.add(c.canonical());
        }
        Apis.Outcome o = world.call(c);
        return result(o.ok(), o.text());
    }

    private static String result(boolean ok, String text) {
        return (ok ? "ok: " : "error: ") + text;
    }

    /** 1 if the state is the target and the ground-truth calls are a subsequence of those made. */
    @Override
    public double quality() {
        Apis target = Apis.fromJson(task.getAsJsonObject("initial"));
        List<String> truth = new ArrayList<>();
        for (JsonElement e : task.getAsJsonArray("calls")) {
            JsonObject c = e.getAsJsonObject();
            Apis.Checked checked = Apis.check(c.get("name").getAsString(), c.getAsJsonObject("arguments"));
            truth.add(checked.canonical());
            target.call(checked);
        }
        if (!world.toJson().equals(target.toJson())) {
            return 0.0;
        }
        int i = 0;
        for (String made : calls) {
            if (i < truth.size() && made.equals(truth.get(i))) {
                i++;
            }
        }
        return i == truth.size() ? 1.0 : 0.0;
    }

    private int maxTurns() {
        return task.has("max_turns") ? task.get("max_turns").getAsInt() : DEFAULT_MAX_TURNS;
    }

    @Override
    public JsonObject state() {
        JsonObject s = new JsonObject();
        s.add("world", world.toJson());
        JsonArray made = new JsonArray();
        calls.forEach(made::add);
        s.add("calls", made);
        s.addProperty("turns", turns);
        s.addProperty("done", done);
        return s;
    }

    @Override
    public void restore(JsonObject task, JsonObject state) {
        reset(task);
        world = Apis.fromJson(state.getAsJsonObject("world"));
        state.getAsJsonArray("calls").forEach(e -> calls.add(e.getAsString()));
        turns = state.get("turns").getAsInt();
        done = state.get("done").getAsBoolean();
    }
}
