package io.ladder.coordinator.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ladder.coordinator.cli.Main;
import io.ladder.coordinator.job.JobSpecs;
import io.ladder.tasks.Seeds;
import io.ladder.proto.ClusterSpec;
import io.ladder.proto.JobSpec;
import io.ladder.proto.LearnerInit;
import io.ladder.proto.PromptBatch;
import io.ladder.proto.RolloutBatch;
import io.ladder.proto.RolloutSample;
import io.ladder.proto.RolloutWorkerInit;
import io.ladder.proto.TaskSpec;
import io.ray.api.ObjectRef;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pool of two trainer groups (embedded Ray) runs four "inner loops" — reset the group to the
 * baseline weights, train three GRPO steps, report — as SOAR will: every loop gets a free group,
 * a reset really restores the baseline, and equal loops give equal results on either group.
 */
class GroupPoolTest {
    @TempDir
    Path tmp;

    @Test
    void innerLoopsRunOnFreeGroupsFromTheBaseline() throws Exception {
        Path model = tmp.resolve("model");
        assertEquals(0, Main.run(new String[] {"init-model", "--out", model.toString(), "--layers", "1", "--hidden", "32",
                "--heads", "2", "--kv-heads", "1", "--std", "0.1", "--seed", "1234"}, System.out, System.err));
        JobSpec spec = JobSpecs.defaults().setName("pool")
                .setTask(TaskSpec.newBuilder().setKind(TaskSpec.Kind.FIXED_DIGIT).setDigit(7).setVerifier("prefix"))
                .setCluster(ClusterSpec.newBuilder().setTrainerGroups(2).setRolloutWorkersPerGroup(1).setCpusPerActor(1)
                        .setPlacement("PACK").setMaxActorRestarts(0))
                .build();
        spec = spec.toBuilder().setAlgorithm(spec.getAlgorithm().toBuilder().setLr(0.02)).build();
        RolloutWorkerInit wi = RolloutWorkerInit.newBuilder().setJob("pool").setModelPath(model.toString())
                .setTask(spec.getTask()).setRollout(spec.getRollout().toBuilder().setMaxNewTokens(2)).build();
        LearnerInit li = LearnerInit.newBuilder().setJob("pool").setModelPath(model.toString())
                .setAlgorithm(spec.getAlgorithm()).setRollout(spec.getRollout()).setTotalSteps(10).build();
        try (RayRuntime ray = RayRuntime.start("", List.of())) {
            List<TrainerGroup> groups = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                groups.add(new TrainerGroup(ray, "pool", i, spec.getCluster(), li, wi, msg -> { }));
            }
            try (GroupPool pool = new GroupPool(ray, groups)) {
                ObjectRef<byte[]> baseline = groups.get(0).snapshot();
                List<CompletableFuture<String>> loops = new ArrayList<>();
                for (int loop = 0; loop < 4; loop++) {
                    long seed = loop / 2; // loops 0,1 and 2,3 are the same work, on different groups
                    loops.add(pool.submit(g -> {
                        g.reset(baseline);
                        assertArrayEquals(baseline.get(), g.snapshot().get(), "reset did not restore the baseline");
                        double reward = 0;
                        for (int step = 0; step < 3; step++) {
                            List<PromptBatch.Prompt> prompts = new ArrayList<>();
                            for (int p = 0; p < 4; p++) {
                                prompts.add(PromptBatch.Prompt.newBuilder().setGroup(p).setSeed(new Seeds(seed).groupSampling(step, p))
                                        .setText("Reply with one digit:").setAnswer("7").build());
                            }
                            RolloutBatch r = g.step(prompts, 16, 4, step).rollouts();
                            RolloutSample first = r.getGroups(0).getSamples(0);
                            assertTrue(first.getFinishReason().equals("stop") || first.getFinishReason().equals("length"),
                                    "each sample says why it ended: " + first.getFinishReason());
                            reward = r.getGroupsList().stream().flatMap(x -> x.getSamplesList().stream())
                                    .mapToDouble(s -> s.getReward()).average().orElse(0);
                        }
                        // greedy evaluation on the group's own workers: deterministic, one reward per prompt
                        List<PromptBatch.Prompt> eval = new ArrayList<>();
                        for (int p = 0; p < 5; p++) {
                            eval.add(PromptBatch.Prompt.newBuilder().setGroup(p).setText("Reply with one digit:").setAnswer("7").build());
                        }
                        double[] greedy = g.evaluateGreedy(eval, 2, 2);
                        assertEquals(5, greedy.length);
                        assertArrayEquals(greedy, g.evaluateGreedy(eval, 2, 3), "greedy evaluation depends on the call size");
                        return g.name() + " " + seed + " " + reward + " " + java.util.Arrays.toString(greedy) + " "
                                + java.util.Arrays.hashCode(g.snapshot().get());
                    }));
                }
                Set<String> groupsUsed = new HashSet<>();
                List<String> results = new ArrayList<>();
                for (CompletableFuture<String> f : loops) {
                    String r = f.get();
                    results.add(r.substring(r.indexOf(' ') + 1));
                    groupsUsed.add(r.substring(0, r.indexOf(' ')));
                }
                assertEquals(Set.of("ladder-pool-g0", "ladder-pool-g1"), groupsUsed);
                assertEquals(results.get(0), results.get(1), "same inner loop on two groups, different outcome");
                assertEquals(results.get(2), results.get(3), "same inner loop on two groups, different outcome");
                assertTrue(!results.get(0).equals(results.get(2)), "different seeds should train differently");
            }
        }
    }
}
