package io.ladder.tasks.math;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Equivalence edge cases, one format per group; each row is (gold, prediction). */
class MathGraderTest {

    static Stream<Arguments> equivalent() {
        return Stream.of(
                // LaTeX presentation
                Arguments.of("\\frac{1}{2}", "\\dfrac{1}{2}"),
                Arguments.of("\\frac{1}{2}", "\\tfrac12"),
                Arguments.of("\\frac{3}{4}", "\\frac34"),
                Arguments.of("\\frac{7}{8}", "\\frac7{8}"),
                Arguments.of("(1, 2)", "\\left( 1, 2 \\right)"),
                Arguments.of("5", "\\text{5}"),
                Arguments.of("5", "\\mathbf{5}"),
                Arguments.of("4", "4\\,"),
                Arguments.of("4", "\\!4\\;"),
                Arguments.of("12", "$12$"),
                Arguments.of("5", "5."),
                Arguments.of("-3", "- 3"),
                // units, degrees, money
                Arguments.of("5", "5\\text{ cm}"),
                Arguments.of("16", "16 \\text{cm}^2"),
                Arguments.of("8", "8 meters"),
                Arguments.of("8", "8 m"),
                Arguments.of("12", "12 \\text{ square units}"),
                Arguments.of("20", "\\$20"),
                Arguments.of("30", "30^\\circ"),
                Arguments.of("45", "45^{\\circ}"),
                Arguments.of("60", "60 degrees"),
                // thousands separators
                Arguments.of("1000", "1,000"),
                Arguments.of("1000000", "1{,}000{,}000"),
                Arguments.of("1,234", "1234"),
                // numbers
                Arguments.of("2", "2.0"),
                Arguments.of("0.5", ".5"),
                Arguments.of("\\frac{1}{2}", "0.5"),
                Arguments.of("\\frac{1}{3}", "0.333333"),
                Arguments.of("\\frac{2}{3}", "0.666667"),
                Arguments.of("-\\frac{1}{2}", "\\frac{-1}{2}"),
                Arguments.of("-\\frac{1}{2}", "\\frac{1}{-2}"),
                Arguments.of("\\frac{7}{2}", "3\\frac{1}{2}"),
                Arguments.of("-\\frac{7}{2}", "-3\\frac12"),
                Arguments.of("\\frac{1}{2}", "\\frac{2}{4}"),
                Arguments.of("\\frac{1}{2}", "1/2"),
                Arguments.of("1500", "1.5\\times10^3"),
                Arguments.of("0.035", "3.5 \\cdot 10^{-2}"),
                Arguments.of("1024", "2^{10}"),
                Arguments.of("12", "3\\cdot 4"),
                Arguments.of("120", "5!"),
                Arguments.of("10", "\\binom{5}{2}"),
                Arguments.of("\\binom{10}{3}", "\\frac{10!}{3!7!}"),
                Arguments.of("\\binom{n}{2}", "\\frac{n(n-1)}{2}"),
                Arguments.of("45", "{10 \\choose 8}"),
                // TeX's \over
                Arguments.of("\\frac{3}{4}", "{3 \\over 4}"),
                Arguments.of("{3 \\over 4}", "0.75"),
                Arguments.of("-\\frac{5}{2}", "-5 \\over 2"),
                // base subscripts: latex2sympy drops them, so 1011_2 is the number 1011
                Arguments.of("1011_2", "1011_{2}"),
                Arguments.of("1011_{2}", "1011"),
                // logarithms
                Arguments.of("\\ln 16", "4\\ln 2"),
                Arguments.of("3", "\\log_2 8"),
                Arguments.of("\\log_{2} 8", "3"),
                Arguments.of("\\log_4 8", "\\frac{3}{2}"),
                Arguments.of("2", "\\log 100"),
                Arguments.of("\\log_3 5", "\\frac{\\ln 5}{\\ln 3}"),
                Arguments.of("\\ln 6", "\\ln 2 + \\ln 3"),
                Arguments.of("\\ln 2", "0.693147"),
                Arguments.of("2", "\\ln(e^2)"),
                // trigonometric functions; an argument without parentheses stops before another function
                Arguments.of("\\frac{1}{2}", "\\sin\\frac{\\pi}{6}"),
                Arguments.of("\\sin 2x", "\\sin(2x)"),
                Arguments.of("2\\sin x\\cos x", "\\sin 2x"),
                Arguments.of("\\cos^2 x", "1-\\sin^2 x"),
                Arguments.of("\\tan x", "\\frac{\\sin x}{\\cos x}"),
                Arguments.of("3 + 4i", "4i + 3"),
                Arguments.of("3 + 4 i", "3 + i \\cdot 4"),
                Arguments.of("\\frac{\\pi}{4}", "\\arctan 1"),
                Arguments.of("3", "\\left|-3\\right|"),
                // percent
                Arguments.of("10\\%", "10"),
                Arguments.of("10\\%", "0.1"),
                Arguments.of("25\\%", "\\frac{1}{4}"),
                Arguments.of("25\\%", "25 percent"),
                // radicals and pi
                Arguments.of("2\\sqrt{3}", "\\sqrt{12}"),
                Arguments.of("2\\sqrt3", "2\\sqrt{3}"),
                Arguments.of("\\frac{\\sqrt{3}}{2}", "\\frac{\\sqrt3}{2}"),
                Arguments.of("\\frac{\\sqrt{3}}{3}", "\\frac{1}{\\sqrt{3}}"),
                Arguments.of("\\sqrt[3]{8}", "2"),
                Arguments.of("\\sqrt{2}", "1.414214"),
                Arguments.of("\\frac{1+\\sqrt{5}}{2}", "\\frac{\\sqrt5+1}{2}"),
                Arguments.of("2\\pi", "2 \\pi"),
                Arguments.of("\\frac{\\pi}{4}", "\\frac14\\pi"),
                Arguments.of("\\pi", "3.141593"),
                Arguments.of("4+2\\pi", "2(2+\\pi)"),
                // tuples, sets, lists, intervals
                Arguments.of("(1, 2)", "(1,2)"),
                Arguments.of("(1, 2)", "1, 2"),
                Arguments.of("(2, 1)", "2, 1"),
                Arguments.of("\\{1, 2, 3\\}", "\\{3, 1, 2\\}"),
                Arguments.of("\\{1, 2, 3\\}", "3, 2, 1"),
                Arguments.of("1, 3", "3, 1"),
                Arguments.of("1, 3", "1 \\text{ and } 3"),
                Arguments.of("1, 3", "x = 1, x = 3"),
                Arguments.of("2, -2", "\\pm 2"),
                Arguments.of("3", "\\{3\\}"),
                Arguments.of("[1, 2)", "[1,2)"),
                Arguments.of("[1, 2)", "x \\in [1, 2)"),
                Arguments.of("(-\\infty, 3]", "(-\\infty,3]"),
                Arguments.of("(-\\infty, \\infty)", "\\mathbb{R}"),
                Arguments.of("(-\\infty, 2) \\cup (3, \\infty)", "(3, \\infty) \\cup (-\\infty, 2)"),
                Arguments.of("[0, 1] \\cup [1, 2]", "[0, 2]"),
                Arguments.of("\\infty", "\\infty"),
                Arguments.of("x > 3", "(3, \\infty)"),
                Arguments.of("1 < x \\le 2", "(1, 2]"),
                Arguments.of("\\begin{pmatrix} 1/2 \\\\ 3 \\end{pmatrix}", "\\begin{pmatrix} \\frac12 \\\\ 3 \\end{pmatrix}"),
                // assignments and expressions
                Arguments.of("5", "x = 5"),
                Arguments.of("x = 5", "5"),
                Arguments.of("5", "x = 2 + 3 = 5"),
                Arguments.of("y = 2x + 3", "2x + 3"),
                Arguments.of("y = 2x + 3", "y = 3 + 2x"),
                Arguments.of("x^2 + 2x + 1", "(x+1)^2"),
                Arguments.of("2X + 1", "1 + 2x"),
                // text
                Arguments.of("\\text{Monday}", "monday"),
                Arguments.of("\\text{Monday}", "\\textbf{Monday}"),
                Arguments.of("\\text{no solution}", "\\text{No solution}"),
                Arguments.of("\\text{(B)}", "B"),
                Arguments.of("B", "(B)"));
    }

