package io.ladder.tasks.math;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Finds the final answer a model put in {@code \boxed{...}} (or {@code \fbox{...}}). */
public final class BoxedAnswer {
    private BoxedAnswer() {}

    private static final Pattern SEPARATOR = Pattern.compile("\\b(?:and|or)\\b|,|;");
    private static final int MAX_BOXES = 64;

    /**
     * Content of the last {@code \boxed{...}} / {@code \fbox{...}} in {@code text}, with nested braces
     * matched; {@code \boxed 5} (no braces) yields the token after the command. Empty when there is
     * no box, or when the last box is never closed (a truncated generation has no final answer).
     */
    public static Optional<String> lastBoxed(String text) {
        int start = lastCommand(text, text.length());
        if (start < 0) {
            return Optional.empty();
        }
        Box box = readBox(text, start);
        return box == null ? Optional.empty() : Optional.of(box.content);
    }

    /**
     * The answer the boxes of {@code text} hold, or {@code text} itself when it has none: the
     * contents of every box joined by commas ({@code lastOnly} false), or of the last box together
     * with the boxes right before it that are close to it or separated by "and" / "," / ";"
     * ({@code lastOnly} true: "$x = \boxed{1}$ and $y = \boxed{2}$" answers "1,2", a box far back
     * in the reasoning is left out). A port of math-verify's {@code extract_boxed_content}, quirks
     * included: an escaped brace \{ still counts as a brace, and a last box that never closes
     * or has no brace yields the rest of the text.
     */
    static String boxedContent(String text, boolean lastOnly) {
        List<String> results = new ArrayList<>();
        int current = text.length();
        int maxPos = text.length();
        int laterStart = -1;
        // Bounded: a degenerate output with thousands of boxes must not make grading quadratic.
        for (int step = 0; step < MAX_BOXES; step++) {
            int boxed = text.lastIndexOf("\\boxed", current - 6);
            int fbox = text.lastIndexOf("\\fbox", current - 5);
            if (boxed < 0 && fbox < 0) {
                break;
            }
            int start = Math.max(boxed, fbox);
            int next = start + (boxed > fbox ? 6 : 5);
            while (next < maxPos && Character.isWhitespace(text.charAt(next))) {
                next++;
            }
            if (next >= maxPos) {
                break;
            }
            int close = text.charAt(next) == '{' ? closingBrace(text, next, maxPos) : -1;
            if (close < 0) {
                if (results.isEmpty()) {
                    results.add(text.substring(next));
                }
                break;
            }
            String content = text.substring(next + 1, close).strip();
            if (lastOnly && laterStart >= 0) {
                String between = text.substring(close + 1, laterStart);
                String later = results.get(results.size() - 1);
                boolean near = between.length() < 10;
                boolean separated = !content.equals(later) && between.length() < 70 && SEPARATOR.matcher(between).find();
                if (!near && !separated) {
                    break;
                }
            }
            if (results.isEmpty() || !results.get(results.size() - 1).equals(content)) {
                results.add(content);
            }
            laterStart = start;
            maxPos = start;
            current = start;
        }
        if (results.isEmpty()) {
            return text;
        }
        Collections.reverse(results);
        return String.join(",", results);
    }

    /** Index of the brace closing the one at {@code open}, searching before {@code limit}; -1 if none. */
    private static int closingBrace(String text, int open, int limit) {
        int depth = 1;
        for (int i = open + 1; i < limit; i++) {
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The boxed answer of a gold solution: {@link #boxedContent} of its boxes, or empty when there is
     * no box or the last one is never closed.
     */
    static Optional<String> finalAnswer(String text) {
        int start = lastCommand(text, text.length());
        if (start < 0 || readBox(text, start) == null) {
            return Optional.empty();
        }
        return Optional.of(boxedContent(text, true));
    }

    /** Gold answers may be given boxed or bare; this returns the answer either way. */
    static String unwrapGold(String gold) {
        if (lastCommand(gold, gold.length()) >= 0) {
            return finalAnswer(gold).orElse(gold);
        }
        return gold;
    }

    /** Where a box starts: its content, and the span from the command to the closing brace. */
    private record Box(String content, int start, int end) {}

    private static int lastCommand(String text, int before) {
        int best = -1;
        for (String cmd : new String[] {"\\boxed", "\\fbox"}) {
            int from = before - cmd.length();
            while (from >= 0) {
                int i = text.lastIndexOf(cmd, from);
                if (i < 0) {
                    break;
                }
                int after = i + cmd.length();
                // \boxedfoo is some other command
                if (after >= text.length() || !Character.isLetter(text.charAt(after))) {
                    best = Math.max(best, i);
                    break;
                }
                from = i - 1;
            }
        }
        return best;
    }

    private static Box readBox(String text, int start) {
        int i = start + (text.startsWith("\\boxed", start) ? 6 : 5);
        int j = i;
        while (j < text.length() && Character.isWhitespace(text.charAt(j))) {
            j++;
        }
        if (j >= text.length()) {
            return null;
        }
        if (text.charAt(j) == '{') {
            int depth = 0;
            for (int k = j; k < text.length(); k++) {
                char c = text.charAt(k);
                if (c == '\\' && k + 1 < text.length() && (text.charAt(k + 1) == '{' || text.charAt(k + 1) == '}')) {
                    k++; // \{ and \} are literal braces of a set, not grouping
                } else if (c == '{') {
                    depth++;
                } else if (c == '}' && --depth == 0) {
                    return new Box(text.substring(j + 1, k).strip(), start, k + 1);
                }
            }
            return null;
        }
        // "\boxed 5": TeX takes one token; we take the word, without sentence punctuation.
        int k = j;
        while (k < text.length() && !Character.isWhitespace(text.charAt(k)) && text.charAt(k) != '$') {
            k++;
        }
        String token = text.substring(j, k).replaceAll("[.,;:]+$", "");
        return token.isEmpty() ? null : new Box(token, start, k);
    }
}
