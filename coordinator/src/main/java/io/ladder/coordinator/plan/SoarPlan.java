package io.ladder.coordinator.plan;

import io.ladder.coordinator.runtime.PoolSchedule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * SOAR's outer step on a cluster that does not exist yet: the scheduler's policy
 * ({@link PoolSchedule}, the one {@code GroupPool} follows) on a simulated clock with per-call
 * costs, so a user can size a cluster before renting it.
 *
 * <h2>Cost model</h2>
 * One outer step is sequential where Algorithm 1 is:
 * <pre>
 * teacher sampling (g·n / well-formed rate samples, on the teacher group)
 * + baseline accuracy on Q_R (one student group)
 * + the g·r inner loops on P student groups: each loop = reset + inner_steps · inner step + Q_R evaluation
 * + teacher update (teacher group)
 * </pre>
 * Student costs are measured (or given) on a group of {@code costGpus} GPUs; on a group of k GPUs a
 * call runs {@code speed(k) / speed(costGpus)} times as fast, with {@code speed(k) = k · e^log2(k)}
 * (e: the efficiency of each doubling, 1 = linear). Teacher costs are for the layout's teacher
 * group. Groups do not slow each other down (no shared-bandwidth contention is modelled). GPU utilisation is the share of
 * GPU-seconds in which a group is busy: the teacher's GPUs wait during the inner loops, the
 * students' during the teacher's phases and in the last, partial wave of loops.
 */
public final class SoarPlan {
    /** Costs of one call on one trainer group, in seconds. */
    public record Costs(double teacherSamplePerPair, double wellFormedRate, double innerStep, double evaluation,
                        double reset, double teacherUpdate) {
        public Costs {
            if (!(wellFormedRate > 0 && wellFormedRate <= 1)) {
                throw new IllegalArgumentException("well-formed rate must be in (0, 1], got " + wellFormedRate);
            }
        }
    }

    /** The SOAR settings that set the work of one outer step. */
    public record Shape(int datasets, int questionsPerDataset, int repeats, int innerSteps) {}

    /** A cluster layout: GPUs in all, the teacher group's GPUs, and each student group's. */
    public record Layout(int gpus, int teacherGpus, int studentGpusPerGroup, int costGpus, double scalingEfficiency) {
        public int studentGroups() {
            return Math.max(0, (gpus - teacherGpus) / studentGpusPerGroup);
        }
    }

    /** What one outer step takes on a layout. */
    public record Result(Layout layout, int studentGroups, double teacherSeconds, double baselineSeconds, double loopsSeconds,
                         double outerSeconds, int waves, double gpuUtilisation, double studentUtilisation) {}

    private SoarPlan() {}

    /** Relative speed of a group of k GPUs: each doubling multiplies it by 2·e. */
    static double speed(int k, double e) {
        return k * Math.pow(e, Math.log(k) / Math.log(2));
    }

    public static Result plan(Shape s, Costs c, Layout l) {
        int groups = l.studentGroups();
        if (groups < 1) {
            throw new IllegalArgumentException(String.format("%d GPUs with %d for the teacher leave no student group of %d GPUs",
                    l.gpus(), l.teacherGpus(), l.studentGpusPerGroup()));
        }
        double sample = c.teacherSamplePerPair() * s.datasets() * s.questionsPerDataset() / c.wellFormedRate();
        double slow = speed(l.costGpus(), l.scalingEfficiency()) / speed(l.studentGpusPerGroup(), l.scalingEfficiency());
        double eval = c.evaluation() * slow;
        double loop = (c.reset() + s.innerSteps() * c.innerStep()) * slow + eval;
        List<Double> loops = new ArrayList<>(Collections.nCopies(s.datasets() * s.repeats(), loop));
        double loopsSpan = PoolSchedule.makespan(PoolSchedule.run(loops, groups));
        double outer = sample + eval + loopsSpan + c.teacherUpdate();
        double busy = l.teacherGpus() * (sample + c.teacherUpdate())
                + (double) l.studentGpusPerGroup() * (eval + loops.size() * loop);
        double studentBusy = loops.size() * loop / (groups * loopsSpan);
        return new Result(l, groups, sample + c.teacherUpdate(), eval, loopsSpan, outer,
                (int) Math.ceil((double) loops.size() / groups), busy / (l.gpus() * outer), studentBusy);
    }
}
