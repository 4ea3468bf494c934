package io.ladder.proto;

/** A spec file is wrong: one line, {@code file: field.path: what is wrong}. */
public class SpecException extends UserError {
    public SpecException(String message) {
        super(message);
    }
}
