package io.ladder.policy.chat;

/** A chat template that does not parse, or refuses a conversation; the message is one line. */
public final class ChatTemplateException extends RuntimeException {
    /** True when the template itself is broken (found on load), not just this conversation. */
    final boolean parseError;

    ChatTemplateException(String message, boolean parseError) {
        super(message);
        this.parseError = parseError;
    }
}
