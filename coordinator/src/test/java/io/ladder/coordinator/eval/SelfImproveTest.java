package io.ladder.coordinator.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ladder.policy.Policy;
import io.ladder.policy.RandomLlama;
import io.ladder.policy.SamplingParams;
import io.ladder.tasks.Prompts;
import io.ladder.tasks.Verifier;
import io.ladder.tasks.data.MathProblem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** K-step self-improvement: the bookkeeping of accuracy, corrections and regressions, and batch independence. */
class SelfImproveTest {
    @TempDir
    Path tmp;

    /** A verifier with a rate near 1/2 on a random model: the completion has an even number of characters. */
    static final Verifier EVEN = new Verifier() {
        @Override
        public double reward(String completion, String referenceAnswer) {
            return completion.length() % 2 == 0 ? 1 : 0;
        }

        @Override
        public String name() {
            return "even-length";
        }
    };

    @Test
    void stepsAreBookkeptAndIndependentOfTheBatchSize() throws Exception {
        Path model = tmp.resolve("m");
        new RandomLlama().layers(1).hidden(32).heads(2).kvHeads(1).maxPositions(256).seed(3).std(0.1)
                .specialTokens(Prompts.TEMPLATE_TOKENS).write(model);
        List<MathProblem> problems = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            problems.add(new MathProblem("p" + i, i + "+" + i, Integer.toString(2 * i)));
        }
        SamplingParams params = SamplingParams.defaults().withMaxNewTokens(6).withSeed(9);
        try (var m = Policy.newManager(); Policy policy = Policy.load(model, m)) {
            SelfImprove.Result a = new SelfImprove(policy, EVEN, 256).run(problems, 3, 3, params, null);
            SelfImprove.Result b = new SelfImprove(policy, EVEN, 5).run(problems, 3, 3, params, null);
            assertEquals(4, a.accuracy().length);
            int chains = problems.size() * 3;
            for (int k = 1; k <= 3; k++) {
                // each chain that changed its verdict is a correction or a regression: the counts explain the change
                assertEquals(Math.round((a.accuracy()[k] - a.accuracy()[k - 1]) * chains),
                        a.corrections()[k] - a.regressions()[k], "step " + k);
            }
            assertTrue(a.corrections()[1] + a.regressions()[1] > 0, "a random model's answers change between steps");
            assertArrayEquals(a.accuracy(), b.accuracy(), "batching changed the samples");
            assertArrayEquals(a.corrections(), b.corrections());
            assertEquals(a.accuracy()[3] - a.accuracy()[0], a.deltaK(), 1e-12);
            assertTrue(a.table().contains("Δ_3"), a.table());
        }
    }
}
