package io.ladder.tasks.exit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ladder.proto.ExitSpec;
import io.ladder.proto.RolloutBatch;
import io.ladder.proto.RolloutGroup;
import io.ladder.proto.RolloutSample;
import io.ladder.tasks.ListTaskSource;
import io.ladder.tasks.Prompts;
import io.ladder.tasks.Task;
import io.ladder.tasks.Verifier;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExitTaskSourceTest {
    static final List<Task> BASE = List.of(Task.of("a", Prompts.student("1+2"), "3"), Task.of("b", Prompts.student("4+4"), "8"),
            Task.of("c", Prompts.student("9-5"), "4"));

    static ExitTaskSource source(ExitSpec.Preset preset, double pDiv) {
        ExitSpec.Builder b = ExitSpec.newBuilder().setPreset(preset).setBufferCapacity(16).setMinBuffer(2).setDivergenceProb(pDiv);
        if (preset != ExitSpec.Preset.GRPO) {
            b.setSelfIterationProb(1.0); // every slot from the buffer once it holds B_min instances
        }
        ExitSpec s = ExitSettings.resolve(b.build());
        return new ExitTaskSource(new ListTaskSource(BASE, List.of(), Verifier.EXACT_INTEGER, 1), s, 7);
    }

    /** Rewards per group: group i's G = 4 samples answer "\boxed{x}" and are right when rewards[i][j] = 1. */
    static RolloutBatch rollouts(List<Task> tasks, int[][] rewards) {
        RolloutBatch.Builder b = RolloutBatch.newBuilder();
        for (int i = 0; i < tasks.size(); i++) {
            RolloutGroup.Builder g = RolloutGroup.newBuilder().setGroup(i);
            for (int j = 0; j < rewards[i].length; j++) {
                String text = rewards[i][j] == 1 ? Prompts.boxed(tasks.get(i).answer()) : "\\boxed{" + (100 + j) + "}";
                g.addSamples(RolloutSample.newBuilder().setGroup(i).setReward(rewards[i][j]).setCompletionText(text));
            }
            b.addGroups(g);
        }
        return b.build();
    }

    static int[][] half(int groups) {
        int[][] r = new int[groups][];
        for (int i = 0; i < groups; i++) {
            r[i] = new int[] {1, 0, 1, 0};
        }
        return r;
    }

    @Test
    void grpoPresetIsThePlainBaseDistribution() {
        ExitTaskSource s = source(ExitSpec.Preset.GRPO, 0);
        ListTaskSource base = new ListTaskSource(BASE, List.of(), Verifier.EXACT_INTEGER, 1);
        for (int t = 0; t < 5; t++) {
            List<Task> tasks = s.tasksForStep(t, 4);
            assertEquals(base.tasksForStep(t, 4), tasks);
            s.observe(t, tasks, rollouts(tasks, half(4)));
        }
        assertEquals(0, s.buffer().size());
    }

    @Test
    void curriculumReDrawsBaseTasksByLearnability() {
        ExitTaskSource s = source(ExitSpec.Preset.CURRICULUM, 0);
        List<Task> first = s.tasksForStep(0, 3);
        s.observe(0, first, rollouts(first, new int[][] {{1, 1, 1, 1}, {1, 0, 1, 0}, {0, 0, 0, 1}}));
        assertEquals(3, s.buffer().size());
        assertEquals(List.of(0.25, 0.1875, 0.0), s.buffer().instances().stream().map(ExitBuffer.Instance::score).toList());
        for (Task t : s.tasksForStep(1, 6)) {
            assertTrue(BASE.contains(t), "curriculum draws base tasks only: " + t);
        }
    }

    @Test
    void improveInstancesGrowFromResponsesAndInheritTheirGroupsScore() {
        ExitTaskSource s = source(ExitSpec.Preset.IMPROVE, 0);
        List<Task> first = s.tasksForStep(0, 2);
        s.observe(0, first, rollouts(first, new int[][] {{1, 1, 1, 1}, {1, 0, 0, 0}}));
        assertEquals(2, s.buffer().size());
        ExitBuffer.Instance solved = s.buffer().instances().stream().filter(i -> i.score() == 0).findFirst().orElseThrow();
        assertEquals(1, solved.iterate(), "a child of the always-solved group");
        List<Task> next = s.tasksForStep(1, 8);
        int improve = 0;
        for (Task t : next) {
            if (t.iterate() > 0) {
                improve++;
                assertTrue(t.prompt().startsWith(Prompts.IMPROVE) && t.prompt().contains(Prompts.CURRENT), t.prompt());
                Task parent = BASE.stream().filter(b -> b.id().equals(t.parentId())).findFirst().orElseThrow();
                assertEquals(parent.answer(), t.answer(), "the new answer is checked against the base task's");
                assertTrue(t.prompt().contains(parent.prompt().strip()), "the request is the base task's prompt");
            }
        }
        assertEquals(8, improve, "p = 1 and B_min reached: every slot is a self-iteration");
        assertEquals(1.0, s.stats().getImproveShare());
        s.observe(1, next, rollouts(next, half(8)));
        assertTrue(s.buffer().instances().stream().anyMatch(i -> i.iterate() == 2), "children of children: iterate 2");
        java.util.Set<String> prompts = new java.util.HashSet<>();
        first.forEach(t -> prompts.add(t.prompt()));
        next.forEach(t -> prompts.add(t.prompt()));
        assertEquals(prompts.size(), s.stats().getDistinctInstances(), "distinct prompts trained on");
        assertTrue(prompts.size() < 10, "8 draws from 2 instances repeat some: " + prompts.size());
    }

    @Test
    void divergeStepsUseTheDivergePrompt() {
        ExitTaskSource s = source(ExitSpec.Preset.DIVERGE, 1.0);
        List<Task> first = s.tasksForStep(0, 2);
        s.observe(0, first, rollouts(first, half(2)));
        for (Task t : s.tasksForStep(1, 4)) {
            assertTrue(t.prompt().startsWith(Prompts.DIVERGE), t.prompt());
        }
        assertEquals(1.0, s.stats().getDivergeShare());
    }

    @TempDir
    Path tmp;

    @Test
    void theSourceIsAFunctionOfSeedStepAndSavedState() throws Exception {
        ExitTaskSource a = source(ExitSpec.Preset.DIVERGE, 0.5);
        ExitTaskSource b = source(ExitSpec.Preset.DIVERGE, 0.5);
        for (int t = 0; t < 3; t++) {
            List<Task> ta = a.tasksForStep(t, 4);
            assertEquals(ta, b.tasksForStep(t, 4));
            a.observe(t, ta, rollouts(ta, half(4)));
            b.observe(t, ta, rollouts(ta, half(4)));
        }
        a.saveState(tmp);
        ExitTaskSource c = source(ExitSpec.Preset.DIVERGE, 0.5);
        c.loadState(tmp);
        assertEquals(a.buffer().instances(), c.buffer().instances());
        List<Task> ta = a.tasksForStep(3, 6);
        assertEquals(ta, c.tasksForStep(3, 6), "a restored source draws what the original draws");
        a.observe(3, ta, rollouts(ta, half(6)));
        c.observe(3, ta, rollouts(ta, half(6)));
        assertEquals(a.stats(), c.stats());
    }
}
