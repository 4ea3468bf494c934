package io.ladder.tasks.math;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class BoxedAnswerTest {

    private static Optional<String> last(String s) {
        return BoxedAnswer.lastBoxed(s);
    }

    @Test
    void takesTheContentOfTheLastBox() {
        assertEquals(Optional.of("5"), last("so \\boxed{5}."));
        assertEquals(Optional.of("7"), last("first \\boxed{3}, then \\boxed{7}"));
        assertEquals(Optional.of("42"), last("$\\boxed{ 42 }$"));
        assertEquals(Optional.of("x"), last("\\boxed {x}"));
    }

    @Test
    void matchesNestedBraces() {
        assertEquals(Optional.of("\\frac{1}{2}"), last("\\boxed{\\frac{1}{2}}"));
        assertEquals(Optional.of("\\frac{\\sqrt{3}}{2}"), last("is $\\boxed{\\frac{\\sqrt{3}}{2}}$."));
        assertEquals(Optional.of("\\{1, 2\\}"), last("\\boxed{\\{1, 2\\}}"));
        assertEquals(Optional.of("{a}{b}"), last("\\boxed{{a}{b}}"));
        assertEquals(Optional.of("\\left\\{ x \\right."), last("\\boxed{\\left\\{ x \\right.}"));
    }

    @Test
    void acceptsFboxAndBoxWithoutBraces() {
        assertEquals(Optional.of("9"), last("answer \\fbox{9}"));
        assertEquals(Optional.of("9"), last("\\boxed{1} and later \\fbox{9}"));
        assertEquals(Optional.of("1"), last("\\fbox{9} and later \\boxed{1}"));
        assertEquals(Optional.of("5"), last("The answer is \\boxed 5"));
        assertEquals(Optional.of("5"), last("The answer is $\\boxed 5$."));
        assertEquals(Optional.of("12"), last("so \\boxed 12 in total"));
        assertEquals(Optional.of("\\frac12"), last("\\boxed \\frac12"));
    }

    @Test
    void emptyWhenThereIsNoCompleteBox() {
        assertEquals(Optional.empty(), last("no box here, the answer is 5"));
        assertEquals(Optional.empty(), last(""));
        assertEquals(Optional.empty(), last("\\boxed{5"));
        assertEquals(Optional.empty(), last("\\boxed{\\frac{1}{2}"));
        assertEquals(Optional.empty(), last("\\boxed{3} then \\boxed{4"));
        assertEquals(Optional.empty(), last("ends with \\boxed"));
        assertEquals(Optional.empty(), last("\\boxedfoo{3}"));
    }

    @Test
    void finalAnswerJoinsBoxesThatBelongTogether() {
        assertEquals(Optional.of("3,5"), BoxedAnswer.finalAnswer("roots $\\boxed{3}$ and $\\boxed{5}$."));
        assertEquals(Optional.of("3,5"), BoxedAnswer.finalAnswer("$a = \\boxed{3}$ and $b = \\boxed{5}$"));
        assertEquals(Optional.of("1,2,3"), BoxedAnswer.finalAnswer("\\boxed{1}, \\boxed{2}, \\boxed{3}"));
        // repeating the same answer is not a list
        assertEquals(Optional.of("11"), BoxedAnswer.finalAnswer("\\boxed{11}. Check: yes, \\boxed{11}."));
        // a box far back in the reasoning is an intermediate result
        String far =
                "Part one gives \\boxed{3}, which we now feed into a much longer computation that takes"
                        + " several more steps before the end: \\boxed{5}";
        assertEquals(Optional.of("5"), BoxedAnswer.finalAnswer(far));
        assertEquals(Optional.empty(), BoxedAnswer.finalAnswer("nothing"));
    }

    @Test
    void goldMayBeBoxedOrBare() {
        assertEquals("7", BoxedAnswer.unwrapGold("\\boxed{7}"));
        assertEquals("\\frac{1}{2}", BoxedAnswer.unwrapGold("\\frac{1}{2}"));
    }
}
