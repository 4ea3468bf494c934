package io.ladder.policy.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Two places where Jinjava parses an expression differently from Python's Jinja, made explicit
 * with parentheses before Jinjava sees the template (text outside tags and string literals are
 * left alone):
 * <ul>
 * <li>Jinja's {@code not} binds more loosely than comparisons and tests ({@code not x is defined}
 *     is {@code not (x is defined)}); Jinjava's binds tighter, which silently flips conditions in
 *     real templates (Mistral's {@code if not tools is defined}). Each unary {@code not}'s operand
 *     is wrapped up to the next {@code and}, {@code or}, inline {@code if}/{@code else} or closing
 *     bracket at the same depth, which is exactly Jinja's grouping.</li>
 * <li>A keyword argument's value is a whole expression in Jinja ({@code namespace(i=messages|length
 *     - 1)}); Jinjava ends it at the filter and applies {@code - 1} to the named parameter. Each
 *     value is wrapped up to the next {@code ,} or {@code )} at its depth.</li>
 * <li>{@code xs[::-1]} (a slice with a step, which Jinjava does not parse) becomes
 *     {@code (xs|reverse|list)}.</li>
 * </ul>
 */
final class JinjaSyntax {
    private JinjaSyntax() {}

    /** {@code xs[::-1]}, which Jinjava's slices do not take, as {@code (xs|reverse|list)}. */
    private static final java.util.regex.Pattern REVERSED =
            java.util.regex.Pattern.compile("([A-Za-z_][A-Za-z0-9_.]*)\\[\\s*::\\s*-\\s*1\\s*\\]");

    private static final Set<String> STOP = Set.of("and", "or", "if", "else", "recursive");

    static String rewrite(String template) {
        StringBuilder out = new StringBuilder(template.length() + 16);
        int i = 0;
        int n = template.length();
        while (i < n) {
            int open = nextTagOpen(template, i);
            if (open < 0) {
                out.append(template, i, n);
                break;
            }
            out.append(template, i, open + 2);
            char kind = template.charAt(open + 1);
            if (kind == '#') { // comment: copy through its end
                int end = template.indexOf("#}", open + 2);
                end = end < 0 ? n : end + 2;
                out.append(template, open + 2, end);
                i = end;
                continue;
            }
            String close = kind == '{' ? "}}" : "%}";
            int end = tagEnd(template, open + 2, close);
            String body = template.substring(open + 2, end);
            if (kind == '%' && body.strip().replaceFirst("^-", "").strip().startsWith("raw")) {
                int endRaw = template.indexOf("endraw", end);
                int stop = endRaw < 0 ? n : template.indexOf("%}", endRaw) + 2;
                out.append(template, open + 2, stop);
                i = stop;
                continue;
            }
            out.append(REVERSED.matcher(keywordArguments(rewriteExpression(body))).replaceAll("($1|reverse|list)"));
            i = end;
        }
        return out.toString();
    }

    private static int nextTagOpen(String s, int from) {
        for (int i = from; i + 1 < s.length(); i++) {
            if (s.charAt(i) == '{') {
                char c = s.charAt(i + 1);
                if (c == '{' || c == '%' || c == '#') {
                    return i;
                }
            }
        }
        return -1;
    }

