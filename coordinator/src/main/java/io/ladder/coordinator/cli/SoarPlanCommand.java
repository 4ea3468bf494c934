package io.ladder.coordinator.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.ladder.coordinator.job.JobSpecs;
import io.ladder.coordinator.plan.SoarPlan;
import io.ladder.proto.JobSpec;
import io.ladder.proto.SoarSpec;
import io.ladder.proto.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ladder soar-plan}: the outer-step time and GPU utilisation of SOAR on a cluster layout,
 * from per-call costs given as flags or measured in a run folder (see {@link SoarPlan} for the
 * cost model). The shape defaults to the paper's (g = 4, n = 64, r = 4, 10 inner steps).
 */
@Command(name = "soar-plan", description = "SOAR's outer-step time and GPU use on a cluster layout.")
final class SoarPlanCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "SOAR.yaml", description = "Take g, n, r and the inner steps from this job spec. Default: the flags below.")
    Path config;

    @Option(names = "--g", paramLabel = "N", defaultValue = "4", description = "Datasets the teacher writes per outer step.")
    int datasets;

    @Option(names = "--n", paramLabel = "N", defaultValue = "64", description = "Questions per dataset.")
    int questions;

    @Option(names = "--r", paramLabel = "N", defaultValue = "4", description = "Student inner loops per dataset.")
    int repeats;

    @Option(names = "--inner-steps", paramLabel = "N", defaultValue = "10", description = "Steps of each inner loop.")
    int innerSteps;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "4", description = "Nodes of the cluster.")
    int nodes;

    @Option(names = "--gpus-per-node", paramLabel = "N", defaultValue = "8", description = "GPUs per node.")
    int gpusPerNode;

    @Option(names = "--teacher-gpus", paramLabel = "N", defaultValue = "8", description = "GPUs of the teacher group.")
    int teacherGpusFlag;

    @Option(names = "--student-gpus", paramLabel = "N", split = ",", defaultValue = "1,2,4,8", description = "Student group sizes to compare, one row each.")
    int[] studentGpus;

    @Option(names = "--cost-gpus", paramLabel = "N", defaultValue = "1", description = "GPUs of the student group the costs were measured on.")
    int costGpusFlag;

    @Option(names = "--scaling-efficiency", paramLabel = "F", defaultValue = "0.9", description = "Speed-up of each doubling of a student group, in (0, 1].")
    double efficiency;

    @Option(names = "--from-run", paramLabel = "RUN", description = "Measure the costs in a SOAR run folder; the cost flags override. Default: the flags' values.")
    Path fromRun;

    @Option(names = "--inner-step-seconds", paramLabel = "S", description = "Seconds of one inner step. Default: 60, or measured.")
    Double innerStepSeconds;

    @Option(names = "--eval-seconds", paramLabel = "S", description = "Seconds of one Q_R evaluation. Default: 30, or measured.")
    Double evalSeconds;

    @Option(names = "--teacher-seconds-per-pair", paramLabel = "S", description = "Teacher seconds per sampled pair. Default: 0.25, or measured.")
    Double teacherSecondsPerPair;

    @Option(names = "--teacher-update-seconds", paramLabel = "S", description = "Seconds of one teacher update. Default: 30, or measured.")
    Double teacherUpdateSeconds;

    @Option(names = "--reset-seconds", paramLabel = "S", description = "Seconds to reset a student. Default: 5, or 0 with --from-run.")
    Double resetSeconds;

    @Option(names = "--well-formed", paramLabel = "F", description = "Fraction of the teacher's samples that are well-formed. Default: 0.9, or measured.")
    Double wellFormedRate;

    @Override
    public Integer call() throws IOException {
        SoarPlan.Shape shape;
        if (config != null) {
            JobSpec spec = JobSpecs.load(config);
            SoarSpec s = spec.getAlgorithm().getSoar();
            shape = new SoarPlan.Shape(s.getDatasets(), s.getQuestionsPerDataset(), s.getRepeats(), s.getInnerSteps());
        } else {
            shape = new SoarPlan.Shape(positive("g", datasets), positive("n", questions), positive("r", repeats), positive("inner-steps", innerSteps));
        }
        SoarPlan.Costs costs = fromRun != null ? measured(fromRun) : new SoarPlan.Costs(
                or(teacherSecondsPerPair, 0.25), or(wellFormedRate, 0.9), or(innerStepSeconds, 60),
                or(evalSeconds, 30), or(resetSeconds, 5), or(teacherUpdateSeconds, 30));
        int gpus = positive("nodes", nodes) * positive("gpus-per-node", gpusPerNode);
        int teacherGpus = positive("teacher-gpus", teacherGpusFlag);
        int costGpus = positive("cost-gpus", costGpusFlag);
        if (!(efficiency > 0 && efficiency <= 1)) {
            throw new UsageException("--scaling-efficiency: must be in (0, 1], got " + efficiency);
        }
        System.out.printf(Locale.ROOT, "SOAR outer step: g=%d n=%d r=%d, %d inner steps; %d GPUs, teacher group %d GPU(s)%n",
                shape.datasets(), shape.questionsPerDataset(), shape.repeats(), shape.innerSteps(), gpus, teacherGpus);
        System.out.printf(Locale.ROOT, "costs per call (s; students on a group of %d GPU(s), each doubling %.0f%% efficient): teacher %.3f per pair at %.0f%% well-formed, inner step %.2f, "
                        + "Q_R evaluation %.2f, reset %.2f, teacher update %.2f%n", costGpus, 100 * efficiency, costs.teacherSamplePerPair(),
                100 * costs.wellFormedRate(), costs.innerStep(), costs.evaluation(), costs.reset(), costs.teacherUpdate());
        System.out.printf("%-22s %8s %6s %12s %12s %12s %10s %10s%n", "student GPUs per group", "groups", "waves", "teacher s",
                "inner loops s", "outer step s", "GPU use", "pool use");
        for (int per : studentGpus) {
            if (per < 1) {
                throw new UsageException("--student-gpus: " + per + " is not a GPU count");
            }
            SoarPlan.Layout layout = new SoarPlan.Layout(gpus, teacherGpus, per, costGpus, efficiency);
            if (layout.studentGroups() < 1) {
                System.out.printf("%-22d   (no student group fits beside the teacher)%n", per);
                continue;
            }
            SoarPlan.Result r = SoarPlan.plan(shape, costs, layout);
            System.out.printf(Locale.ROOT, "%-22d %8d %6d %12.1f %12.1f %12.1f %9.0f%% %9.0f%%%n", per, r.studentGroups(), r.waves(),
                    r.teacherSeconds(), r.loopsSeconds(), r.outerSeconds(), 100 * r.gpuUtilisation(), 100 * r.studentUtilisation());
        }
        System.out.println("cost model: Algorithm 1's phases in sequence (teacher sampling, baseline evaluation, inner loops, "
                + "teacher update); loops dealt to the first free group; groups do not slow each other down");
        return 0;
    }

    private static int positive(String flag, int v) {
        if (v < 1) {
            throw new UsageException("--" + flag + ": must be at least 1, got " + v);
        }
        return v;
    }

    /** A flag's value, or the default when it is not given. */
    private static double or(Double flag, double dflt) {
        return flag != null ? flag : dflt;
    }

    /**
     * Costs measured in a SOAR run folder (soar.jsonl): the teacher's seconds per pair and
     * well-formed rate, the baseline's Q_R evaluation, and an inner step's seconds (a loop's
     * seconds less one evaluation, over its steps); medians over the outer steps. Flags override.
     */
    private SoarPlan.Costs measured(Path run) throws IOException {
        Path file = run.resolve("soar.jsonl");
        if (!Files.isRegularFile(file)) {
            throw new UserError(run + ": no soar.jsonl (not a SOAR run folder, or no outer step finished yet)");
        }
        List<Double> perPair = new ArrayList<>();
        List<Double> wellFormed = new ArrayList<>();
        List<Double> eval = new ArrayList<>();
        List<Double> step = new ArrayList<>();
        List<Double> update = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonObject m = JsonParser.parseString(line).getAsJsonObject();
            if (!m.has("soar")) {
                continue;
            }
            JsonObject s = m.getAsJsonObject("soar");
            int pairs = m.get("samples").getAsInt();
            perPair.add(m.get("rollout_seconds").getAsDouble() * s.get("teacher_well_formed").getAsDouble() / pairs);
            wellFormed.add(s.get("teacher_well_formed").getAsDouble());
            update.add(m.get("learner_seconds").getAsDouble() + m.get("publish_seconds").getAsDouble());
            double e = s.has("baseline_seconds") ? s.get("baseline_seconds").getAsDouble() : 0;
            eval.add(e);
            int steps = s.get("inner_steps").getAsInt();
            s.getAsJsonArray("inner_loop_seconds").forEach(x -> step.add(Math.max(0, x.getAsDouble() - e) / steps));
        }
        if (step.isEmpty()) {
            throw new UserError(run + "/metrics.jsonl: no SOAR outer step recorded");
        }
        return new SoarPlan.Costs(or(teacherSecondsPerPair, median(perPair)), or(wellFormedRate, median(wellFormed)),
                or(innerStepSeconds, median(step)), or(evalSeconds, median(eval)), or(resetSeconds, 0),
                or(teacherUpdateSeconds, median(update)));
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(Double::compare);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
