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
}
