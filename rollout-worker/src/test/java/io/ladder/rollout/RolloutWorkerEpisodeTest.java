package io.ladder.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ladder.policy.RandomLlama;
import io.ladder.proto.PromptBatch;
import io.ladder.proto.RolloutBatch;
import io.ladder.proto.RolloutGroup;
import io.ladder.proto.RolloutSample;
import io.ladder.proto.RolloutSpec;
import io.ladder.proto.RolloutWorkerInit;
import io.ladder.proto.TaskSpec;
import io.ladder.tasks.env.tools.ToolTasks;
import io.ladder.tasks.env.tools.ToolWorld;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One rollout call may mix ordinary prompts and environment episodes; groups come back in the call's order. */
class RolloutWorkerEpisodeTest {
    @TempDir
    Path tmp;

    /** A worker with a random tiny model on the fixed-digit task, G = 3. */
    RolloutWorker worker(int promptsPerStep, int maxNewTokens) throws Exception {
        Path model = tmp.resolve("model");
        new RandomLlama().layers(1).hidden(32).intermediate(64).heads(2).kvHeads(1).maxPositions(2048).seed(5).std(0.5).write(model);
        RolloutWorkerInit init = RolloutWorkerInit.newBuilder().setJob("t").setModelPath(model.toString())
                .setTask(TaskSpec.newBuilder().setKind(TaskSpec.Kind.FIXED_DIGIT).setDigit(7))
                .setRollout(RolloutSpec.newBuilder().setGroupSize(3).setPromptsPerStep(promptsPerStep).setTemperature(1.0).setTopP(1.0)
                        .setMaxNewTokens(maxNewTokens))
                .build();
        return new RolloutWorker(init.toByteArray());
    }

    @Test
    void aCallMixesCompletionsAndEpisodes() throws Exception {
        try (RolloutWorker w = worker(2, 6)) {
            PromptBatch batch = PromptBatch.newBuilder().setGroupSize(3)
                    .addPrompts(PromptBatch.Prompt.newBuilder().setGroup(0).setId("tools").setSeed(3).setEnvironment(ToolWorld.NAME)
                            .setEnvironmentTask(ToolTasks.generate(1, 1, 0).toString()))
                    .addPrompts(PromptBatch.Prompt.newBuilder().setGroup(1).setId("digit").setSeed(4).setText("Say 7").setAnswer("7"))
                    .build();
            RolloutBatch out = RolloutBatch.parseFrom(w.rollout(batch.toByteArray()));
            assertEquals(2, out.getGroupsCount());
            RolloutGroup episodes = out.getGroups(0);
            assertEquals(0, episodes.getGroup());
            for (RolloutSample s : episodes.getSamplesList()) {
                assertEquals(s.getCompletionIdsCount(), s.getTrainedCount());
                assertEquals(s.getCompletionIdsCount(), s.getSamplingLogprobsCount());
                assertTrue(s.getFinishReason().equals("episode") || s.getFinishReason().startsWith("error: "), s.getFinishReason());
                assertTrue(s.getReward() == 0.0 || s.getReward() == 1.0);
            }
            RolloutGroup digits = out.getGroups(1);
            assertEquals(1, digits.getGroup());
            assertEquals(3, digits.getSamplesCount());
            assertEquals(0, digits.getSamples(0).getTrainedCount(), "an ordinary completion carries no mask");
        }
    }

    @Test
    void aGroupMaySampleEachRowFromItsOwnPrompt() throws Exception {
        try (RolloutWorker w = worker(1, 4)) {
            PromptBatch.Prompt.Builder mixed = PromptBatch.Prompt.newBuilder().setGroup(0).setId("mixed").setSeed(4).setAnswer("7")
                    .addSampleTexts("Improve: say 7").addSampleTexts("Differ: say 7").addSampleTexts("Improve: say 7");
            PromptBatch.Prompt shared = PromptBatch.Prompt.newBuilder().setGroup(0).setId("shared").setSeed(4).setAnswer("7")
                    .setText("Improve: say 7").build();
            RolloutGroup g = RolloutBatch.parseFrom(w.rollout(PromptBatch.newBuilder().setGroupSize(3).addPrompts(mixed).build()
                    .toByteArray())).getGroups(0);
            RolloutGroup same = RolloutBatch.parseFrom(w.rollout(PromptBatch.newBuilder().setGroupSize(3).addPrompts(shared).build()
                    .toByteArray())).getGroups(0);
            assertEquals(g.getSamples(0).getPromptIdsList(), g.getSamples(2).getPromptIdsList());
            assertTrue(!g.getSamples(0).getPromptIdsList().equals(g.getSamples(1).getPromptIdsList()), "row 1 has its own prompt");
            for (int j : new int[] {0, 2}) { // seeded per row: the same prompt gives the same tokens, whatever it is batched with
                assertEquals(same.getSamples(j).getPromptIdsList(), g.getSamples(j).getPromptIdsList());
                assertEquals(same.getSamples(j).getCompletionIdsList(), g.getSamples(j).getCompletionIdsList());
            }
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> w.rollout(PromptBatch.newBuilder().setGroupSize(3).addPrompts(mixed.clone().clearSampleTexts().addSampleTexts("a").addSampleTexts("b")).build()
                            .toByteArray()));
            assertEquals("prompt mixed: 2 sample_texts for a group of 3 (one per sample, or none)", e.getMessage());
        }
    }
}
