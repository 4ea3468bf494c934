package io.ladder.tasks.math;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

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
     * True when the model output's final boxed answer is equivalent to the gold answer: the reward
     * rule, {@link Extraction#BOXED_ONLY}. An output whose last box never closes gets no credit (a
     * truncated generation has no final answer). The gold answer may itself be boxed.
     */
    public static boolean grade(String modelOutput, String goldAnswer) {
        return grade(modelOutput, goldAnswer, Extraction.BOXED_ONLY);
    }

    /**
     * True when the answer found in the model output by {@code extraction}'s rules is equivalent to
     * the gold answer (which may itself be boxed). An output where the rules find nothing gets no
     * credit.
     */
    public static boolean grade(String modelOutput, String goldAnswer, Extraction extraction) {
        if (modelOutput == null || goldAnswer == null) {
            return false;
        }
        Answer pred = extract(modelOutput, extraction);
        return pred != null && matches(Answer.of(BoxedAnswer.unwrapGold(goldAnswer)), pred);
    }

    /**
     * True when the two answers are mathematically the same. Not symmetric in corner cases, as in
     * math-verify: the gold answer's form decides how the prediction is read (a gold tuple is
     * ordered, a gold set is not).
     */
    public static boolean equivalent(String pred, String gold) {
        return pred != null && gold != null && matches(Answer.of(gold), Answer.of(pred));
    }

    /**
     * An answer as math-verify keeps it: the normalised text, and its parsed value (null when it
     * does not parse). Grading compares values, and texts too (math-verify compares every pair).
     */
    private record Answer(String text, MathValue value) {
        static Answer of(String raw) {
            String text = LatexNormalizer.normalize(raw);
            return new Answer(text, tryParse(text));
        }
    }

    private static boolean matches(Answer gold, Answer pred) {
        if (gold.text().isEmpty() || pred.text().isEmpty()) {
            return false;
        }
        if (gold.value() != null && pred.value() != null) {
            if (complexSymbols(gold.text()) != complexSymbols(pred.text())
                    && !gold.value().variables().isEmpty() && !pred.value().variables().isEmpty()) {
                // A real x and a complex x are different sympy symbols: "4i" and "4 i" differ there.
                return gold.text().equals(pred.text());
            }
            try {
                if (Equivalence.equivalent(gold.value(), pred.value())) {
                    return true;
                }
            } catch (RuntimeException e) {
                // a reward function must answer, not throw, on whatever a model writes
            }
            return gold.text().equals(pred.text());
        }
        // Neither side is mathematics we understand (a name, a sentence): compare as text. One side
        // parsing and the other not means they differ.
        return gold.value() == null && pred.value() == null && canonicalText(gold.text()).equals(canonicalText(pred.text()));
    }

    /**
     * The first candidate of the output that parses, with the text of the first candidate seen (as
     * math-verify returns it); a text alone when none parses; null when there is no candidate.
     */
    private static Answer extract(String output, Extraction extraction) {
        if (extraction == Extraction.BOXED_ONLY && BoxedAnswer.lastBoxed(output).isEmpty()) {
            return null; // no box, or the last one is cut off (math-verify would read an earlier one)
        }
        Answer[] found = {null};
        String[] firstText = {null};
        AnswerExtractor.scan(output, extraction, c -> {
            List<MathValue> values = new ArrayList<>();
            for (AnswerExtractor.Part part : c.parts()) {
                String text = partText(part);
                if (firstText[0] == null && !text.isEmpty()) {
                    firstText[0] = text;
                }
                values.add(tryParse(text));
            }
            MathValue value = values.size() > 1 && !values.contains(null) ? joined(values) : values.get(0);
            if (value != null) {
                found[0] = new Answer(firstText[0] == null ? "" : firstText[0], value);
            }
            return value != null;
        });
        if (found[0] != null) {
            return found[0];
        }
        if (firstText[0] != null) {
            return new Answer(firstText[0], null);
        }
        // Ladder has always read "\boxed 5" and "\fbox{5}", which math-verify's patterns skip.
        return extraction == Extraction.BOXED_ONLY ? BoxedAnswer.lastBoxed(output).map(Answer::of).orElse(null) : null;
    }

    /** The normalised text of one part, with its percent sign put back ("$50$\%" is 50%). */
    private static String partText(AnswerExtractor.Part part) {
        String text = LatexNormalizer.normalize(part.text());
        if (!part.percent() || text.isEmpty()) {
            return text;
        }
        return text.matches("-?[\\d.]+") ? text + "\\%" : "{" + text + "}\\%";
    }

    /** "$1$ and $2$": one set of all the elements, sets among them flattened (as math-verify does). */
    private static MathValue joined(List<MathValue> values) {
        List<MathValue> items = new ArrayList<>();
        for (MathValue v : values) {
            if (v instanceof MathValue.SetValue s) {
                items.addAll(s.items());
            } else {
                items.add(v);
            }
        }
        return new MathValue.SetValue(items);
    }

    /** What {@code extraction} reads in a model output, for diagnostics: its value, else its text. */
    public static Optional<String> extracted(String modelOutput, Extraction extraction) {
        Answer a = extract(modelOutput, extraction);
        return a == null ? Optional.empty() : Optional.of(a.value() != null ? a.value().toString() : a.text());
    }

    /** The parsed form of an answer, for diagnostics; empty when it is not parseable. */
    public static Optional<String> describe(String answer) {
        MathValue v = tryParse(LatexNormalizer.normalize(answer));
        return v == null ? Optional.empty() : Optional.of(v.toString());
    }

    private static MathValue tryParse(String normalized) {
        if (normalized.isEmpty()) {
            return null;
        }
        try {
            return AnswerParser.parse(normalized);
        } catch (RuntimeException e) {
            // As math-verify: "a = b = c" that does not parse as a whole may still end in an answer.
            String last = lastEquationSide(normalized);
            if (last != null) {
                return tryParse(last);
            }
            return null; // ParseException, or arithmetic on absurd literals: not an answer we can read
        }
    }

    /**
     * math-verify's should_treat_as_complex: when the answer has a standalone i (or \mathbb{C},
     * \det, ...), latex2sympy makes its symbols complex, otherwise real.
     */
    private static final Pattern COMPLEX_HINT = Pattern.compile(
            "\\\\mathbb\\{C\\}|\\\\i\\b|\\bi\\b|\\\\text\\{i\\}|\\\\mathrm\\{i\\}|\\\\imath\\b|\\\\det"
                    + "|\\\\operatorname\\{(?:tr|rank|Re|Im)\\}|\\\\text\\{(?:rank|Re|Im)\\}|\\\\(?:arg|Re|Im)\\{",
            Pattern.UNICODE_CHARACTER_CLASS);

    private static boolean complexSymbols(String normalized) {
        return COMPLEX_HINT.matcher(normalized).find();
    }

    private static final Pattern EQUALS = Pattern.compile("(?<![\\\\<!>])=");

    /** The last side of a chain of two or more "=", when it has no list separators; else null. */
    private static String lastEquationSide(String s) {
        if (s.contains(",") || s.contains(";")) {
            return null;
        }
        String[] sides = EQUALS.split(s, -1);
        return sides.length > 2 ? sides[sides.length - 1].strip() : null;
    }

    private static String canonicalText(String s) {
        return s.replaceAll("\\\\text\\s*\\{([^{}]*)\\}", "$1").replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
    }
}
