package io.ladder.coordinator.report;

import com.google.gson.JsonObject;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.ladder.proto.JobSpec;
import io.ladder.proto.StepRecord;
import io.ladder.proto.UserError;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code ladder compare RUN_DIR...}: runs grouped by method (the same spec but for seed, name
 * and where it ran) and seed, final metrics as mean ± sd over seeds, the reward curves overlaid.
 * The same table is printed as Markdown, which is how the experiment write-ups get theirs.
 */
public final class CompareReport {
    /** One method: its runs, one per seed. */
    public record Group(String label, List<RunFolder> runs) {}

    /** A table row's name, how to read it from a run (null: not applicable to that run) and its decimals. */
    private record Metric(String name, Function<RunFolder, Double> value, boolean percent, int decimals) {
        Metric(String name, Function<RunFolder, Double> value, boolean percent) {
            this(name, value, percent, percent ? 1 : 3);
        }
    }

    private static final Color[] COLORS = {new Color(31, 119, 180), new Color(214, 39, 40), new Color(44, 160, 44),
            new Color(255, 127, 14), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
            new Color(127, 127, 127)};

    private final List<Group> groups;
    private final List<Metric> metrics;

    /** How runs are told apart as methods. */
    public enum GroupBy {
        SPEC, // the spec but for seed, name and placement: runs that differ in any setting are different methods
        NAME,  // the spec's name: for seeds whose specs differ in per-seed paths (a seed's own question set)
        FOLDER // the run folder's own name: an experiment keeping each seed's runs in s<seed>/soar, s<seed>/intrinsic, ...
    }

    public CompareReport(List<RunFolder> runs) {
        this(runs, GroupBy.SPEC);
    }

    public CompareReport(List<RunFolder> runs, GroupBy by) {
        this.groups = group(runs, by);
        this.metrics = metrics(runs);
    }

    public List<Group> groups() {
        return groups;
    }

