package io.ladder.learner;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.ladder.policy.Completion;
import io.ladder.policy.Policy;
import io.ladder.policy.SamplingParams;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * "It learns": on a trivial verifiable task (answer the prompt with the single digit 7), GRPO and
 * RLOO take the mean reward of freshly sampled answers from below 0.2 to above 0.9 within a
 * bounded number of steps, sampling from the policy being trained (on-policy, temperature 1).
 */
class LearnsTest {
    static final int MAX_STEPS = 40;
    static final int PROMPTS = 8;
    static final int SAMPLES = 8;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(LearnerConfig.Algorithm.class)
    void meanRewardRisesFromBelow02ToAbove09(LearnerConfig.Algorithm algorithm) throws Exception {
        Path dir = TinyModels.write(tmp.resolve("m"), 1, 32, 2, 1, true, 1234, 0.1);
        LearnerConfig cfg = (algorithm == LearnerConfig.Algorithm.GRPO ? LearnerConfig.grpo() : LearnerConfig.rloo())
                .lr(2e-2).maxGradNorm(1.0).build();
        try (NDManager m = Policy.newManager(); Policy policy = Policy.load(dir, m);
             Learner learner = new Learner(policy, cfg)) {
            int seven = policy.tokenizer().encode("7", false)[0];
            List<int[]> prompts = new ArrayList<>();
            String[] texts = {"Say 7:", "Digit?", "Answer:", "7 please", "Reply:", "Q:", "Number:", "Go:"};
            for (int p = 0; p < PROMPTS; p++) {
                prompts.add(policy.tokenizer().encode(texts[p], true));
            }
            StringBuilder trace = new StringBuilder();
            double first = Double.NaN;
            double last = Double.NaN;
            int steps = 0;
            for (int step = 0; step < MAX_STEPS; step++) {
                List<int[]> batchPrompts = new ArrayList<>();
                for (int[] p : prompts) {
                    for (int s = 0; s < SAMPLES; s++) {
                        batchPrompts.add(p);
                    }
                }
                SamplingParams sp = SamplingParams.defaults().withMaxNewTokens(1).withSeed(1000L + step);
                List<Completion> out = policy.generate(batchPrompts, sp);
                List<Rollout> batch = new ArrayList<>();
                double mean = 0;
                for (int i = 0; i < out.size(); i++) {
                    Completion c = out.get(i);
                    double reward = c.tokenIds().length == 1 && c.tokenIds()[0] == seven ? 1 : 0;
                    mean += reward;
                    batch.add(new Rollout(batchPrompts.get(i), c.tokenIds(), c.logprobs(), reward, i / SAMPLES));
                }
                mean /= out.size();
                if (step == 0) {
                    first = mean;
                }
                last = mean;
                trace.append(String.format(java.util.Locale.ROOT, " %.2f", mean));
                steps = step + 1;
                if (mean > 0.95) {
                    break;
                }
                learner.step(batch);
            }
            assertTrue(first < 0.2, algorithm + ": initial mean reward " + first);
            assertTrue(last > 0.9, algorithm + ": mean reward after " + steps + " steps is " + last);
            System.out.println(algorithm + ": mean reward " + first + " -> " + last + " in " + steps + " steps:" + trace);
        }
    }
}
