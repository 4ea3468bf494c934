package io.ladder.tasks.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.ladder.tasks.env.tools.ToolPrompts;
import io.ladder.tasks.env.tools.ToolTasks;
import io.ladder.tasks.env.tools.ToolWorld;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Turn prefixes replay an episode exactly, and another attempt continues from the state the first left. */
class EpisodePrefixTest {
    static final JsonObject TASK = ToolTasks.generate(4, 3, 0); // three calls

    static List<EpisodePrefix.Turn> groundTruthCalls() {
        List<EpisodePrefix.Turn> turns = new ArrayList<>();
        for (JsonElement c : TASK.getAsJsonArray("calls")) {
            turns.add(EpisodePrefix.Turn.of(ToolPrompts.call(c.getAsJsonObject())));
        }
        return turns;
    }

    @Test
    void aPrefixReplaysToTheStateItsTurnsLeft() {
        List<EpisodePrefix.Turn> calls = groundTruthCalls();
        EpisodePrefix.Replayed two = EpisodePrefix.replay(new ToolWorld(), TASK, calls.subList(0, 2));
        assertFalse(two.done());
        assertEquals(0.0, two.quality(), "two of three calls: not the target state yet");
        assertTrue(two.observations().stream().allMatch(o -> o.startsWith("<tool_response>ok: ")), two.observations().toString());
        EpisodePrefix.Replayed three = EpisodePrefix.replay(new ToolWorld(), TASK, calls);
        assertFalse(three.done());
        assertEquals(1.0, three.quality(), "judged now, the three calls solve it");
        List<EpisodePrefix.Turn> finished = new ArrayList<>(calls);
        finished.add(EpisodePrefix.Turn.of("Done."));
        EpisodePrefix.Replayed end = EpisodePrefix.replay(new ToolWorld(), TASK, finished);
        assertTrue(end.done());
        assertEquals(1.0, end.quality());
    }

    @Test
    void anotherAttemptContinuesFromTheStateTheFirstLeft() {
        List<EpisodePrefix.Turn> calls = groundTruthCalls();
        // first attempt: one call, then an answer (wrong: two calls missing); the second makes the rest
        List<EpisodePrefix.Turn> turns = new ArrayList<>(List.of(calls.get(0), EpisodePrefix.Turn.of("Done.")));
        assertEquals(0.0, EpisodePrefix.replay(new ToolWorld(), TASK, turns).quality());
        turns.add(new EpisodePrefix.Turn(EpisodePrefix.Followup.IMPROVE, calls.get(1).text()));
        turns.add(calls.get(2));
        turns.add(EpisodePrefix.Turn.of("Done."));
        EpisodePrefix.Replayed r = EpisodePrefix.replay(new ToolWorld(), TASK, turns);
        assertTrue(r.done());
        assertEquals(1.0, r.quality(), "the calls of both attempts reach the target state");
    }

    @Test
    void aPrefixThatDoesNotFitTheEpisodeIsRefused() {
        List<EpisodePrefix.Turn> calls = groundTruthCalls();
        IllegalArgumentException early = assertThrows(IllegalArgumentException.class, () -> EpisodePrefix.replay(new ToolWorld(), TASK,
                List.of(calls.get(0), new EpisodePrefix.Turn(EpisodePrefix.Followup.DIVERGE, "Done."))));
        assertTrue(early.getMessage().contains("turn 2 of the prefix: a follow-up request before the episode ended"), early.getMessage());
        IllegalArgumentException late = assertThrows(IllegalArgumentException.class, () -> EpisodePrefix.replay(new ToolWorld(), TASK,
                List.of(EpisodePrefix.Turn.of("Done."), calls.get(0))));
        assertTrue(late.getMessage().contains("no follow-up reopened it"), late.getMessage());
    }

    @Test
    void turnsTravelAsOneLineOfJson() {
        EpisodePrefix.Turn t = new EpisodePrefix.Turn(EpisodePrefix.Followup.DIVERGE, "<tool_call>{\"name\": \"x\"}</tool_call>\nok");
        String s = EpisodePrefix.encode(t);
        assertFalse(s.contains("\n"));
        assertEquals(t, EpisodePrefix.decode(s));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EpisodePrefix.decode("not json"));
        assertTrue(e.getMessage().startsWith("not an episode turn") && !e.getMessage().contains("\n"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EpisodePrefix.decode("{\"text\": \"a\"}"), "a turn without its follow-up");
    }
}
