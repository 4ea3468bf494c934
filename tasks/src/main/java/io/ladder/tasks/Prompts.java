package io.ladder.tasks;

import java.util.List;

/**
 * The text formats every part of Ladder shares: the student prompt (answer in \boxed{}),
 * SOAR's teacher format {@code <question>...</question><answer>\boxed{...}</answer>}, and
 * ExIt's improve / diverge prompts (shared/papers/EXIT.md). Template pieces are also added to
 * the tiny models' tokenizer as whole tokens (see {@link #TEMPLATE_TOKENS}), which keeps
 * prompts a few tokens long without changing the text a user sees.
 */
public final class Prompts {
    private Prompts() {}

    public static final String QUESTION = "Question:";
    public static final String ASK_BOXED = "\nGive the final answer in \\boxed{}.\nAnswer:";
    public static final String BOXED_OPEN = "\\boxed{";
    public static final String Q_OPEN = "<question>";
    public static final String Q_CLOSE = "</question>";
    public static final String A_OPEN = "<answer>";
    public static final String A_CLOSE = "</answer>";
    /** SOAR's teacher prompt: fixed, with no seed questions (seeding made the teacher copy them). */
    public static final String TEACHER = "Write ONE new, original problem that needs several steps, as "
            + "<question>...</question><answer>\\boxed{...}</answer>.\n";
    public static final String IMPROVE = "Improve your current response to this request:\n";
    public static final String DIVERGE = "Write a response to this request whose approach SIGNIFICANTLY DIFFERS "
            + "from the current one: summarise the current approach, state a different one, then answer with it.\n";
    /**
     * ExIt's improve / diverge for an episode that ended, as the paper's prompts restate the
     * request: the attempt so far is already in the context, so only the request follows.
     */
    public static final String EPISODE_IMPROVE = "Improve your response to this request: ";
    public static final String EPISODE_DIVERGE = "Respond to this request again with a SIGNIFICANTLY DIFFERENT approach: ";
    public static final String EPISODE_AFTER = " Make the calls still needed, then answer.";
    public static final String REQUEST = "## Request:\n";
    public static final String CURRENT = "\n## Current response:\n";
    public static final String NEXT = "\n## New response:\n";

    /** Whole-token pieces for Ladder's own byte-level tokenizer. */
    public static final List<String> TEMPLATE_TOKENS = List.of(QUESTION, ASK_BOXED, BOXED_OPEN, Q_OPEN, Q_CLOSE,
            A_OPEN, A_CLOSE, TEACHER, IMPROVE, DIVERGE, REQUEST, CURRENT, NEXT);

    /** The student's prompt for a question; the completion is expected to end with \boxed{answer}. */
    public static String student(String question) {
        return QUESTION + " " + question + ASK_BOXED + " ";
    }

    /** The answer part the student should produce for a reference answer. */
    public static String boxed(String answer) {
        return BOXED_OPEN + answer + "}";
    }

    /** A well-formed teacher output for a (question, answer) pair. */
    public static String teacherCompletion(String question, String answer) {
        return Q_OPEN + question + Q_CLOSE + A_OPEN + boxed(answer) + A_CLOSE;
    }

    /** ExIt self-improvement prompt: the base request and the latest response. */
    public static String improve(String request, String currentResponse) {
        return IMPROVE + REQUEST + request + CURRENT + currentResponse + NEXT;
    }

    /** ExIt self-divergence prompt: as improve, but asking for a significantly different approach. */
    public static String diverge(String request, String currentResponse) {
        return DIVERGE + REQUEST + request + CURRENT + currentResponse + NEXT;
    }
}
