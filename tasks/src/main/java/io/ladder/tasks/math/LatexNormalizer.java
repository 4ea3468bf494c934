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
            Pattern.compile("(?<!\\\\)(?:\\\\[,;:>]|\\\\q?quad(?![a-zA-Z])|\\\\hspace\\*?\\{[^}]*\\})|~");
    /** A backslash before a space is a space; math-verify rewrites it before its unit rules. */
    private static final Pattern BACKSLASH_SPACE = Pattern.compile("(?<!\\\\)\\\\\\s");
    private static final Pattern BRACED_COMMA = Pattern.compile("\\s*\\{\\s*,\\s*\\}");
    private static final Pattern AND_OR_TEXT = Pattern.compile(",?\\s*\\\\text\\{\\s*(?:and|or)\\s*\\}");
    private static final Pattern AND_OR = Pattern.compile("(?<![a-zA-Z])(,?\\s*(?:and|or))(?![a-zA-Z])");
    private static final Pattern DOTS = Pattern.compile(",?\\s*\\\\(?:ldots|dots|cdots)(?![a-zA-Z])");
    /**
     * "\text{percent}" is a percent sign, and so is the word alone; "\text{ percent}" (with a space)
     * becomes "\text{\%}", which the unit rule then drops, as in math-verify.
     */
    private static final Pattern PERCENT_WORDS =
            Pattern.compile("\\\\text\\{(?:percentage|percent|pct)\\}|\\s*\\b(?:percentage|percent|pct)\\b");
    private static final Pattern INFINITY_WORDS = Pattern.compile("infinity|(?<!\\\\)\\binf\\b");
    /** latex2sympy drops {@code ^\circ}; "°" and {@code \degree} make it fail, so they stay (and fail here too). */
    private static final Pattern DEGREES =
            Pattern.compile("\\^\\s*\\{\\s*\\\\circ\\s*\\}|\\^\\s*\\\\circ|\\\\circ(?![a-zA-Z])");
    /**
     * A {@code \text{..}} or {@code \mbox{..}} reaching the end of the answer is a unit or a word
     * ("5\text{ apples}"). math-verify's regex, lazy {@code .*?} included: it removes from the first
     * such command that can reach the end, "x\text{ if }y\text{ cm}" keeps only "x".
     */
    private static final Pattern TRAILING_TEXT = Pattern.compile("(\\\\(?:text|mbox)\\{.*?\\})(\\^\\d|\\{\\^\\d\\})?$");

    /**
     * math-verify's unit words, verbatim (latex2sympy2_extended 1.11 {@code math_normalization.units};
     * the entries are regex fragments there too, so "q ." matches any character after "q "). A word
     * from this list at the end of an answer, after a digit, a brace or a space, is removed: "5 m"
     * is 5, and so (as in math-verify) "t^2+4t" is "t^2+4".
     */
    private static final String[] UNIT_WORDS = {
            "integerpoint", "feet", "sue", "digit", "pound", "meal", "edge", "student",
            "children ticket", "multiple", "east", "degree", "mph", "kmph", "ft", "m square",
            " m east", "sq m", "deg", "mile", "q .", "monkey", "prime", "ratio",
            "profit of rs", "rd", "o", "gm", "p . m", "lb", "tile", "per",
            "dm", "lt", "gain", "ab", "way", "west", "a .", "b .",
            "c .", "d .", "e .", "f .", "g .", "h .", "t", "h",
            "no change", "men", "soldier", "pie", "bc", "excess", "st", "inches",
            "noon", "cent", "by", "gal", "kmh", "c", "acre", "rise",
            "a . m", "th", "π r 2", "sq", "mark", "l", "toy", "coin",
            "sq . m", "gallon", "° f", "profit", "minw", "yr", "women", "am",
            "pm", "hr", "cu cm", "square", "v â € ™", "are", "rupee", "rounds",
            "cubic", "cc", "mtr", "s", "ohm", "number", "kmph", "day",
            "hour", "minute", "min", "second", "man", "woman", "sec", "cube",
            "mt", "sq inch", "mp", "∏ cm ³", "hectare", "more", "sec", "unit",
            "cu . m", "cm 2", "rs .", "rs", "kg", "g", "month", "km",
            "m", "cm", "mm", "apple", "liter", "loss", "yard", "pure",
            "year", "increase", "decrease", "d", "less", "Surface", "litre", "pi sq m",
            "s .", "metre", "meter", "inch",
    };
    private static final Pattern UNIT =
            Pattern.compile("(\\d|\\}|\\s)\\s*(?:(?:" + String.join("|", UNIT_WORDS) + ")(?:s|es)?)\\s*$",
                    Pattern.UNICODE_CHARACTER_CLASS);

    /** Normalises one answer (already taken out of its box). */
    static String normalize(String s) {
        // math-verify's basic_latex clean-up first, on the text as it came: not stripped, because
        // its unit rules are anchored at the end and a trailing space stops them.
        String t = replaceAll(s, SIZED_DELIMITER, m -> m.group(1).equals(".") ? "" : m.group(1));
        t = DELIMITER_NAMES.matcher(t).replaceAll(m -> Matcher.quoteReplacement(delimiter(m.group())));
        t = t.replace("\\$", "").replace("$", "").replace("\\displaystyle", "").replace("\\mathrm{th}", "");
        t = t.replaceAll("(?<!\\\\)\\\\!\\s*", "").replaceAll("(?<!\\\\)[\"']", "");
        t = TEXT_COMMANDS.matcher(t).replaceAll("\\\\text");
        t = t.replaceAll("\\\\text\\s*\\{\\s*\\}", "");
        t = FRAC_VARIANTS.matcher(t).replaceAll("\\\\frac");
        t = BINOM_VARIANTS.matcher(t).replaceAll("\\\\binom");
        t = BRACED_COMMA.matcher(t).replaceAll(",");
        t = AND_OR_TEXT.matcher(t).replaceAll(",");
        t = AND_OR.matcher(t).replaceAll(",");
        t = BACKSLASH_SPACE.matcher(t).replaceAll(" ");
        t = DOTS.matcher(t).replaceAll(" ");
        t = PERCENT_WORDS.matcher(t).replaceAll(m -> m.group().startsWith("\\") ? "%" : "\\\\%");
        t = INFINITY_WORDS.matcher(t).replaceAll("\\\\infty");
        t = t.replace('\n', ' ').replace('\t', ' ');
        t = stripUnits(t);
        // What latex2sympy itself skips when parsing: spacing commands, ^\circ.
        t = SPACING.matcher(t).replaceAll(" ");
        t = DEGREES.matcher(t).replaceAll("");
        t = stripTrailingPeriod(t.strip());
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

    /** math-verify's two unit steps, with its rule that a removal leaving nothing is undone. */
    private static String stripUnits(String t) {
        String u = TRAILING_TEXT.matcher(t).replaceAll("").strip();
        if (!u.isEmpty() && !u.equals(t)) {
            t = u;
        }
        // Twice, for "5 square meters" style answers.
        for (int i = 0; i < 2; i++) {
            String v = UNIT.matcher(t).replaceAll("$1");
            if (!v.isEmpty() && !v.equals(t)) {
                t = v;
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
