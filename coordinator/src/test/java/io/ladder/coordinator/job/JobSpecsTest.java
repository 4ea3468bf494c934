package io.ladder.coordinator.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ladder.learner.AlgorithmSpecs;
import io.ladder.learner.LearnerConfig;
import io.ladder.proto.AlgorithmSpec;
import io.ladder.proto.JobSpec;
import io.ladder.proto.SpecException;
import io.ladder.proto.SpecLoader;
import io.ladder.proto.SpecPrinter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One source of defaults per algorithm, every check before anything starts, and the resolved spec. */
class JobSpecsTest {
    @TempDir
    Path tmp;

    JobSpec load(String yaml) throws Exception {
        Path f = tmp.resolve("job.yaml");
        Files.writeString(f, yaml);
        return JobSpecs.load(f);
    }

    @Test
    void rlooGetsTheRlooPresetNotGrpoValues() throws Exception {
        AlgorithmSpec a = load("task: {kind: fixed_digit}\nalgorithm: {name: rloo, kl_beta: 0.05}\n").getAlgorithm();
        assertEquals(AlgorithmSpec.KlEstimator.K1, a.getKlEstimator());
        assertEquals(AlgorithmSpec.KlPlacement.REWARD, a.getKlPlacement());
        assertEquals(0.2, a.getClipEpsLow());
        assertEquals(0.2, a.getClipEpsHigh());
        assertEquals(AlgorithmSpec.Aggregation.SEQUENCE_MEAN, a.getAggregation());
        assertEquals(io.ladder.proto.RatioLevel.SEQUENCE_SUM, a.getRatioLevel());
        assertEquals(0.05, a.getKlBeta(), "the YAML's value wins over the preset");
        // and the preset is the learner's own
        LearnerConfig rloo = LearnerConfig.rloo().klBeta(0.05).build();
        assertEquals(rloo.clipEpsHigh(), a.getClipEpsHigh());
        assertEquals(rloo.lr(), a.getLr());
    }

    @Test
    void grpoPresetIsOverriddenOnlyWhereTheYamlSaysSo() throws Exception {
        AlgorithmSpec a = load("task: {kind: fixed_digit}\nalgorithm: {name: grpo, clip_eps_high: 0.28, lr: 0.001}\n").getAlgorithm();
        assertEquals(0.28, a.getClipEpsHigh());
        assertEquals(0.2, a.getClipEpsLow());
        assertEquals(0.001, a.getLr());
        assertEquals(AlgorithmSpec.KlEstimator.K3, a.getKlEstimator());
        assertEquals(AlgorithmSpec.KlPlacement.LOSS, a.getKlPlacement());
        assertTrue(a.getScaleRewardsByStd());
        // an explicit value equal to proto3's zero default still overrides (presence, not value)
        AlgorithmSpec b = load("task: {kind: fixed_digit}\nalgorithm: {name: grpo, scale_rewards_by_std: false, min_lr_ratio: 0}\n")
                .getAlgorithm();
        assertEquals(false, b.getScaleRewardsByStd());
        assertEquals(0.0, b.getMinLrRatio());
    }

    @Test
    void theResolvedSpecBuildsTheSameLearnerConfigAsTheOriginal() throws Exception {
        JobSpec s = load("task: {kind: fixed_digit}\nalgorithm: {name: rloo, lr: 0.003, epochs_per_batch: 2}\nsteps: 7\n");
        for (var f : AlgorithmSpec.getDescriptor().getFields()) {
            boolean setting = f.hasPresence() && f.getJavaType() != com.google.protobuf.Descriptors.FieldDescriptor.JavaType.MESSAGE;
            assertTrue(!setting || s.getAlgorithm().hasField(f), "algorithm." + f.getName() + " left unresolved");
        }
        LearnerConfig direct = LearnerConfig.rloo().lr(0.003).epochsPerBatch(2).totalSteps(7).build();
        assertEquals(direct, AlgorithmSpecs.config(s.getAlgorithm(), 1.0, 7));
        assertEquals(s, JobSpecs.validate(s, "again"), "resolving is idempotent");
    }

