package io.ladder.tasks.env;

import com.google.gson.JsonObject;

/**
 * A multi-turn episode (shared/papers/EXIT.md, tool use): {@link #reset} with a task gives the
 * first observation; each {@link #step} takes the model's whole turn and answers with what the
 * environment returns, whether the episode is over and, once it is, its final quality in [0, 1].
 * The episode's state is plain JSON, so a turn prefix can be stored and {@link #restore}d: ExIt
 * restarts episodes from prefixes it picked. Tasks are JSON too (a JSONL line of a dataset).
 *
 * <p>An environment never throws on what the model writes: a malformed call is an error
 * observation, a runaway episode ends at its turn budget with quality 0.
 */
public interface Environment {
    /**
     * What one model turn leads to: the observation as a model without a chat template reads it,
     * and the same answers one per call ({@code results}, unframed), which a chat template gets
     * as one tool message each, the way transformers passes tool results.
     */
    record Step(String observation, boolean done, double quality, java.util.List<String> results) {
        public Step {
            results = java.util.List.copyOf(results);
        }

        /** An observation that is one tool message as it is. */
        public Step(String observation, boolean done, double quality) {
            this(observation, done, quality, observation.isEmpty() ? java.util.List.of() : java.util.List.of(observation));
        }
    }

    /** The registry name (job specs name environments by it). */
    String name();

    /** Starts an episode on {@code task}; returns the first observation (the user's request). */
    String reset(JsonObject task);

    /** Applies the model's turn. */
    Step step(String modelTurn);

    /** The episode so far, enough to continue it from here on another machine. */
    JsonObject state();

    /** Continues the episode of {@code task} from a {@link #state()}. */
    void restore(JsonObject task, JsonObject state);

    /**
     * The quality the episode would be judged at if it ended now, in [0, 1]: ExIt's q_prev when it
     * restarts from a turn prefix that is not finished.
     */
    double quality();

    /**
     * Opens a finished episode for another attempt (ExIt on episodes: "improve your response"
     * after the episode ended): the state stays as the attempts left it, the turn budget starts
     * again. An environment that cannot do this refuses.
     */
    default void reopen() {
        throw new UnsupportedOperationException("environment " + name() + " takes no further attempt at a finished episode");
    }

    /** A follow-up request of the user (another attempt) as text, for a model without a chat template. */
    default String followupPrompt(String request) {
        return "\n" + request + "\n";
    }

    /** The first prompt's text for a model without a chat template, from the first observation. */
    default String firstPrompt(String observation) {
        return observation;
    }

    /** The functions the model may call, as chat-template tool schemas (transformers' tools=); null: none. */
    default java.util.List<java.util.Map<String, Object>> tools() {
        return null;
    }
}
