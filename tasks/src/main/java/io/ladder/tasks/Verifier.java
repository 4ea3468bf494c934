package io.ladder.tasks;

import io.ladder.tasks.math.BoxedAnswer;
import io.ladder.tasks.math.Extraction;
import io.ladder.tasks.math.MathGrader;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Scores a model's completion against a reference answer with a quality in [0, 1]: the reward of
 * a base task, and what ExIt's learnability and improvement rewards are computed from.
 */
public interface Verifier {
    double reward(String completion, String referenceAnswer);

    String name();

    /**
     * Whether a reference answer is one this verifier can check (SOAR keeps a teacher's pair only
     * if its boxed answer parses): an integer for exact-integer, a parseable expression for math.
     */
    default boolean parsesAnswer(String answer) {
        return !answer.isBlank();
    }

    /**
     * The arithmetic world's verifier: 1 if the last \boxed{} of the completion holds exactly the
     * reference integer (optional sign, digits, nothing else), else 0.
     */
    Verifier EXACT_INTEGER = new Verifier() {
        @Override
        public double reward(String completion, String referenceAnswer) {
            OptionalLong x = boxedInteger(completion);
            return x.isPresent() && x.getAsLong() == Long.parseLong(referenceAnswer.strip()) ? 1.0 : 0.0;
        }

        @Override
        public boolean parsesAnswer(String answer) {
            return answer.strip().matches(INTEGER);
        }

        @Override
        public String name() {
            return "exact-integer";
        }
    };

    /**
     * Math datasets: LaTeX-aware equivalence of the last \boxed{} with the gold answer. Box only,
     * never math-verify's fallback to the prose: a reward for unboxed answers would teach the
     * policy to drop the box the prompt asks for.
     */
    Verifier MATH = new Verifier() {
        @Override
        public double reward(String completion, String referenceAnswer) {
            return MathGrader.grade(completion, referenceAnswer, Extraction.BOXED_ONLY) ? 1.0 : 0.0;
        }

        @Override
        public boolean parsesAnswer(String answer) {
            return MathGrader.describe(answer).isPresent();
        }

        @Override
        public String name() {
            return "math";
        }
    };

    /**
     * Integer answers with partial credit: 1 − |x − y| / max(1, |y|), floored at 0, for the last
     * \boxed{} integer x against the reference y (0 without one). A graded quality, so ExIt's
     * improve steps earn max(0, Δ/Δ_max) of it: an answer 12 off 100 scores 0.88, one 12 off 12
     * scores 0, the exact one 1.
     */
    Verifier CLOSENESS = new Verifier() {
        @Override
        public double reward(String completion, String referenceAnswer) {
            OptionalLong boxed = boxedInteger(completion);
            if (boxed.isEmpty()) {
                return 0.0;
            }
            double x = boxed.getAsLong();
            double y = Long.parseLong(referenceAnswer.strip());
            return Math.max(0.0, 1.0 - Math.abs(x - y) / Math.max(1.0, Math.abs(y)));
        }

        @Override
        public boolean parsesAnswer(String answer) {
            return EXACT_INTEGER.parsesAnswer(answer);
        }

        @Override
        public String name() {
            return "closeness";
        }
    };

    /** A trivial check task: 1 if the completion (stripped) starts with the reference text. */
    Verifier PREFIX = new Verifier() {
        @Override
        public double reward(String completion, String referenceAnswer) {
            return completion.strip().startsWith(referenceAnswer) ? 1.0 : 0.0;
        }

        @Override
        public String name() {
            return "prefix";
        }
    };

    /** An integer: optional sign, at most 18 digits (so it fits a long), nothing else. */
    String INTEGER = "-?\\d{1,18}";

    /** The last \boxed{} of a completion when it holds exactly an integer (see {@link #INTEGER}). */
    private static OptionalLong boxedInteger(String completion) {
        Optional<String> boxed = BoxedAnswer.lastBoxed(completion).map(String::strip);
        return boxed.isPresent() && boxed.get().matches(INTEGER) ? OptionalLong.of(Long.parseLong(boxed.get())) : OptionalLong.empty();
    }

    static Verifier named(String name) {
        return switch (name) {
            case "exact-integer" -> EXACT_INTEGER;
            case "math" -> MATH;
            case "prefix" -> PREFIX;
            case "closeness" -> CLOSENESS;
            default -> throw new IllegalArgumentException("unknown verifier \"" + name + "\" (exact-integer, math, closeness, prefix)");
        };
    }
}
