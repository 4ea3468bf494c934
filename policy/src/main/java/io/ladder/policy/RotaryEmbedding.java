package io.ladder.policy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embeddings as Hugging Face's Llama applies them:
 * {@code q' = q * cos + rotate_half(q) * sin}, with {@code rotate_half(x) = cat(-x2, x1)} and
 * {@code cos/sin = cos/sin(pos * cat(inv_freq, inv_freq))}. {@code rotate_half} is done as a
 * matmul with a signed permutation matrix (exact: each output is one input times ±1), which
 * costs one native call instead of four.
 */
final class RotaryEmbedding {
    private final NDArray cosTable; // [maxPos, headDim]
    private final NDArray sinTable; // [maxPos, headDim]
    private final NDArray rotateHalf; // [headDim, headDim]
    final int maxPositions;

    RotaryEmbedding(LlamaConfig cfg, NDManager manager, int maxPositions) {
        this.maxPositions = maxPositions;
        int hd = cfg.headDim;
        double[] invFreq = inverseFrequencies(cfg);
        float[] cos = new float[maxPositions * hd];
        float[] sin = new float[maxPositions * hd];
        for (int p = 0; p < maxPositions; p++) {
            for (int i = 0; i < hd / 2; i++) {
                // The reference computes pos * inv_freq in float32, then cos/sin in float32.
                float angle = (float) p * (float) invFreq[i];
                float c = (float) Math.cos(angle);
                float s = (float) Math.sin(angle);
                cos[p * hd + i] = c;
                cos[p * hd + i + hd / 2] = c;
                sin[p * hd + i] = s;
                sin[p * hd + i + hd / 2] = s;
            }
        }
        cosTable = manager.create(cos, new Shape(maxPositions, hd));
        sinTable = manager.create(sin, new Shape(maxPositions, hd));
        float[] r = new float[hd * hd];
        int half = hd / 2;
        for (int j = 0; j < half; j++) {
            r[(j + half) * hd + j] = -1f; // out[j] = -x[j + half]
            r[j * hd + (j + half)] = 1f; // out[j + half] = x[j]
        }
        rotateHalf = manager.create(r, new Shape(hd, hd));
    }

    /** inv_freq_i = theta^(-2i/d), with Llama 3's wavelength-dependent rescaling when configured. */
    static double[] inverseFrequencies(LlamaConfig cfg) {
        int hd = cfg.headDim;
        double[] inv = new double[hd / 2];
        for (int i = 0; i < hd / 2; i++) {
            // float32 as in the reference: 1.0 / (base ** (arange(0, dim, 2).float() / dim))
            float exponent = (float) (2 * i) / (float) hd;
            inv[i] = (float) (1.0 / Math.pow(cfg.ropeTheta, exponent));
        }
        LlamaConfig.RopeScaling s = cfg.ropeScaling;
        if (s != null) {
            double lowFreqWavelen = s.originalMaxPositionEmbeddings() / s.lowFreqFactor();
            double highFreqWavelen = s.originalMaxPositionEmbeddings() / s.highFreqFactor();
            for (int i = 0; i < inv.length; i++) {
                double wavelen = 2 * Math.PI / inv[i];
                double f = inv[i];
                if (wavelen > lowFreqWavelen) {
                    f = inv[i] / s.factor(); // long wavelengths: interpolate
                } else if (wavelen >= highFreqWavelen) {
                    // the band in between: blend smoothly between scaled and unscaled
                    double smooth = (s.originalMaxPositionEmbeddings() / wavelen - s.lowFreqFactor())
                            / (s.highFreqFactor() - s.lowFreqFactor());
                    f = (1 - smooth) * inv[i] / s.factor() + smooth * inv[i];
                }
                inv[i] = (float) f;
            }
        }
        return inv;
    }

    /** cos and sin for the given positions [B, T], shaped [B, T, 1, headDim], attached to {@code m}. */
    NDArray[] cosSin(NDManager m, NDArray positions) {
        NDIndex idx = new NDIndex("{}", positions);
        NDArray c = cosTable.get(m, idx).expandDims(2);
        NDArray s = sinTable.get(m, idx).expandDims(2);
        return new NDArray[] {c, s};
    }

    /** x: [B, T, H, headDim] (contiguous). */
    NDArray apply(NDArray x, NDArray cos, NDArray sin) {
        return x.mul(cos).add(x.matMul(rotateHalf).mul(sin));
    }
}
