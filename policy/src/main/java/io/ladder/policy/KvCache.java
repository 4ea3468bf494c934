package io.ladder.policy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Per-layer key/value tensors, preallocated to the longest sequence a generate call can reach,
 * so each decode step writes its new keys in place and reads a view of the filled prefix
 * instead of concatenating (no copy of the whole cache per token).
 */
final class KvCache implements AutoCloseable {
    final NDArray[] keys; // per layer [B, Hkv, capacity, headDim]
    final NDArray[] values;
    final int capacity;
    private final NDManager manager;

    KvCache(LlamaConfig cfg, NDManager parent, int batch, int capacity) {
        this.capacity = capacity;
        this.manager = parent.newSubManager();
        keys = new NDArray[cfg.numLayers];
        values = new NDArray[cfg.numLayers];
        Shape shape = new Shape(batch, cfg.numKvHeads, capacity, cfg.headDim);
        for (int l = 0; l < cfg.numLayers; l++) {
            keys[l] = manager.zeros(shape, DataType.FLOAT32);
            values[l] = manager.zeros(shape, DataType.FLOAT32);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
