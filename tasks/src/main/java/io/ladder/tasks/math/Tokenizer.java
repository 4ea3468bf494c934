package io.ladder.tasks.math;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Splits a normalised answer into tokens for {@link AnswerParser}. */
final class Tokenizer {
    private Tokenizer() {}

    enum TokenKind {
        /** Integer or decimal literal, e.g. {@code 12}, {@code 0.5}, {@code .5}. */
        NUM,
        /** A single letter (a variable or a choice such as B). */
        LETTER,
        /** A control sequence: {@code \frac}, {@code \{}, {@code \%}. */
        CMD,
        /** Raw contents of {@code \text{...}}, or the argument of {@code \mathbb}, {@code \begin}, {@code \end}. */
        TEXT,
        /** Any other single character: operators and brackets. */
        CHAR,
        END
    }

    /** {@code spaceBefore} lets the parser refuse "1 000" (a space between two numbers). */
    record Token(TokenKind kind, String text, boolean spaceBefore) {
        boolean isChar(String c) {
            return kind == TokenKind.CHAR && text.equals(c);
        }

        boolean isCmd(String c) {
            return kind == TokenKind.CMD && text.equals(c);
        }
    }

    static List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        boolean space = false;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                space = true;
                i++;
                continue;
            }
            if (Character.isDigit(c) || (c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
                int j = i;
                while (j < s.length() && Character.isDigit(s.charAt(j))) {
                    j++;
                }
                if (j + 1 < s.length() && s.charAt(j) == '.' && Character.isDigit(s.charAt(j + 1))) {
                    j++;
                    while (j < s.length() && Character.isDigit(s.charAt(j))) {
                        j++;
                    }
                }
                String num = s.substring(i, j);
                out.add(new Token(TokenKind.NUM, num.startsWith(".") ? "0" + num : num, space));
                i = j;
            } else if (c == '\\') {
                i = readCommand(s, i, space, out);
            } else if (Character.isLetter(c) && c < 128) {
                out.add(new Token(TokenKind.LETTER, String.valueOf(c), space));
                i++;
            } else {
                out.add(unicodeOrChar(c, space));
                i++;
            }
            space = false;
        }
        out.add(new Token(TokenKind.END, "", space));
        refuseLexerNames(out);
        return out;
    }

    /**
     * Letter runs latex2sympy's lexer takes for function names ("tr" of trace, "orth", "ones", ...),
     * after which its parser fails: to math-verify a bare word containing one ("triangle", "north",
     * "honest") is no expression, only text, so it is none here either. Case matters, as there:
     * "Triangle" and \text{triangle} are fine.
     */
    private static final Pattern LEXER_NAMES = Pattern.compile(
            "tr|orth|diag|eigenvals|eigenvectors|svd|gcd|lcm|floor|ceil|norm|rank|rref|eye|zeros|ones|cols|rows"
                    + "|hstack|vstack|nullspace|arc?(?:sinh|cosh|tanh)|matrix");

    private static void refuseLexerNames(List<Token> tokens) {
        StringBuilder run = new StringBuilder();
        for (Token t : tokens) {
            if (t.kind() != TokenKind.LETTER || t.spaceBefore()) {
                check(run);
                run.setLength(0);
            }
            if (t.kind() == TokenKind.LETTER) {
                run.append(t.text());
            }
        }
    }

    private static void check(CharSequence run) {
        if (run.length() > 1 && LEXER_NAMES.matcher(run).find()) {
            throw new AnswerParser.ParseException("\"" + run + "\" holds a name latex2sympy cannot parse");
        }
    }

    private static int readCommand(String s, int i, boolean space, List<Token> out) {
        int j = i + 1;
        if (j >= s.length()) {
            throw new AnswerParser.ParseException("dangling backslash");
        }
        if (!Character.isLetter(s.charAt(j))) {
            out.add(new Token(TokenKind.CMD, s.substring(i, j + 1), space));
            return j + 1;
        }
        while (j < s.length() && Character.isLetter(s.charAt(j))) {
            j++;
        }
        String name = s.substring(i, j);
        if (name.equals("\\text") || name.equals("\\mathbb") || name.equals("\\begin") || name.equals("\\end")) {
            int k = j;
            while (k < s.length() && Character.isWhitespace(s.charAt(k))) {
                k++;
            }
            if (k < s.length() && s.charAt(k) == '{') {
                int end = matchingBrace(s, k);
                if (!name.equals("\\text")) {
                    out.add(new Token(TokenKind.CMD, name, space));
                }
                out.add(new Token(TokenKind.TEXT, s.substring(k + 1, end), space));
                return end + 1;
            }
        }
        out.add(new Token(TokenKind.CMD, name, space));
        return j;
    }

    private static int matchingBrace(String s, int open) {
        int depth = 0;
        for (int k = open; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == '\\') {
                k++; // skip escaped character such as \{ inside text
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return k;
            }
        }
        throw new AnswerParser.ParseException("unbalanced braces");
    }

    private static Token unicodeOrChar(char c, boolean space) {
        switch (c) {
            case '\u03c0':
                return new Token(TokenKind.CMD, "\\pi", space);
            case '\u221e':
                return new Token(TokenKind.CMD, "\\infty", space);
            case '\u00d7':
                return new Token(TokenKind.CMD, "\\times", space);
            case '\u00b7':
            case '\u22c5':
                return new Token(TokenKind.CMD, "\\cdot", space);
            case '\u00f7':
                return new Token(TokenKind.CMD, "\\div", space);
            case '\u2212':
                return new Token(TokenKind.CHAR, "-", space);
            case '\u221a':
                return new Token(TokenKind.CMD, "\\sqrt", space);
            case '\u00b1':
                return new Token(TokenKind.CMD, "\\pm", space);
            default:
                return new Token(TokenKind.CHAR, String.valueOf(c), space);
        }
    }
}
