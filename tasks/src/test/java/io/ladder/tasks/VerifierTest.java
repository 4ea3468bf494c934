package io.ladder.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class VerifierTest {
    @Test
    void mathRewardsOnlyABoxedAnswer() {
        assertEquals(1.0, Verifier.MATH.reward("so the answer is $\\boxed{\\frac{1}{2}}$.", "0.5"));
        // math-verify (and ladder grade) would read these; the reward does not.
        assertEquals(0.0, Verifier.MATH.reward("so the answer is 42.", "42"));
        assertEquals(0.0, Verifier.MATH.reward("The final answer is $42$. I hope it is correct.", "42"));
        assertEquals(0.0, Verifier.MATH.reward("First \\boxed{42}, then \\boxed{4", "42"), "cut off");
    }

    @Test
    void closenessGivesPartialCreditByRelativeError() {
        Verifier v = Verifier.named("closeness");
        assertEquals(1.0, v.reward("so \\boxed{100}", "100"));
        assertEquals(0.88, v.reward("\\boxed{112}", "100"), 1e-12);
        assertEquals(0.88, v.reward("\\boxed{88}", "100"), 1e-12);
        assertEquals(0.0, v.reward("\\boxed{250}", "100"), "more than 100% off floors at 0");
        assertEquals(0.0, v.reward("\\boxed{0}", "12"));
        assertEquals(0.5, v.reward("\\boxed{-1}", "-2"), 1e-12);
        assertEquals(0.0, v.reward("\\boxed{1}", "0"), "an answer of 0 is judged on an absolute scale of 1");
        assertEquals(0.0, v.reward("112", "100"), "no box, no credit");
        assertEquals(0.0, v.reward("\\boxed{1e2}", "100"), "integers only");
    }
}
