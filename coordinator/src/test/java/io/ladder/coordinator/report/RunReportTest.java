package io.ladder.coordinator.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import io.ladder.proto.AlgorithmSpec;
import io.ladder.proto.ExitStats;
import io.ladder.proto.JobSpec;
import io.ladder.proto.SoarStats;
import io.ladder.proto.StepRecord;
import io.ladder.proto.UserError;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reports of run folders written here record by record (the browser test reads real jobs'):
 * every plot is drawn and not blank, a run still going is reported as far as it goes, SOAR and
 * ExIt get their sections, and compare groups seeds of one method.
 */
public class RunReportTest {
    @TempDir
    Path tmp;

    static Path run(Path dir, JobSpec spec, int steps, boolean finished) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("spec.json"), JsonFormat.printer().print(spec.toBuilder().setRunDir(dir.toString())));
        SplittableRandom rng = new SplittableRandom(spec.getSeed());
        StringBuilder lines = new StringBuilder();
        boolean soar = spec.getAlgorithm().getName() == AlgorithmSpec.Name.SOAR;
        for (int s = 1; s <= steps; s++) {
            StepRecord.Builder r = StepRecord.newBuilder().setStep(s).setRole(soar ? "teacher" : "policy")
                    .setRewardMean(0.2 + 0.6 * s / steps + 0.05 * rng.nextDouble()).setRewardStd(0.3).setKl(0.001 * s)
                    .setEntropy(1.0 - 0.5 * s / steps).setLoss(0.01).setGradNorm(0.5).setTokensPerS(1000 + s)
                    .setRolloutSeconds(1).setLearnerSeconds(0.5).setPublishSeconds(0.1).setStepSeconds(1.8)
                    .setZeroVarianceFraction(0.3).setLearnerRssMb(900).setLearnerPeakRssMb(950);
            for (int g = 0; g < 8; g++) {
                r.addGroupRewardVariance(0.25 * rng.nextDouble());
            }
            if (spec.getAlgorithm().getName() == AlgorithmSpec.Name.EXIT) {
                r.setExit(ExitStats.newBuilder().setBufferSize(Math.min(64, 8 * s)).setScoreMean(0.1).setScoreMax(0.25)
                        .setScoreP10(0.02).setScoreP50(0.1).setScoreP90(0.2).setBaseShare(0.5).setImproveShare(0.4)
                        .setDivergeShare(0.1).setIterateMean(0.1 * s).setDistinctInstances(8 * s));
            }
            if (soar) {
                SoarStats.Builder st = SoarStats.newBuilder().setRHat(0.01 * s).setRBar(0.01 * s).setPromoted(s == 3)
                        .setPromotedDataset(s == 3 ? 1 : -1).setPromotedRepeat(s == 3 ? 0 : -1).setTeacherWellFormed(0.98)
                        .setPoolUtilisation(0.9).setStudentGroups(2).setPromotions(s >= 3 ? 1 : 0)
                        .setPromotionQuestions(s >= 3 ? 16 : 0).setBaselineAccuracy(0.1);
                for (int k = 0; k < 2; k++) {
                    st.addRKj(SoarStats.Row.newBuilder().addValues(0.03 * k - 0.01).addValues(0.02));
                    st.addRK(0.015 * k + 0.005);
                }
                r.setSoar(st);
            }
            lines.append(JsonFormat.printer().omittingInsignificantWhitespace().print(r)).append('\n');
        }
        if (!finished) {
            lines.append("{\"step\":").append(steps + 1).append(",\"role\":\"pol"); // being written
        }
        Files.writeString(dir.resolve("metrics.jsonl"), lines);
        String eval = "{\"pass@1\":0.25,\"pass@4\":0.5,\"samples\":[4,4,4,4],\"correct\":[0,1,2,1]}";
        Files.writeString(dir.resolve("pass_before.json"), eval);
        if (finished) {
            Files.writeString(dir.resolve("pass_after.json"), "{\"pass@1\":0.5,\"pass@4\":0.75,\"samples\":[4,4,4,4],\"correct\":[1,2,3,2]}");
            Files.writeString(dir.resolve("summary.json"), "{\"job\":\"" + spec.getName() + "\",\"steps\":" + steps
                    + ",\"pass_at_k_before\":{\"pass@1\":0.25,\"pass@4\":0.5},\"pass_at_k_after\":{\"pass@1\":0.5,\"pass@4\":0.75},"
                    + "\"held_out_change\":{\"pass@1\":{\"delta\":0.25,\"ci95\":[0.1,0.4],\"significant\":true,\"problems\":4},"
                    + "\"pass@4\":{\"delta\":0.25,\"ci95\":[0.0,0.5],\"significant\":false,\"problems\":4}}}");
        }
        return dir;
    }

    static JobSpec spec(String name, AlgorithmSpec.Name algo, long seed, int steps) {
        JobSpec.Builder b = JobSpec.newBuilder().setName(name).setSeed(seed).setSteps(steps);
        b.getAlgorithmBuilder().setName(algo).setLr(1e-4);
        b.getRolloutBuilder().setGroupSize(8).setPromptsPerStep(8);
        if (algo == AlgorithmSpec.Name.SOAR) {
            b.getAlgorithmBuilder().getSoarBuilder().setDatasets(2).setRepeats(2).setPromotionThreshold(0.02);
        }
        return b.build();
    }

    /** Every figure decodes as a PNG whose pixels are not all the background. */
    static void assertDrawn(Page page) throws Exception {
        int figures = 0;
        for (Page.Section s : page.sections()) {
            for (Page.Figure f : s.figures()) {
                BufferedImage img = ImageIO.read(new ByteArrayInputStream(f.png()));
                assertTrue(img != null && img.getWidth() > 100, f.title() + ": not a PNG");
                assertTrue(inkFraction(img) > 0.01, f.title() + ": blank plot");
                figures++;
            }
        }
        assertTrue(figures > 0, "no figures");
    }

    /** Share of pixels that are not near-white (also what the browser test asks of a screenshot). */
    public static double inkFraction(BufferedImage img) {
        long ink = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                if (((rgb >> 16) & 0xff) < 230 || ((rgb >> 8) & 0xff) < 230 || (rgb & 0xff) < 230) {
                    ink++;
                }
            }
        }
        return ink / (double) (img.getWidth() * img.getHeight());
    }

    static List<String> titles(Page p) {
        return p.sections().stream().map(Page.Section::title).toList();
    }

    @Test
    void aFinishedGrpoRunHasEveryGeneralSection() throws Exception {
        Page p = RunReport.build(RunFolder.read(run(tmp.resolve("g"), spec("g", AlgorithmSpec.Name.GRPO, 1, 30), 30, true)));
        assertEquals(List.of("Overview", "Reward", "Learner", "Throughput and time", "Held-out pass@k"), titles(p));
        assertDrawn(p);
        String html = p.html();
        assertTrue(html.contains("finished") && html.contains("+25.0 [+10.0, +40.0]"), "the change and its interval");
        assertEquals(p.sections().stream().mapToLong(s -> s.figures().size()).sum(), html.split("data:image/png;base64,").length - 1);
    }

    @Test
    void aRunStillGoingIsReportedAsFarAsItGoes() throws Exception {
        Path dir = run(tmp.resolve("e"), spec("e", AlgorithmSpec.Name.EXIT, 1, 40), 12, false);
        RunFolder r = RunFolder.read(dir);
        assertEquals(12, r.stepsDone(), "the half-written last line is left out");
        Page p = RunReport.build(r);
        assertTrue(titles(p).contains("ExIt"), "ExIt section");
        assertTrue(p.html().contains("12 of 40 steps") && p.html().contains("in progress"));
        assertTrue(p.html().contains("(not yet)"), "no after-training evaluation yet");
        assertDrawn(p);
    }

    @Test
    void soarRunsShowTheOuterLoop() throws Exception {
        Page p = RunReport.build(RunFolder.read(run(tmp.resolve("s"), spec("s", AlgorithmSpec.Name.SOAR, 1, 5), 5, true)));
        assertTrue(titles(p).contains("SOAR"));
        Page.Section soar = p.sections().get(titles(p).indexOf("SOAR"));
        assertEquals(List.of("R_kj per outer step", "Moving average R̄ against τ", "Dataset rewards R_k and the baseline",
                "Teacher well-formed rate and pool utilisation"), soar.figures().stream().map(Page.Figure::title).toList());
        assertTrue(p.html().contains("1 promotion(s), 16 Promotion Questions"), "promotions counted");
        assertDrawn(p);
    }

    @Test
    void brokenInputIsOneLineNamingTheFile() throws Exception {
        assertThrows(UserError.class, () -> RunFolder.read(tmp.resolve("nothing")));
        Path dir = run(tmp.resolve("bad"), spec("b", AlgorithmSpec.Name.GRPO, 1, 4), 4, true);
        List<String> lines = Files.readAllLines(dir.resolve("metrics.jsonl"));
        lines.set(1, "{not json");
        Files.write(dir.resolve("metrics.jsonl"), lines);
        UserError e = assertThrows(UserError.class, () -> RunFolder.read(dir));
        assertTrue(e.getMessage().contains("metrics.jsonl: line 2"), e.getMessage());
    }

    @Test
    void compareGroupsSeedsOfOneMethod() throws Exception {
        List<RunFolder> runs = List.of(
                RunFolder.read(run(tmp.resolve("a1"), spec("grpo", AlgorithmSpec.Name.GRPO, 1, 20), 20, true)),
                RunFolder.read(run(tmp.resolve("a2"), spec("grpo", AlgorithmSpec.Name.GRPO, 2, 20), 20, true)),
                RunFolder.read(run(tmp.resolve("b1"), spec("exit", AlgorithmSpec.Name.EXIT, 1, 20), 20, true)));
        CompareReport c = new CompareReport(runs);
        assertEquals(2, c.groups().size());
        assertEquals(2, c.groups().get(0).runs().size());
        String md = c.markdown();
        assertTrue(md.contains("| held-out pass@1 change (points) | 25.0 ± 0.0 | 25.0 |"), md);
        assertDrawn(c.page());
        assertThrows(UserError.class, () -> new CompareReport(List.of(runs.get(0), RunFolder.read(runs.get(0).dir()))),
                "the same method and seed twice");
        // seeds whose specs differ in a per-seed file: one method by name, two by spec
        JobSpec other = spec("grpo", AlgorithmSpec.Name.GRPO, 3, 20).toBuilder()
                .setTask(io.ladder.proto.TaskSpec.newBuilder().setTrainFile("s3/train.jsonl")).build();
        RunFolder third = RunFolder.read(run(tmp.resolve("a3"), other, 20, true));
        assertEquals(2, new CompareReport(List.of(runs.get(0), runs.get(1), third)).groups().size());
        assertEquals(1, new CompareReport(List.of(runs.get(0), runs.get(1), third), CompareReport.GroupBy.NAME).groups().size());
        // two methods of one name (SOAR and its Intrinsic-T variant), each seed in its own folder: one method per folder name
        JobSpec intrinsic = spec("grpo", AlgorithmSpec.Name.GRPO, 1, 20).toBuilder().setSteps(21).build();
        List<RunFolder> perSeed = List.of(
                RunFolder.read(run(tmp.resolve("s1/soar"), spec("grpo", AlgorithmSpec.Name.GRPO, 1, 20), 20, true)),
                RunFolder.read(run(tmp.resolve("s2/soar"), spec("grpo", AlgorithmSpec.Name.GRPO, 2, 20), 20, true)),
                RunFolder.read(run(tmp.resolve("s1/intrinsic"), intrinsic, 20, true)));
        assertThrows(UserError.class, () -> new CompareReport(perSeed, CompareReport.GroupBy.NAME), "name and seed 1 twice");
        CompareReport byFolder = new CompareReport(perSeed, CompareReport.GroupBy.FOLDER);
        assertEquals(List.of(2, 1), byFolder.groups().stream().map(g -> g.runs().size()).toList());
        assertTrue(byFolder.groups().get(1).label().startsWith("intrinsic · "), byFolder.groups().get(1).label());
    }
}
