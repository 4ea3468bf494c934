package io.ladder.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ladder.proto.TaskSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TaskSourceTest {
    @Test
    void specSourceDrawsByStepAndHoldsOutItsPool() throws Exception {
        TaskSpec spec = TaskSpec.newBuilder().setKind(TaskSpec.Kind.ARITHMETIC).addLevels(1).addLevels(3).setPoolSize(40).build();
        SpecTaskSource a = SpecTaskSource.of(spec, 9);
        SpecTaskSource b = SpecTaskSource.of(spec, 9);
        assertEquals(a.tasksForStep(5, 16), b.tasksForStep(5, 16), "tasks of a step are a function of (seed, step)");
        assertNotEquals(a.tasksForStep(5, 16), a.tasksForStep(6, 16));
        assertSame(Verifier.EXACT_INTEGER, a.verifier());
        Set<String> trained = new HashSet<>();
        for (int t = 0; t < 50; t++) {
            a.tasksForStep(t, 16).forEach(q -> trained.add(q.prompt()));
        }
        List<Task> eval = a.evalTasks(60);
        assertEquals(60, eval.size());
        for (Task q : eval) {
            assertTrue(!trained.contains(q.prompt()), "held-out task drawn for training: " + q);
            assertTrue(q.prompt().contains("\\boxed{}"), "tasks carry the rendered student prompt: " + q.prompt());
            assertEquals(0, q.iterate());
        }
    }

    @Test
    void listSourceDrawsFromItsListWithReplacement() {
        List<Task> train = List.of(Task.of("a", "1+1", "2"), Task.of("b", "2+2", "4"), Task.of("c", "3+3", "6"));
        ListTaskSource s = new ListTaskSource(train, List.of(Task.of("q", "5+5", "10")), Verifier.EXACT_INTEGER, 4);
        List<Task> step = s.tasksForStep(0, 10);
        assertEquals(10, step.size());
        assertTrue(train.containsAll(step));
        assertEquals(step, new ListTaskSource(train, List.of(), Verifier.EXACT_INTEGER, 4).tasksForStep(0, 10));
        assertEquals(1, s.evalTasks(5).size());
    }

    @Test
    void derivedTasksKnowTheirParentAndIterate() {
        Task base = Task.of("t1", "Question: 2+3", "5");
        Task improve = base.derive("t1-i1", "Improve your current response ...");
        assertEquals("t1", improve.parentId());
        assertEquals(1, improve.iterate());
        assertEquals("5", improve.answer());
        assertEquals(2, improve.derive("t1-i2", "again").iterate());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new Task("x", "p", "a", "", 0, "no-such-verifier"));
    }

    @Test
    void oneFunctionChoosesTheVerifier() {
        TaskSpec dataset = TaskSpec.newBuilder().setKind(TaskSpec.Kind.DATASET).setVerifier("auto").build();
        assertSame(Verifier.EXACT_INTEGER, SpecTaskSource.verifierFor(dataset,
                List.of(new io.ladder.tasks.data.MathProblem("1", "q", "12"))));
        assertSame(Verifier.MATH, SpecTaskSource.verifierFor(dataset,
                List.of(new io.ladder.tasks.data.MathProblem("1", "q", "\\frac{1}{2}"))));
        assertSame(Verifier.MATH, SpecTaskSource.verifierFor(dataset, null), "a worker without the data falls back to math");
        assertSame(Verifier.PREFIX, SpecTaskSource.verifierFor(TaskSpec.newBuilder().setKind(TaskSpec.Kind.FIXED_DIGIT).build(), null));
    }
}