    static Stream<Arguments> notEquivalent() {
        return Stream.of(
                // a list is not a number, and a decimal comma is not a decimal point
                Arguments.of("12", "1,2"),
                Arguments.of("1,2", "12"),
                Arguments.of("1.5", "1,5"),
                Arguments.of("12,34", "1234"),
                Arguments.of("1000", "1 000"),
                // numbers
                Arguments.of("5", "6"),
                Arguments.of("5", "-5"),
                Arguments.of("25", "0.25"),
                Arguments.of("\\frac{1}{3}", "0.33"),
                Arguments.of("\\frac{2}{3}", "0.666666"),
                Arguments.of("3", "3.0000001"),
                Arguments.of("\\frac{3}{4}", "\\frac{4}{3}"),
                Arguments.of("\\frac{22}{7}", "\\pi"),
                Arguments.of("\\pi", "3.14"),
                Arguments.of("\\sqrt{2}", "1.4142"),
                Arguments.of("2\\sqrt{3}", "3\\sqrt{2}"),
                Arguments.of("\\frac{\\pi}{4}", "45^\\circ"),
                Arguments.of("1500", "1.5\\times10^4"),
                Arguments.of("11", "1011_{2}"),
                Arguments.of("\\ln 6", "\\ln 2 \\cdot \\ln 3"),
                Arguments.of("\\log_2 8", "2"),
                Arguments.of("\\binom{n}{2}", "\\frac{n(n+1)}{2}"),
                Arguments.of("\\sin x", "\\sin y"),
                Arguments.of("\\sin x \\cos x", "\\sin x \\cdot \\cos x"),
                Arguments.of("\\frac{1}{2}", "\\sin 30^\\circ"),
                // a standalone i makes latex2sympy's symbols complex: "4 i" is not "4i" there
                Arguments.of("4i", "4 i"),
                // units math-verify does not know, and degree signs it cannot parse
                Arguments.of("5", "5 dollars"),
                Arguments.of("30", "30°"),
                Arguments.of("30", "30\\degree"),
                Arguments.of("12.5\\%", "12.5"),
                Arguments.of("10", "0.1"),
                // structure
                Arguments.of("(1, 2)", "(2, 1)"),
                Arguments.of("(2, 1)", "1, 2"),
                Arguments.of("(1, 2)", "[1, 2]"),
                Arguments.of("[1, 2)", "[1, 2]"),
                Arguments.of("(1, 2, 3)", "(3, 2, 1)"),
                Arguments.of("\\{1, 2, 3\\}", "\\{1, 2\\}"),
                Arguments.of("1, 3", "1, 3, 5"),
                Arguments.of("2", "\\pm 2"),
                Arguments.of("(-\\infty, 3]", "(-\\infty, 3)"),
                Arguments.of("(-\\infty, 2) \\cup (3, \\infty)", "(-\\infty, 2] \\cup [3, \\infty)"),
                Arguments.of("\\infty", "-\\infty"),
                Arguments.of("(3, \\infty)", "x > 3"),
                Arguments.of("\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}", "\\begin{pmatrix} 2 \\\\ 1 \\end{pmatrix}"),
                // variables and text
                Arguments.of("x = 5", "y = 5"),
                Arguments.of("y = 2x + 3", "y = 2x - 3"),
                Arguments.of("2x + 1", "2y + 1"),
                Arguments.of("x^2 + 2x + 1", "(x-1)^2"),
                Arguments.of("\\text{Monday}", "\\text{Tuesday}"),
                Arguments.of("\\text{even}", "\\text{odd}"),
                // bare words holding a name latex2sympy's lexer takes for a function ("tr", "orth")
                Arguments.of("\\text{triangle}", "triangle"),
                Arguments.of("north", "\\text{north}"),
                Arguments.of("B", "\\text{(C)}"),
                // degenerate inputs
                Arguments.of("5", ""),
                Arguments.of("", ""),
                Arguments.of("5", "\\frac{1}{0}"));
    }

