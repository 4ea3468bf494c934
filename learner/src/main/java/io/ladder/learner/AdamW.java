package io.ladder.learner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter) exactly as {@code torch.optim.AdamW} (amsgrad off, not maximize):
 * <pre>
 *   θ ← θ·(1 - lr·λ)                      decoupled weight decay
 *   m ← β1·m + (1-β1)·g
 *   v ← β2·v + (1-β2)·g²
 *   θ ← θ - (lr / (1-β1^t)) · m / (sqrt(v) / sqrt(1-β2^t) + ε)
 * </pre>
 * The moments live in their own manager; parameters are updated in place. Every temporary of an
 * update is attached to the caller's step manager, so nothing accumulates across steps.
 */
public final class AdamW implements AutoCloseable {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final NDManager stateManager;
    private final Map<String, NDArray> expAvg = new LinkedHashMap<>();
    private final Map<String, NDArray> expAvgSq = new LinkedHashMap<>();

    public AdamW(double beta1, double beta2, double eps, double weightDecay, NDManager parent) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.stateManager = parent.newSubManager();
    }

    /** Creates zero moments for every parameter (torch does this lazily at the first step). */
    void init(Map<String, NDArray> params) {
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            if (!expAvg.containsKey(e.getKey())) {
                expAvg.put(e.getKey(), stateManager.zeros(e.getValue().getShape()));
                expAvgSq.put(e.getKey(), stateManager.zeros(e.getValue().getShape()));
            }
        }
    }

    /**
     * One update of every parameter with its gradient (already clipped), as update number
     * {@code t} (1-based; the bias corrections use it).
     */
    public void update(Map<String, NDArray> params, Map<String, NDArray> grads, double lr, long t, NDManager sm) {
        init(params);
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
        float stepSize = (float) (lr / bc1);
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            NDArray p = e.getValue();
            NDArray g = grads.get(e.getKey());
            NDArray m = expAvg.get(e.getKey());
            NDArray v = expAvgSq.get(e.getKey());
            if (weightDecay != 0) {
                p.muli((float) (1 - lr * weightDecay));
            }
            m.muli((float) beta1).addi(tmp(g.mul((float) (1 - beta1)), sm));
            v.muli((float) beta2).addi(tmp(tmp(g.square(), sm).muli((float) (1 - beta2)), sm));
            NDArray denom = tmp(v.sqrt(), sm).divi((float) bc2Sqrt).addi((float) eps);
            p.subi(tmp(tmp(m.div(denom), sm).muli(stepSize), sm));
        }
    }

    private static NDArray tmp(NDArray x, NDManager sm) {
        x.attach(sm);
        return x;
    }

    Map<String, NDArray> expAvg() {
        return expAvg;
    }

    Map<String, NDArray> expAvgSq() {
        return expAvgSq;
    }

    /** Forgets the moments (a fresh optimizer, e.g. when a student is reset to the baseline). */
    public void reset() {
        expAvg.values().forEach(NDArray::close);
        expAvgSq.values().forEach(NDArray::close);
        expAvg.clear();
        expAvgSq.clear();
    }

    /** Replaces the moments (from a checkpoint). */
    void load(Map<String, float[]> m, Map<String, float[]> v, Map<String, NDArray> params) {
        init(params);
        for (String name : params.keySet()) {
            float[] mv = m.get(name);
            float[] vv = v.get(name);
            if (mv == null || vv == null) {
                throw new IllegalStateException("optimizer state lacks the moments of " + name);
            }
            expAvg.get(name).set(mv);
            expAvgSq.get(name).set(vv);
        }
    }

    @Override
    public void close() {
        stateManager.close();
    }
}
