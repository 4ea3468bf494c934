package io.ladder.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ladder.proto.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A question set trained beside a dataset: mixed (every step from the union) or curriculum (synthetic first). */
class SyntheticScheduleTest {
    @TempDir
    Path tmp;

    private TaskSpec spec(TaskSpec.SyntheticSchedule schedule, int steps) throws Exception {
        Path real = tmp.resolve("real.jsonl");
        Path syn = tmp.resolve("syn.jsonl");
        Files.writeString(real, "{\"id\":\"r1\",\"problem\":\"1+1\",\"answer\":\"2\"}\n{\"id\":\"r2\",\"problem\":\"2+2\",\"answer\":\"4\"}\n");
        Files.writeString(syn, "{\"id\":\"s1\",\"problem\":\"3+3\",\"answer\":\"6\"}\n");
        return TaskSpec.newBuilder().setKind(TaskSpec.Kind.DATASET).setTrainFile(real.toString()).setSyntheticFile(syn.toString())
                .setSyntheticSchedule(schedule).setSyntheticSteps(steps).setVerifier("auto").build();
    }

    private static Set<String> ids(TaskSource s, long fromStep, long toStep) {
        Set<String> out = new HashSet<>();
        for (long t = fromStep; t < toStep; t++) {
            s.tasksForStep(t, 8).forEach(task -> out.add(task.id()));
        }
        return out;
    }

    @Test
    void curriculumTrainsOnTheSyntheticSetFirst() throws Exception {
        TaskSource s = SpecTaskSource.of(spec(TaskSpec.SyntheticSchedule.CURRICULUM, 3), 1);
        assertEquals(Set.of("s1"), ids(s, 0, 3));
        assertEquals(Set.of("r1", "r2"), ids(s, 3, 10));
        assertEquals(Verifier.EXACT_INTEGER, s.verifier());
    }

    @Test
    void mixedDrawsFromBoth() throws Exception {
        TaskSource s = SpecTaskSource.of(spec(TaskSpec.SyntheticSchedule.MIXED, 0), 1);
        assertEquals(Set.of("r1", "r2", "s1"), ids(s, 0, 10));
        List<Task> eval = s.evalTasks(10);
        assertTrue(eval.stream().noneMatch(t -> t.id().equals("s1")), "synthetic problems are never held out");
    }
}
