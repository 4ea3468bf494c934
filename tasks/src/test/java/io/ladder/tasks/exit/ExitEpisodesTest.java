package io.ladder.tasks.exit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.ladder.proto.ExitSpec;
import io.ladder.proto.RolloutBatch;
import io.ladder.proto.RolloutGroup;
import io.ladder.proto.RolloutSample;
import io.ladder.tasks.ListTaskSource;
import io.ladder.tasks.Task;
import io.ladder.tasks.Verifier;
import io.ladder.tasks.env.EpisodePrefix;
import io.ladder.tasks.env.tools.ToolPrompts;
import io.ladder.tasks.env.tools.ToolTasks;
import io.ladder.tasks.env.tools.ToolWorld;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ExIt on episodes: an episode enters the buffer as every turn prefix selection could pick; a
 * drawn prefix inside an attempt is continued, a finished one reopened with improve / diverge;
 * q_prev is the environment's judgement of the prefix.
 */
class ExitEpisodesTest {
    static final JsonObject TOOL_TASK = ToolTasks.generate(2, 2, 0); // two calls
    static final Task BASE = Task.episode("t0", TOOL_TASK.get("request").getAsString(), ToolWorld.NAME, TOOL_TASK.toString());

    static ExitTaskSource source(double pDiv) {
        ExitSpec s = ExitSettings.resolve(ExitSpec.newBuilder().setPreset(ExitSpec.Preset.DIVERGE).setBufferCapacity(64).setMinBuffer(2)
                .setSelfIterationProb(1.0).setDivergenceProb(pDiv).setNewInstances(ExitSpec.NewInstances.ALL).build());
        return new ExitTaskSource(new ListTaskSource(List.of(BASE), List.of(), Verifier.EXACT_INTEGER, 1), s, 7, 2);
    }

    static List<String> calls() {
        List<String> out = new ArrayList<>();
        for (JsonElement c : TOOL_TASK.getAsJsonArray("calls")) {
            out.add(ToolPrompts.call(c.getAsJsonObject()));
        }
        return out;
    }

    /** One group per task; sample j's episode wrote {@code turns[j]} and was judged {@code quality[j]}. */
    static RolloutBatch episodes(int groups, List<List<String>> turns, double[] quality) {
        RolloutBatch.Builder b = RolloutBatch.newBuilder();
        for (int i = 0; i < groups; i++) {
            RolloutGroup.Builder g = RolloutGroup.newBuilder().setGroup(i);
            for (int j = 0; j < turns.size(); j++) {
                g.addSamples(RolloutSample.newBuilder().setGroup(i).setReward(quality[j]).setFinishReason("episode")
                        .setCompletionText(String.join("", turns.get(j))).addAllTurnTexts(turns.get(j)));
            }
            b.addGroups(g);
        }
        return b.build();
    }

    @Test
    void everyTurnPrefixEntersAndIsContinuedOrReopened() {
        ExitTaskSource s = source(0);
        List<String> c = calls();
        List<Task> first = s.tasksForStep(0, 1);
        assertEquals(List.of(BASE), first, "an empty buffer: the base task");
        // a solved episode (2 calls + answer) and a failed one (1 call + answer): S = 0.25
        s.observe(0, first, episodes(1, List.of(List.of(c.get(0), c.get(1), "Done."), List.of(c.get(0), "Done.")), new double[] {1, 0}));
        assertEquals(5, s.buffer().size(), "3 + 2 turn prefixes");
        assertTrue(s.buffer().instances().stream().allMatch(in -> in.score() == 0.25));
        List<Task> next = s.tasksForStep(1, 16);
        for (Task t : next) {
            assertEquals(t.iterate(), t.episodePrefix().size());
            assertEquals(BASE.id(), t.parentId());
            assertEquals(BASE.environmentTask(), t.environmentTask());
            boolean finished = t.episodePrefix().get(t.iterate() - 1).text().equals("Done.");
            assertEquals(finished ? EpisodePrefix.Followup.IMPROVE : EpisodePrefix.Followup.NONE, t.followup(), t.id());
        }
        assertEquals(1.0, s.stats().getImproveShare(), "p_div = 0: continuations and improve attempts");
        // the reopened solved episode has q_prev = 1: keeping it solved earns q; the reopened failed one earns q too (binary)
        RolloutBatch r = episodes(16, List.of(List.of(c.get(1), "Done."), List.of("Done.")), new double[] {1, 0});
        RolloutBatch shaped = s.rewardIterations(r);
        for (RolloutGroup g : shaped.getGroupsList()) {
            assertEquals(1.0, g.getSamples(0).getReward());
            assertEquals(0.0, g.getSamples(1).getReward());
        }
        s.observe(1, next, r);
        Task reopened = next.stream().filter(t -> t.followup() == EpisodePrefix.Followup.IMPROVE).findFirst().orElseThrow();
        int k = reopened.iterate();
        assertTrue(s.buffer().instances().stream().anyMatch(in -> in.iterate() == k + 1
                && EpisodePrefix.decode(in.history().get(k)).followup() == EpisodePrefix.Followup.IMPROVE),
                "the first turn of a new attempt carries the request that opened it");
        for (ExitBuffer.Instance in : s.buffer().instances()) { // every buffered prefix replays
            EpisodePrefix.replay(new ToolWorld(), TOOL_TASK, EpisodePrefix.decodeAll(in.history()));
        }
    }

    @Test
    void divergeReopensFinishedEpisodesAndTheStateSurvivesASave(@TempDir Path tmp) throws Exception {
        ExitTaskSource s = source(1.0);
        List<String> c = calls();
        List<Task> first = s.tasksForStep(0, 1);
        s.observe(0, first, episodes(1, List.of(List.of(c.get(0), "Done."), List.of("Done.")), new double[] {0, 0.5}));
        List<Task> next = s.tasksForStep(1, 8);
        for (Task t : next) {
            boolean finished = t.episodePrefix().get(t.iterate() - 1).text().equals("Done.");
            assertEquals(finished ? EpisodePrefix.Followup.DIVERGE : EpisodePrefix.Followup.NONE, t.followup());
        }
        s.saveState(tmp);
        ExitTaskSource restored = source(1.0);
        restored.loadState(tmp);
        assertEquals(s.buffer().instances(), restored.buffer().instances());
        assertEquals(s.tasksForStep(2, 8), restored.tasksForStep(2, 8), "a restored source draws the same prefixes");
    }

    @Test
    void perRolloutDivergenceIsForSingleTurnTasks() {
        ExitSpec spec = ExitSettings.resolve(ExitSpec.newBuilder().setPreset(ExitSpec.Preset.DIVERGE).setBufferCapacity(8).setMinBuffer(1)
                .setSelfIterationProb(1.0).setDivergenceDraw(ExitSpec.DivergenceDraw.PER_ROLLOUT).build());
        ExitTaskSource s = new ExitTaskSource(new ListTaskSource(List.of(BASE), List.of(), Verifier.EXACT_INTEGER, 1), spec, 7, 2);
        List<Task> first = s.tasksForStep(0, 1);
        s.observe(0, first, episodes(1, List.of(List.of("Done."), List.of(calls().get(0), "Done.")), new double[] {0, 1}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.tasksForStep(1, 1));
        assertTrue(e.getMessage().contains("per_rollout is for single-turn tasks"), e.getMessage());
    }
}
