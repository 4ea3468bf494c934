package io.ladder.learner;

import io.ladder.policy.WeightVersion;
import io.ladder.policy.WeightVersionException;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.ladder.learner.LearnerConfig.Aggregation;
import io.ladder.learner.LearnerConfig.KlEstimator;
import io.ladder.policy.Policy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The learner on a tiny random model: gradients, micro-batches, bad numbers, checkpoints, versions. */
class LearnerTest {
    @TempDir
    static Path tmp;
    static Path modelDir;
    static NDManager manager;

    @BeforeAll
    static void setUp() throws Exception {
        modelDir = TinyModels.write(tmp.resolve("tiny"), 2, 32, 4, 2, false, 11, 0.2);
        manager = Policy.newManager();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    static Policy load() {
        return Policy.load(modelDir, manager);
    }

    /**
     * A fixed batch: `groups` prompts with `perGroup` completions of 0 to 5 tokens each, sampling
     * log-probs = the model's own plus noise (so ratios differ from 1 and some are clipped), random
     * 0/1 or continuous rewards.
     */
    static List<Rollout> batch(Policy policy, long seed, int groups, int perGroup, double noise, double temperature) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<int[]> prompts = new ArrayList<>();
        List<int[]> comps = new ArrayList<>();
        List<double[]> meta = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            int[] prompt = new int[2 + rng.nextInt(3)];
            for (int i = 0; i < prompt.length; i++) {
                prompt[i] = rng.nextInt(256);
            }
            for (int j = 0; j < perGroup; j++) {
                int[] c = new int[(g + j) % 7 == 3 ? 0 : 1 + rng.nextInt(5)];
                for (int i = 0; i < c.length; i++) {
                    c[i] = rng.nextInt(256);
                }
                prompts.add(prompt);
                comps.add(c);
                meta.add(new double[] {g % 2 == 0 ? rng.nextInt(2) : rng.nextDouble() * 3 - 1, g});
            }
        }
        List<float[]> lp = policy.scoreValues(prompts, comps, temperature);
        List<Rollout> out = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            float[] s = lp.get(i).clone();
            for (int t = 0; t < s.length; t++) {
                s[t] += (float) (noise * (rng.nextDouble() * 2 - 1));
            }
            out.add(new Rollout(prompts.get(i), comps.get(i), s, meta.get(i)[0], (int) meta.get(i)[1]));
        }
        return out;
    }

    static void perturb(Policy policy, long seed, double scale) {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, float[]> v = policy.model().parameterValues();
        for (float[] a : v.values()) {
            for (int i = 0; i < a.length; i++) {
                a[i] += (float) (scale * (rng.nextDouble() * 2 - 1));
            }
        }
        policy.model().setParameters(v);
    }

    static double maxAbsDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    static double maxAbs(float[] a) {
        double m = 0;
        for (float x : a) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    // ------------------------------------------------------------------ gradients

    @Test
    void gradientsMatchFiniteDifferences() {
        for (LearnerConfig cfg : List.of(
                LearnerConfig.grpo().clipEpsLow(0.2).clipEpsHigh(0.28).klBeta(0.1).klEstimator(KlEstimator.K3)
                        .temperature(0.8).build(),
                LearnerConfig.rloo().klBeta(0.05).build())) {
            try (Policy policy = load(); Learner learner = new Learner(policy, cfg)) {
                perturb(policy, 5, 0.02); // the reference is the unperturbed model, so the KL term has a gradient
                List<Rollout> batch = batch(policy, 3, 3, 4, 0.3, cfg.temperature());
                double[] loss = new double[1];
                Map<String, float[]> grads = learner.lossAndGradients(batch, loss);
                assertTrue(Double.isFinite(loss[0]));
                // A central difference of a float32 loss (|loss| ~ 0.2, rounding ~1e-7 on any kernel) has
                // rounding noise ~1e-7 / h = 5e-5 plus O(h²) truncation; the tolerance below is at least
                // 2e-3·max|g| ≈ 2e-4 (observed |fd − g| ≤ 1e-4 with the AVX2 and default kernels). A larger h
                // would cross the kinks of the clipped objective (h = 1e-2 does, by up to 4x the tolerance).
                double h = 2e-3;
                int checked = 0;
                for (String name : List.of("model.embed_tokens.weight", "model.layers.0.self_attn.q_proj.weight",
                        "model.layers.1.mlp.down_proj.weight", "model.norm.weight", "lm_head.weight",
                        "model.layers.0.input_layernorm.weight")) {
                    float[] g = grads.get(name);
                    NDArray p = policy.model().parameters().get(name);
                    float[] w = p.toFloatArray();
                    for (int k : topIndices(g, 3)) {
                        float orig = w[k];
                        w[k] = orig + (float) h;
                        p.set(w);
                        double plus = lossOnly(learner, batch);
                        w[k] = orig - (float) h;
                        p.set(w);
                        double minus = lossOnly(learner, batch);
                        w[k] = orig;
                        p.set(w);
                        double fd = (plus - minus) / (2 * h);
                        assertEquals(g[k], fd, 2e-3 * maxAbs(g) + 2e-2 * Math.abs(g[k]),
                                cfg.algorithm() + " " + name + "[" + k + "]: autograd " + g[k] + " vs finite difference " + fd);
                        checked++;
                    }
                }
                assertEquals(18, checked);
            }
        }
    }

    static double lossOnly(Learner learner, List<Rollout> batch) {
        double[] l = new double[1];
        learner.lossAndGradients(batch, l);
        return l[0];
    }

    static int[] topIndices(float[] g, int n) {
        Integer[] idx = new Integer[g.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Float.compare(Math.abs(g[b]), Math.abs(g[a])));
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = idx[i];
        }
        return out;
    }

    /**
     * Micro-batches sum to the full batch's gradient, and so give the same update. Gradients are
     * compared relative to each tensor's scale (summation order moves the last bits, and more so on
     * another CPU kernel). The update is compared under an AdamW with ε = 1: Adam with a tiny ε
     * divides by √v, so a last-bit difference in a near-zero gradient becomes a difference of
     * order lr in the weight (seen on an AVX-512 machine); with ε = 1 the step is close to linear in
     * the gradient, and a gradient difference δ moves a weight by at most about lr·δ/ε per epoch.
     */
    @Test
    void microBatchesGiveTheSameUpdateAsTheFullBatch() {
        double lr = 0.05;
        double adamEps = 1.0;
        int epochs = 2;
        double gradTol = 1e-5; // relative to the tensor's largest gradient
        for (Aggregation agg : Aggregation.values()) {
            LearnerConfig full = LearnerConfig.grpo().aggregation(agg).klBeta(0.05).lr(lr).eps(adamEps).weightDecay(0.01)
                    .maxGradNorm(0.5).epochsPerBatch(epochs).build();
            Map<String, float[]> after = new LinkedHashMap<>();
            Map<String, float[]> gradFull = null;
            for (int micro : new int[] {0, 1, 3, 5}) {
                try (Policy policy = load(); Learner learner = new Learner(policy, full.toBuilder().microBatchSize(micro).build())) {
                    List<Rollout> batch = batch(policy, 7, 3, 4, 0.3, 1.0);
                    Map<String, float[]> initial = policy.model().parameterValues();
                    Map<String, float[]> g = learner.lossAndGradients(batch, new double[1]);
                    StepReport r = learner.step(batch);
                    assertFalse(r.skipped());
                    assertEquals(2, r.updates());
                    Map<String, float[]> w = policy.model().parameterValues();
                    if (micro == 0) {
                        gradFull = g;
                        after = w;
                        continue;
                    }
                    for (String name : g.keySet()) {
                        double scale = Math.max(1e-12, maxAbs(gradFull.get(name)));
                        float[] a = g.get(name);
                        float[] b = gradFull.get(name);
                        for (int i = 0; i < a.length; i++) {
                            assertEquals(b[i], a[i], gradTol * scale, agg + " micro " + micro + " gradient " + name);
                        }
                        // per epoch at most lr·δ/ε from the gradient, ×4 for the second epoch's gradient
                        // (taken at weights that already differ), plus float32 rounding of the weights
                        double weightTol = 4 * epochs * lr * gradTol * scale / adamEps + 1e-6 * maxAbs(after.get(name));
                        float[] wa = after.get(name);
                        float[] wb = w.get(name);
                        for (int i = 0; i < wa.length; i++) {
                            assertEquals(wa[i], wb[i], weightTol, agg + " micro " + micro + " weights " + name + "[" + i + "]");
                        }
                        assertTrue(maxAbsDiff(wa, initial.get(name)) > 100 * weightTol,
                                agg + " " + name + ": the update is too small for the comparison to mean anything");
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ bad numbers

    @Test
    void nanOrInfSkipsTheUpdateAndKeepsWeightsAndOptimizerState() throws Exception {
        LearnerConfig cfg = LearnerConfig.grpo().lr(1e-2).klBeta(0.02).build();
        try (Policy policy = load(); Learner learner = new Learner(policy, cfg)) {
            List<Rollout> good = batch(policy, 9, 2, 4, 0.2, 1.0);
            assertFalse(learner.step(good).skipped()); // so the optimizer has non-zero moments
            Map<String, float[]> w0 = policy.model().parameterValues();
            Path s0 = tmp.resolve("state-before-nan");
            learner.saveState(s0);
            long version = learner.version();
            double[] adv = Advantages.grpo(Learner.rewards(good), Learner.groups(good), true);
            int pos = -1;
            int neg = -1;
            for (int i = 0; i < good.size(); i++) {
                if (good.get(i).completionLength() > 0 && adv[i] > 0.1 && pos < 0) {
                    pos = i;
                }
                if (good.get(i).completionLength() > 0 && adv[i] < -0.1 && neg < 0) {
                    neg = i;
                }
            }
            // NaN: NaN loss; -Inf with A < 0: ρ = +Inf, loss +Inf; -Inf with A > 0: the clipped branch keeps the
            // loss finite but the gradient is 0 * Inf = NaN
            int[] rows = {pos, neg, pos};
            float[] values = {Float.NaN, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY};
            String[] reasons = {"loss is NaN", "loss is Infinity", "gradient norm is NaN"};
            for (int k = 0; k < 3; k++) {
                List<Rollout> batch = new ArrayList<>(good);
                Rollout r = batch.get(rows[k]);
                float[] lp = r.samplingLogprobs().clone();
                lp[0] = values[k];
                batch.set(rows[k], new Rollout(r.promptIds(), r.completionIds(), lp, r.reward(), r.group()));
                StepReport rep = learner.step(batch);
                assertTrue(rep.skipped(), "sampling log-prob " + values[k] + " must skip the update");
                assertEquals(0, rep.updates());
                assertEquals(1, rep.skippedUpdates());
                assertEquals(k + 1, rep.totalSkippedUpdates());
                assertTrue(rep.skipReason().startsWith(reasons[k]) && rep.skipReason().contains("update skipped"),
                        rep.skipReason());
                assertEquals(version, rep.version());
                Map<String, float[]> w = policy.model().parameterValues();
                for (String name : w0.keySet()) {
                    assertArrayEquals(w0.get(name), w.get(name), 0f, "weights changed after a skipped update: " + name);
                }
            }
            // a NaN reward poisons the advantages: skipped as well
            List<Rollout> nanReward = new ArrayList<>(good);
            nanReward.set(0, good.get(0).withReward(Double.NaN));
            assertTrue(learner.step(nanReward).skipped());
            // the optimizer state is the one saved before the bad steps
            Path s1 = tmp.resolve("state-after-nan");
            learner.saveState(s1);
            assertArrayEquals(java.nio.file.Files.readAllBytes(s0.resolve("optimizer.safetensors")),
                    java.nio.file.Files.readAllBytes(s1.resolve("optimizer.safetensors")));
            // and training goes on normally
            StepReport ok = learner.step(good);
            assertFalse(ok.skipped());
            assertTrue(Double.isFinite(ok.loss()) && Double.isFinite(ok.gradNorm()));
            assertEquals(version + 1, ok.version());
            assertEquals(4, ok.totalSkippedUpdates());
        }
    }

    // ------------------------------------------------------------------ group statistics and dynamic sampling

    @Test
    void zeroVarianceGroupsAreReportedAndCanBeDropped() {
        try (Policy policy = load();
             Learner learner = new Learner(policy, LearnerConfig.grpo().lr(1e-3).dropZeroVarianceGroups(true).build())) {
            List<Rollout> batch = new ArrayList<>();
            for (Rollout r : batch(policy, 13, 3, 4, 0.1, 1.0)) {
                batch.add(r.group() == 1 ? r.withReward(0.5) : r); // group 1: all equal
            }
            StepReport rep = learner.step(batch);
            assertEquals(1, rep.droppedGroups());
            assertEquals(8, rep.samples());
            assertEquals(1.0 / 3, rep.groupStats().zeroVarianceFraction(), 1e-12);
            assertFalse(rep.skipped());
            // all groups flat: nothing to learn, weights untouched, not counted as a NaN skip
            Map<String, float[]> w0 = policy.model().parameterValues();
            List<Rollout> flat = new ArrayList<>();
            for (Rollout r : batch) {
                flat.add(r.withReward(1.0));
            }
            StepReport none = learner.step(flat);
            assertTrue(none.skipped());
            assertEquals(3, none.droppedGroups());
            assertEquals(0, none.totalSkippedUpdates());
            assertEquals(1.0, none.groupStats().zeroVarianceFraction(), 0);
            assertArrayEquals(w0.get("lm_head.weight"), policy.model().parameterValues().get("lm_head.weight"), 0f);
        }
    }

    @Test
    void reportCarriesLossKlEntropyClipFractionsAndTokens() {
        LearnerConfig cfg = LearnerConfig.grpo().klBeta(0.1).clipEps(0.1).lr(1e-3).build();
        try (Policy policy = load(); Learner learner = new Learner(policy, cfg)) {
            perturb(policy, 2, 0.02);
            List<Rollout> batch = batch(policy, 21, 2, 4, 0.5, 1.0);
            StepReport r = learner.step(batch);
            long tokens = batch.stream().mapToLong(Rollout::completionLength).sum();
            long total = batch.stream().mapToLong(x -> x.completionLength() + x.promptIds().length).sum();
            assertEquals(tokens, r.completionTokens());
            assertEquals(total, r.totalTokens());
            assertTrue(r.kl() > 0, "k3 against a perturbed reference is positive: " + r.kl());
            assertTrue(r.entropy() > 0 && r.entropy() < Math.log(259) + 1e-3, "entropy " + r.entropy());
            assertTrue(r.clipLowFraction() > 0 && r.clipHighFraction() > 0, r.summary());
            assertTrue(r.gradNorm() > 0 && r.lr() == 1e-3 && r.seconds() > 0);
            assertEquals(1, r.optimizerStep());
            assertEquals(r.loss(), r.policyLoss() + 0.1 * r.kl(), 1e-5);
        }
    }

    // ------------------------------------------------------------------ checkpoints and versions

    @Test
    void savedStateResumesExactly() throws Exception {
        LearnerConfig cfg = LearnerConfig.rloo().klBeta(0.05).lr(3e-3).warmupSteps(1).totalSteps(10).build();
        Path policyDir = tmp.resolve("ckpt-policy");
        Path stateDir = tmp.resolve("ckpt-state");
        Map<String, float[]> expected;
        List<Rollout> b2;
        try (Policy policy = load(); Learner learner = new Learner(policy, cfg)) {
            List<Rollout> b1 = batch(policy, 31, 3, 4, 0.2, 1.0);
            learner.step(b1);
            learner.step(b1);
            policy.save(policyDir, "float32");
            learner.saveState(stateDir);
            b2 = batch(policy, 32, 3, 4, 0.2, 1.0);
            StepReport r = learner.step(b2);
            assertEquals(3, r.optimizerStep());
            assertEquals(3, r.version());
            expected = policy.model().parameterValues();
        }
        try (Policy policy = Policy.load(policyDir, manager); Learner learner = new Learner(policy, cfg)) {
            learner.loadState(stateDir);
            assertEquals(2, learner.optimizerStep());
            assertEquals(2, learner.version());
            // the reference came from the checkpoint (the initial weights), not from the loaded policy
            try (Policy initial = load()) {
                assertArrayEquals(initial.model().parameterValues().get("lm_head.weight"),
                        learner.reference().parameterValues().get("lm_head.weight"), 0f);
            }
            StepReport r = learner.step(b2);
            assertEquals(3, r.version());
            Map<String, float[]> got = policy.model().parameterValues();
            for (String name : expected.keySet()) {
                assertArrayEquals(expected.get(name), got.get(name), 1e-7f, name);
            }
        }
    }

    @Test
    void workersApplyOnlyNewerIntactVersions() {
        try (Policy trainer = load(); Policy worker = load();
             Learner learner = new Learner(trainer, LearnerConfig.grpo().lr(1e-2).build())) {
            WeightVersion v0 = learner.publish();
            assertEquals(0, v0.version());
            learner.step(batch(trainer, 41, 2, 4, 0.2, 1.0));
            WeightVersion v1 = learner.publish();
            assertEquals(1, v1.version());
            assertEquals(WeightVersion.sha256Hex(v1.payload()), v1.sha256());
            assertNotEquals(v0.sha256(), v1.sha256());

            // through the wire format and back
            WeightVersion wire = ProtoConvert.fromProto(io.ladder.proto.WeightVersion.parseFrom(
                    ProtoConvert.toProto(v1).toByteArray()));
            long current = wire.applyTo(worker.model(), 0);
            assertEquals(1, current);
            Map<String, float[]> a = trainer.model().parameterValues();
            Map<String, float[]> b = worker.model().parameterValues();
            for (String name : a.keySet()) {
                assertArrayEquals(a.get(name), b.get(name), 0f, name);
            }

            WeightVersionException same = assertThrows(WeightVersionException.class, () -> v1.applyTo(worker.model(), 1));
            assertEquals("weight version 1 rejected: not newer than the applied version 1", same.getMessage());
            assertThrows(WeightVersionException.class, () -> v0.applyTo(worker.model(), 1));

            byte[] corrupt = v1.payload().clone();
            corrupt[corrupt.length / 2] ^= 0x40;
            WeightVersionException bad = assertThrows(WeightVersionException.class,
                    () -> new WeightVersion(2, corrupt, v1.sha256()).applyTo(worker.model(), 1));
            assertTrue(bad.getMessage().startsWith("weight version 2 rejected: payload checksum mismatch"), bad.getMessage());
            assertFalse(bad.getMessage().contains("\n"));

            byte[] truncated = Arrays.copyOf(v1.payload(), v1.payload().length - 100);
            WeightVersionException cut = assertThrows(WeightVersionException.class,
                    () -> new WeightVersion(2, truncated, WeightVersion.sha256Hex(truncated)).applyTo(worker.model(), 1));
            assertTrue(cut.getMessage().startsWith("weight version 2 rejected:"), cut.getMessage());
            // nothing was applied by the refused versions
            assertArrayEquals(a.get("lm_head.weight"), worker.model().parameterValues().get("lm_head.weight"), 0f);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void rolloutsSurviveTheWireFormat() throws Exception {
        List<Rollout> rs = List.of(
                new Rollout(new int[] {1, 2}, new int[] {3, 4, 5}, new float[] {-0.1f, -0.2f, -0.3f}, 0.5, 7),
                new Rollout(new int[] {1, 2}, new int[] {}, new float[] {}, -1.0, 7, 2),
                new Rollout(new int[] {9}, new int[] {6}, new float[] {-2f}, 1.0, 3));
        io.ladder.proto.RolloutBatch wire = io.ladder.proto.RolloutBatch.parseFrom(ProtoConvert.toProto(rs, 4).toByteArray());
        assertEquals(2, wire.getGroupsCount());
        List<Rollout> back = ProtoConvert.fromProto(wire);
        assertEquals(3, back.size());
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(rs.get(i).promptIds(), back.get(i).promptIds());
            assertArrayEquals(rs.get(i).completionIds(), back.get(i).completionIds());
            assertArrayEquals(rs.get(i).samplingLogprobs(), back.get(i).samplingLogprobs());
            assertEquals(rs.get(i).reward(), back.get(i).reward());
            assertEquals(rs.get(i).group(), back.get(i).group());
            assertEquals(rs.get(i).unit(), back.get(i).unit());
        }
        assertEquals(4, wire.getGroups(0).getSamples(0).getPolicyVersion());
    }

    @Test
    void learnersInOneJvmCanStepConcurrently() throws Exception {
        try (Policy p1 = load(); Policy p2 = load();
             Learner l1 = new Learner(p1, LearnerConfig.grpo().lr(1e-3).build());
             Learner l2 = new Learner(p2, LearnerConfig.rloo().lr(1e-3).build())) {
            List<Rollout> b1 = batch(p1, 51, 2, 4, 0.2, 1.0);
            List<Rollout> b2 = batch(p2, 52, 2, 4, 0.2, 1.0);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                // each learner steps three times on its own thread while the other steps on another
                List<java.util.concurrent.Future<List<StepReport>>> fs = new ArrayList<>();
                for (Learner l : List.of(l1, l2)) {
                    List<Rollout> b = l == l1 ? b1 : b2;
                    fs.add(pool.submit(() -> List.of(l.step(b), l.step(b), l.step(b))));
                }
                for (java.util.concurrent.Future<List<StepReport>> f : fs) {
                    for (StepReport r : f.get()) {
                        assertFalse(r.skipped());
                    }
                }
            } finally {
                pool.shutdown();
            }
            assertEquals(3, l1.version());
            assertEquals(3, l2.version());
        }
    }

    /** ExIt's diversity bonus scales each advantage: scaling all of them by c scales the (unclipped, β = 0) gradient by c. */
    @Test
    void advantageScaleMultipliesTheAdvantage() {
        try (Policy policy = load(); Learner learner = new Learner(policy, LearnerConfig.grpo().lr(1e-3).build())) {
            List<Rollout> batch = batch(policy, 11, 3, 4, 0.0, 1.0); // sampled by this policy: ρ = 1, no clipping
            List<Rollout> doubled = new ArrayList<>();
            List<Rollout> zeroed = new ArrayList<>();
            for (Rollout r : batch) {
                doubled.add(new Rollout(r.promptIds(), r.completionIds(), r.samplingLogprobs(), r.reward(), r.group(), r.unit(), 2.0));
                zeroed.add(new Rollout(r.promptIds(), r.completionIds(), r.samplingLogprobs(), r.reward(), r.group(), r.unit(), 0.0));
            }
            Map<String, float[]> g1 = learner.lossAndGradients(batch, new double[1]);
            Map<String, float[]> g2 = learner.lossAndGradients(doubled, new double[1]);
            Map<String, float[]> g0 = learner.lossAndGradients(zeroed, new double[1]);
            for (String name : g1.keySet()) {
                double scale = Math.max(1e-12, maxAbs(g1.get(name)));
                for (int i = 0; i < g1.get(name).length; i++) {
                    assertEquals(2 * g1.get(name)[i], g2.get(name)[i], 1e-5 * scale, name);
                    assertEquals(0.0, g0.get(name)[i], 1e-9, name);
                }
            }
            assertTrue(maxAbs(g1.get("lm_head.weight")) > 0, "the batch must carry a gradient");
        }
    }

    /**
     * Multi-turn episodes: tokens the environment wrote are in the context but not in the loss. What
     * a masked token's sampling log-prob is cannot move the gradient; masking tokens does; a mask of
     * all-true is the unmasked rollout.
     */
    @Test
    void environmentTokensAreContextButNotLoss() {
        try (Policy policy = load(); Learner learner = new Learner(policy, LearnerConfig.grpo().lr(1e-3).klBeta(0.0).build())) {
            List<Rollout> batch = batch(policy, 13, 3, 4, 0.0, 1.0);
            List<Rollout> allTrained = new ArrayList<>();
            List<Rollout> masked = new ArrayList<>();
            List<Rollout> maskedOtherLogprobs = new ArrayList<>();
            for (Rollout r : batch) {
                int c = r.completionLength();
                boolean[] all = new boolean[c];
                java.util.Arrays.fill(all, true);
                boolean[] some = all.clone();
                for (int t = 1; t < c; t += 2) {
                    some[t] = false; // every other token "from the environment"
                }
                float[] other = r.samplingLogprobs().clone();
                for (int t = 0; t < c; t++) {
                    other[t] = some[t] ? other[t] : -7f; // an environment token has no sampling log-prob
                }
                allTrained.add(new Rollout(r.promptIds(), r.completionIds(), r.samplingLogprobs(), r.reward(), r.group(), r.unit(), 1.0, all));
                masked.add(new Rollout(r.promptIds(), r.completionIds(), r.samplingLogprobs(), r.reward(), r.group(), r.unit(), 1.0, some));
                maskedOtherLogprobs.add(new Rollout(r.promptIds(), r.completionIds(), other, r.reward(), r.group(), r.unit(), 1.0, some));
            }
            Map<String, float[]> g = learner.lossAndGradients(batch, new double[1]);
            Map<String, float[]> gAll = learner.lossAndGradients(allTrained, new double[1]);
            Map<String, float[]> gMasked = learner.lossAndGradients(masked, new double[1]);
            Map<String, float[]> gOther = learner.lossAndGradients(maskedOtherLogprobs, new double[1]);
            double moved = 0;
            for (String name : g.keySet()) {
                double scale = Math.max(1e-12, maxAbs(g.get(name)));
                for (int i = 0; i < g.get(name).length; i++) {
                    assertEquals(g.get(name)[i], gAll.get(name)[i], 1e-6 * scale, name);
                    assertEquals(gMasked.get(name)[i], gOther.get(name)[i], 1e-6 * scale, name);
                }
                moved = Math.max(moved, maxAbsDiff(g.get(name), gMasked.get(name)));
            }
            assertTrue(moved > 0, "masking tokens must change the gradient");
            // the round trip through the actor message keeps the mask
            Rollout back = ProtoConvert.fromProto(ProtoConvert.toProto(masked.get(0), 1));
            assertTrue(java.util.Arrays.equals(masked.get(0).trained(), back.trained()));
            assertEquals(null, ProtoConvert.fromProto(ProtoConvert.toProto(batch.get(0), 1)).trained());
        }
    }

    /** π_ref ← α·π_ref + (1 − α)·π_θ: α = 1 keeps the reference, α = 0 copies the policy, between mixes. */
    @Test
    void referenceRefreshMixesTheReferenceTowardsThePolicy() {
        try (Policy policy = load(); Learner learner = new Learner(policy, LearnerConfig.grpo().lr(1e-2).klBeta(0.1).build())) {
            Map<String, float[]> ref0 = learner.reference().parameterValues();
            learner.step(batch(policy, 3, 3, 4, 0.1, 1.0));
            Map<String, float[]> theta = policy.model().parameterValues();
            String name = "model.layers.0.mlp.up_proj.weight";
            assertTrue(maxAbsDiff(theta.get(name), ref0.get(name)) > 0, "the step must move the policy");
            learner.refreshReference(1.0);
            assertArrayEquals(ref0.get(name), learner.reference().parameterValues().get(name));
            learner.refreshReference(0.5);
            float[] mixed = learner.reference().parameterValues().get(name);
            for (int i = 0; i < mixed.length; i++) {
                assertEquals(0.5 * ref0.get(name)[i] + 0.5 * theta.get(name)[i], mixed[i], 1e-6);
            }
            learner.refreshReference(0.0);
            assertArrayEquals(theta.get(name), learner.reference().parameterValues().get(name));
        }
        try (Policy policy = load(); Learner learner = new Learner(policy, LearnerConfig.grpo().build())) {
            assertFalse(learner.refreshReference(0.5), "no reference when beta = 0");
        }
    }

    @Test
    void oneLearnerSteppedFromTwoThreadsTakesTurns() throws Exception {
        // A learner shared by two threads (an actor whose calls overlap) must not update its
        // weights while the other step's graph is alive: the steps are serialised.
        try (Policy p = load(); Learner l = new Learner(p, LearnerConfig.grpo().lr(1e-3).build())) {
            List<Rollout> b = batch(p, 53, 2, 4, 0.2, 1.0);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                List<java.util.concurrent.Future<StepReport>> fs = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    fs.add(pool.submit(() -> l.step(b)));
                }
                for (java.util.concurrent.Future<StepReport> f : fs) {
                    assertFalse(f.get().skipped());
                }
            } finally {
                pool.shutdown();
            }
            assertEquals(6, l.version());
        }
    }

    @Test
    void noReferenceModelWithoutKl() {
        try (Policy policy = load(); Learner learner = new Learner(policy, LearnerConfig.grpo().build())) {
            assertNull(learner.reference());
        }
    }
}