    @ParameterizedTest(name = "{1} == {0}")
    @MethodSource("equivalent")
    void equivalentAnswers(String gold, String pred) {
        assertTrue(MathGrader.equivalent(pred, gold), () -> describe(gold, pred));
    }

    @ParameterizedTest(name = "{1} != {0}")
    @MethodSource("notEquivalent")
    void differentAnswers(String gold, String pred) {
        assertFalse(MathGrader.equivalent(pred, gold), () -> describe(gold, pred));
    }

    private static String describe(String gold, String pred) {
        return "gold " + gold + " parsed as " + MathGrader.describe(gold).orElse("<unparsed>")
                + ", pred " + pred + " parsed as " + MathGrader.describe(pred).orElse("<unparsed>");
    }

    @Test
    void gradesTheBoxedAnswerOfAModelOutput() {
        assertTrue(MathGrader.grade("We find $x = 3$, so the answer is $\\boxed{\\frac{1}{2}}$.", "0.5"));
        assertTrue(MathGrader.grade("**Final Answer**\n\\[\n\\boxed{(1, 2)}\n\\]", "\\boxed{(1,2)}"));
        assertTrue(MathGrader.grade("The roots are $\\boxed{3}$ and $\\boxed{5}$.", "5, 3"));
        assertTrue(MathGrader.grade("So \\fbox{42}.", "42"));
        assertFalse(MathGrader.grade("The answer is 42.", "42"), "no box, no credit");
        assertFalse(MathGrader.grade("The answer is \\boxed{42", "42"), "unclosed box");
        assertFalse(MathGrader.grade("\\boxed{41}", "42"));
        assertFalse(MathGrader.grade(null, "42"));
    }

