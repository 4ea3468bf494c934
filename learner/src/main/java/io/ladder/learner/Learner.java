package io.ladder.learner;
import io.ladder.policy.WeightVersion;
import io.ladder.policy.NoGrad;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.ladder.learner.LearnerConfig.KlPlacement;
import io.ladder.policy.LlamaModel;
import io.ladder.policy.Policy;
import io.ladder.policy.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Trains a {@link Policy} in place with GRPO or RLOO (see {@link LearnerConfig}) from batches of
 * scored rollouts, and publishes the resulting weights as numbered versions.
 *
 * <p>One {@link #step} = group statistics, optional dropping of zero-variance groups, reference
 * log-probs (when β &gt; 0), advantages, then {@code epochsPerBatch} optimizer updates. Each update
 * zeroes the gradients, runs forward and backward over the micro-batches (gradients accumulate;
 * the loss is normalised over the whole batch, so the update does not depend on the micro-batch
 * size), checks the loss and gradient norm for NaN/Inf (a bad update is skipped and counted,
 * weights and optimizer state untouched), clips the gradient norm and applies AdamW.
 *
 * <p>Steps, resets, publishes and checkpoints of one learner are serialised (a second thread's
 * step waits: an update in place while another step's graph is alive would break its backward).
 * Several learners in one JVM may step concurrently from different threads, but their
 * forward/backward passes take turns (DJL's PyTorch gradient collector is JVM-wide).
 * The policy's parameters are marked as requiring gradients; sampling from the same policy between
 * steps is fine (DJL runs forward passes without a graph outside a gradient collector).
 */
public final class Learner implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Learner.class.getName());
    static final String STATE_FORMAT = "ladder-learner-state/1";

    private final Policy policy;
    private final LlamaModel model;
    private final LearnerConfig cfg;
    private LrSchedule schedule;
    private final AdamW optimizer;
    private final LlamaModel reference; // frozen copy of the initial weights; null when β = 0
    private final Policy referencePolicy; // shares the policy's tokenizer; never closed itself
    private long optimizerStep;
    private long version;
    private long totalSkipped;

    public Learner(Policy policy, LearnerConfig cfg) {
        this(policy, cfg, 0);
    }

    /** A learner whose current weights are version {@code initialVersion}. */
    public Learner(Policy policy, LearnerConfig cfg, long initialVersion) {
        this.policy = policy;
        this.model = policy.model();
        this.cfg = cfg;
        this.schedule = LrSchedule.of(cfg);
        this.version = initialVersion;
        for (NDArray p : model.parameters().values()) {
            p.setRequiresGradient(true);
        }
        this.optimizer = new AdamW(cfg.beta1(), cfg.beta2(), cfg.eps(), cfg.weightDecay(), model.manager());
        if (cfg.usesReference()) {
            reference = LlamaModel.fromValues(model.config, model.parameterValues(), model.manager());
            referencePolicy = new Policy(reference, policy.tokenizer(), null);
        } else {
            reference = null;
            referencePolicy = null;
        }
    }

    public LearnerConfig config() {
        return cfg;
    }

    public Policy policy() {
        return policy;
    }

    /** Optimizer updates applied so far. */
    public long optimizerStep() {
        return optimizerStep;
    }

    /** Version of the current weights. */
    public long version() {
        return version;
    }

    public long totalSkippedUpdates() {
        return totalSkipped;
    }

    /** The frozen reference model, or null when β = 0. */
    public LlamaModel reference() {
        return reference;
    }

    /** Learning rate the next update will use. */
    public double nextLr() {
        return schedule.at(optimizerStep);
    }

    // ------------------------------------------------------------------ the step

    /** Trains on one batch; see the class comment. */
    public synchronized StepReport step(List<Rollout> batch) {
        try (NoGrad ignored = new NoGrad()) {
            return stepNoGrad(batch);
        }
    }

    private StepReport stepNoGrad(List<Rollout> batch) {
        long t0 = System.nanoTime();
        if (batch.isEmpty()) {
            throw new IllegalArgumentException("learner step on an empty batch");
        }
        GroupStats stats = GroupStats.of(rewards(batch), groups(batch));
        List<Rollout> kept = batch;
        int dropped = 0;
        if (cfg.dropZeroVarianceGroups() && stats.zeroVarianceGroups() > 0) {
            Set<Integer> flat = Set.copyOf(stats.zeroVarianceGroupIds());
            kept = new ArrayList<>();
            for (Rollout r : batch) {
                if (!flat.contains(r.group())) {
                    kept.add(r);
                }
            }
            dropped = flat.size();
        }
        if (kept.isEmpty()) {
            String why = "all " + stats.groupCount() + " groups have equal rewards (no learning signal)";
            LOG.log(System.Logger.Level.INFO, "learner step skipped: " + why);
            return new StepReport(optimizerStep, version, 0, 0, 0, Double.NaN, 0, 0, 0, schedule.at(optimizerStep),
                    stats, dropped, true, why, 0, 0, totalSkipped, 0, 0, 0, seconds(t0));
        }
        Prepared prep = prepare(kept);
        int applied = 0;
        int skippedNow = 0;
        String skipReason = null;
        double sumLoss = 0, sumPg = 0, sumKl = 0, sumLow = 0, sumHigh = 0, sumNorm = 0, lastLr = schedule.at(optimizerStep);
        double entropy = Double.NaN;
        for (int epoch = 0; epoch < cfg.epochsPerBatch(); epoch++) {
            Accumulated acc = accumulate(prep, epoch == 0 && cfg.reportEntropy());
            if (epoch == 0 && cfg.reportEntropy()) {
                entropy = acc.entropySum / Math.max(1, prep.tokens);
            }
            try (NDManager sm = model.manager().newSubManager()) {
                Map<String, NDArray> grads = Gradients.of(model, sm);
                double norm = Gradients.globalNorm(grads);
                if (!Double.isFinite(acc.loss) || !Double.isFinite(norm)) {
                    skippedNow++;
                    totalSkipped++;
                    skipReason = (!Double.isFinite(acc.loss) ? "loss is " + acc.loss : "gradient norm is " + norm)
                            + " at optimizer step " + optimizerStep + "; update skipped (" + totalSkipped + " so far)";
                    LOG.log(System.Logger.Level.WARNING, "learner: " + skipReason);
                    Gradients.zero(model);
                    break; // later epochs would see the same numbers
                }
                Gradients.clip(grads, norm, cfg.maxGradNorm());
                double lr = schedule.at(optimizerStep);
                optimizer.update(model.parameters(), grads, lr, optimizerStep + 1, sm);
                optimizerStep++;
                applied++;
                lastLr = lr;
                sumNorm += norm;
            }
            sumLoss += acc.loss;
            sumPg += acc.policyLoss;
            sumKl += cfg.klPlacement() == KlPlacement.LOSS ? acc.klSum / Math.max(1, prep.tokens) : prep.rewardKlMean;
            sumLow += acc.clipLow / acc.clipDenominator;
            sumHigh += acc.clipHigh / acc.clipDenominator;
        }
        if (applied > 0) {
            version++;
        }
        int n = Math.max(1, applied);
        boolean skipped = skippedNow > 0;
        StepReport report = new StepReport(optimizerStep, version,
                applied > 0 ? sumLoss / n : Double.NaN, applied > 0 ? sumPg / n : Double.NaN,
                applied > 0 ? sumKl / n : Double.NaN, entropy, sumLow / n, sumHigh / n,
                applied > 0 ? sumNorm / n : Double.NaN, lastLr, stats, dropped, skipped, skipReason, applied,
                skippedNow, totalSkipped, kept.size(), prep.tokens(), prep.totalTokens(), seconds(t0));
        LOG.log(System.Logger.Level.DEBUG, () -> report.summary());
        return report;
    }

    /** Advantages and constants of a batch that stay fixed over its epochs. */
    record Prepared(List<Rollout> rows, double[] advantages, float[][] refLogp, double rewardKlMean, long tokens,
                    long totalTokens, int maxLen) {}

    Prepared prepare(List<Rollout> rows) {
        int n = rows.size();
        long tokens = 0;
        long total = 0;
        int maxLen = 0;
        for (Rollout r : rows) {
            tokens += r.trainedLength(); // what the loss averages over: the model's own tokens
            total += r.completionLength() + r.promptIds().length;
            maxLen = Math.max(maxLen, r.completionLength());
        }
        float[][] ref = null;
        if (reference != null) {
            ref = new float[n][];
            for (int[] mb : microBatches(n)) {
                List<float[]> lp = referencePolicy.scoreValues(prompts(rows, mb), completions(rows, mb), cfg.temperature());
                for (int k = 0; k < lp.size(); k++) {
                    ref[mb[k]] = lp.get(k);
                }
            }
        }
        double[] r = rewards(rows);
        double rewardKl = 0;
        if (ref != null && cfg.klPlacement() == KlPlacement.REWARD) {
            // r_i ← r_i - β Σ_t k(log π_old, log π_ref)  (TRL RLOO: sequence-level KL penalty in the reward)
            for (int i = 0; i < n; i++) {
                float[] old = rows.get(i).samplingLogprobs();
                double kl = 0;
                for (int t = 0; t < old.length; t++) {
                    kl += rows.get(i).trains(t) ? PolicyLoss.kl(cfg.klEstimator(), old[t], ref[i][t]) : 0;
                }
                rewardKl += kl;
                r[i] -= cfg.klBeta() * kl;
            }
            rewardKl /= Math.max(1, tokens);
        }
        int[] g = groups(rows);
        int[] u = units(rows);
        double[] adv = switch (cfg.algorithm()) {
            case GRPO -> Advantages.grpo(r, g, u, cfg.scaleRewardsByStd(), cfg.advantageEps());
            case RLOO -> Advantages.rloo(r, g, u);
        };
        if (cfg.normalizeAdvantages()) {
            adv = Advantages.whiten(adv, cfg.advantageEps());
        }
        for (int i = 0; i < n; i++) {
            adv[i] *= rows.get(i).advantageScale(); // A_i · d_i (ExIt's multiplicative diversity bonus); 1 otherwise
        }
        return new Prepared(rows, adv, ref, rewardKl, tokens, total, maxLen);
    }

    /** Sums over the micro-batches of one update. */
    record Accumulated(double loss, double policyLoss, double klSum, double clipLow, double clipHigh,
                       double clipDenominator, double entropySum) {}

    /**
     * Zeroes the gradients, then runs forward and backward over every micro-batch so that the
     * parameters' gradients hold d(batch loss)/dθ.
     */
    Accumulated accumulate(Prepared p, boolean withEntropy) {
        // DJL's PyTorch gradient collector is one per JVM: learners in one process take turns
        Gradients.COLLECTOR.lock();
        try {
            return accumulateLocked(p, withEntropy);
        } finally {
            Gradients.COLLECTOR.unlock();
        }
    }

    private Accumulated accumulateLocked(Prepared p, boolean withEntropy) {
        Gradients.zero(model);
        int n = p.rows().size();
        double tokens = Math.max(1, p.tokens());
        int lFixed = cfg.maxCompletionLength() > 0 ? cfg.maxCompletionLength() : Math.max(1, p.maxLen());
        double loss = 0, pg = 0, kl = 0, low = 0, high = 0, ent = 0;
        int seqWithTokens = 0;
        for (Rollout r : p.rows()) {
            if (r.trainedLength() > 0) {
                seqWithTokens++;
            }
        }
        for (int[] mb : microBatches(n)) {
            int b = mb.length;
            try (NDManager m = model.manager().newSubManager();
                 GradientCollector gc = model.manager().getEngine().newGradientCollector()) {
                List<int[]> comps = completions(p.rows(), mb);
                Policy.Scores s = policy.score(m, prompts(p.rows(), mb), comps, cfg.temperature(), withEntropy);
                int len = (int) s.logprobs().getShape().get(1);
                float[] old = new float[b * len];
                float[] w = new float[b * len];
                float[] adv = new float[b];
                float[] ref = p.refLogp() != null && cfg.klPlacement() == KlPlacement.LOSS ? new float[b * len] : null;
                float[] lossMask = null; // multi-turn episodes: the environment's tokens leave the loss
                for (int k = 0; k < b; k++) {
                    Rollout r = p.rows().get(mb[k]);
                    adv[k] = (float) p.advantages()[mb[k]];
                    int c = r.trainedLength();
                    double weight = switch (cfg.aggregation()) {
                        case TOKEN_MEAN -> 1.0 / tokens; // Σ l / Σ|o|
                        case SEQUENCE_MEAN -> 1.0 / (Math.max(1, c) * (double) n); // (1/B) Σ (1/|o_i|) Σ_t l
                        case FIXED_LENGTH -> 1.0 / ((double) n * lFixed); // Σ l / (B·L)
                    };
                    for (int t = 0; t < r.completionLength(); t++) {
                        old[k * len + t] = r.samplingLogprobs()[t];
                        w[k * len + t] = r.trains(t) ? (float) weight : 0f;
                        if (ref != null) {
                            ref[k * len + t] = p.refLogp()[mb[k]][t];
                        }
                        if (!r.trains(t)) {
                            if (lossMask == null) {
                                lossMask = new float[b * len];
                                java.util.Arrays.fill(lossMask, 1f);
                            }
                            lossMask[k * len + t] = 0f;
                        }
                    }
                }
                Shape shape = new Shape(b, len);
                NDArray mask = lossMask == null ? s.mask() : s.mask().mul(m.create(lossMask, shape));
                PolicyLoss.Output o = PolicyLoss.compute(cfg, new PolicyLoss.Inputs(s.logprobs(), mask,
                        m.create(old, shape), m.create(adv), ref == null ? null : m.create(ref, shape),
                        m.create(w, shape), s.entropy()));
                gc.backward(o.loss());
                loss += o.lossValue();
                pg += o.policyLoss();
                kl += o.klSum();
                low += o.clipLowCount();
                high += o.clipHighCount();
                ent += o.entropySum();
            }
        }
        double clipDen = cfg.ratioLevel() == LearnerConfig.RatioLevel.TOKEN ? tokens : Math.max(1, seqWithTokens);
        return new Accumulated(loss, pg, kl, low, high, clipDen, ent);
    }

    /** Loss and gradients of the current weights on a batch, without updating (tests, checks). */
    synchronized Map<String, float[]> lossAndGradients(List<Rollout> batch, double[] lossOut) {
        try (NoGrad ignored = new NoGrad()) {
            return lossAndGradientsNoGrad(batch, lossOut);
        }
    }

    private Map<String, float[]> lossAndGradientsNoGrad(List<Rollout> batch, double[] lossOut) {
        Prepared p = prepare(batch);
        Accumulated acc = accumulate(p, false);
        lossOut[0] = acc.loss();
        Map<String, float[]> out = new LinkedHashMap<>();
        try (NDManager sm = model.manager().newSubManager()) {
            for (Map.Entry<String, NDArray> e : Gradients.of(model, sm).entrySet()) {
                out.put(e.getKey(), e.getValue().toFloatArray());
            }
        }
        Gradients.zero(model);
        return out;
    }

    private List<int[]> microBatches(int n) {
        int size = cfg.microBatchSize() > 0 ? cfg.microBatchSize() : n;
        List<int[]> out = new ArrayList<>();
        for (int start = 0; start < n; start += size) {
            int[] idx = new int[Math.min(size, n - start)];
            for (int k = 0; k < idx.length; k++) {
                idx[k] = start + k;
            }
            out.add(idx);
        }
        return out;
    }

    private static List<int[]> prompts(List<Rollout> rows, int[] idx) {
        List<int[]> out = new ArrayList<>(idx.length);
        for (int i : idx) {
            out.add(rows.get(i).promptIds());
        }
        return out;
    }

    private static List<int[]> completions(List<Rollout> rows, int[] idx) {
        List<int[]> out = new ArrayList<>(idx.length);
        for (int i : idx) {
            out.add(rows.get(i).completionIds());
        }
        return out;
    }

    static double[] rewards(List<Rollout> rows) {
        double[] r = new double[rows.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = rows.get(i).reward();
        }
        return r;
    }

    static int[] groups(List<Rollout> rows) {
        int[] g = new int[rows.size()];
        for (int i = 0; i < g.length; i++) {
            g[i] = rows.get(i).group();
        }
        return g;
    }

    private static int[] units(List<Rollout> rows) {
        int[] u = new int[rows.size()];
        boolean any = false;
        for (int i = 0; i < u.length; i++) {
            u[i] = rows.get(i).unit();
            any |= u[i] >= 0;
        }
        return any ? u : null;
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    // ------------------------------------------------------------------ versions and checkpoints

    /**
     * Starts over from the given weights: they replace the policy's, the optimizer forgets its
     * moments and step count, and the version becomes the given one (SOAR resets every student
     * to the baseline student before an inner loop). The KL reference is kept.
     */
    public synchronized void resetTo(WeightVersion weights) {
        try (NoGrad ignored = new NoGrad()) {
            weights.applyTo(model, Long.MIN_VALUE);
            Gradients.zero(model);
        }
        optimizer.reset();
        optimizerStep = 0;
        version = weights.version();
    }

    /**
     * Restarts the learning-rate schedule over {@code totalSteps} updates (SOAR: each inner loop,
     * whose length grows after promotions, decays over its own steps).
     */
    public synchronized void restartSchedule(int totalSteps) {
        if (totalSteps < 1) {
            throw new IllegalArgumentException("a schedule needs at least one step, got " + totalSteps);
        }
        schedule = new LrSchedule(cfg.lr(), cfg.warmupSteps(), totalSteps, cfg.minLrRatio());
        optimizerStep = 0;
    }

    /**
     * Moves the KL reference towards the current policy: π_ref ← α·π_ref + (1 − α)·π_θ, weight by
     * weight (α = 0: the reference becomes the current policy). ExIt refreshes it every M steps.
     * Returns false when the learner keeps no reference (β = 0).
     */
    public synchronized boolean refreshReference(double alpha) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("reference decay must be in [0, 1], got " + alpha);
        }
        if (reference == null) {
            return false;
        }
        try (NoGrad ignored = new NoGrad()) {
            Map<String, NDArray> current = model.parameters();
            for (Map.Entry<String, NDArray> e : reference.parameters().entrySet()) {
                NDArray theta = current.get(e.getKey());
                try (NDArray part = theta.mul(1 - alpha)) {
                    e.getValue().muli(alpha).addi(part);
                }
            }
        }
        return true;
    }

    /** The current weights as version {@link #version()}, for rollout workers. */
    public synchronized WeightVersion publish() {
        return WeightVersion.of(version, model);
    }

    /**
     * Writes the learner's state to {@code dir}: {@code optimizer.safetensors} (AdamW moments,
     * tensors {@code exp_avg.<name>} and {@code exp_avg_sq.<name>}), {@code reference.safetensors}
     * (the frozen reference weights, when β &gt; 0) and {@code learner.json} (step counter, weight
     * version, skipped updates). The policy's own weights are saved with {@link Policy#save}.
     */
    public synchronized void saveState(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, NDArray> params = model.parameters();
        optimizer.init(params);
        Map<String, SafeTensors.Tensor> st = new LinkedHashMap<>();
        for (String name : params.keySet()) {
            NDArray m = optimizer.expAvg().get(name);
            NDArray v = optimizer.expAvgSq().get(name);
            st.put("exp_avg." + name, new SafeTensors.Tensor(m.toFloatArray(), m.getShape().getShape()));
            st.put("exp_avg_sq." + name, new SafeTensors.Tensor(v.toFloatArray(), v.getShape().getShape()));
        }
        SafeTensors.write(dir.resolve("optimizer.safetensors"), st, "F32");
        if (reference != null) {
            Map<String, SafeTensors.Tensor> ref = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : reference.parameters().entrySet()) {
                ref.put(e.getKey(), new SafeTensors.Tensor(e.getValue().toFloatArray(), e.getValue().getShape().getShape()));
            }
            SafeTensors.write(dir.resolve("reference.safetensors"), ref, "F32");
        } else {
            Files.deleteIfExists(dir.resolve("reference.safetensors"));
        }
        JsonObject o = new JsonObject();
        o.addProperty("format", STATE_FORMAT);
        o.addProperty("optimizer_step", optimizerStep);
        o.addProperty("version", version);
        o.addProperty("total_skipped_updates", totalSkipped);
        o.addProperty("has_reference", reference != null);
        o.addProperty("algorithm", cfg.algorithm().name());
        JsonArray names = new JsonArray();
        params.keySet().forEach(names::add);
        o.add("parameters", names);
        Gson gson = new GsonBuilder().setPrettyPrinting().create();
        Files.writeString(dir.resolve("learner.json"), gson.toJson(o) + "\n");
    }

    /** Restores what {@link #saveState} wrote (the policy's weights are loaded separately). */
    public synchronized void loadState(Path dir) throws IOException {
        try (NoGrad ignored = new NoGrad()) {
            loadStateNoGrad(dir);
        }
    }

    private void loadStateNoGrad(Path dir) throws IOException {
        Path meta = dir.resolve("learner.json");
        JsonObject o;
        try {
            o = JsonParser.parseString(Files.readString(meta)).getAsJsonObject();
        } catch (NoSuchFileException e) {
            throw new IllegalStateException(meta + ": missing (not a learner state folder)");
        } catch (RuntimeException e) {
            throw new IllegalStateException(meta + ": not valid JSON");
        }
        if (!o.has("format") || !STATE_FORMAT.equals(o.get("format").getAsString())) {
            throw new IllegalStateException(meta + ": format is not " + STATE_FORMAT);
        }
        Map<String, NDArray> params = model.parameters();
        Map<String, SafeTensors.TensorInfo> opt = SafeTensors.readHeader(dir.resolve("optimizer.safetensors"));
        Map<String, float[]> m = new LinkedHashMap<>();
        Map<String, float[]> v = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            SafeTensors.TensorInfo mi = opt.get("exp_avg." + e.getKey());
            SafeTensors.TensorInfo vi = opt.get("exp_avg_sq." + e.getKey());
            if (mi == null || vi == null) {
                throw new IllegalStateException(dir.resolve("optimizer.safetensors") + ": no moments for "
                        + e.getKey() + " (state of a different model?)");
            }
            if (mi.elementCount() != e.getValue().size() || vi.elementCount() != e.getValue().size()) {
                throw new IllegalStateException(dir.resolve("optimizer.safetensors") + ": moments of " + e.getKey()
                        + " have the wrong size");
            }
            m.put(e.getKey(), SafeTensors.readFloats(mi));
            v.put(e.getKey(), SafeTensors.readFloats(vi));
        }
        if (reference != null) {
            Path refFile = dir.resolve("reference.safetensors");
            if (!Files.isRegularFile(refFile)) {
                throw new IllegalStateException(refFile + ": missing, but this learner has a KL reference (β > 0)");
            }
            Map<String, SafeTensors.TensorInfo> idx = SafeTensors.readHeader(refFile);
            Map<String, float[]> values = new LinkedHashMap<>();
            for (String name : reference.parameters().keySet()) {
                SafeTensors.TensorInfo t = idx.get(name);
                if (t == null) {
                    throw new IllegalStateException(refFile + ": tensor " + name + " is missing");
                }
                values.put(name, SafeTensors.readFloats(t));
            }
            reference.setParameters(values);
        }
        optimizer.load(m, v, params);
        optimizerStep = o.get("optimizer_step").getAsLong();
        version = o.get("version").getAsLong();
        totalSkipped = o.has("total_skipped_updates") ? o.get("total_skipped_updates").getAsLong() : 0;
    }

    /** Closes the optimizer state and the reference model; the policy stays open (its owner closes it). */
    @Override
    public void close() {
        optimizer.close();
        if (reference != null) {
            reference.close();
        }
    }
}
