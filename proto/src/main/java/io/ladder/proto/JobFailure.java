package io.ladder.proto;

/**
 * A job that stopped after it started, for a reason that is not the user's input (an actor's
 * exception, a dead worker Ray could not replace, a full disk): the CLI prints the message, one
 * line naming where it failed and what to do, and exits with code 1; the stack trace is in the
 * run folder's ladder.log.
 */
public class JobFailure extends RuntimeException {
    public JobFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
