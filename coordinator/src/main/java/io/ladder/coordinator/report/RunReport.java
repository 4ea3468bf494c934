package io.ladder.coordinator.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.ladder.coordinator.eval.PassAtK;
import io.ladder.proto.ExitStats;
import io.ladder.proto.SoarStats;
import io.ladder.proto.StepRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;

/**
 * {@code ladder report RUN_DIR}: one run folder as a page of plots: the reward and its spread
 * over groups, the learner's KL and entropy, throughput and where each step's time went, held-out
 * pass@k before and after, and the SOAR or ExIt view of the run when it is one of those.
 */
public final class RunReport {
    private RunReport() {}

    public static Page build(RunFolder run) {
        List<StepRecord> rs = run.records(run.mainRole());
        String status = run.finished() ? "finished" : "in progress (report of what exists so far)";
        Page page = new Page("Ladder run " + run.spec().getName(), run.method() + ", seed " + run.spec().getSeed() + ", "
                + run.stepsDone() + " of " + run.spec().getSteps() + " steps, " + status);
        overview(page, run, rs, status);
        if (rs.isEmpty()) {
            page.sections().get(0).note("No step has been logged yet (metrics.jsonl is empty or absent).");
        } else {
            rewards(page, run, rs);
            learner(page, rs);
            throughput(page, rs);
        }
        heldOut(page, run);
        List<StepRecord> soar = rs.stream().filter(StepRecord::hasSoar).toList();
        if (!soar.isEmpty()) {
            soar(page, run, soar);
        }
        List<StepRecord> exit = rs.stream().filter(StepRecord::hasExit).toList();
        if (!exit.isEmpty() || run.selfImprove().isPresent()) {
            exit(page, run, exit);
        }
        return page;
    }

