package io.ladder.tasks;

import io.ladder.tasks.math.BoxedAnswer;
import java.util.Optional;

/**
 * Parses a SOAR teacher sample {@code ...<question>Q</question>...<answer>...\boxed{A}...</answer>}.
 * As in the paper, an output is kept only if both tag pairs are present, the answer holds a
 * \boxed{} and the boxed answer parses; correctness of the answer is never checked (only a third
 * of the paper's promoted questions had correct answers). Reasoning outside the tags is allowed.
 */
public final class TeacherOutput {
    /** A well-formed pair, or the reason the output was discarded. */
    public record Parsed(String question, String answer, String problem) {
        public boolean ok() {
            return problem == null;
        }
    }

    private TeacherOutput() {}

    public static Parsed parse(String text) {
        int qs = text.indexOf(Prompts.Q_OPEN);
        int qe = qs < 0 ? -1 : text.indexOf(Prompts.Q_CLOSE, qs);
        if (qs < 0 || qe < 0) {
            return new Parsed(null, null, "no <question>...</question>");
        }
        int as = text.indexOf(Prompts.A_OPEN, qe);
        int ae = as < 0 ? -1 : text.indexOf(Prompts.A_CLOSE, as);
        if (as < 0 || ae < 0) {
            return new Parsed(null, null, "no <answer>...</answer> after the question");
        }
        String question = text.substring(qs + Prompts.Q_OPEN.length(), qe).strip();
        if (question.isEmpty()) {
            return new Parsed(null, null, "empty question");
        }
        Optional<String> boxed = BoxedAnswer.lastBoxed(text.substring(as + Prompts.A_OPEN.length(), ae));
        if (boxed.isEmpty() || boxed.get().isBlank()) {
            return new Parsed(null, null, "answer has no \\boxed{...}");
        }
        return new Parsed(question, boxed.get().strip(), null);
    }

    /** Stricter check for the arithmetic world: the question is an expression and the answer an integer. */
    public static boolean isArithmetic(Parsed p) {
        return p.ok() && io.ladder.tasks.arithmetic.Expressions.isValid(p.question()) && p.answer().matches(Verifier.INTEGER);
    }
}
