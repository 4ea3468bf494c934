package io.ladder.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.ladder.learner.LearnerConfig.Aggregation;
import io.ladder.policy.Policy;
import io.ladder.policy.SafeTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Ladder's learner against a PyTorch transcription of TRL's GRPO and RLOO losses
 * (scripts/reference/learner_reference.py) on the {@code gqa_tied} conformance checkpoint: the
 * loss and the full gradient of {@code model.layers.0.self_attn.q_proj.weight} (and of
 * {@code model.norm.weight}) agree to 1e-4 relative; the weights after two clipped AdamW updates
 * agree with torch.optim.AdamW's to 1e-3 of the update, plus what Adam's division by √v makes of
 * the gradient difference where a gradient is near zero.
 */
class ReferenceCheckTest {
    static final Gson GSON = new Gson();

    static final double REL = 1e-4;
    static JsonObject doc;
    static List<Rollout> rows;
    static Map<String, float[]> referenceWeights;

    @BeforeAll
    static void load() throws Exception {
        Path dir = Path.of(ReferenceCheckTest.class.getResource("/reference/learner_reference.json").toURI()).getParent();
        doc = JsonParser.parseString(Files.readString(dir.resolve("learner_reference.json"))).getAsJsonObject();
        rows = new ArrayList<>();
        for (JsonElement e : doc.getAsJsonArray("rows")) {
            JsonObject r = e.getAsJsonObject();
            rows.add(new Rollout(ints(r.get("prompt_ids")), ints(r.get("completion_ids")),
                    floats(r.get("sampling_logprobs")), r.get("reward").getAsDouble(), r.get("group").getAsInt()));
        }
        referenceWeights = new LinkedHashMap<>();
        for (SafeTensors.TensorInfo t : SafeTensors.readHeader(dir.resolve("reference_model.safetensors")).values()) {
            referenceWeights.put(t.name(), SafeTensors.readFloats(t));
        }
    }

    static Stream<String> cases() {
        List<String> names = new ArrayList<>();
        for (JsonElement c : doc.getAsJsonArray("cases")) {
            names.add(c.getAsJsonObject().get("name").getAsString());
        }
        return names.stream();
    }

    static JsonObject caseNamed(String name) {
        for (JsonElement c : doc.getAsJsonArray("cases")) {
            if (c.getAsJsonObject().get("name").getAsString().equals(name)) {
                return c.getAsJsonObject();
            }
        }
        throw new IllegalArgumentException(name);
    }

    /** The Ladder configuration that matches a TRL case. */
    static LearnerConfig.Builder configFor(JsonObject c) {
        double temperature = doc.get("temperature").getAsDouble();
        LearnerConfig.Builder b;
        if (c.get("algorithm").getAsString().equals("grpo")) {
            b = LearnerConfig.grpo().scaleRewardsByStd(c.get("scale_rewards").getAsBoolean());
            switch (c.get("loss_type").getAsString()) {
                case "grpo" -> b.aggregation(Aggregation.SEQUENCE_MEAN);
                case "bnpo", "dapo" -> b.aggregation(Aggregation.TOKEN_MEAN);
                case "dr_grpo" -> b.aggregation(Aggregation.FIXED_LENGTH)
                        .maxCompletionLength(c.get("max_completion_length").getAsInt());
                default -> throw new IllegalArgumentException(c.get("loss_type").getAsString());
            }
        } else {
            b = LearnerConfig.rloo();
        }
        return b.klBeta(c.get("beta").getAsDouble()).clipEpsLow(c.get("eps_low").getAsDouble())
                .clipEpsHigh(c.get("eps_high").getAsDouble()).temperature(temperature);
    }

