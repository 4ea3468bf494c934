package io.ladder.policy;

import io.ladder.proto.UserError;

/**
 * A model folder (config.json, safetensors, tokenizer.json) is missing, unreadable or not a
 * Llama checkpoint Ladder supports. The message is one line naming the file and the problem,
 * so the CLI can print it as is and exit with code 2.
 */
public class ModelFolderException extends UserError {
    public ModelFolderException(String message) {
        super(message);
    }

    public ModelFolderException(String message, Throwable cause) {
        super(message, cause);
    }
}
