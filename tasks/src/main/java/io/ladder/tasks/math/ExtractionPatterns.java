package io.ladder.tasks.math;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The regular expressions math-verify 0.9.0 ({@code math_verify/parser.py}, default
 * {@code LatexExtractionConfig} and {@code ExprExtractionConfig}) uses to find the answer in a
 * model output, with their priorities (lower is tried first). Kept textually close to the Python so
 * that the two can be compared line by line; {@link AnswerExtractor} applies them.
 *
 * <p>Two deliberate rewrites: Java's regex engine recurses once per repetition of an alternation
 * group, so the environment contents {@code (?:[^$]|\$(?!\$))+?} are written as the equivalent
 * single-character steps {@code (?:(?!\$\$)[\s\S])+?}, which it loops over without recursing; and
 * group names drop the underscores Java does not allow ({@code first_latexBoxed} is {@code fBX}).
 */
final class ExtractionPatterns {
    private ExtractionPatterns() {}

    /**
     * A pattern and its priority; {@code latex} tells LaTeX environments from plain numbers, and
     * {@code groups} names the groups the pattern has (Java 17 cannot ask a match for them).
     */
    record Rule(Pattern pattern, int priority, boolean latex, Set<String> groups) {
        Rule(String regex, int flags, int priority, boolean latex) {
            this(Pattern.compile(regex, flags), priority, latex, namedGroups(regex));
        }
    }

    private static Set<String> namedGroups(String regex) {
        Set<String> names = new HashSet<>();
        Matcher m = GROUP_NAME.matcher(regex);
        while (m.find()) {
            names.add(m.group(1));
        }
        return Set.copyOf(names);
    }

    /** Environment slots of a match: the first environment, then up to five joined by and/or/",". */
    static final String[] SLOTS = {"f", "n1", "n2", "n3", "n4", "n5"};
    /** Kinds of environment: $$..$$, \[..\], $..$, \(..\), [..], bare \frac{1}{2}, the plain-box rule. */
    static final String[] ENV_KINDS = {"DD", "DB", "ID", "IP", "IB", "FR", "BX"};

    // Python 3's \s, \d and \b are Unicode-aware, and its . and $ only know \n as a line end.
    private static final int TEXT_FLAGS = Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNIX_LINES;

    private static final Pattern GROUP_NAME = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");

    /** math-verify's default rules: boxes, answer phrases, then any LaTeX or number. */
    static final List<Rule> ALL = build(true);
    /** The two box rules alone (priority 50): what {@link Extraction#BOXED_ONLY} reads. */
    static final List<Rule> BOXES = build(false);

    private static List<Rule> build(boolean withFallback) {
        List<Rule> rules = new ArrayList<>();
        int latexFlags = TEXT_FLAGS | Pattern.DOTALL;
        if (withFallback) {
            String latex = envs(false);
            rules.add(new Rule("(?i:final answer is):?\\s*" + latex + "\\.?\\s?I hope", latexFlags, 0, true));
            rules.add(new Rule("(?i:final answer.{0,100}?)\\s+is:?\\s*" + latex, latexFlags, 50, true));
            rules.add(new Rule("(?i:answer):.{0,50}?" + latex, latexFlags, 100, true));
            rules.add(new Rule("(?i:answer).{0,50}?" + latex, latexFlags, 200, true));
            rules.add(new Rule(latex, latexFlags, 300, true));
        }
        rules.add(new Rule(envs(true), latexFlags, 50, true));
        // A box outside any environment: from the first \boxed{ to the last }, the box itself is
        // picked out afterwards (math-verify: "impossible to know where it stops").
        rules.add(new Rule("(?<fBX>\\\\boxed\\{.+\\})", latexFlags, 50, true));
        if (withFallback) {
            String exprOrNumber = "(?:" + EXPR_WITH_ANCHORS + "|" + NUMBER_WITH_ANCHORS + ")";
            rules.add(new Rule("(?i:final answer is):?\\s*" + exprOrNumber + "\\.?\\s?I hope", TEXT_FLAGS, 0, false));
            rules.add(new Rule("(?i:final answer.{0,100}?)\\s+is:?" + exprOrNumber, TEXT_FLAGS, 50, false));
            rules.add(new Rule("(?i:answer):(?:.{0,100}=\\s*|.{0,50}?)" + exprOrNumber + "(?!\\s*=)", TEXT_FLAGS, 100, false));
            rules.add(new Rule("(?i:answer)(?:.{0,100}=\\s*|.{0,50}?)" + exprOrNumber + "(?!\\s*=)", TEXT_FLAGS, 200, false));
            rules.add(new Rule(EXPR_WITH_ANCHORS, TEXT_FLAGS, 300, false));
            rules.add(new Rule(NUMBER_WITH_ANCHORS, TEXT_FLAGS, 300, false));
        }
        return List.copyOf(rules);
    }

