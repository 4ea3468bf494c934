package io.ladder.tasks.math;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * String-level clean-up of a final answer before parsing: removes presentation-only LaTeX (sizing,
 * spacing, dollar signs, {@code \left}/{@code \right}), units, degree signs and trailing
 * punctuation, and rewrites synonyms ({@code \dfrac}, "percent", "and") to one spelling.
 *
 * <p>The rules follow the normalisation math-verify applies (see
 * {@code scripts/reference/math_verify_verdicts.py}), so that both graders see the same answer.
 */
final class LatexNormalizer {
    private LatexNormalizer() {}

    private static final Pattern SIZED_DELIMITER =
            Pattern.compile("\\\\(?:left|right|[bB]igg?[lr]?|middle)\\s*(\\.|\\\\\\{|\\\\\\}|\\\\[a-zA-Z]+|[()\\[\\]|])");
    private static final Pattern DELIMITER_NAMES =
            Pattern.compile("\\\\(?:lbrace|rbrace|lbrack|rbrack|langle|rangle|lvert|rvert|vert)(?![a-zA-Z])");
    private static final Pattern TEXT_COMMANDS =
            Pattern.compile("\\\\(?:mathrm|mathit|mathbf|mathsf|textbf|textit|textrm|textnormal|textsf|mbox|operatorname|boldsymbol|bm)(?![a-zA-Z])");
    private static final Pattern FRAC_VARIANTS = Pattern.compile("\\\\[dtc]frac(?![a-zA-Z])");
    private static final Pattern BINOM_VARIANTS = Pattern.compile("\\\\[dt]binom(?![a-zA-Z])");
    private static final Pattern SPACING =
            Pattern.compile("(?<!\\\\)(?:\\\\[,;:>]|\\\\ |\\\\q?quad(?![a-zA-Z])|\\\\hspace\\*?\\{[^}]*\\})|~");
    private static final Pattern BRACED_COMMA = Pattern.compile("\\s*\\{\\s*,\\s*\\}");
    private static final Pattern AND_OR_TEXT = Pattern.compile(",?\\s*\\\\text\\{\\s*(?:and|or)\\s*\\}");
    private static final Pattern AND_OR = Pattern.compile("(?<![a-zA-Z])(,?\\s*(?:and|or))(?![a-zA-Z])");
    private static final Pattern DOTS = Pattern.compile(",?\\s*\\\\(?:ldots|dots|cdots)(?![a-zA-Z])");
    private static final Pattern PERCENT_WORDS =
            Pattern.compile("\\s*\\\\text\\{\\s*(?:percent|percentage|pct)\\s*\\}|\\s*\\b(?:percentage|percent|pct)\\b");
    private static final Pattern INFINITY_WORDS = Pattern.compile("infinity|(?<!\\\\)\\binf\\b");
    private static final Pattern DEGREES =
            Pattern.compile("\\^\\s*\\{\\s*\\\\circ\\s*\\}|\\^\\s*\\\\circ|\\\\circ|°|\\\\degree(?![a-zA-Z])");
    /** Trailing {@code \text{...}} after a value is a unit or a word ("5\text{ apples}"), as in math-verify. */
    private static final Pattern TRAILING_TEXT =
            Pattern.compile("\\\\text\\s*\\{[^{}]*\\}\\s*(?:\\^\\s*\\d|\\^\\s*\\{\\s*\\d\\s*\\})?\\s*$");

    private static final String UNIT_WORDS =
            String.join(
                    "|",
                    "square\\s+units?", "sq\\s+units?", "cubic\\s+units?", "units?",
                    "centimet(?:er|re)s?", "millimet(?:er|re)s?", "kilomet(?:er|re)s?", "met(?:er|re)s?",
                    "cm", "mm", "km", "m",
                    "inch(?:es)?", "feet", "foot", "ft", "yards?", "miles?", "mph", "kmh",
                    "kilograms?", "grams?", "kg", "g", "pounds?", "lbs?", "ounces?",
                    "seconds?", "secs?", "minutes?", "mins?", "hours?", "hrs?", "days?", "months?", "years?",
                    "degrees?", "dollars?", "cents?",
                    "liters?", "litres?", "gallons?", "acres?", "hectares?",
                    "square", "sq", "cubic");
    private static final Pattern UNIT =
            Pattern.compile("(\\d|\\}|\\s)\\s*(?:" + UNIT_WORDS + ")(?:\\s*\\^\\s*\\{?\\d\\}?)?\\s*$");

    /** Normalises one answer (already taken out of its box). */
    static String normalize(String s) {
        String t = s.strip();
        t = t.replace("\\$", "").replace("$", "");
        t = t.replace("\\displaystyle", "").replaceAll("(?<!\\\\)\\\\!", "");
        t = replaceAll(t, SIZED_DELIMITER, m -> m.group(1).equals(".") ? "" : m.group(1));
        t = DELIMITER_NAMES.matcher(t).replaceAll(m -> Matcher.quoteReplacement(delimiter(m.group())));
        t = TEXT_COMMANDS.matcher(t).replaceAll("\\\\text");
        t = t.replaceAll("\\\\text\\s*\\{\\s*\\}", "");
        t = FRAC_VARIANTS.matcher(t).replaceAll("\\\\frac");
        t = BINOM_VARIANTS.matcher(t).replaceAll("\\\\binom");
        t = SPACING.matcher(t).replaceAll(" ");
        t = BRACED_COMMA.matcher(t).replaceAll(",");
        t = AND_OR_TEXT.matcher(t).replaceAll(",");
        t = AND_OR.matcher(t).replaceAll(",");
        t = DOTS.matcher(t).replaceAll(" ");
        t = PERCENT_WORDS.matcher(t).replaceAll("\\\\%");
        t = INFINITY_WORDS.matcher(t).replaceAll("\\\\infty");
        t = DEGREES.matcher(t).replaceAll("");
        t = t.replace('\n', ' ').replace('\t', ' ').strip();
        t = stripUnits(t);
        t = stripTrailingPeriod(t);
        if (t.startsWith(".")) {
            t = "0" + t;
        }
        return t.replaceAll("\\s+", " ").strip();
    }

    /** Named delimiters as the characters the parser reads. */
    private static String delimiter(String command) {
        switch (command) {
            case "\\lbrace":
                return "\\{";
            case "\\rbrace":
                return "\\}";
            case "\\lbrack":
                return "[";
            case "\\langle":
                return "(";
            case "\\rbrack":
                return "]";
            case "\\rangle":
                return ")";
            default:
                return "|";
        }
    }

    private static String stripUnits(String t) {
        String u = TRAILING_TEXT.matcher(t).replaceAll("").strip();
        if (!u.isEmpty() && !u.equals(t)) {
            t = u;
        }
        // Twice, for "5 square meters" style answers.
        for (int i = 0; i < 2; i++) {
            Matcher m = UNIT.matcher(t);
            if (m.find()) {
                String v = (t.substring(0, m.start()) + m.group(1)).strip();
                if (!v.isEmpty() && !v.equals(t)) {
                    t = v;
                }
            }
        }
        return t;
    }

    /** "5." or "5.\ " at the end of an answer is sentence punctuation, not a decimal point. */
    private static String stripTrailingPeriod(String t) {
        String u = t;
        while (u.endsWith(".") && !u.endsWith("\\.")) {
            u = u.substring(0, u.length() - 1).stripTrailing();
        }
        return u.isEmpty() ? t : u;
    }

    private static String replaceAll(
            String s, Pattern p, java.util.function.Function<Matcher, String> f) {
        Matcher m = p.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(f.apply(m)));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
