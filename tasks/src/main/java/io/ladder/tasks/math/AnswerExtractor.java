package io.ladder.tasks.math;

import io.ladder.tasks.math.ExtractionPatterns.Rule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;

/**
 * Finds the candidate answers in a model output in the order math-verify tries them
 * ({@code extract_target_from_pred}): by priority of the rule that matched, and within one priority
 * the match ending last first (then the one starting first). The caller reads each candidate and
 * stops at the first it can parse, as math-verify stops at the first that sympy accepts.
 */
final class AnswerExtractor {
    private AnswerExtractor() {}

    /** One answer text and whether a percent sign followed its environment ("$50$\%"). */
    record Part(String text, boolean percent) {}

    /**
     * What one match points at: the answer of each environment it covers (several when "$1$ and
     * $2$" are joined), already taken out of their boxes; {@code latex} is false for a plain number
     * or expression found in the prose.
     */
    record Candidate(List<Part> parts, boolean latex) {}

    private record Found(int start, int end, Candidate candidate) {}

    /**
     * Offers the candidates of {@code text} to {@code accept}, in order, until it returns true. A
     * text that makes the patterns backtrack past {@link #READ_BUDGET} yields no candidates.
     */
    static void scan(String text, Extraction mode, Predicate<Candidate> accept) {
        try {
            scan(new Budgeted(text), mode, accept);
        } catch (Budgeted.Exhausted | StackOverflowError e) {
            // math-verify gives up too, after its 5-second parsing timeout.
        }
    }

    private static void scan(Budgeted text, Extraction mode, Predicate<Candidate> accept) {
        List<Rule> rules = mode == Extraction.FALLBACK ? ExtractionPatterns.ALL : ExtractionPatterns.BOXES;
        List<Integer> priorities = rules.stream().map(Rule::priority).distinct().sorted().toList();
        for (int priority : priorities) {
            List<Found> found = new ArrayList<>();
            for (Rule rule : rules) {
                if (rule.priority() != priority) {
                    continue;
                }
                Matcher m = rule.pattern().matcher(text);
                while (m.find()) {
                    Candidate c = rule.latex() ? latex(m, rule) : plain(m, rule);
                    if (c != null) {
                        found.add(new Found(m.start(), m.end(), c));
                    }
                }
            }
            // Stable sort: equal spans keep the rule order, as Python's sorted(reverse=True) does.
            found.sort(Comparator.comparingInt(Found::end).reversed().thenComparingInt(Found::start));
            for (Found f : found) {
                if (accept.test(f.candidate())) {
                    return;
                }
            }
        }
    }

    /** extract_latex: each environment's text, out of its boxes (all of them, or the last for a bare box). */
    private static Candidate latex(Matcher m, Rule rule) {
        List<Part> parts = new ArrayList<>();
        for (String slot : ExtractionPatterns.SLOTS) {
            for (String kind : ExtractionPatterns.ENV_KINDS) {
                String value = group(m, rule, slot + kind);
                if (value != null && !value.isEmpty()) {
                    String answer = BoxedAnswer.boxedContent(value, kind.equals("BX"));
                    String pct = group(m, rule, slot + "pct");
                    parts.add(new Part(answer, pct != null && !pct.isEmpty()));
                    break;
                }
            }
        }
        return parts.isEmpty() ? null : new Candidate(parts, true);
    }

    /** extract_expr: a number without its thousands separators, or an expression such as 1/2. */
    private static Candidate plain(Matcher m, Rule rule) {
        String integer = firstGroup(m, rule, "integer1", "integer2", "integer3");
        String decimal = firstGroup(m, rule, "decimal1", "decimal2", "decimal3");
        if (!integer.isEmpty() || !decimal.isEmpty()) {
            integer = integer.replace(",", "").replace(" ", "").replaceFirst("^0+", "");
            String number = (integer.isEmpty() ? "0" : integer) + decimal.replace(',', '.');
            String pct = group(m, rule, "percent");
            return new Candidate(List.of(new Part(number, pct != null && !pct.isEmpty())), false);
        }
        String expr = group(m, rule, "expr");
        return expr == null || expr.isEmpty() ? null : new Candidate(List.of(new Part(expr.replace('\n', ' '), false)), false);
    }

    /**
     * Character reads the patterns may make on one output: about a second of matching. Linear
     * passes over a long output need a few million; "1+1+...+1x" with thousands of terms makes the
     * expression rule backtrack quadratically (cubically with spaces) and would take minutes.
     */
    static final long READ_BUDGET = 100_000_000L;

    /** The output as the regex engine reads it, counting reads against {@link #READ_BUDGET}. */
    private static final class Budgeted implements CharSequence {
        static final class Exhausted extends RuntimeException {
            Exhausted() {
                super(null, null, false, false);
            }
        }

        private final String text;
        private long reads;

        Budgeted(String text) {
            this.text = text;
        }

        @Override
        public char charAt(int index) {
            if (++reads > READ_BUDGET) {
                throw new Exhausted();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.substring(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private static String firstGroup(Matcher m, Rule rule, String... names) {
        for (String name : names) {
            String v = group(m, rule, name);
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return "";
    }

    private static String group(Matcher m, Rule rule, String name) {
        return rule.groups().contains(name) ? m.group(name) : null;
    }
}
