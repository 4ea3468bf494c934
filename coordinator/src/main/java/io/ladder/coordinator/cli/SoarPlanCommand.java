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
import java.util.Set;

/**
 * {@code ladder soar-plan}: the outer-step time and GPU utilisation of SOAR on a cluster layout,
 * from per-call costs given as flags or measured in a run folder (see {@link SoarPlan} for the
 * cost model). The shape defaults to the paper's (g = 4, n = 64, r = 4, 10 inner steps).
 */
final class SoarPlanCommand implements Main.Command {
    @Override
    public String summary() {
        return "SOAR outer-step time and GPU use on a layout: [--config SOAR.yaml | --g 4 --n 64 --r 4 --inner-steps 10] "
                + "[--nodes 4 --gpus-per-node 8 --teacher-gpus 8 --student-gpus 1,2,4,8 --cost-gpus 1 --scaling-efficiency 0.9] [--from-run RUN | --inner-step-seconds S "
                + "--eval-seconds S --teacher-seconds-per-pair S --teacher-update-seconds S --reset-seconds S --well-formed F]";
    }

    @Override
    public int run(List<String> argv) throws IOException {
        Args a = Args.parse("soar-plan", argv, Set.of("config", "g", "n", "r", "inner-steps", "nodes", "gpus-per-node", "teacher-gpus",
                "student-gpus", "cost-gpus", "scaling-efficiency", "from-run", "inner-step-seconds", "eval-seconds", "teacher-seconds-per-pair", "teacher-update-seconds",
                "reset-seconds", "well-formed"), Set.of());
        SoarPlan.Shape shape;
        if (a.has("config")) {
            JobSpec spec = JobSpecs.load(a.path("config"));
            SoarSpec s = spec.getAlgorithm().getSoar();
            shape = new SoarPlan.Shape(s.getDatasets(), s.getQuestionsPerDataset(), s.getRepeats(), s.getInnerSteps());
        } else {
            shape = new SoarPlan.Shape(positive(a, "g", 4), positive(a, "n", 64), positive(a, "r", 4), positive(a, "inner-steps", 10));
        }
        SoarPlan.Costs costs = a.has("from-run") ? measured(a.path("from-run"), a) : new SoarPlan.Costs(
                a.number("teacher-seconds-per-pair", 0.25), a.number("well-formed", 0.9), a.number("inner-step-seconds", 60),
                a.number("eval-seconds", 30), a.number("reset-seconds", 5), a.number("teacher-update-seconds", 30));
        int gpus = positive(a, "nodes", 4) * positive(a, "gpus-per-node", 8);
        int teacherGpus = positive(a, "teacher-gpus", 8);
        int costGpus = positive(a, "cost-gpus", 1);
        double efficiency = a.number("scaling-efficiency", 0.9);
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
        for (int per : a.intList("student-gpus", new int[] {1, 2, 4, 8})) {
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

    private static int positive(Args a, String flag, int dflt) {
        int v = a.integer(flag, dflt);
        if (v < 1) {
            throw new UsageException("--" + flag + ": must be at least 1, got " + v);
        }
        return v;
    }

    /**
     * Costs measured in a SOAR run folder (soar.jsonl): the teacher's seconds per pair and
     * well-formed rate, the baseline's Q_R evaluation, and an inner step's seconds (a loop's
     * seconds less one evaluation, over its steps); medians over the outer steps. Flags override.
     */
    private static SoarPlan.Costs measured(Path run, Args a) throws IOException {
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
        return new SoarPlan.Costs(a.number("teacher-seconds-per-pair", median(perPair)), a.number("well-formed", median(wellFormed)),
                a.number("inner-step-seconds", median(step)), a.number("eval-seconds", median(eval)), a.number("reset-seconds", 0),
                a.number("teacher-update-seconds", median(update)));
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(Double::compare);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
