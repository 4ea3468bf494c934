package io.ladder.proto;

/**
 * A mistake in what a user gave Ladder (a spec field, a dataset line, a model folder, a flag),
 * as opposed to a fault of Ladder's: the message is one line naming the file, field, line or flag
 * and what is wrong, and the CLI prints it as is and exits with code 2. Each kind of input has
 * its subclass (SpecException, DatasetException, ModelFolderException, UsageException); the CLI
 * catches this one type.
 */
public class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
