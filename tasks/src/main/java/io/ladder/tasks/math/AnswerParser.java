package io.ladder.tasks.math;

import io.ladder.tasks.math.Expr.Bin;
import io.ladder.tasks.math.Expr.Lit;
import io.ladder.tasks.math.Expr.Op;
import io.ladder.tasks.math.MathValue.IntervalValue;
import io.ladder.tasks.math.MathValue.Relation;
import io.ladder.tasks.math.MathValue.Scalar;
import io.ladder.tasks.math.MathValue.SetValue;
import io.ladder.tasks.math.MathValue.TupleValue;
import io.ladder.tasks.math.MathValue.UnionValue;
import io.ladder.tasks.math.Tokenizer.Token;
import io.ladder.tasks.math.Tokenizer.TokenKind;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Recursive-descent parser from a normalised LaTeX answer to a {@link MathValue}.
 *
 * <p>Grammar, loosest binding first:
 *
 * <pre>
 * answer   := element (',' element)*           a bare list is a finite set
 * element  := setexpr (('=' | '\in') setexpr)*  |  inequality chain in one variable
 * setexpr  := setterm ('\cup' setterm)*
 * setterm  := '\{' list '\}' | '(' or '[' list ')' or ']' | \begin{pmatrix} .. \end{pmatrix}
 *             | '\mathbb{R}' | '\emptyset' | expr
 * expr     := sum with + - \pm \mp, or expr '\over' expr | expr '\choose' expr (TeX's infix forms)
 * term     := factors joined by * \cdot \times / \div or juxtaposition (2\sqrt3, 2\pi r)
 * unary    := ('-' | '+') unary | power
 * power    := postfix ('^' exponent)?
 * postfix  := primary ('%' | '!')*
 * primary  := number | mixed number | \frac | \sqrt | \binom | \ln arg | \log_base arg
 *             | \sin^power arg (and cos, tan, sec, csc, cot, arcsin, arccos, arctan) | \pi
 *             | \infty | letter | greek | \text{..} | ( expr ) | { expr } | | expr |
 * </pre>
 *
 * A subscript after a number is dropped ({@code 1011_{2}} is 1011, as latex2sympy reads it) and
 * after a letter becomes part of its name ({@code a_{n}}). Anything else (other functions,
 * inequalities between expressions) is rejected with {@link ParseException}; the grader then
 * falls back to comparing the normalised strings.
 */
final class AnswerParser {

    /** The answer is not in the subset of LaTeX this parser understands. */
    static final class ParseException extends RuntimeException {
        ParseException(String message) {
            super(message);
        }
    }

    private static final int MAX_LENGTH = 1000;
    private static final int MAX_DEPTH = 60;
    private static final Pattern THOUSANDS = Pattern.compile("-?\\d{1,3}(,\\d{3})+(\\.\\d+)?");
    private static final Set<String> GREEK =
            Set.of(
                    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta",
                    "vartheta", "iota", "kappa", "lambda", "mu", "nu", "xi", "rho", "sigma", "tau",
                    "upsilon", "phi", "varphi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda",
                    "Xi", "Sigma", "Phi", "Psi", "Omega");

    private final List<Token> tokens;
    private int pos;
    private int depth;

    private AnswerParser(List<Token> tokens) {
        this.tokens = tokens;
    }

    /** Parses an answer that has already been through {@link LatexNormalizer}. */
    static MathValue parse(String normalized) {
        String s = normalized.strip();
        if (s.isEmpty()) {
            throw new ParseException("empty answer");
        }
        if (s.length() > MAX_LENGTH) {
            throw new ParseException("answer too long");
        }
        // "1,000" is one thousand, not the set {1, 0}; "12,34" stays a list (as in math-verify).
        if (THOUSANDS.matcher(s).matches()) {
            s = s.replace(",", "");
        }
        AnswerParser p = new AnswerParser(Tokenizer.tokenize(s));
        List<MathValue> items = p.parseList(t -> t.kind() == TokenKind.END);
        p.expect(TokenKind.END, null);
        return items.size() == 1 ? items.get(0) : new SetValue(items);
    }

    // ---------------------------------------------------------------- lists, relations, sets

    /** Comma-separated elements up to (not including) the closing token; \pm elements expand to two. */
    private List<MathValue> parseList(Predicate<Token> atClose) {
        List<MathValue> items = new ArrayList<>();
        if (atClose.test(peek())) {
            return items;
        }
        while (true) {
            items.addAll(parseElement());
            if (peek().isChar(",") || peek().isChar(";")) {
                pos++;
                continue;
            }
            return items;
        }
    }

    private List<MathValue> parseElement() {
        enter();
        List<MathValue> first = parseSetExpr();
        if (inequalityAhead()) {
            leave();
            return List.of(parseInequality(single(first)));
        }
        if (!peek().isChar("=") && !peek().isCmd("\\in")) {
            leave();
            return first;
        }
        List<MathValue> sides = new ArrayList<>();
        sides.add(single(first));
        while (peek().isChar("=") || peek().isCmd("\\in")) {
            pos++;
            sides.add(single(parseSetExpr()));
        }
        leave();
        return List.of(new Relation(sides));
    }

    // ---------------------------------------------------------------- inequalities

    private static final Set<String> LESS = Set.of("<", "\\lt", "\\le", "\\leq", "\\leqslant");
    private static final Set<String> GREATER = Set.of(">", "\\gt", "\\ge", "\\geq", "\\geqslant");
    private static final Set<String> NOT_EQUAL = Set.of("\\neq", "\\ne");

    private boolean inequalityAhead() {
        Token t = peek();
        return t.kind() != TokenKind.TEXT
                && (LESS.contains(t.text()) || GREATER.contains(t.text()) || NOT_EQUAL.contains(t.text()));
    }

    /** Reads "<", "\le", "<=" ...: returns +1/-1 for less/greater, doubled when the end is included. */
    private int inequalityOp() {
        Token t = next();
        boolean less = LESS.contains(t.text());
        boolean inclusive = t.text().startsWith("\\le") || t.text().startsWith("\\ge");
        if (!inclusive && (t.isChar("<") || t.isChar(">")) && peek().isChar("=")) {
            pos++;
            inclusive = true;
        }
        return (less ? 1 : -1) * (inclusive ? 2 : 1);
    }

    /**
     * {@code x > 3}, {@code 3 \le x}, {@code 1 < x \le 2}: one variable compared with constants,
     * kept as the interval it describes.
     */
    private MathValue parseInequality(MathValue first) {
        if (NOT_EQUAL.contains(peek().text())) {
            pos++;
            MathValue c = single(parseSetExpr());
            boolean simple =
                    first instanceof Scalar v
                            && v.expr() instanceof Expr.Var
                            && !v.expr().variables().isEmpty()
                            && c instanceof Scalar k
                            && k.expr().variables().isEmpty()
                            && !inequalityAhead();
            if (simple) {
                // x \neq c is the real line without c.
                Expr point = ((Scalar) c).expr();
                Expr inf = new Expr.Infinity();
                return new MathValue.Inequality(
                        ((Expr.Var) ((Scalar) first).expr()).name(),
                        new UnionValue(
                                List.of(
                                        new IntervalValue(new Expr.Neg(inf), point, true, true),
                                        new IntervalValue(point, inf, true, true))));
            }
            throw new ParseException("unsupported \\neq");
        }
        List<MathValue> sides = new ArrayList<>();
        List<Integer> ops = new ArrayList<>();
        sides.add(first);
        while (inequalityAhead()) {
            if (NOT_EQUAL.contains(peek().text())) {
                throw new ParseException("unsupported \\neq in a chain");
            }
            ops.add(inequalityOp());
            sides.add(single(parseSetExpr()));
        }
        List<Expr> exprs = new ArrayList<>();
        for (MathValue v : sides) {
            if (!(v instanceof Scalar sc)) {
                throw new ParseException("inequality between non-numbers");
            }
            exprs.add(sc.expr());
        }
        int varAt = -1;
        for (int i = 0; i < exprs.size(); i++) {
            if (exprs.get(i) instanceof Expr.Var && !exprs.get(i).variables().isEmpty()) {
                if (varAt >= 0) {
                    throw new ParseException("inequality with two variables");
                }
                varAt = i;
            } else if (!exprs.get(i).variables().isEmpty()) {
                throw new ParseException("inequality in an expression");
            }
        }
        if (varAt < 0 || exprs.size() > 3 || (exprs.size() == 3 && varAt != 1)) {
            throw new ParseException("unsupported inequality");
        }
        if (ops.size() == 2 && Integer.signum(ops.get(0)) != Integer.signum(ops.get(1))) {
            throw new ParseException("inequality chain changes direction");
        }
        String name = ((Expr.Var) exprs.get(varAt)).name();
        Expr lo = new Expr.Neg(new Expr.Infinity());
        Expr hi = new Expr.Infinity();
        boolean loOpen = true;
        boolean hiOpen = true;
        // Read each constraint as "constant OP variable" or "variable OP constant".
        for (int i = 0; i < ops.size(); i++) {
            int op = ops.get(i);
            boolean varOnLeft = i == varAt;
            Expr bound = exprs.get(varOnLeft ? i + 1 : i);
            boolean inclusive = Math.abs(op) == 2;
            // var < c or c > var: an upper bound
            boolean upper = varOnLeft == (op > 0);
            if (upper) {
                hi = bound;
                hiOpen = !inclusive;
            } else {
                lo = bound;
                loOpen = !inclusive;
            }
        }
        return new MathValue.Inequality(name, new IntervalValue(lo, hi, loOpen, hiOpen));
    }

    /** Relations with a \pm side ("x = \pm 2") are read as the set of both values. */
    private static MathValue single(List<MathValue> values) {
        return values.size() == 1 ? values.get(0) : new SetValue(values);
    }

    private List<MathValue> parseSetExpr() {
        List<MathValue> first = parseSetTerm();
        if (!peek().isCmd("\\cup")) {
            return first;
        }
        List<MathValue> parts = new ArrayList<>();
        parts.add(single(first));
        while (peek().isCmd("\\cup")) {
            pos++;
            parts.add(single(parseSetTerm()));
        }
        return List.of(new UnionValue(parts));
    }

    private List<MathValue> parseSetTerm() {
        Token t = peek();
        if (t.isCmd("\\{")) {
            pos++;
            List<MathValue> items = parseList(x -> x.isCmd("\\}"));
            expect(TokenKind.CMD, "\\}");
            return List.of(new SetValue(items));
        }
        if (t.isCmd("\\begin")) {
            return List.of(parseMatrix());
        }
        if (t.isCmd("\\emptyset") || t.isCmd("\\varnothing")) {
            pos++;
            return List.of(new SetValue(List.of()));
        }
        if (t.isCmd("\\mathbb")) {
            pos++;
            if (peek().kind() == TokenKind.TEXT && peek().text().strip().equals("R")) {
                pos++;
                return List.of(
                        new IntervalValue(
                                new Expr.Neg(new Expr.Infinity()), new Expr.Infinity(), true, true));
            }
            throw new ParseException("unsupported \\mathbb set");
        }
        if ((t.isChar("(") || t.isChar("[")) && bracketHoldsList()) {
            return List.of(parseBracketList());
        }
        List<MathValue> out = new ArrayList<>();
        for (Expr e : PlusMinusExpansion.expand(parseExpr())) {
            out.add(new Scalar(e));
        }
        return out;
    }

    private static final Set<String> MATRIX_ENVS = Set.of("pmatrix", "bmatrix", "matrix", "Bmatrix");

    /** {@code \begin{pmatrix} a & b \\ c & d \end{pmatrix}}: rows split by \\, cells by &. */
    private MathValue parseMatrix() {
        pos++;
        Token env = next();
        if (env.kind() != TokenKind.TEXT || !MATRIX_ENVS.contains(env.text().strip())) {
            throw new ParseException("unsupported environment " + env.text());
        }
        List<List<Expr>> rows = new ArrayList<>();
        List<Expr> row = new ArrayList<>();
        while (true) {
            row.add(parseExpr());
            Token t = next();
            if (t.isChar("&")) {
                continue;
            }
            boolean end = t.isCmd("\\end");
            if (!end && !t.isCmd("\\\\")) {
                throw new ParseException("unexpected '" + t.text() + "' in matrix");
            }
            rows.add(row);
            row = new ArrayList<>();
            if (!end && peek().isCmd("\\end")) {
                pos++; // trailing \\ before \end
                end = true;
            }
            if (end) {
                Token close = next();
                if (close.kind() != TokenKind.TEXT || !close.text().strip().equals(env.text().strip())) {
                    throw new ParseException("mismatched \\end");
                }
                break;
            }
        }
        int width = rows.get(0).size();
        if (rows.stream().anyMatch(r -> r.size() != width)) {
            throw new ParseException("ragged matrix");
        }
        return new MathValue.MatrixValue(rows);
    }

    /** Does the bracket group starting here contain a top-level comma, i.e. is it a tuple or interval? */
    private boolean bracketHoldsList() {
        int d = 0;
        for (int i = pos; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isChar("(") || t.isChar("[") || t.isChar("{") || t.isCmd("\\{")) {
                d++;
            } else if (t.isChar(")") || t.isChar("]") || t.isChar("}") || t.isCmd("\\}")) {
                d--;
                if (d == 0) {
                    return false;
                }
            } else if (d == 1 && t.isChar(",")) {
                return true;
            } else if (t.kind() == TokenKind.END) {
                return false;
            }
        }
        return false;
    }

    /** {@code (a,b)}, {@code [a,b)}, ... : an interval when the end points are increasing, else a tuple. */
    private MathValue parseBracketList() {
        boolean loOpen = next().isChar("(");
        List<MathValue> items = parseList(x -> x.isChar(")") || x.isChar("]"));
        Token close = next();
        if (!close.isChar(")") && !close.isChar("]")) {
            throw new ParseException("unclosed bracket");
        }
        boolean hiOpen = close.isChar(")");
        if (items.size() == 2
                && items.get(0) instanceof Scalar lo
                && items.get(1) instanceof Scalar hi
                && !isDecreasing(lo.expr(), hi.expr(), loOpen && hiOpen)) {
            return new IntervalValue(lo.expr(), hi.expr(), loOpen, hiOpen);
        }
        // (2,1) cannot be an interval, so it is a point; three or more items are always a tuple.
        return new TupleValue(items);
    }

    /** math-verify (latex2sympy) reads (a,b) with b <= a, or [a,b] with b < a, as a tuple. */
    private static boolean isDecreasing(Expr lo, Expr hi, boolean bothOpen) {
        try {
            Real a = lo.eval(Map.of());
            Real b = hi.eval(Map.of());
            int c = compare(b, a);
            return bothOpen ? c <= 0 : c < 0;
        } catch (ArithmeticException e) {
            return false; // symbolic end points: keep it an interval
        }
    }

    private static int compare(Real a, Real b) {
        if (a.isInfinite() || b.isInfinite()) {
            return Integer.compare(a.signum() * (a.isInfinite() ? 2 : 1), b.signum() * (b.isInfinite() ? 2 : 1));
        }
        return a.approxValue().compareTo(b.approxValue());
    }

    // ---------------------------------------------------------------- scalar expressions

    private Expr parseExpr() {
        enter();
        Expr left;
        if (peek().isCmd("\\pm") || peek().isCmd("\\mp")) {
            pos++;
            left = new Expr.PlusMinus(new Lit(BigRational.ZERO, false), parseTerm());
        } else {
            left = parseTerm();
        }
        while (true) {
            Token t = peek();
            if (t.isChar("+")) {
                pos++;
                left = new Bin(Op.ADD, left, parseTerm());
            } else if (t.isChar("-")) {
                pos++;
                left = new Bin(Op.SUB, left, parseTerm());
            } else if (t.isCmd("\\pm") || t.isCmd("\\mp")) {
                pos++;
                left = new Expr.PlusMinus(left, parseTerm());
            } else if (t.isCmd("\\over") || t.isCmd("\\choose")) {
                // TeX's infix forms: "{a \over b}" is a/b, "{n \choose k}" is C(n, k), for the whole group.
                pos++;
                Expr right = parseExpr();
                leave();
                return t.isCmd("\\over") ? fraction(left, right) : Combinatorics.binomial(left, right);
            } else {
                leave();
                return left;
            }
        }
    }

    private Expr parseTerm() {
        return parseTerm(false);
    }

    /**
     * Factors joined by explicit or implicit multiplication. As a function's argument
     * ({@code functionArgument}), implicit multiplication stops before another function, as in
     * latex2sympy: "\sin x \cos x" is sin(x) cos(x), "\sin x \cdot \cos x" is sin(x cos x).
     */
    private Expr parseTerm(boolean functionArgument) {
        Expr left = parseUnary();
        while (true) {
            Token t = peek();
            if (t.isChar("*") || t.isCmd("\\cdot") || t.isCmd("\\times")) {
                pos++;
                left = new Bin(Op.MUL, left, parseUnary());
            } else if (t.isChar("/") || t.isCmd("\\div")) {
                pos++;
                left = new Bin(Op.DIV, left, parseUnary());
            } else if (startsPrimary(t) && !(functionArgument && isFunction(t))) {
                if (t.kind() == TokenKind.NUM && t.spaceBefore() && endsWithNumber(left)) {
                    // "1 000" or "2 3": ambiguous, math-verify does not read it as one number either.
                    throw new ParseException("numbers separated by a space");
                }
                left = new Bin(Op.MUL, left, parsePower());
            } else {
                return left;
            }
        }
    }

    private static boolean endsWithNumber(Expr e) {
        if (e instanceof Lit) {
            return true;
        }
        return e instanceof Bin b && b.op() == Op.MUL && endsWithNumber(b.right());
    }

    private static boolean startsPrimary(Token t) {
        switch (t.kind()) {
            case NUM:
            case LETTER:
            case TEXT:
                return true;
            case CHAR:
                return t.text().equals("(") || t.text().equals("{");
            case CMD:
                return t.text().equals("\\frac")
                        || t.text().equals("\\sqrt")
                        || t.text().equals("\\ln")
                        || t.text().equals("\\log")
                        || Expr.Trig.NAMES.contains(t.text().substring(1))
                        || t.text().equals("\\pi")
                        || t.text().equals("\\infty")
                        || GREEK.contains(t.text().substring(1));
            default:
                return false;
        }
    }

    private Expr parseUnary() {
        Token t = peek();
        if (t.isChar("-")) {
            pos++;
            Expr inner = parseUnary();
            // Fold the sign into literals so that -0.5 stays one number, as math-verify reads it.
            return negate(inner);
        }
        if (t.isChar("+")) {
            pos++;
            return parseUnary();
        }
        return parsePower();
    }

    private Expr parsePower() {
        Expr base = parsePostfix();
        if (peek().isChar("^")) {
            pos++;
            Expr exponent;
            if (peek().isChar("-") || peek().isChar("+")) {
                boolean neg = next().isChar("-");
                Expr e = parsePostfix();
                exponent = neg ? negate(e) : e;
            } else {
                exponent = parsePower(); // right associative: 2^3^2 = 2^(3^2)
            }
            base = new Bin(Op.POW, base, exponent);
        }
        return base;
    }

    private Expr parsePostfix() {
        Expr e = parsePrimary();
        while (true) {
            Token t = peek();
            if (t.isCmd("\\%") || t.isChar("%")) {
                pos++;
                e = new Expr.Pct(e);
            } else if (t.isChar("!")) {
                pos++;
                e = Combinatorics.factorial(e);
            } else {
                return e;
            }
        }
    }

    private Expr parsePrimary() {
        enter();
        try {
            Token t = next();
            switch (t.kind()) {
                case NUM:
                    {
                        Expr n = parseNumber(t);
                        subscript(); // "1011_{2}": latex2sympy drops the base, so this is 1011
                        return n;
                    }
                case LETTER:
                    return new Expr.Var(t.text().toLowerCase() + subscript());
                case TEXT:
                    return parseText(t.text());
                case CHAR:
                    if (t.text().equals("|")) {
                        Expr inner = parseExpr();
                        expect(TokenKind.CHAR, "|");
                        return new Expr.Abs(inner);
                    }
                    if (t.text().equals("(") || t.text().equals("{") || t.text().equals("[")) {
                        String close = t.text().equals("(") ? ")" : t.text().equals("{") ? "}" : "]";
                        Expr inner = parseExpr();
                        expect(TokenKind.CHAR, close);
                        return inner;
                    }
                    throw new ParseException("unexpected '" + t.text() + "'");
                case CMD:
                    return parseCommand(t);
                default:
                    throw new ParseException("unexpected end of answer");
            }
        } finally {
            leave();
        }
    }

    /** Integer or decimal; an integer directly followed by an integer \frac is a mixed number. */
    private Expr parseNumber(Token t) {
        boolean isFloat = t.text().contains(".");
        BigRational v = BigRational.parseDecimal(t.text());
        if (!isFloat && peek().isCmd("\\frac")) {
            int save = pos;
            pos++;
            Expr num = parseArgument();
            Expr den = parseArgument();
            if (isIntegerLit(num) && isIntegerLit(den) && ((Lit) num).value().signum() >= 0) {
                BigRational frac = ((Lit) num).value().divide(((Lit) den).value());
                return new Lit(v.add(frac), false);
            }
            pos = save; // 2\frac{\pi}{3} is a product
        }
        return new Lit(v, isFloat);
    }

    private static boolean isIntegerLit(Expr e) {
        return Combinatorics.isIntegerLit(e);
    }

    private Expr parseCommand(Token t) {
        String c = t.text();
        switch (c) {
            case "\\frac":
                return fraction(parseArgument(), parseArgument());
            case "\\ln":
                return new Expr.Log(parseFunctionArgument(), null);
            case "\\log":
                {
                    // latex2sympy: \log without a base is the common logarithm.
                    Expr base = new Lit(BigRational.of(10), false);
                    if (peek().isChar("_")) {
                        pos++;
                        base = parseArgument();
                    }
                    return new Expr.Log(parseFunctionArgument(), base);
                }
            case "\\sqrt":
                {
                    int index = 2;
                    if (peek().isChar("[")) {
                        pos++;
                        Expr n = parseExpr();
                        expect(TokenKind.CHAR, "]");
                        if (!isIntegerLit(n) || ((Lit) n).value().signum() <= 0
                                || ((Lit) n).value().numerator().compareTo(BigInteger.valueOf(64)) > 0) {
                            throw new ParseException("unsupported root index");
                        }
                        index = ((Lit) n).value().numerator().intValue();
                    }
                    return new Expr.Root(parseArgument(), index);
                }
            case "\\pi":
                return new Expr.Pi();
            case "\\binom":
                return Combinatorics.binomial(parseArgument(), parseArgument());
            case "\\infty":
                return new Expr.Infinity();
            default:
                if (Expr.Trig.NAMES.contains(c.substring(1))) {
                    // \sin^2 x is (\sin x)^2
                    Expr power = null;
                    if (peek().isChar("^")) {
                        pos++;
                        power = parseArgument();
                    }
                    Expr f = new Expr.Trig(c.substring(1), parseFunctionArgument());
                    return power == null ? f : new Bin(Op.POW, f, power);
                }
                if (GREEK.contains(c.substring(1))) {
                    return new Expr.Var(c.substring(1).toLowerCase() + subscript());
                }
                throw new ParseException("unsupported command " + c);
        }
    }

    /** a/b as \frac and \over write it: an integer fraction is one exact number (like sympy's Rational). */
    private static Expr fraction(Expr num, Expr den) {
        if (isIntegerLit(num) && isIntegerLit(den)) {
            if (((Lit) den).value().signum() == 0) {
                throw new ParseException("zero denominator");
            }
            return new Lit(((Lit) num).value().divide(((Lit) den).value()), false);
        }
        return new Bin(Op.DIV, num, den);
    }

    /**
     * The argument of \ln, \log or \sin: parenthesised, braced, or else the product that follows, as
     * latex2sympy reads it ("\ln 2 \cdot 3" is ln 6, "\ln 2 + \ln 3" a sum of two logarithms).
     */
    private Expr parseFunctionArgument() {
        if (peek().isChar("(")) {
            pos++;
            Expr e = parseExpr();
            expect(TokenKind.CHAR, ")");
            return e;
        }
        return peek().isChar("{") ? parseArgument() : parseTerm(true);
    }

    private static boolean isFunction(Token t) {
        return t.kind() == TokenKind.CMD
                && (t.text().equals("\\ln") || t.text().equals("\\log") || Expr.Trig.NAMES.contains(t.text().substring(1)));
    }

    /** Reads a subscript ("_1", "_{n+1}") if one follows, returned as part of a name ("_n+1"); else "". */
    private String subscript() {
        if (!peek().isChar("_")) {
            return "";
        }
        pos++;
        StringBuilder sb = new StringBuilder("_");
        if (!peek().isChar("{")) {
            return sb.append(next().text().toLowerCase()).toString();
        }
        int depth = 0;
        do {
            Token t = next();
            if (t.kind() == TokenKind.END) {
                throw new ParseException("unclosed subscript");
            }
            depth += t.isChar("{") ? 1 : t.isChar("}") ? -1 : 0;
            if (depth > 0 && !(depth == 1 && t.isChar("{"))) {
                sb.append(t.text().toLowerCase());
            }
        } while (depth > 0);
        return sb.toString();
    }

    /**
     * Argument of \frac, \sqrt or ^: a braced group, or a single token. As in LaTeX, an unbraced
     * number argument takes one digit only: {@code \frac12} is 1/2 and {@code \sqrt23} is sqrt(2)*3.
     */
    private Expr parseArgument() {
        Token t = peek();
        if (t.isChar("{")) {
            pos++;
            Expr e = parseExpr();
            expect(TokenKind.CHAR, "}");
            return e;
        }
        if (t.kind() == TokenKind.NUM && t.text().length() > 1 && Character.isDigit(t.text().charAt(0))) {
            tokens.set(pos, new Token(TokenKind.NUM, t.text().substring(1), false));
            return new Lit(BigRational.parseDecimal(t.text().substring(0, 1)), false);
        }
        return parsePrimary();
    }

    /** {@code \text{..}} holds either a number ({@code \textbf{5}}) or a word / choice letter. */
    private static Expr parseText(String raw) {
        String s = raw.strip();
        String word = s.replace("(", "").replace(")", "").replace(" ", "");
        if (word.matches("[A-Za-z]+")) {
            return new Expr.Var(word.toLowerCase());
        }
        MathValue v = AnswerParser.parse(LatexNormalizer.normalize(s));
        if (v instanceof Scalar sc) {
            return sc.expr();
        }
        throw new ParseException("unsupported text " + raw);
    }

    /** -x, folded into a literal so that -0.5 stays one number, as math-verify reads it. */
    static Expr negate(Expr e) {
        return e instanceof Lit l ? new Lit(l.value().negate(), l.isFloat()) : new Expr.Neg(e);
    }

    // ---------------------------------------------------------------- token helpers

    private Token peek() {
        return tokens.get(pos);
    }

    private Token next() {
        Token t = tokens.get(pos);
        if (t.kind() != TokenKind.END) {
            pos++;
        }
        return t;
    }

    private void expect(TokenKind kind, String text) {
        Token t = peek();
        if (t.kind() != kind || (text != null && !t.text().equals(text))) {
            throw new ParseException("expected " + (text == null ? kind : text) + " but found '" + t.text() + "'");
        }
        pos++;
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw new ParseException("answer nested too deeply");
        }
    }

    private void leave() {
        depth--;
    }
}