    private static void overview(Page page, RunFolder run, List<StepRecord> rs, String status) {
        var spec = run.spec();
        double wall = rs.stream().mapToDouble(StepRecord::getStepSeconds).sum();
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("run folder", run.dir().toString()));
        rows.add(List.of("method", run.method()));
        rows.add(List.of("seed", Long.toString(spec.getSeed())));
        rows.add(List.of("model", spec.getModel().getPath().isEmpty() ? "built-in" : spec.getModel().getPath()));
        rows.add(List.of("status", status));
        rows.add(List.of("steps", run.stepsDone() + " of " + spec.getSteps()));
        rows.add(List.of("rollouts per step", spec.getRollout().getPromptsPerStep() + " prompts × G = " + spec.getRollout().getGroupSize()));
        rows.add(List.of("training time", String.format(Locale.ROOT, "%.1f min (sum of step times)", wall / 60)));
        if (!rs.isEmpty()) {
            StepRecord last = rs.get(rs.size() - 1);
            rows.add(List.of("last step's mean reward", f3(last.getRewardMean())));
        }
        page.section("Overview").table(new Page.Table(List.of("", ""), rows));
    }

    private static void rewards(Page page, RunFolder run, List<StepRecord> rs) {
        double[] x = col(rs, StepRecord::getStep);
        double[] mean = col(rs, StepRecord::getRewardMean);
        double[] sd = col(rs, StepRecord::getRewardStd);
        int w = Math.max(1, rs.size() / 20);
        XYChart reward = Plots.xy("Reward", "step", "reward");
        Plots.line(reward, "mean", x, mean);
        Plots.dashed(reward, "mean + sd", x, add(mean, sd, 1));
        Plots.dashed(reward, "mean − sd", x, add(mean, sd, -1));
        if (w > 1) {
            Plots.line(reward, "moving mean (" + w + " steps)", x, movingMean(mean, w));
        }
        XYChart spread = Plots.xy("Reward variance across groups", "step", "variance of a group's rewards");
        for (double q : new double[] {0.1, 0.5, 0.9, 1.0}) {
            Plots.line(spread, q == 1.0 ? "max" : "p" + (int) (100 * q), x,
                    rs.stream().mapToDouble(r -> quantile(r.getGroupRewardVarianceList(), q)).toArray());
        }
        Plots.dashed(spread, "zero-variance fraction (right axis)", x, col(rs, StepRecord::getZeroVarianceFraction)).setYAxisGroup(1);
        spread.setYAxisGroupTitle(1, "fraction of groups");
        String who = run.mainRole().equals("teacher") ? "the teacher's" : "the policy's";
        page.section("Reward")
                .figure(new Page.Figure("Reward", "Mean reward of " + who + " rollouts at each step, ± one standard "
                        + "deviation over the step's samples.", Plots.png(reward)))
                .figure(new Page.Figure("Reward variance across groups", "Quantiles over the step's groups of the "
                        + "variance of each group's rewards (what GRPO learns from); a group with zero variance has no "
                        + "advantage and teaches nothing.", Plots.png(spread)));
    }

    private static void learner(Page page, List<StepRecord> rs) {
        double[] x = col(rs, StepRecord::getStep);
        XYChart kl = Plots.xy("KL and entropy", "step", "KL to the reference");
        Plots.line(kl, "KL", x, col(rs, StepRecord::getKl));
        Plots.line(kl, "entropy (right axis)", x, col(rs, StepRecord::getEntropy)).setYAxisGroup(1);
        kl.setYAxisGroupTitle(1, "entropy (nats/token)");
        XYChart loss = Plots.xy("Loss and gradient norm", "step", "loss");
        Plots.line(loss, "loss", x, col(rs, StepRecord::getLoss));
        Plots.line(loss, "gradient norm before clipping (right axis)", x, col(rs, StepRecord::getGradNorm)).setYAxisGroup(1);
        loss.setYAxisGroupTitle(1, "gradient norm");
        page.section("Learner")
                .figure(new Page.Figure("KL and entropy", "Mean per-token KL to the reference policy and the policy's "
                        + "mean per-token entropy on the step's samples.", Plots.png(kl)))
                .figure(new Page.Figure("Loss and gradient norm", "The learner's loss and gradient norm at each update.",
                        Plots.png(loss)));
    }

    private static void throughput(Page page, List<StepRecord> rs) {
        double[] x = col(rs, StepRecord::getStep);
        XYChart tps = Plots.xy("Rollout throughput", "step", "completion tokens / s");
        Plots.line(tps, "tokens/s", x, col(rs, StepRecord::getTokensPerS));
        CategoryChart split = Plots.bars("Where each step's time went", "steps", "seconds per step", true);
        List<int[]> bins = bins(rs.size(), 40);
        List<String> labels = new ArrayList<>();
        for (int[] b : bins) {
            int first = rs.get(b[0]).getStep();
            int last = rs.get(b[1] - 1).getStep();
            labels.add(first == last ? Integer.toString(first) : first + "–" + last);
        }
        split.addSeries("rollout", labels, binMeans(rs, bins, StepRecord::getRolloutSeconds));
        split.addSeries("learn", labels, binMeans(rs, bins, StepRecord::getLearnerSeconds));
        split.addSeries("publish weights", labels, binMeans(rs, bins, StepRecord::getPublishSeconds));
        split.addSeries("other", labels, binMeans(rs, bins, r -> Math.max(0, r.getStepSeconds() - r.getRolloutSeconds()
                - r.getLearnerSeconds() - r.getPublishSeconds())));
        Page.Section s = page.section("Throughput and time")
                .figure(new Page.Figure("Rollout throughput", "Completion tokens generated per second of rollout.", Plots.png(tps)))
                .figure(new Page.Figure("Where each step's time went", "Mean seconds per step (steps binned to at most 40 "
                        + "bars): generating rollouts, the learner's update, publishing weights to the workers, and the "
                        + "rest (SOAR: the students' inner loops and evaluations).", Plots.png(split)));
        if (rs.stream().anyMatch(r -> r.getLearnerRssMb() > 0)) {
            XYChart mem = Plots.xy("Learner memory", "step", "MB");
            Plots.line(mem, "resident", x, col(rs, StepRecord::getLearnerRssMb));
            Plots.dashed(mem, "peak so far", x, col(rs, StepRecord::getLearnerPeakRssMb));
            s.figure(new Page.Figure("Learner memory", "Resident memory of the learner process after each step, and its "
                    + "peak so far.", Plots.png(mem)));
        }
    }

    private static void heldOut(Page page, RunFolder run) {
        Page.Section s = page.section("Held-out pass@k");
        JsonObject before = run.passBefore().orElse(new JsonObject());
        List<String> ks = before.keySet().stream().filter(k -> k.startsWith("pass@")).toList();
        if (ks.isEmpty()) {
            s.note("No held-out evaluation in this run (eval.problems is 0, or it has not run yet).");
            return;
        }
        // runs from before pass_after.json was written: the summary's values, without an interval
        JsonObject after = run.passAfter().orElseGet(() -> run.summary().map(o -> o.getAsJsonObject("pass_at_k_after")).orElse(null));
        JsonObject change = run.summary().map(o -> o.getAsJsonObject("held_out_change")).orElse(null);
        List<List<String>> rows = new ArrayList<>();
        CategoryChart chart = Plots.bars("Held-out pass@k", "", "pass@k (%)", false);
        List<Double> bVals = new ArrayList<>();
        List<Double> bErr = new ArrayList<>();
        List<Double> aVals = new ArrayList<>();
        List<Double> aErr = new ArrayList<>();
        for (String k : ks) {
            int kk = Integer.parseInt(k.substring(5));
            double[] b = meanAndHalfWidth(before, kk);
            double[] a = after == null ? null : meanAndHalfWidth(after, kk);
            bVals.add(100 * b[0]);
            bErr.add(Double.isNaN(b[1]) ? 0 : 100 * b[1]);
            aVals.add(a == null ? 0 : 100 * a[0]);
            aErr.add(a == null || Double.isNaN(a[1]) ? 0 : 100 * a[1]);
            String delta = "";
            if (change != null && change.has(k)) {
                JsonObject c = change.getAsJsonObject(k);
                JsonArray ci = c.getAsJsonArray("ci95");
                delta = String.format(Locale.ROOT, "%+.1f [%+.1f, %+.1f]", 100 * c.get("delta").getAsDouble(),
                        100 * ci.get(0).getAsDouble(), 100 * ci.get(1).getAsDouble());
            }
            rows.add(List.of(k, pct(b), a == null ? "(not yet)" : pct(a), delta, Integer.toString(problems(before))));
        }
        chart.addSeries("before training", ks, bVals, bErr);
        if (after != null) {
            chart.addSeries("after training", ks, aVals, aErr);
        }
        s.table(new Page.Table(List.of("metric", "before (95% interval)", "after (95% interval)",
                "change, points [paired bootstrap 95% interval]", "problems"), rows));
        s.figure(new Page.Figure("Held-out pass@k", "Unbiased pass@k over the held-out problems before and after training; "
                + "error bars: 95% normal interval over problems.", Plots.png(chart)));
    }

    private static void soar(Page page, RunFolder run, List<StepRecord> rs) {
        var settings = run.spec().getAlgorithm().getSoar();
        double tau = settings.getPromotionThreshold();
        double[] x = col(rs, StepRecord::getStep);
        // R_kj as cells: one column per outer step, one row per (dataset k, repeat j)
        List<String> steps = new ArrayList<>();
        List<String> rowsLabel = new ArrayList<>();
        List<Number[]> cells = new ArrayList<>();
        double lo = 0;
        double hi = 0;
        for (int t = 0; t < rs.size(); t++) {
            SoarStats st = rs.get(t).getSoar();
            steps.add(Integer.toString(rs.get(t).getStep()));
            for (int k = 0; k < st.getRKjCount(); k++) {
                for (int j = 0; j < st.getRKj(k).getValuesCount(); j++) {
                    String label = "k" + (k + 1) + " j" + (j + 1);
                    int row = rowsLabel.indexOf(label);
                    if (row < 0) {
                        rowsLabel.add(label);
                        row = rowsLabel.size() - 1;
                    }
                    double v = st.getRKj(k).getValues(j);
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                    cells.add(new Number[] {t, row, v});
                }
            }
        }
        double bound = Math.max(Math.max(-lo, hi), 1e-9); // symmetric around 0: blue is harm, red is progress
        var heat = Plots.heat("R_kj per outer step", "outer step", "dataset k, repeat j", steps, rowsLabel, cells, -bound, bound);

        XYChart avg = Plots.xy("Moving average R̄ against τ", "outer step", "student progress on Q_R");
        Plots.line(avg, "R̄ (moving average)", x, col(rs, r -> r.getSoar().getRBar()));
        Plots.dashed(avg, "R̂ (mean of R_k)", x, col(rs, r -> r.getSoar().getRHat()));
        double[] tauLine = new double[x.length];
        Arrays.fill(tauLine, tau);
        Plots.dashed(avg, "τ = " + tau, x, tauLine);
        List<StepRecord> promoted = rs.stream().filter(r -> r.getSoar().getPromoted()).toList();
        if (!promoted.isEmpty()) {
            Plots.points(avg, "promotion", col(promoted, StepRecord::getStep), col(promoted, r -> r.getSoar().getRBar()));
        }
        XYChart rk = Plots.xy("Dataset rewards R_k and the baseline", "outer step", "greedy accuracy / progress on Q_R");
        Plots.line(rk, "max_k R_k", x, col(rs, r -> r.getSoar().getRKList().stream().mapToDouble(Double::doubleValue).max().orElse(0)));
        Plots.line(rk, "min_k R_k", x, col(rs, r -> r.getSoar().getRKList().stream().mapToDouble(Double::doubleValue).min().orElse(0)));
        Plots.line(rk, "baseline student's accuracy on Q_R", x, col(rs, r -> r.getSoar().getBaselineAccuracy()));
        XYChart health = Plots.xy("Teacher well-formed rate and pool utilisation", "outer step", "share");
        Plots.line(health, "teacher samples well-formed", x, col(rs, r -> r.getSoar().getTeacherWellFormed()));
        Plots.line(health, "student pool busy", x, col(rs, r -> r.getSoar().getPoolUtilisation()));

        List<List<String>> rows = new ArrayList<>();
        for (StepRecord r : promoted) {
            SoarStats st = r.getSoar();
            rows.add(List.of(Integer.toString(r.getStep()), Integer.toString(st.getPromotedDataset() + 1),
                    Integer.toString(st.getPromotedRepeat() + 1), f3(st.getRK(st.getPromotedDataset())), f3(st.getRBar()),
                    Integer.toString(st.getPromotionQuestions())));
        }
        Page.Section s = page.section("SOAR");
        StepRecord last = rs.get(rs.size() - 1);
        s.note(String.format(Locale.ROOT, "%d outer steps, %d promotion(s), %d Promotion Questions; g = %d datasets × r = %d "
                        + "repeats on %d student group(s); τ = %s.", rs.size(), last.getSoar().getPromotions(),
                last.getSoar().getPromotionQuestions(), settings.getDatasets(), settings.getRepeats(),
                last.getSoar().getStudentGroups(), tau));
        if (!rows.isEmpty()) {
            s.table(new Page.Table(List.of("outer step", "k*", "j*", "R_k*", "R̄ at promotion", "Promotion Questions so far"), rows));
        }
        s.figure(new Page.Figure("R_kj per outer step", "Each student's progress on Q_R after training on dataset X_k "
                        + "(repeat j): its greedy accuracy minus the baseline student's. Red: progress; blue: harm.",
                        Plots.png(heat)))
                .figure(new Page.Figure("Moving average R̄ against τ", "A promotion happens when R̄ exceeds τ; the "
                        + "baseline student then becomes the median repeat of the best dataset.", Plots.png(avg)))
                .figure(new Page.Figure("Dataset rewards R_k and the baseline", "The best and worst dataset's reward R_k "
                        + "and the baseline student's greedy accuracy on the outer step's Q_R.", Plots.png(rk)))
                .figure(new Page.Figure("Teacher well-formed rate and pool utilisation", "Share of the teacher's samples "
                        + "that parsed as a (question, answer) pair, and the busy share of the student groups during "
                        + "the inner loops.", Plots.png(health)));
    }

    private static void exit(Page page, RunFolder run, List<StepRecord> rs) {
        Page.Section s = page.section("ExIt");
        if (!rs.isEmpty()) {
            double[] x = col(rs, StepRecord::getStep);
            XYChart size = Plots.xy("Buffer", "step", "instances");
            Plots.line(size, "buffer size", x, col(rs, r -> r.getExit().getBufferSize()));
            Plots.line(size, "distinct prompts trained on (right axis)", x, col(rs, r -> r.getExit().getDistinctInstances()))
                    .setYAxisGroup(1);
            size.setYAxisGroupTitle(1, "distinct prompts");
            XYChart score = Plots.xy("Learnability S in the buffer", "step", "S");
            boolean quantiles = rs.stream().anyMatch(r -> r.getExit().getScoreP90() > 0);
            if (quantiles) {
                Plots.line(score, "p10", x, col(rs, r -> r.getExit().getScoreP10()));
                Plots.line(score, "median", x, col(rs, r -> r.getExit().getScoreP50()));
                Plots.line(score, "p90", x, col(rs, r -> r.getExit().getScoreP90()));
            }
            Plots.dashed(score, "mean", x, col(rs, r -> r.getExit().getScoreMean()));
            Plots.dashed(score, "max", x, col(rs, r -> r.getExit().getScoreMax()));
            XYChart depth = Plots.xy("Iterate depth", "step", "mean iterate k of the step's tasks");
            Plots.line(depth, "mean k", x, col(rs, r -> r.getExit().getIterateMean()));
            CategoryChart share = Plots.bars("Task kinds per step", "steps", "share of the step's groups", true);
            List<int[]> bins = bins(rs.size(), 40);
            List<String> labels = new ArrayList<>();
            for (int[] b : bins) {
                labels.add(Integer.toString(rs.get(b[0]).getStep()));
            }
            share.addSeries("base task", labels, binMeans(rs, bins, r -> r.getExit().getBaseShare()));
            share.addSeries("improve", labels, binMeans(rs, bins, r -> r.getExit().getImproveShare()));
            share.addSeries("diverge", labels, binMeans(rs, bins, r -> r.getExit().getDivergeShare()));
            ExitStats last = rs.get(rs.size() - 1).getExit();
            s.note(String.format(Locale.ROOT, "At the last step: %d instances in the buffer, mean S %.3f, %d distinct prompts "
                    + "trained on, mean iterate depth %.2f.", last.getBufferSize(), last.getScoreMean(),
                    last.getDistinctInstances(), last.getIterateMean()));
            s.figure(new Page.Figure("Buffer", "Instances in the learnability buffer, and the distinct prompts trained on so "
                            + "far.", Plots.png(size)))
                    .figure(new Page.Figure("Learnability S in the buffer", "The distribution of S (variance of a group's "
                            + "returns, rescaled to [0, 1]) over the buffer's instances after each step.", Plots.png(score)))
                    .figure(new Page.Figure("Iterate depth", "How many self-improvement turns deep the step's tasks are "
                            + "(0 for a base task).", Plots.png(depth)))
                    .figure(new Page.Figure("Task kinds per step", "Share of each step's groups that were base tasks, "
                            + "improve instances and diverge instances (binned to at most 40 bars).", Plots.png(share)));
        }
        run.selfImprove().ifPresent(si -> selfImprove(s, si));
    }

    private static void selfImprove(Page.Section s, JsonObject si) {
        JsonArray steps = si.getAsJsonArray("by_step");
        double[] k = new double[steps.size()];
        double[] acc = new double[steps.size()];
        List<String> labels = new ArrayList<>();
        List<Integer> corrections = new ArrayList<>();
        List<Integer> regressions = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            JsonObject r = steps.get(i).getAsJsonObject();
            k[i] = r.get("step").getAsInt();
            acc[i] = 100 * r.get("accuracy").getAsDouble();
            labels.add(Integer.toString((int) k[i]));
            corrections.add(r.get("corrections").getAsInt());
            regressions.add(r.get("regressions").getAsInt());
            rows.add(List.of(labels.get(i), String.format(Locale.ROOT, "%.1f%%", acc[i]),
                    i == 0 ? "" : corrections.get(i).toString(), i == 0 ? "" : regressions.get(i).toString()));
        }
        XYChart curve = Plots.xy("K-step self-improvement", "improve step k", "accuracy (%)");
        Plots.line(curve, "accuracy after k improve steps", k, acc);
        CategoryChart flips = Plots.bars("Answers changed per improve step", "improve step k", "answers", false);
        flips.addSeries("wrong → right", labels, corrections);
        flips.addSeries("right → wrong", labels, regressions);
        s.note(String.format(Locale.ROOT, "K-step self-improvement of the final policy: %d problems × %d chains, Δ_%d = %+.1f points.",
                si.get("problems").getAsInt(), si.get("samples_per_problem").getAsInt(), si.get("steps").getAsInt(),
                100 * si.get("delta_k").getAsDouble()));
        s.table(new Page.Table(List.of("step k", "accuracy", "wrong → right", "right → wrong"), rows));
        s.figure(new Page.Figure("K-step self-improvement", "Accuracy of the final policy's answer after k rounds of "
                        + "improving its own latest answer (k = 0: the first answer).", Plots.png(curve)))
                .figure(new Page.Figure("Answers changed per improve step", "Corrections and regressions at each improve step.",
                        Plots.png(flips)));
    }

    /** Mean per-problem pass@k and the half-width of its 95% normal interval over problems. */
    static double[] meanAndHalfWidth(JsonObject eval, int k) {
        int[] n = ints(eval.getAsJsonArray("samples"));
        int[] c = ints(eval.getAsJsonArray("correct"));
        if (n.length == 0 || n.length != c.length) {
            double v = eval.has("pass@" + k) ? eval.get("pass@" + k).getAsDouble() : 0;
            return new double[] {v, Double.NaN}; // no per-problem counts: no interval
        }
        double[] p = new double[n.length];
        for (int i = 0; i < n.length; i++) {
            p[i] = PassAtK.estimate(n[i], c[i], Math.min(k, n[i]));
        }
        double mean = Arrays.stream(p).average().orElse(0);
        double var = n.length < 2 ? 0 : Arrays.stream(p).map(v -> (v - mean) * (v - mean)).sum() / (n.length - 1);
        return new double[] {mean, 1.96 * Math.sqrt(var / n.length)};
    }

    private static int problems(JsonObject eval) {
        return eval.has("samples") ? eval.getAsJsonArray("samples").size() : 0;
    }

    private static int[] ints(JsonArray a) {
        if (a == null) {
            return new int[0];
        }
        int[] out = new int[a.size()];
        int i = 0;
        for (JsonElement e : a) {
            out[i++] = e.getAsInt();
        }
        return out;
    }

    static double[] col(List<StepRecord> rs, ToDoubleFunction<StepRecord> f) {
        return rs.stream().mapToDouble(f).toArray();
    }

    private static double[] add(double[] a, double[] b, double sign) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + sign * b[i];
        }
        return out;
    }

    static double[] movingMean(double[] v, int w) {
        double[] out = new double[v.length];
        double sum = 0;
        for (int i = 0; i < v.length; i++) {
            sum += v[i];
            if (i >= w) {
                sum -= v[i - w];
            }
            out[i] = sum / Math.min(i + 1, w);
        }
        return out;
    }

    /** Nearest-rank q-quantile (0 for an empty list). */
    static double quantile(List<Double> values, double q) {
        if (values.isEmpty()) {
            return 0;
        }
        double[] s = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int rank = (int) Math.ceil(q * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, rank))];
    }

    /** [from, to) index ranges splitting n items into at most {@code max} consecutive bins. */
    static List<int[]> bins(int n, int max) {
        List<int[]> out = new ArrayList<>();
        int per = (n + max - 1) / max;
        for (int i = 0; i < n; i += Math.max(1, per)) {
            out.add(new int[] {i, Math.min(n, i + Math.max(1, per))});
        }
        return out;
    }

    private static List<Double> binMeans(List<StepRecord> rs, List<int[]> bins, ToDoubleFunction<StepRecord> f) {
        List<Double> out = new ArrayList<>();
        for (int[] b : bins) {
            out.add(rs.subList(b[0], b[1]).stream().mapToDouble(f).average().orElse(0));
        }
        return out;
    }

    private static String pct(double[] meanHalf) {
        if (Double.isNaN(meanHalf[1])) {
            return String.format(Locale.ROOT, "%.1f%%", 100 * meanHalf[0]);
        }
        return String.format(Locale.ROOT, "%.1f%% (± %.1f)", 100 * meanHalf[0], 100 * meanHalf[1]);
    }

    static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
