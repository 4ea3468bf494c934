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
    private static final int MAX_JOINED_BOXES = 16;

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
     * The answer to grade: the last box, joined with the boxes right before it when they are close
     * together or separated by "and" / "," — "$x = \boxed{1}$ and $y = \boxed{2}$" answers "1, 2".
     * This follows how math-verify reads several boxes; a box far back in the reasoning is ignored.
     */
    public static Optional<String> finalAnswer(String text) {
        int start = lastCommand(text, text.length());
        if (start < 0) {
            return Optional.empty();
        }
        Box last = readBox(text, start);
        if (last == null) {
            return Optional.empty();
        }
        List<String> parts = new ArrayList<>();
        parts.add(last.content);
        Box later = last;
        // Bounded: a degenerate output with thousands of boxes must not make grading quadratic.
        for (int step = 0; step < MAX_JOINED_BOXES; step++) {
            int prevStart = lastCommand(text, later.start);
            if (prevStart < 0) {
                break;
            }
            Box prev = readBox(text, prevStart);
            if (prev == null || prev.end > later.start) {
                break; // unbalanced, or a box nested in the later one
            }
            String between = text.substring(prev.end, later.start);
            boolean close = between.length() < 10;
            boolean separated =
                    between.length() < 70
                            && SEPARATOR.matcher(between).find()
                            && !prev.content.equals(parts.get(parts.size() - 1));
            if (!close && !separated) {
                break;
            }
            if (!prev.content.equals(parts.get(parts.size() - 1))) {
                parts.add(prev.content);
            }
            later = prev;
        }
        Collections.reverse(parts);
        return Optional.of(String.join(",", parts));
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
