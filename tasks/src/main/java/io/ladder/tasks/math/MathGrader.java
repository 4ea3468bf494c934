package io.ladder.tasks.math;

import java.util.Locale;
import java.util.Optional;

/**
 * Grades math answers: the reward function of the math tasks.
 *
 * <p>{@link #grade} takes a whole model output and the gold answer; {@link #equivalent} compares
 * two bare answers. Agreement with the math-verify reference grader is measured by
 * {@code MathVerifyAgreementTest} on the corpus in {@code src/test/resources/grading/}.
 */
public final class MathGrader {
    private MathGrader() {}

    /**
     * True when the model output's final boxed answer is equivalent to the gold answer. An output
     * without a (closed) box gets no credit: the prompt asks for the answer in {@code \boxed{}}.
     * The gold answer may itself be boxed.
     */
    public static boolean grade(String modelOutput, String goldAnswer) {
        if (modelOutput == null || goldAnswer == null) {
            return false;
        }
        Optional<String> answer = BoxedAnswer.finalAnswer(modelOutput);
        return answer.isPresent() && equivalent(answer.get(), BoxedAnswer.unwrapGold(goldAnswer));
    }

    /**
     * True when the two answers are mathematically the same. Not symmetric in corner cases, as in
     * math-verify: the gold answer's form decides how the prediction is read (a gold tuple is
     * ordered, a gold set is not).
     */
    public static boolean equivalent(String pred, String gold) {
        if (pred == null || gold == null) {
            return false;
        }
        String g = LatexNormalizer.normalize(gold);
        String p = LatexNormalizer.normalize(pred);
        if (g.isEmpty() || p.isEmpty()) {
            return false;
        }
        MathValue gv = tryParse(g);
        MathValue pv = tryParse(p);
        if (gv != null && pv != null) {
            try {
                return Equivalence.equivalent(gv, pv);
            } catch (RuntimeException e) {
                return false; // a reward function must answer, not throw, on whatever a model writes
            }
        }
        // Neither side is mathematics we understand (a name, a sentence): compare as text. One side
        // parsing and the other not means they differ.
        return gv == null && pv == null && canonicalText(g).equals(canonicalText(p));
    }

    /** The parsed form of an answer, for diagnostics; empty when it is not parseable. */
    public static Optional<String> describe(String answer) {
        MathValue v = tryParse(LatexNormalizer.normalize(answer));
        return v == null ? Optional.empty() : Optional.of(v.toString());
    }

    private static MathValue tryParse(String normalized) {
        try {
            return AnswerParser.parse(normalized);
        } catch (RuntimeException e) {
            return null; // ParseException, or arithmetic on absurd literals: not an answer we can read
        }
    }

    private static String canonicalText(String s) {
        return s.replaceAll("\\\\text\\s*\\{([^{}]*)\\}", "$1").replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
    }
}
