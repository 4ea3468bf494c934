package io.ladder.policy;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A published set of weights: a version number (increasing with every learner update), the
 * parameters serialised as safetensors bytes (float32, Hugging Face names) and the lowercase hex
 * SHA-256 of exactly those bytes. Rollout workers apply only versions newer than their own and
 * refuse payloads whose checksum does not match.
 *
 * <p>A byte array holds at most 2 GiB, so one payload carries models up to about 500M float32
 * parameters.
 */
public record WeightVersion(long version, byte[] payload, String sha256) {
    public WeightVersion {
        if (payload == null || sha256 == null) {
            throw new IllegalArgumentException("weight version " + version + " lacks its payload or checksum");
        }
    }

    /** Serialises the model's current parameters as version {@code version}. */
    public static WeightVersion of(long version, LlamaModel model) {
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, ai.djl.ndarray.NDArray> e : model.parameters().entrySet()) {
            tensors.put(e.getKey(), new SafeTensors.Tensor(e.getValue().toFloatArray(),
                    e.getValue().getShape().getShape()));
        }
        byte[] bytes = SafeTensors.toBytes(tensors, "F32");
        return new WeightVersion(version, bytes, sha256Hex(bytes));
    }

    /** Lowercase hex SHA-256. */
    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Throws {@link WeightVersionException} unless the payload's SHA-256 equals {@link #sha256}. */
    public void verify() {
        String actual = sha256Hex(payload);
        if (!actual.equalsIgnoreCase(sha256)) {
            throw new WeightVersionException("weight version " + version + " rejected: payload checksum mismatch (sha256 "
                    + actual + ", expected " + sha256 + "); the payload is corrupt or truncated");
        }
    }

    /** The tensors of the payload, after checking the checksum. */
    public Map<String, SafeTensors.Tensor> tensors() {
        verify();
        try {
            return SafeTensors.fromBytes(payload, "weight version " + version);
        } catch (ModelFolderException e) {
            throw new WeightVersionException("weight version " + version + " rejected: " + e.getMessage());
        }
    }

    /**
     * Copies these weights into {@code model}, which holds version {@code currentVersion}, and
     * returns the new version. Refuses (with {@link WeightVersionException}, model untouched) a
     * version that is not newer, a payload whose checksum does not match, and a payload whose
     * tensors do not fit the model.
     */
    public long applyTo(LlamaModel model, long currentVersion) {
        if (version <= currentVersion) {
            throw new WeightVersionException("weight version " + version + " rejected: not newer than the applied version "
                    + currentVersion);
        }
        Map<String, SafeTensors.Tensor> tensors = tensors();
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Map.Entry<String, ai.djl.ndarray.NDArray> e : model.parameters().entrySet()) {
            SafeTensors.Tensor t = tensors.get(e.getKey());
            if (t == null) {
                throw new WeightVersionException("weight version " + version + " rejected: tensor " + e.getKey()
                        + " is missing");
            }
            long[] want = e.getValue().getShape().getShape();
            if (!Arrays.equals(want, t.shape())) {
                throw new WeightVersionException("weight version " + version + " rejected: tensor " + e.getKey()
                        + " has shape " + Arrays.toString(t.shape()) + ", the model's is " + Arrays.toString(want));
            }
            values.put(e.getKey(), t.data());
        }
        if (tensors.size() != values.size()) {
            throw new WeightVersionException("weight version " + version + " rejected: it has " + tensors.size()
                    + " tensors, the model " + values.size());
        }
        try (NoGrad ignored = new NoGrad()) { // in-place copy, also into parameters that require gradients
            model.setParameters(values);
        }
        return version;
    }

    @Override
    public String toString() {
        return "WeightVersion[" + version + ", " + payload.length + " bytes, sha256 " + sha256 + "]";
    }
}
