package io.ladder.tasks.env.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.ladder.tasks.env.Environment;
import io.ladder.tasks.env.Environments;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToolWorldTest {
    static String call(JsonObject c) {
        return "<tool_call>" + c + "</tool_call>";
    }

    static List<String> truth(JsonObject task) {
        List<String> out = new ArrayList<>();
        for (JsonElement e : task.getAsJsonArray("calls")) {
            out.add(call(e.getAsJsonObject()));
        }
        return out;
    }

    static String call(String name, String argsJson) {
        return "<tool_call>{\"name\": \"" + name + "\", \"arguments\": " + argsJson + "}</tool_call>";
    }

    @Test
    void theGroundTruthSolvesEveryGeneratedTaskInOneTurnOrOneCallPerTurn() {
        for (int level = 1; level <= ToolTasks.MAX_LEVEL; level++) {
            for (int i = 0; i < 40; i++) {
                JsonObject task = ToolTasks.generate(7, level, i);
                assertEquals(level, task.getAsJsonArray("calls").size(), "level = number of required calls");
                assertEquals(task, ToolTasks.generate(7, level, i), "a task is a function of (seed, level, index)");
                Environment env = Environments.create(ToolWorld.NAME);
                env.reset(task);
                Environment.Step s = env.step("Sure. " + String.join("\n", truth(task)));
                assertFalse(s.done(), s.observation());
                assertFalse(s.observation().contains("error:"), task + "\n" + s.observation());
                assertEquals(1.0, env.step("Done.").quality(), task.toString());

                env.reset(task);
                for (String c : truth(task)) {
                    assertFalse(env.step(c).done());
                }
                assertEquals(1.0, env.step("All done.").quality());
            }
        }
    }

    /** Llama 3.1's template asks for the turn to be one bare JSON object with "parameters". */
    @Test
    void bareJsonCallsInLlamasFormatAreCallsAndProseIsAnAnswer() {
        for (int i = 0; i < 20; i++) {
            JsonObject task = ToolTasks.generate(3, 3, i);
            Environment env = Environments.create(ToolWorld.NAME);
            env.reset(task);
            int k = 0;
            for (JsonElement e : task.getAsJsonArray("calls")) {
                JsonObject c = e.getAsJsonObject();
                JsonObject llama = new JsonObject();
                llama.add("name", c.get("name"));
                llama.add("parameters", c.get("arguments"));
                Environment.Step s = env.step((k++ == 0 ? "<|python_tag|>" : "") + llama + "\n");
                assertFalse(s.done(), s.observation());
                assertTrue(s.observation().startsWith("<tool_response>ok: "), s.observation());
            }
            assertEquals(1.0, env.step("The request is done.").quality(), task.toString());
        }
        Environment env = Environments.create(ToolWorld.NAME);
        env.reset(ToolTasks.generate(3, 1, 0));
        assertTrue(env.step("{\"name\": \"nope\", \"parameters\": {}}").observation().contains("error:"), "an unknown function");
        assertTrue(env.step("{\"answer\": 3}").done(), "JSON without a name is an answer, not a call");
        assertEquals(null, ToolWorld.bareCall("I called {\"name\": \"balance\"} before"), "a call must be the whole turn");
    }

    @Test
    void theRewardNeedsTheFinalStateAndTheCallsInOrder() {
        JsonObject task = new JsonObject();
        task.addProperty("request", "Deposit 5 then 10 into ann's account.");
        task.add("initial", com.google.gson.JsonParser.parseString("{\"files\": {}, \"accounts\": {\"ann\": 0}}"));
        task.add("calls", com.google.gson.JsonParser.parseString("[{\"name\": \"deposit\", \"arguments\": {\"owner\": \"ann\", \"amount\": 5}},"
                + " {\"name\": \"deposit\", \"arguments\": {\"owner\": \"ann\", \"amount\": 10}}]"));
        ToolWorld env = new ToolWorld();
        env.reset(task);
        // extra read-only calls around the ground truth: still a subsequence, same state
        env.step(call("balance", "{\"owner\": \"ann\"}") + call("deposit", "{\"owner\": \"ann\", \"amount\": 5}")
                + call("list_files", "{}") + call("deposit", "{\"amount\": 10, \"owner\": \"ann\"}"));
        assertEquals(1.0, env.step("done").quality());
        env.reset(task);
        env.step(call("deposit", "{\"owner\": \"ann\", \"amount\": 10}") + call("deposit", "{\"owner\": \"ann\", \"amount\": 5}"));
        assertEquals(0.0, env.step("done").quality(), "same final state, calls out of order");
        env.reset(task);
        env.step(call("deposit", "{\"owner\": \"ann\", \"amount\": 15}"));
        assertEquals(0.0, env.step("done").quality(), "same final state, not the calls asked for");
        env.reset(task);
        env.step(call("deposit", "{\"owner\": \"ann\", \"amount\": 5}") + call("deposit", "{\"owner\": \"ann\", \"amount\": 10}")
                + call("deposit", "{\"owner\": \"ann\", \"amount\": 1}"));
        assertEquals(0.0, env.step("done").quality(), "the calls, then a change nobody asked for");
        env.reset(task);
        assertEquals(0.0, env.step("I cannot do that.").quality(), "answered without calling");
    }

    @Test
    void malformedCallsAreErrorObservationsAndChangeNothing() {
        JsonObject task = ToolTasks.generate(3, 2, 0);
        ToolWorld env = new ToolWorld();
        env.reset(task);
        JsonObject before = env.state().getAsJsonObject("world");
        String[][] bad = {
            {"<tool_call>deposit(ann, 5)</tool_call>", "malformed call"},
            {"<tool_call>{\"arguments\": {}}</tool_call>", "malformed call"},
            {"<tool_call>{\"name\": \"deposit\", \"arguments\": [1]}</tool_call>", "malformed call"},
            {call("rob_bank", "{}"), "unknown function \"rob_bank\""},
            {call("deposit", "{\"owner\": \"ann\", \"amount\": 5, \"memo\": \"x\"}"), "unknown argument \"memo\""},
            {call("deposit", "{\"owner\": \"ann\"}"), "missing argument \"amount\""},
            {call("deposit", "{\"owner\": \"ann\", \"amount\": \"5\"}"), "\"amount\" must be a positive integer"},
            {call("deposit", "{\"owner\": \"ann\", \"amount\": -5}"), "\"amount\" must be a positive integer"},
            {call("deposit", "{\"owner\": \"ann\", \"amount\": 1.5}"), "\"amount\" must be a positive integer"},
            {call("open_account", "{\"owner\": 7}"), "\"owner\" must be a non-empty string"},
            {call("create_file", "{\"path\": \"a\", \"content\": \"" + "x".repeat(300) + "\"}"), "longer than 256 characters"},
            {call("create_file", "{\"path\": \"a\", \"content\": \"" + "x".repeat(3000) + "\"}"), "a call longer than 2048 characters"},
            {call("withdraw", "{\"owner\": \"nobody\", \"amount\": 5}"), "nobody has no account"},
        };
        for (String[] b : bad) {
            Environment.Step s = env.step(b[0]);
            assertTrue(s.observation().startsWith("<tool_response>error: ") && s.observation().contains(b[1]),
                    b[0] + " -> " + s.observation());
            assertEquals(before, env.state().getAsJsonObject("world"), "no state change: " + b[0]);
            env.reset(task); // the turn budget is small; each bad call gets a fresh episode
        }
        Environment.Step many = env.step(call("list_files", "{}").repeat(12));
        assertEquals(ToolWorld.MAX_CALLS_PER_TURN + 1, many.observation().lines().count(), many.observation());
        assertTrue(many.observation().contains("more than 8 calls in one turn"));
    }

    @Test
    void anEpisodeEndsAtItsTurnBudgetWithQualityZero() {
        JsonObject task = ToolTasks.generate(3, 1, 4);
        ToolWorld env = new ToolWorld();
        env.reset(task);
        Environment.Step s = null;
        for (int t = 0; t < task.get("max_turns").getAsInt(); t++) {
            s = env.step(call("list_files", "{}"));
        }
        assertTrue(s.done() && s.quality() == 0.0 && s.observation().contains("turn budget of 3 turns is used up"), s.toString());
        Environment.Step last = s;
        assertThrows(IllegalStateException.class, () -> env.step("again"), "after " + last);
    }

    @Test
    void anEpisodeRestoredFromItsStateContinuesWhereItWas() {
        JsonObject task = ToolTasks.generate(11, 4, 2);
        List<String> calls = truth(task);
        ToolWorld first = new ToolWorld();
        first.reset(task);
        first.step(calls.get(0) + calls.get(1));
        JsonObject saved = com.google.gson.JsonParser.parseString(first.state().toString()).getAsJsonObject(); // through text
        ToolWorld second = new ToolWorld();
        second.restore(task, saved);
        assertEquals(first.state(), second.state());
        second.step(calls.get(2) + calls.get(3));
        assertEquals(1.0, second.step("done").quality());
    }

    @Test
    void theRegistryNamesWhatItKnows() {
        assertEquals(ToolWorld.NAME, Environments.create("tool-world").name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Environments.create("chess"));
        assertTrue(e.getMessage().contains("known: tool-world"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Environments.register("tool-world", ToolWorld::new));
        assertThrows(IllegalArgumentException.class, () -> ToolTasks.generate(1, 0, 0));
    }
}