    /** A learner whose reference is the fixture's reference model and whose policy is the checkpoint. */
    static Learner learner(Policy policy, LearnerConfig cfg) {
        Map<String, float[]> checkpoint = policy.model().parameterValues();
        policy.model().setParameters(referenceWeights);
        Learner learner = new Learner(policy, cfg); // snapshots the reference weights
        policy.model().setParameters(checkpoint);
        return learner;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void lossAndGradientMatchTrl(String name) {
        JsonObject c = caseNamed(name);
        LearnerConfig cfg = configFor(c).build();
        try (NDManager m = Policy.newManager(); Policy policy = Policy.load(TinyModels.conformance("gqa_tied"), m);
             Learner learner = learner(policy, cfg)) {
            // advantages
            double[] adv = learner.prepare(rows).advantages();
            JsonArray want = c.getAsJsonArray("advantages");
            for (int i = 0; i < adv.length; i++) {
                assertEquals(want.get(i).getAsDouble(), adv[i], 1e-5 * Math.max(1, Math.abs(adv[i])), name + " advantage " + i);
            }
            double[] loss = new double[1];
            Map<String, float[]> grads = learner.lossAndGradients(rows, loss);
            double wantLoss = c.get("loss").getAsDouble();
            // The loss is a weighted mean of terms ρ·A (+ β·KL) whose advantages sum to zero per group, so
            // its rounding error scales with the terms (about mean |A|), not with the partly cancelled loss
            // (dr_grpo: |loss| 0.012 against mean |A| about 0.4); compare relative to the larger of the two.
            double meanAbsAdv = 0;
            for (JsonElement a : want) {
                meanAbsAdv += Math.abs(a.getAsDouble()) / want.size();
            }
            double lossRel = Math.abs(loss[0] - wantLoss) / Math.max(Math.abs(wantLoss), meanAbsAdv);
            StringBuilder msg = new StringBuilder(String.format(Locale.ROOT, "%s: loss %.8f vs TRL %.8f (rel %.2e)",
                    name, loss[0], wantLoss, lossRel));
            assertTrue(lossRel <= REL, msg.toString());
            for (Map.Entry<String, JsonElement> g : c.getAsJsonObject("gradients").entrySet()) {
                float[] ref = floats(g.getValue().getAsJsonObject().get("values"));
                float[] got = grads.get(g.getKey());
                double rel = maxAbsDiff(got, ref) / maxAbs(ref);
                msg.append(String.format(Locale.ROOT, "; grad %s rel %.2e (max |g| %.3e)", g.getKey(), rel, maxAbs(ref)));
                assertTrue(rel <= REL, msg.toString());
            }
            System.out.println(msg);
        }
    }

    @Test
    void adamwUpdatesMatchTorch() {
        JsonObject c = caseNamed("grpo_sequence_mean");
        JsonObject opt = c.getAsJsonObject("adamw");
        JsonArray betas = opt.getAsJsonArray("betas");
        LearnerConfig cfg = configFor(c).lr(opt.get("lr").getAsDouble())
                .betas(betas.get(0).getAsDouble(), betas.get(1).getAsDouble()).eps(opt.get("eps").getAsDouble())
                .weightDecay(opt.get("weight_decay").getAsDouble()).maxGradNorm(opt.get("max_grad_norm").getAsDouble())
                .build();
        JsonObject res = c.getAsJsonObject("adamw_result");
        double lr = opt.get("lr").getAsDouble();
        double eps = opt.get("eps").getAsDouble();
        int steps = opt.get("steps").getAsInt();
        try (NDManager m = Policy.newManager(); Policy policy = Policy.load(TinyModels.conformance("gqa_tied"), m);
             Learner learner = learner(policy, cfg)) {
            Map<String, float[]> before = policy.model().parameterValues();
            // the first step's gradients, to measure how far they are from torch's on this machine
            Map<String, float[]> ladderGrads = learner.lossAndGradients(rows, new double[1]);
            JsonArray norms = res.getAsJsonArray("grad_norms");
            StringBuilder msg = new StringBuilder("adamw:");
            for (int s = 0; s < steps; s++) {
                StepReport r = learner.step(rows);
                double want = norms.get(s).getAsDouble();
                msg.append(String.format(Locale.ROOT, " step %d grad norm %.6f vs torch %.6f;", s + 1, r.gradNorm(), want));
                assertEquals(want, r.gradNorm(), REL * want, msg.toString());
            }
            // Adam divides by √v: torch's first update is lr·ĝ/(|ĝ| + ε) with ĝ = c·g the clipped gradient
            // (c = max_grad_norm / ‖g‖), so a gradient difference δ between Ladder and torch (float32
            // summation order, another CPU kernel) moves weight i by about lr·cδ/(c|g_i| + ε) per step: nothing
            // where |g_i| is large, up to ~lr where g_i is within δ of zero (q_proj's smallest |g| is 8.8e-6 and
            // already gives 1.5e-4 to 3.8e-4 of the update on AVX2 / default kernels, against 1e-3). So every
            // weight gets 1e-3 of the largest update plus that sensitivity, with δ the first-step gradient
            // difference measured here; 6cδ bounds one step (2cδ for |ĝ| ≥ 2cδ, and below that both signs;
            // the second step's √v̂ ≥ 0.7|ĝ₁| gives the same form with its own, comparable δ).
            double clip = Math.min(1, opt.get("max_grad_norm").getAsDouble() / norms.get(0).getAsDouble());
            for (Map.Entry<String, JsonElement> w : res.getAsJsonObject("weights").entrySet()) {
                float[] want = floats(w.getValue());
                float[] got = policy.model().parameterValues().get(w.getKey());
                float[] start = before.get(w.getKey());
                float[] g1 = floats(c.getAsJsonObject("gradients").getAsJsonObject(w.getKey()).get("values"));
                double delta = maxAbsDiff(ladderGrads.get(w.getKey()), g1);
                double maxMove = 0;
                for (int i = 0; i < want.length; i++) {
                    maxMove = Math.max(maxMove, Math.abs((double) want[i] - start[i]));
                }
                double worst = 0;
                int loosened = 0;
                for (int i = 0; i < want.length; i++) {
                    double sensitivity = steps * lr * Math.min(2, 6 * clip * delta / (clip * Math.abs(g1[i]) + eps));
                    double tol = 1e-3 * maxMove + sensitivity;
                    double diff = Math.abs(((double) got[i] - start[i]) - ((double) want[i] - start[i]));
                    worst = Math.max(worst, diff / tol);
                    if (sensitivity > 0.5 * Math.abs((double) want[i] - start[i])) {
                        loosened++;
                    }
                    assertTrue(diff <= tol, String.format(Locale.ROOT, "%s %s[%d]: update %.6e vs torch %.6e "
                            + "(tolerance %.2e, first-step gradient %.3e, gradient difference %.2e)", msg, w.getKey(), i,
                            got[i] - start[i], want[i] - start[i], tol, g1[i], delta));
                }
                msg.append(String.format(Locale.ROOT, " %s update worst diff/tol %.2f (max |Δw| %.3e, gradient difference "
                        + "%.2e, %d weights with a loose tolerance);", w.getKey(), worst, maxMove, delta, loosened));
                // the check still means something: at most 2% of the weights (those with |g| below about 50δ)
                // get a tolerance of half their own move or more; the rest are held far tighter
                assertTrue(loosened <= want.length / 50, msg.toString());
            }
            System.out.println(msg);
        }
    }

    static double maxAbs(float[] a) {
        double m = 0;
        for (float x : a) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(b.length, a.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }

    static int[] ints(JsonElement e) {
        return GSON.fromJson(e, int[].class); // Gson reads a JSON array into a Java array
    }

    static float[] floats(JsonElement e) {
        return GSON.fromJson(e, float[].class); // Gson reads a JSON array into a Java array
    }
}
