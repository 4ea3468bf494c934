package io.ladder.coordinator.cli;

import io.ladder.proto.UserError;

/** A mistake on the command line or in a user's file: printed as one line, exit code 2. */
public class UsageException extends UserError {
    public UsageException(String message) {
        super(message);
    }
}