    @Test
    void clipEpsLowOfOneIsRefusedWhenTheFileIsLoaded() {
        SpecException e = assertThrows(SpecException.class,
                () -> load("task: {kind: fixed_digit}\nalgorithm: {name: grpo, clip_eps_low: 1.0}\n"));
        assertTrue(e.getMessage().endsWith("algorithm.clip_eps_low: must be in [0, 1), got 1"), e.getMessage());
    }

    @Test
    void strategiesAreSelectedByNameAndTheirSettingsChecked() throws Exception {
        SpecException soar = assertThrows(SpecException.class, () -> load("task: {kind: fixed_digit}\nalgorithm: {name: soar}\n"));
        assertTrue(soar.getMessage().endsWith("task.kind: SOAR needs problems with answers (arithmetic or dataset)"), soar.getMessage());
        SpecException lr = assertThrows(SpecException.class,
                () -> load("task: {kind: arithmetic, levels: [5]}\nalgorithm: {name: soar, lr: 0.001}\n"));
        assertTrue(lr.getMessage().endsWith("algorithm.lr: SOAR's teacher and student each have their own; set "
                + "algorithm.soar.teacher.lr and algorithm.soar.student.lr"), lr.getMessage());
        SpecException budget = assertThrows(SpecException.class,
                () -> load("task: {kind: arithmetic, levels: [5]}\nalgorithm: {name: soar, soar: {datasets: 2, questions_per_dataset: 8, "
                        + "teacher_attempts: 15}}\n"));
        assertTrue(budget.getMessage().endsWith("algorithm.soar.teacher_attempts: 15 cannot yield g·n = 16 well-formed pairs"),
                budget.getMessage());
        SpecException missing = assertThrows(SpecException.class,
                () -> load("task: {kind: arithmetic, levels: [5]}\nalgorithm: {name: soar, soar: {hard_train_file: /nonexistent/a.jsonl, "
                        + "hard_test_file: /nonexistent/b.jsonl}}\n"));
        assertTrue(missing.getMessage().endsWith("algorithm.soar.hard_train_file: /nonexistent/a.jsonl does not exist"),
                missing.getMessage());
        // resolved: every SOAR default written out, the roles' lr in their blocks, none in the common one
        JobSpec resolved = load("task: {kind: arithmetic, levels: [5]}\nalgorithm: {name: soar, soar: {repeats: 2}}\ncluster: {trainer_groups: 3}\n");
        assertEquals(2, resolved.getAlgorithm().getSoar().getRepeats());
        assertEquals(1e-5, resolved.getAlgorithm().getSoar().getTeacher().getLr());
        assertFalse(resolved.getAlgorithm().hasLr());
        assertEquals(resolved, JobSpecs.validate(resolved, "again"), "resolving a SOAR spec is idempotent");
        SpecException other = assertThrows(SpecException.class,
                () -> load("task: {kind: fixed_digit}\nalgorithm: {name: grpo, exit: {}}\n"));
        assertTrue(other.getMessage().endsWith("algorithm.exit: only for name: exit (this job is grpo)"), other.getMessage());
        SpecException grpoP = assertThrows(SpecException.class, () -> load("task: {kind: fixed_digit}\n"
                + "algorithm: {name: exit, exit: {preset: grpo, self_iteration_prob: 0.5}}\n"));
        assertTrue(grpoP.getMessage().contains("algorithm.exit.preset: grpo trains on the base tasks only"), grpoP.getMessage());
        // the tool world: GRPO, RLOO and ExIt (turn prefixes, one follow-up per group); not SOAR
        assertEquals(AlgorithmSpec.Name.EXIT, load("task: {kind: tools, levels: [2]}\nalgorithm: {name: exit}\n").getAlgorithm().getName());
        SpecException soarTools = assertThrows(SpecException.class, () -> load("task: {kind: tools, levels: [2]}\nalgorithm: {name: soar}\n"));
        assertTrue(soarTools.getMessage().contains("task.kind: tools runs with grpo, rloo or exit"), soarTools.getMessage());
        SpecException perRollout = assertThrows(SpecException.class, () -> load("task: {kind: tools, levels: [2]}\n"
                + "algorithm: {name: exit, exit: {divergence_draw: per_rollout}}\n"));
        assertTrue(perRollout.getMessage().contains("algorithm.exit.divergence_draw: per_rollout is for single-turn tasks"),
                perRollout.getMessage());
        SpecException groups = assertThrows(SpecException.class,
                () -> load("task: {kind: fixed_digit}\nalgorithm: {name: rloo}\ncluster: {trainer_groups: 2}\n"));
        assertTrue(groups.getMessage().contains("cluster.trainer_groups: rloo trains one policy on one trainer group"),
                groups.getMessage());
    }

