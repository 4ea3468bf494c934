package io.ladder.tasks.math;

/** Where in a model output {@link MathGrader} looks for the final answer. */
public enum Extraction {
    /**
     * Only a closed {@code \boxed{}} (or {@code \fbox{}}) counts; an output without one gets no
     * credit. The rule for RL rewards: the prompt asks for a box, and rewarding answers found in the
     * prose would teach the policy to skip it.
     */
    BOXED_ONLY,
    /**
     * math-verify's full extraction: boxes, "final answer is ...", "Answer: ...", and as a last resort
     * the last LaTeX expression or number in the text. For grading outputs against math-verify
     * ({@code ladder grade}), not for rewards.
     */
    FALLBACK
}