    // ------------------------------------------------------------------ LaTeX environments

    /** First environment and up to five more joined by "and", "or" or a comma (boxed or not). */
    private static String envs(boolean boxed) {
        StringBuilder sb = new StringBuilder(env("f", boxed));
        for (int i = 1; i <= 5; i++) {
            // The boxed variant also swallows the whitespace after it, which moves the match end.
            sb.append(boxed ? "\\s*" : "").append("(?:\\s*(?:,?and|,?or|,)\\s*").append(env(SLOTS[i], boxed)).append(")?");
        }
        return boxed ? sb.toString() : "(?:" + sb + ")";
    }

    /** make_latex_env_pattern: one math environment, optionally followed by a percent sign. */
    private static String env(String slot, boolean boxed) {
        List<String> alternatives = new ArrayList<>();
        // $$..$$: anything but "$$".
        alternatives.add("(?<!\\\\)\\$\\$(?<" + slot + "DD>" + content("(?:(?!\\$\\$)[\\s\\S])", boxed) + ")(?<!\\\\)\\$\\$");
        // \[..\]: anything but "\]".
        alternatives.add("(?<!\\\\)\\\\\\[(?<" + slot + "DB>" + content("(?:(?!\\\\\\])[\\s\\S])", boxed) + ")(?<!\\\\)\\\\\\]");
        // $..$ on one line: no newline, and a $ only when escaped as \$.
        alternatives.add("(?<!\\\\|\\d)\\$(?<" + slot + "ID>" + content("(?:(?!\\n)(?!(?<!\\\\)\\$)[\\s\\S])", boxed) + ")(?<!\\\\)\\$");
        // \(..\) on one line.
        alternatives.add("(?<!\\\\)\\\\\\((?<" + slot + "IP>" + content("(?:(?!\\n)(?!\\\\\\))[\\s\\S])", boxed) + ")(?<!\\\\)\\\\\\)");
        // [..] between spaces, one line, no nested brackets.
        alternatives.add("\\s\\[(?<" + slot + "IB>" + content("[^\\n\\]\\[]", boxed) + ")\\]\\s");
        if (!boxed) {
            String number = "-?\\d+(?:[.,]\\d+)?";
            alternatives.add("(?<" + slot + "FR>-?\\\\frac\\{" + number + "\\}\\{" + number + "\\})");
        }
        String percent = "(?<" + slot + "pct>(?:\\\\?%|[Pp]ercent|[Pp]ercentage|[Pp]ct))";
        return "(?:(?:" + String.join("|", alternatives) + ")\\s*" + percent + "?)";
    }

    /** Lazy content of an environment; in the boxed variant it must hold a \boxed{..}. */
    private static String content(String unit, boolean boxed) {
        if (!boxed) {
            return unit + "+?";
        }
        return unit + "*?\\\\boxed\\{" + unit + "+?\\}" + unit + "*?";
    }

    // ------------------------------------------------------------------ plain numbers and expressions

    private static final String NUMBER =
            "(?<!\\d)(?:"
                    // 1,234.56 or 1 234.56
                    + "(?<integer1>-?[1-9]\\d{0,2}(?:[ ,]\\d{3})+)(?<decimal1>\\.\\d+)?|"
                    // 123.45 or 123,45 (a decimal comma)
                    + "(?<integer2>-?\\d+)(?<decimal2>[.,]\\d+)|"
                    + "(?<decimal3>\\.\\d+)|"
                    + "(?<integer3>-?\\d+)"
                    + ")(?<percent>\\s*(?:%|[Pp]ercent|\\s*[Pp]ercentage|\\s*[Pp]ct))?";

    private static final String OPERATORS = "\\+\\-\\*×/\\^\\(\\)÷";
    private static final String EXPR_CHARS = "[\\d\\.\\s" + OPERATORS + "]";
    /** At least one operator, starting with a digit: 1/2, 3 × 4. */
    private static final String EXPR =
            "(?<expr>-?\\(?-?\\d" + EXPR_CHARS + "*[" + OPERATORS + "]" + EXPR_CHARS + "+\\)?)";
    private static final String CURRENCY = "$€£¥₹₽₪₩₫฿₡₢₣₤₥₦₧₨₪₫₭₮₯₰₱₲₳₴₵₶₷₸₺₻₼₾₿";
    private static final String PREFIX = "(?:^|\\s|=)(?:\\*\\*)?";
    private static final String SUFFIX = "(?:\\*\\*)?(?:\\.|,|:|\\s|\\)|\\$|$)";
    /** Expressions need a delimiter on both sides; numbers only before (so "100m2" yields 100). */
    private static final String EXPR_WITH_ANCHORS = "(?:" + PREFIX + EXPR + SUFFIX + ")";
    private static final String NUMBER_WITH_ANCHORS = "(?:" + PREFIX + "[" + CURRENCY + "]?" + NUMBER + ")";
}
