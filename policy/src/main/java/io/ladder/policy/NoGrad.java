package io.ladder.policy;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Turns PyTorch's autograd recording off for the current thread until closed, then restores the
 * previous mode. Grad mode is per thread in libtorch and on by default: DJL switches it off only on
 * the thread that loaded the engine, so on any other thread a forward pass over parameters that
 * require gradients records a graph, and an in-place update of such a parameter fails ("a leaf
 * Variable that requires grad is being used in an in-place operation"). Sampling and the
 * learner's update wrap their work in this.
 */
public final class NoGrad implements AutoCloseable {
    private final boolean previous;

    public NoGrad() {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