    /** Where the tag's closing delimiter starts, skipping string literals. */
    private static int tagEnd(String s, int from, String close) {
        int i = from;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                i = stringEnd(s, i);
                continue;
            }
            if (s.startsWith(close, i)) {
                return i;
            }
            i++;
        }
        return s.length();
    }

    private static int stringEnd(String s, int start) {
        char q = s.charAt(start);
        int i = start + 1;
        while (i < s.length() && s.charAt(i) != q) {
            i += s.charAt(i) == '\\' ? 2 : 1;
        }
        return Math.min(i + 1, s.length());
    }

    private record Tok(int start, int end, String text, boolean word) {}

    private static List<Tok> tokens(String e) {
        List<Tok> out = new ArrayList<>();
        int i = 0;
        while (i < e.length()) {
            char c = e.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'' || c == '"') {
                int j = stringEnd(e, i);
                out.add(new Tok(i, j, e.substring(i, j), false));
                i = j;
            } else if (Character.isLetterOrDigit(c) || c == '_') {
                int j = i;
                while (j < e.length() && (Character.isLetterOrDigit(e.charAt(j)) || e.charAt(j) == '_')) {
                    j++;
                }
                out.add(new Tok(i, j, e.substring(i, j), true));
                i = j;
            } else {
                out.add(new Tok(i, i + 1, String.valueOf(c), false));
                i++;
            }
        }
        return out;
    }

    /**
     * The last token of the expression starting at {@code from}: it ends before an unmatched
     * closing bracket or, outside brackets, before a token {@code stop} accepts; -1 if empty.
     */
    private static int operandEnd(List<Tok> t, int from, java.util.function.IntPredicate stop) {
        int depth = 0;
        int last = -1;
        for (int m = from; m < t.size(); m++) {
            String x = t.get(m).text();
            if (x.equals("(") || x.equals("[") || x.equals("{")) {
                depth++;
            } else if (x.equals(")") || x.equals("]") || x.equals("}")) {
                if (depth == 0) {
                    break;
                }
                depth--;
            } else if (depth == 0 && stop.test(m)) {
                break;
            }
            last = m;
        }
        return last;
    }

    /** {@code f(a=x|g - 1)} -> {@code f(a=(x|g - 1))}. */
    static String keywordArguments(String e) {
        List<Tok> t = tokens(e);
        List<int[]> edits = new ArrayList<>();
        // depth of round brackets at each token, to know we are inside a call
        int depth = 0;
        for (int k = 0; k < t.size(); k++) {
            String x = t.get(k).text();
            if (x.equals("(")) {
                depth++;
            } else if (x.equals(")")) {
                depth--;
            }
            boolean kw = depth > 0 && t.get(k).word() && k > 0 && (t.get(k - 1).text().equals("(") || t.get(k - 1).text().equals(","))
                    && k + 2 < t.size() && t.get(k + 1).text().equals("=") && !t.get(k + 2).text().equals("=");
            if (!kw) {
                continue;
            }
            int first = k + 2;
            int last = operandEnd(t, first, m -> t.get(m).text().equals(","));
            if (last > first) { // a single token needs no brackets (and Jinjava trips on some)
                edits.add(new int[] {t.get(first).start(), 0});
                edits.add(new int[] {t.get(last).end(), 1});
            }
        }
        return apply(e, edits);
    }

    private static String apply(String e, List<int[]> edits) {
        if (edits.isEmpty()) {
            return e;
        }
        StringBuilder sb = new StringBuilder(e);
        // by descending position; at one position the closing bracket goes in after the opening one
        edits.sort((a, b) -> a[0] != b[0] ? Integer.compare(b[0], a[0]) : Integer.compare(a[1], b[1]));
        for (int[] ed : edits) {
            sb.insert(ed[0], ed[1] == 0 ? "(" : ")");
        }
        return sb.toString();
    }

    static String rewriteExpression(String e) {
        List<Tok> t = tokens(e);
        // insertions: position -> text, applied right to left
        List<int[]> opens = new ArrayList<>();
        List<int[]> closes = new ArrayList<>();
        for (int k = 0; k < t.size(); k++) {
            Tok tok = t.get(k);
            if (!tok.word() || !tok.text().equals("not")) {
                continue;
            }
            boolean afterIs = k > 0 && t.get(k - 1).text().equals("is");
            boolean beforeIn = k + 1 < t.size() && t.get(k + 1).text().equals("in");
            if (afterIs || beforeIn || k + 1 >= t.size()) {
                continue; // "is not" / "not in" are binary operators
            }
            int last = operandEnd(t, k + 1, m -> {
                String x = t.get(m).text();
                return x.equals(",") || x.equals("%") || x.equals("-") && m + 1 == t.size()
                        || t.get(m).word() && STOP.contains(x);
            });
            if (last > k) {
                opens.add(new int[] {t.get(k + 1).start()});
                closes.add(new int[] {t.get(last).end()});
            }
        }
        List<int[]> edits = new ArrayList<>();
        opens.forEach(p -> edits.add(new int[] {p[0], 0}));
        closes.forEach(p -> edits.add(new int[] {p[0], 1}));
        return apply(e, edits);
    }
}