    static List<Group> group(List<RunFolder> runs, GroupBy by) {
        Map<String, List<RunFolder>> byKey = new LinkedHashMap<>();
        for (RunFolder r : runs) {
            String key = switch (by) {
                case NAME -> r.spec().getName();
                case FOLDER -> folderName(r);
                case SPEC -> methodKey(r.spec());
            };
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        List<Group> out = new ArrayList<>();
        Set<String> labels = new LinkedHashSet<>();
        for (List<RunFolder> rs : byKey.values()) {
            Set<Long> seeds = new LinkedHashSet<>();
            for (RunFolder r : rs) {
                if (!seeds.add(r.spec().getSeed())) {
                    throw new UserError(r.dir() + ": the same method and seed " + r.spec().getSeed() + " as another run given");
                }
            }
            String name = by == GroupBy.FOLDER ? folderName(rs.get(0)) : rs.get(0).spec().getName();
            String label = name + " · " + rs.get(0).method();
            for (int i = 2; !labels.add(label); i++) {
                label = name + " · " + rs.get(0).method() + " #" + i; // same name, other settings
            }
            rs.sort((a, b) -> Long.compare(a.spec().getSeed(), b.spec().getSeed()));
            out.add(new Group(label, rs));
        }
        return out;
    }

    private static String folderName(RunFolder r) {
        return r.dir().toAbsolutePath().normalize().getFileName().toString();
    }

    /** The spec without what differs between seeds of one method: seed, name and where it ran. */
    static String methodKey(JobSpec spec) {
        JobSpec key = spec.toBuilder().clearSeed().clearName().clearRunDir().clearCluster().clearCheckpointEvery()
                .clearMetricsPort().clearMetricsBind().build();
        try {
            return JsonFormat.printer().print(key);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Metric> metrics(List<RunFolder> runs) {
        List<Metric> m = new ArrayList<>();
        m.add(new Metric("steps done", r -> (double) r.stepsDone(), false, 0));
        m.add(new Metric("reward, first tenth of the steps", r -> tenth(r, true), false));
        m.add(new Metric("reward, last tenth of the steps", r -> tenth(r, false), false));
        Set<String> ks = new LinkedHashSet<>();
        for (RunFolder r : runs) {
            r.passBefore().ifPresent(p -> p.keySet().stream().filter(k -> k.startsWith("pass@")).forEach(ks::add));
        }
        for (String k : ks) {
            m.add(new Metric("held-out " + k + " before", r -> r.passBefore().map(p -> num(p, k)).orElse(null), true));
            m.add(new Metric("held-out " + k + " after", r -> r.summary().map(s -> num(s.getAsJsonObject("pass_at_k_after"), k)).orElse(null), true));
            m.add(new Metric("held-out " + k + " change", r -> r.summary()
                    .map(s -> s.getAsJsonObject("held_out_change").getAsJsonObject(k))
                    .map(c -> c == null ? null : c.get("delta").getAsDouble()).orElse(null), true));
        }
        if (runs.stream().anyMatch(r -> r.selfImprove().isPresent())) {
            m.add(new Metric("self-improvement: first answer", r -> r.selfImprove().map(s -> accuracyAt(s, 0)).orElse(null), true));
            m.add(new Metric("self-improvement: after K steps", r -> r.selfImprove().map(s -> accuracyAt(s, -1)).orElse(null), true));
            m.add(new Metric("self-improvement: Δ_K", r -> r.selfImprove().map(s -> s.get("delta_k").getAsDouble()).orElse(null), true));
        }
        if (runs.stream().anyMatch(r -> lastExit(r).isPresent())) {
            m.add(new Metric("ExIt: distinct prompts trained on", r -> lastExit(r).map(x -> (double) x.getExit().getDistinctInstances()).orElse(null), false, 0));
        }
        if (runs.stream().anyMatch(r -> lastSoar(r).isPresent())) {
            m.add(new Metric("SOAR: promotions", r -> lastSoar(r).map(x -> (double) x.getSoar().getPromotions()).orElse(null), false, 1));
            m.add(new Metric("SOAR: R̄ at the end", r -> lastSoar(r).map(x -> x.getSoar().getRBar()).orElse(null), false));
        }
        m.add(new Metric("training time (min)", r -> r.records().stream().mapToDouble(StepRecord::getStepSeconds).sum() / 60, false, 1));
        return m;
    }

    private static java.util.Optional<StepRecord> lastExit(RunFolder r) {
        return r.records("policy").stream().filter(StepRecord::hasExit).reduce((a, b) -> b);
    }

    private static java.util.Optional<StepRecord> lastSoar(RunFolder r) {
        return r.records("teacher").stream().filter(StepRecord::hasSoar).reduce((a, b) -> b);
    }

    private static Double num(JsonObject o, String key) {
        return o != null && o.has(key) ? o.get(key).getAsDouble() : null;
    }

    private static Double accuracyAt(JsonObject si, int step) {
        var rows = si.getAsJsonArray("by_step");
        return rows.get(step < 0 ? rows.size() - 1 : step).getAsJsonObject().get("accuracy").getAsDouble();
    }

    /** Mean reward over the first or last tenth of the main role's steps (at least one step). */
    private static Double tenth(RunFolder r, boolean first) {
        List<StepRecord> rs = r.records(r.mainRole());
        if (rs.isEmpty()) {
            return null;
        }
        int n = Math.max(1, rs.size() / 10);
        List<StepRecord> part = first ? rs.subList(0, n) : rs.subList(rs.size() - n, rs.size());
        return part.stream().mapToDouble(StepRecord::getRewardMean).average().orElse(0);
    }

    /** Header and rows: one row per metric, one column per method, cells "mean ± sd (n)". */
    public Page.Table table() {
        List<String> header = new ArrayList<>();
        header.add("metric");
        for (Group g : groups) {
            header.add(g.label() + " (" + g.runs().size() + " seed" + (g.runs().size() == 1 ? "" : "s") + ")");
        }
        List<List<String>> rows = new ArrayList<>();
        for (Metric m : metrics) {
            List<String> row = new ArrayList<>();
            // a change of percentages is in points
            row.add(m.name() + (!m.percent() ? "" : m.name().contains("change") || m.name().contains("Δ") ? " (points)" : " (%)"));
            boolean any = false;
            for (Group g : groups) {
                List<Double> v = new ArrayList<>();
                for (RunFolder r : g.runs()) {
                    Double x = m.value().apply(r);
                    if (x != null && !x.isNaN()) {
                        v.add(m.percent() ? 100 * x : x);
                    }
                }
                any |= !v.isEmpty();
                row.add(meanSd(v, g.runs().size(), m.decimals()));
            }
            if (any) {
                rows.add(row);
            }
        }
        return new Page.Table(header, rows);
    }

    static String meanSd(List<Double> v, int runs, int decimals) {
        if (v.isEmpty()) {
            return "—";
        }
        double mean = v.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double sd = sd(v);
        String f = "%." + decimals + "f";
        String s = v.size() < 2 ? String.format(Locale.ROOT, f, mean) : String.format(Locale.ROOT, f + " ± " + f, mean, sd);
        return v.size() == runs ? s : s + " (" + v.size() + " of " + runs + ")";
    }

    /** Sample standard deviation over seeds (0 for one value). */
    static double sd(List<Double> v) {
        return v.size() < 2 ? 0 : new org.apache.commons.math3.stat.descriptive.moment.StandardDeviation()
                .evaluate(v.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The table as Markdown, for write-ups. */
    public String markdown() {
        Page.Table t = table();
        StringBuilder sb = new StringBuilder("| " + String.join(" | ", t.header()) + " |\n|");
        sb.append("---|".repeat(t.header().size())).append('\n');
        for (List<String> row : t.rows()) {
            sb.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return sb.toString();
    }

    public Page page() {
        int runs = groups.stream().mapToInt(g -> g.runs().size()).sum();
        Page page = new Page("Ladder comparison", groups.size() + " method(s), " + runs + " run(s); mean ± sd over seeds");
        List<List<String>> list = new ArrayList<>();
        for (Group g : groups) {
            for (RunFolder r : g.runs()) {
                list.add(List.of(g.label(), Long.toString(r.spec().getSeed()), r.dir().toString(),
                        r.finished() ? "finished" : "in progress (" + r.stepsDone() + " of " + r.spec().getSteps() + " steps)"));
            }
        }
        page.section("Runs").table(new Page.Table(List.of("method", "seed", "run folder", "status"), list));
        page.section("Final metrics").note("Each cell: mean ± sample standard deviation over the method's seeds; "
                + "“(n of m)” where only n of its m runs have the value yet.").table(table());
        page.section("Reward curves").figure(new Page.Figure("Reward over steps", "Mean reward per step, smoothed by a "
                + "moving mean over a twentieth of the steps: the mean over seeds (solid) and each seed (dotted), "
                + "one colour per method.", Plots.png(curves())));
        CategoryChart pass = heldOut();
        if (pass != null) {
            page.section("Held-out pass@k").figure(new Page.Figure("Held-out pass@k after training", "Mean over each "
                    + "method's seeds of its final policy's held-out pass@k; error bars: one standard deviation over seeds.",
                    Plots.png(pass)));
        }
        return page;
    }

    /** Bars of after-training pass@k per method (mean ± sd over seeds); null when no run has a held-out evaluation. */
    private CategoryChart heldOut() {
        Set<String> ks = new LinkedHashSet<>();
        for (Group g : groups) {
            for (RunFolder r : g.runs()) {
                r.summary().ifPresent(s -> s.getAsJsonObject("pass_at_k_after").keySet().forEach(ks::add));
            }
        }
        if (ks.isEmpty()) {
            return null;
        }
        CategoryChart c = Plots.bars("Held-out pass@k after training", "", "pass@k (%)", false);
        for (Group g : groups) {
            List<Double> means = new ArrayList<>();
            List<Double> sds = new ArrayList<>();
            for (String k : ks) {
                List<Double> v = new ArrayList<>();
                for (RunFolder r : g.runs()) {
                    r.summary().map(s -> num(s.getAsJsonObject("pass_at_k_after"), k)).ifPresent(x -> v.add(100 * x));
                }
                double mean = v.stream().mapToDouble(Double::doubleValue).average().orElse(0);
                means.add(mean);
                sds.add(sd(v));
            }
            c.addSeries(g.label(), new ArrayList<>(ks), means, sds);
        }
        return c;
    }

    private XYChart curves() {
        XYChart c = Plots.xy("Reward over steps", "step", "reward (moving mean)");
        for (int gi = 0; gi < groups.size(); gi++) {
            Color color = COLORS[gi % COLORS.length];
            Group g = groups.get(gi);
            List<double[]> perSeed = new ArrayList<>();
            double[] steps = null;
            int common = Integer.MAX_VALUE;
            for (RunFolder r : g.runs()) {
                List<StepRecord> rs = r.records(r.mainRole());
                if (rs.isEmpty()) {
                    continue;
                }
                double[] y = RunReport.movingMean(RunReport.col(rs, StepRecord::getRewardMean), Math.max(1, rs.size() / 20));
                perSeed.add(y);
                steps = steps == null ? RunReport.col(rs, StepRecord::getStep) : steps;
                common = Math.min(common, y.length);
                if (g.runs().size() > 1) {
                    XYSeries s = c.addSeries(g.label() + " seed " + r.spec().getSeed(), RunReport.col(rs, StepRecord::getStep), y);
                    s.setLineColor(color);
                    s.setLineStyle(SeriesLines.DOT_DOT);
                    s.setMarker(SeriesMarkers.NONE);
                    s.setShowInLegend(false);
                }
            }
            if (perSeed.isEmpty()) {
                continue;
            }
            double[] x = new double[common];
            double[] mean = new double[common];
            for (int i = 0; i < common; i++) {
                x[i] = steps[i];
                for (double[] y : perSeed) {
                    mean[i] += y[i] / perSeed.size();
                }
            }
            XYSeries s = c.addSeries(g.label(), x, mean);
            s.setLineColor(color);
            s.setMarker(SeriesMarkers.NONE);
        }
        return c;
    }
}
