package io.ladder.policy;

/** A weight version a worker must not apply: not newer than what it has, or a corrupt payload. */
public final class WeightVersionException extends IllegalStateException {
    public WeightVersionException(String message) {
        super(message);
    }
}