    @Test
    void fallbackExtractionReadsTheAnswerInProseAsMathVerifyDoes() {
        Extraction f = Extraction.FALLBACK;
        assertTrue(MathGrader.grade("The answer is 42.", "42", f));
        assertTrue(MathGrader.grade("So it equals 42.", "42", f));
        assertTrue(MathGrader.grade("**Answer:** 5 apples", "5", f));
        assertTrue(MathGrader.grade("The final answer is $\\frac{1}{2}$. I hope it is correct.", "0.5", f));
        assertTrue(MathGrader.grade("We get $x = 42$ and then $y = 7$.", "7", f), "the last expression");
        assertFalse(MathGrader.grade("We get $x = 42$ and then $y = 7$.", "42", f));
        assertTrue(MathGrader.grade("The probability is 1/2.", "\\frac{1}{2}", f));
        assertFalse(MathGrader.grade("Therefore the final answer is \\boxed{25", "25", f), "unclosed box");
        // math-verify reads the box before a cut-off one; the reward rule gives no credit.
        assertTrue(MathGrader.grade("First \\boxed{3}, then \\boxed{25", "3", f));
        assertFalse(MathGrader.grade("First \\boxed{3}, then \\boxed{25", "3"));
        assertFalse(MathGrader.grade("I am not sure.", "42", f));
        // A box still wins over the prose, and the box-only rule ignores the prose.
        assertTrue(MathGrader.grade("The answer is 41, no: \\boxed{42}", "42", f));
        assertFalse(MathGrader.grade("The answer is 42.", "42"));
    }

    @Test
    void severalBoxesAreReadAsMathVerifyReadsThem() {
        for (Extraction e : Extraction.values()) {
            // Bare boxes close together, or separated by a comma within 70 characters, are one answer.
            String bare = "I first got \\boxed{6}, then rechecking, the answer is \\boxed{8}.";
            assertTrue(MathGrader.grade(bare, "6, 8", e), e.name());
            assertFalse(MathGrader.grade(bare, "8", e), e.name());
            // Boxes in separate $...$ are separate answers: the last one counts ...
            String inline = "I first got $\\boxed{6}$, then rechecking, the answer is $\\boxed{8}$.";
            assertTrue(MathGrader.grade(inline, "8", e), e.name());
            assertFalse(MathGrader.grade(inline, "6, 8", e), e.name());
            // ... unless "and" or a comma joins the environments directly.
            assertTrue(MathGrader.grade("$\\boxed{1}$ and $\\boxed{2}$", "1, 2", e), e.name());
            assertTrue(MathGrader.grade("\\boxed{1}, \\boxed{2}", "1, 2", e), e.name());
            String far = "First \\boxed{3} for part one, and after a much longer computation that uses it"
                    + " as an input, the final result is \\boxed{5}.";
            assertTrue(MathGrader.grade(far, "5", e), e.name());
        }
    }

    @Test
    void survivesHostileInput() {
        assertFalse(MathGrader.equivalent("10^{100000000}", "1"));
        assertFalse(MathGrader.equivalent("(1000^{1999})^{1999}", "1"));
        assertFalse(MathGrader.equivalent("\\sqrt[3]{10^{1999}}", "1"));
        assertFalse(MathGrader.equivalent("(".repeat(5000) + "1" + ")".repeat(5000), "1"));
        assertFalse(MathGrader.equivalent("\\sqrt{-4}", "2"));
        assertFalse(MathGrader.equivalent("\\infty - \\infty", "0"));
        assertTrue(MathGrader.equivalent("\\text{some words here}", "\\text{Some  words here}"));
    }
}
