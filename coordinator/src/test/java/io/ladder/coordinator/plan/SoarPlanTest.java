package io.ladder.coordinator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ladder.coordinator.runtime.PoolSchedule;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The simulated scheduler and SOAR's cost model against hand-computed layouts. */
class SoarPlanTest {
    @Test
    void jobsGoToTheFirstFreeGroupInSubmissionOrder() {
        List<PoolSchedule.Slot> s = PoolSchedule.run(List.of(3.0, 1.0, 1.0, 2.0), 2);
        assertEquals(new PoolSchedule.Slot(0, 0, 3), s.get(0));
        assertEquals(new PoolSchedule.Slot(1, 0, 1), s.get(1));
        assertEquals(new PoolSchedule.Slot(1, 1, 2), s.get(2));
        assertEquals(new PoolSchedule.Slot(1, 2, 4), s.get(3));
        assertEquals(4.0, PoolSchedule.makespan(s));
        assertThrows(IllegalArgumentException.class, () -> PoolSchedule.run(List.of(1.0), 0));
    }

    @Test
    void paperShapeOnSixStudentGroupsTakesThreeWaves() {
        // g = 4, r = 4: 16 loops of (reset 5 + 10 × 60 + eval 30) = 635 s on 6 one-GPU groups → 3 waves
        SoarPlan.Shape shape = new SoarPlan.Shape(4, 64, 4, 10);
        SoarPlan.Costs costs = new SoarPlan.Costs(0.25, 0.8, 60, 30, 5, 30);
        SoarPlan.Result r = SoarPlan.plan(shape, costs, new SoarPlan.Layout(8, 2, 1, 1, 1.0));
        assertEquals(6, r.studentGroups());
        assertEquals(3, r.waves());
        assertEquals(3 * 635.0, r.loopsSeconds(), 1e-9);
        double teacher = 0.25 * 256 / 0.8 + 30; // 80 s of sampling, 30 of update
        assertEquals(teacher, r.teacherSeconds(), 1e-9);
        double outer = 80 + 30 + 3 * 635 + 30;
        assertEquals(outer, r.outerSeconds(), 1e-9);
        // GPU-seconds busy: teacher 2 × 110, students 1 × (30 + 16 × 635), over 8 GPUs × outer
        assertEquals((2 * 110 + 30 + 16 * 635.0) / (8 * outer), r.gpuUtilisation(), 1e-12);
        assertEquals(16 * 635.0 / (6 * 3 * 635.0), r.studentUtilisation(), 1e-12);
    }

    @Test
    void biggerGroupsRunFasterByTheScalingRule() {
        SoarPlan.Shape shape = new SoarPlan.Shape(2, 8, 1, 4);
        SoarPlan.Costs costs = new SoarPlan.Costs(0.0, 1.0, 10, 0, 0, 0);
        // 2 loops of 40 s (on one GPU); groups of 2 GPUs with 90% efficiency run 1.8× as fast
        SoarPlan.Result r = SoarPlan.plan(shape, costs, new SoarPlan.Layout(4, 0, 2, 1, 0.9));
        assertEquals(2, r.studentGroups());
        assertEquals(40 / 1.8, r.loopsSeconds(), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> SoarPlan.plan(shape, costs, new SoarPlan.Layout(4, 4, 1, 1, 1.0)));
    }
}