    @Test
    void printedSpecLoadsBackToTheSameSpec() throws Exception {
        JobSpec s = load("name: printed\nseed: 12345678901\ntask: {kind: arithmetic, levels: [3, 5], pool_size: 64}\n"
                + "algorithm: {name: grpo, clip_eps_high: 0.28}\ncluster: {rollout_worker_resources: {node_a: 1.5}}\n");
        String yaml = SpecPrinter.toYaml(s);
        JobSpec back = SpecLoader.loadString(yaml, "printed.yaml", JobSpec.newBuilder()).build();
        assertEquals(s, back, yaml);
        assertTrue(yaml.contains("kl_placement: loss"), yaml);
    }

    @Test
    void duplicateKeysAndEmptyFilesAreRefused() {
        SpecException dup = assertThrows(SpecException.class,
                () -> load("algorithm: {name: grpo, lr: 0.001}\ntask: {kind: fixed_digit}\nalgorithm: {name: grpo}\n"));
        assertTrue(dup.getMessage().endsWith(":3: not valid YAML (found duplicate key algorithm)"), dup.getMessage());
        SpecException inner = assertThrows(SpecException.class,
                () -> load("task: {kind: fixed_digit}\nalgorithm: {name: grpo, lr: 0.001, lr: 0.1}\n"));
        assertTrue(inner.getMessage().contains("found duplicate key lr"), inner.getMessage());
        SpecException empty = assertThrows(SpecException.class, () -> load("# nothing but a comment\n"));
        assertTrue(empty.getMessage().endsWith("empty (no fields); write at least the fields that differ from the defaults"),
                empty.getMessage());
    }

    @Test
    void fewShotExamplesAreLoadedAndNeedTheChatFormatAndBothTurns() throws Exception {
        JobSpec ok = load("task: {kind: fixed_digit}\nmodel: {path: builtin:arithmetic-base, few_shot: "
                + "[{user: \"Question: 2+3\", assistant: \"\\\\boxed{5}\"}]}\n");
        assertEquals("\\boxed{5}", ok.getModel().getFewShot(0).getAssistant());
        SpecException completion = assertThrows(SpecException.class, () -> load("task: {kind: fixed_digit}\n"
                + "model: {path: builtin:arithmetic-base, prompt_format: completion, few_shot: [{user: a, assistant: b}]}\n"));
        assertTrue(completion.getMessage().endsWith("model.few_shot: needs the chat format (model.prompt_format is completion)"),
                completion.getMessage());
        SpecException half = assertThrows(SpecException.class, () -> load("task: {kind: fixed_digit}\n"
                + "model: {path: builtin:arithmetic-base, few_shot: [{user: a, assistant: b}, {user: c}]}\n"));
        assertTrue(half.getMessage().endsWith("model.few_shot[1]: needs both user and assistant text"), half.getMessage());
    }
}
