package io.ladder.learner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.ladder.policy.LlamaModel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The gradient bookkeeping every trainer needs with DJL's PyTorch engine (found by experiment):
 * gradients add up across backward calls and the collector does not zero them; each
 * {@code getGradient()} makes a new handle on the model's manager, so handles are attached to a
 * step manager; only one GradientCollector may be open per JVM at a time.
 */
public final class Gradients {
    /** Hold while a GradientCollector is open: DJL allows one per JVM. */
    public static final ReentrantLock COLLECTOR = new ReentrantLock();

    private Gradients() {}

    /** Every parameter's gradient, as handles attached to {@code sm} (the gradients stay with the parameters). */
    public static Map<String, NDArray> of(LlamaModel model, NDManager sm) {
        Map<String, NDArray> grads = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
            NDArray g = e.getValue().getGradient();
            g.attach(sm);
            grads.put(e.getKey(), g);
        }
        return grads;
    }

    /** sqrt(Σ_p ||g_p||²), one transfer from the engine. */
    public static double globalNorm(Map<String, NDArray> grads) {
        NDList squares = new NDList(grads.size());
        for (NDArray g : grads.values()) {
            squares.add(g.square().sum());
        }
        double sq = 0;
        for (float x : NDArrays.stack(squares).toFloatArray()) {
            sq += x;
        }
        return Math.sqrt(sq);
    }

    /** Scales gradients so their global norm is at most {@code maxNorm} (as torch.nn.utils.clip_grad_norm_). */
    public static void clip(Map<String, NDArray> grads, double norm, double maxNorm) {
        if (maxNorm <= 0) {
            return;
        }
        double coef = maxNorm / (norm + 1e-6);
        if (coef < 1) {
            for (NDArray g : grads.values()) {
                g.muli((float) coef);
            }
        }
    }

    /** Sets every parameter's gradient to 0 (with a fill, so NaN/Inf are cleared too). */
    public static void zero(LlamaModel model) {
        try (NDManager sm = model.manager().newSubManager()) {
            for (NDArray g : of(model, sm).values()) {
                g.set(new NDIndex("..."), 0f);
            }
        }
    }
}
