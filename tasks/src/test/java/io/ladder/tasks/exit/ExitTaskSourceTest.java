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
        return new ExitTaskSource(new ListTaskSource(BASE, List.of(), Verifier.EXACT_INTEGER, 1), s, 7, 4);
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

    static ExitTaskSource perRollout(double pDiv) {
        ExitSpec s = ExitSettings.resolve(ExitSpec.newBuilder().setPreset(ExitSpec.Preset.DIVERGE).setBufferCapacity(16).setMinBuffer(2)
                .setSelfIterationProb(1.0).setDivergenceProb(pDiv).setDivergenceDraw(ExitSpec.DivergenceDraw.PER_ROLLOUT).build());
        return new ExitTaskSource(new ListTaskSource(BASE, List.of(), Verifier.EXACT_INTEGER, 1), s, 7, 4);
    }

    @Test
    void perRolloutDivergenceMixesImproveAndDivergePromptsInAGroup() {
        ExitTaskSource s = perRollout(0.5);
        List<Task> first = s.tasksForStep(0, 2);
        s.observe(0, first, rollouts(first, half(2)));
        List<Task> next = s.tasksForStep(1, 16);
        int mixed = 0;
        double diverging = 0;
        for (Task t : next) {
            assertTrue(t.iterate() > 0, "p = 1 and B_min reached");
            if (!t.samplePrompts().isEmpty()) {
                mixed++;
                assertEquals(4, t.samplePrompts().size(), "one prompt per rollout");
                assertTrue(t.id().contains("~m"), t.id());
                long d = t.samplePrompts().stream().filter(p -> p.startsWith(Prompts.DIVERGE)).count();
                assertTrue(d > 0 && d < 4, "a mixed group has both kinds");
                assertTrue(t.samplePrompts().stream().allMatch(p -> p.startsWith(Prompts.DIVERGE) || p.startsWith(Prompts.IMPROVE)));
                diverging += d / 4.0;
            } else {
                diverging += t.prompt().startsWith(Prompts.DIVERGE) ? 1 : 0; // a group whose coins all agree shares its prompt
            }
        }
        assertTrue(mixed >= 8, "at p_div = 1/2 most of 16 groups of 4 mix (P = 7/8 each): " + mixed);
        assertEquals(diverging / 16, s.stats().getDivergeShare(), 1e-12, "the diverge share counts rollouts");
        assertEquals(1 - diverging / 16, s.stats().getImproveShare(), 1e-12);
        s.observe(1, next, rollouts(next, half(16)));
        java.util.Set<String> prompts = new java.util.HashSet<>();
        first.forEach(t -> prompts.add(t.prompt()));
        next.forEach(t -> prompts.addAll(t.samplePrompts().isEmpty() ? List.of(t.prompt()) : t.samplePrompts()));
        assertTrue(prompts.size() > 4, "both prompts of both instances: " + prompts.size());
        assertEquals(prompts.size(), s.stats().getDistinctInstances(), "each rollout's prompt counts as trained on");
    }

    @Test
    void perRolloutDrawsLeaveTheSelectionStreamAlone() {
        for (double pDiv : new double[] {0.0, 1.0}) { // every coin agrees: the same tasks as per-group p_div
            ExitTaskSource a = source(ExitSpec.Preset.DIVERGE, pDiv);
            ExitTaskSource b = perRollout(pDiv);
            for (int t = 0; t < 3; t++) {
                List<Task> ta = a.tasksForStep(t, 5);
                assertEquals(ta, b.tasksForStep(t, 5));
                a.observe(t, ta, rollouts(ta, half(5)));
                b.observe(t, ta, rollouts(ta, half(5)));
            }
        }
    }

    @Test
    void gainIsTheShareOfTheRemainingQualityGained() {
        assertEquals(0.5, ExitTaskSource.gain(0.5, 0.75), 1e-12);
        assertEquals(0.0, ExitTaskSource.gain(0.5, 0.25), "a worse answer earns 0, not a penalty");
        assertEquals(1.0, ExitTaskSource.gain(0.2, 1.0), 1e-12);
        // binary correctness: the gain is the new answer's correctness (the paper's math reward)
        assertEquals(1.0, ExitTaskSource.gain(0, 1));
        assertEquals(0.0, ExitTaskSource.gain(0, 0));
        assertEquals(1.0, ExitTaskSource.gain(1, 1), "nothing left to gain: keeping it right earns its quality");
        assertEquals(0.0, ExitTaskSource.gain(1, 0));
    }

    /** One group of boxed answers to the single base task "100" (closeness: q = 1 − |x − 100| / 100). */
    static RolloutBatch answers(int... boxed) {
        RolloutGroup.Builder g = RolloutGroup.newBuilder().setGroup(0);
        for (int x : boxed) {
            g.addSamples(RolloutSample.newBuilder().setGroup(0).setCompletionText("\\boxed{" + x + "}")
                    .setReward(Verifier.CLOSENESS.reward("\\boxed{" + x + "}", "100")));
        }
        return RolloutBatch.newBuilder().addGroups(g).build();
    }

    @Test
    void gradedSelfIterationsEarnTheirGainAndAreScoredByQuality() {
        for (ExitSpec.IterationReward rule : ExitSpec.IterationReward.values()) {
            if (rule == ExitSpec.IterationReward.ITERATION_REWARD_UNSPECIFIED || rule == ExitSpec.IterationReward.UNRECOGNIZED) {
                continue;
            }
            ExitSpec spec = ExitSettings.resolve(ExitSpec.newBuilder().setPreset(ExitSpec.Preset.IMPROVE).setBufferCapacity(4)
                    .setMinBuffer(1).setSelfIterationProb(1.0).setIterationReward(rule).build());
            ExitTaskSource s = new ExitTaskSource(new ListTaskSource(List.of(Task.of("h", Prompts.student("60+40"), "100")), List.of(),
                    Verifier.CLOSENESS, 1), spec, 7, 4);
            List<Task> first = s.tasksForStep(0, 1);
            assertEquals(0, first.get(0).iterate(), "an empty buffer: the base task");
            RolloutBatch base = answers(50, 50, 50, 50);
            assertEquals(base, s.rewardIterations(base), "a base task keeps its reward");
            s.observe(0, first, base); // the child (history "\boxed{50}", q_prev = 0.5) enters with S = 0
            List<Task> next = s.tasksForStep(1, 1);
            assertEquals(1, next.get(0).iterate());
            RolloutBatch shaped = s.rewardIterations(answers(100, 75, 50, 25)); // q = 1, 0.75, 0.5, 0.25
            double[] expected = rule == ExitSpec.IterationReward.GAIN ? new double[] {1, 0.5, 0, 0} : new double[] {1, 0.75, 0.5, 0.25};
            for (int j = 0; j < 4; j++) {
                assertEquals(expected[j], shaped.getGroups(0).getSamples(j).getReward(), 1e-12, rule + " sample " + j);
            }
            s.observe(1, next, shaped);
            ExitBuffer.Instance parent = s.buffer().instances().stream().filter(i -> i.iterate() == 1).findFirst().orElseThrow();
            // S = Var(1, 0.75, 0.5, 0.25) = 0.078125 from the qualities, not Var(1, 0.5, 0, 0) = 0.171875 of the gains
            assertEquals(0.078125, parent.score(), 1e-12, rule + ": learnability is the variance of the final qualities");
        }
    }
}
