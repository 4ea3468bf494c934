package io.ladder.coordinator.job;

import io.ladder.learner.AlgorithmSpecs;
import io.ladder.learner.LearnerConfig;
import io.ladder.tasks.exit.ExitSettings;
import io.ladder.tasks.soar.SoarSettings;
import io.ladder.proto.SoarSpec;
import io.ladder.proto.AlgorithmSpec;
import io.ladder.proto.ChatExample;
import io.ladder.proto.ClusterSpec;
import io.ladder.proto.EvalSpec;
import io.ladder.proto.JobSpec;
import io.ladder.proto.ModelSpec;
import io.ladder.proto.RolloutSpec;
import io.ladder.proto.SpecException;
import io.ladder.proto.SpecLoader;
import io.ladder.proto.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads a job spec: defaults, then the YAML file (field-path errors from {@link SpecLoader}),
 * then the checks that involve several fields or the file system. Every problem is one line
 * naming the file and field, raised before any actor starts.
 */
public final class JobSpecs {
    public static final String BUILTIN_BASE = "builtin:arithmetic-base";
    /** The arithmetic base model's recipe plus tool-world transcripts (examples/tools/pretrain.yaml). */
    public static final String BUILTIN_TOOLS = "builtin:tools-base";

    public static boolean isBuiltin(String modelPath) {
        return modelPath.equals(BUILTIN_BASE) || modelPath.equals(BUILTIN_TOOLS);
    }

    private JobSpecs() {}

    /** Defaults: a small GRPO job on the built-in arithmetic world, embedded. */
    public static JobSpec.Builder defaults() {
        return JobSpec.newBuilder()
                .setName("ladder")
                .setSeed(0)
                .setModel(ModelSpec.newBuilder().setPath(BUILTIN_BASE))
                .setTask(TaskSpec.newBuilder().setKind(TaskSpec.Kind.ARITHMETIC).addLevels(3).setVerifier("auto").setDigit(7))
                // the algorithm's own defaults come from its preset (AlgorithmSpecs), not from here
                .setAlgorithm(AlgorithmSpec.newBuilder().setName(AlgorithmSpec.Name.GRPO))
                .setRollout(RolloutSpec.newBuilder().setGroupSize(8).setPromptsPerStep(16).setTemperature(1.0)
                        .setTopP(1.0).setTopK(0).setMaxNewTokens(16).setPromptsPerCall(16))
                .setCluster(ClusterSpec.newBuilder().setRayAddress("").setTrainerGroups(1).setRolloutWorkersPerGroup(1)
                        .setCpusPerActor(1.0).setPlacement("PACK").setMaxActorRestarts(3))
                .setSteps(20)
                .setCheckpointEvery(0)
                .setMetricsPort(0)
                .setMetricsBind("127.0.0.1")
                .setEval(EvalSpec.newBuilder().setProblems(64).setSamples(8).addK(1).addK(8).setTemperature(1.0));
    }

    public static JobSpec load(Path file) {
        return validate(read(file), file.toString());
    }

    /** The YAML file over the defaults, not yet validated (a caller that applies overrides validates once, after). */
    public static JobSpec read(Path file) {
        // repeated fields in YAML replace the defaults' lists rather than appending
        return SpecLoader.load(file, defaults()).build();
    }

    /**
     * Checks a spec and returns it resolved: every field the algorithm's preset decides is filled
     * in, so spec.json and {@code --print-config} show exactly what runs.
     */
    public static JobSpec validate(JobSpec s, String source) {
        String at = source + ": ";
        // Ranges again: a spec may come from spec.json (resume) or carry CLI overrides, which no
        // YAML loader checked.
        SpecLoader.checkRanges(s, source);
        if (s.getName().isEmpty() || !s.getName().matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new SpecException(at + "name: must be letters, digits, '.', '_' or '-' (it names actors and folders), got \""
                    + s.getName() + "\"");
        }
        if (s.getModel().getPath().isEmpty()) {
            throw new SpecException(at + "model.path: required (a Hugging Face folder, " + BUILTIN_BASE + " or " + BUILTIN_TOOLS + ")");
        }
        if (!isBuiltin(s.getModel().getPath()) && !Files.isDirectory(Path.of(s.getModel().getPath()))) {
            throw new SpecException(at + "model.path: " + s.getModel().getPath() + " is not a directory");
        }
        if (!List.of("", "auto", "chat", "completion").contains(s.getModel().getPromptFormat())) {
            throw new SpecException(at + "model.prompt_format: \"" + s.getModel().getPromptFormat()
                    + "\" is not one of auto, chat, completion");
        }
        if (s.getModel().getPromptFormat().equals("completion") && !s.getModel().getSystemPrompt().isEmpty()) {
            throw new SpecException(at + "model.system_prompt: needs the chat format (model.prompt_format is completion)");
        }
        if (s.getModel().getPromptFormat().equals("completion") && s.getModel().getFewShotCount() > 0) {
            throw new SpecException(at + "model.few_shot: needs the chat format (model.prompt_format is completion)");
        }
        for (int i = 0; i < s.getModel().getFewShotCount(); i++) {
            ChatExample e = s.getModel().getFewShot(i);
            if (e.getUser().isBlank() || e.getAssistant().isBlank()) {
                throw new SpecException(at + "model.few_shot[" + i + "]: needs both user and assistant text");
            }
        }
        TaskSpec t = s.getTask();
        if (t.getKind() != TaskSpec.Kind.DATASET && !t.getSyntheticFile().isEmpty()) {
            throw new SpecException(at + "task.synthetic_file: only for a dataset task");
        }
        switch (t.getKind()) {
            case ARITHMETIC -> {
                if (t.getLevelsCount() == 0) {
                    throw new SpecException(at + "task.levels: list at least one level (1..9) for the arithmetic task");
                }
                for (int i = 0; i < t.getLevelsCount(); i++) {
                    if (t.getLevels(i) < 1 || t.getLevels(i) > 9) {
                        throw new SpecException(at + "task.levels[" + i + "]: must be in [1, 9], got " + t.getLevels(i));
                    }
                }
            }
            case DATASET -> {
                if (t.getTrainFile().isEmpty()) {
                    throw new SpecException(at + "task.train_file: required for a dataset task");
                }
                existingFile(at, "task.train_file", t.getTrainFile());
                existingFile(at, "task.eval_file", t.getEvalFile());
                existingFile(at, "task.synthetic_file", t.getSyntheticFile());
                if (t.getSyntheticFile().isEmpty() && (t.getSyntheticSchedule() != TaskSpec.SyntheticSchedule.SYNTHETIC_SCHEDULE_UNSPECIFIED
                        || t.getSyntheticSteps() != 0)) {
                    throw new SpecException(at + "task.synthetic_schedule: only with a task.synthetic_file");
                }
                if (t.getSyntheticSchedule() == TaskSpec.SyntheticSchedule.CURRICULUM && t.getSyntheticSteps() < 1) {
                    throw new SpecException(at + "task.synthetic_steps: a curriculum needs the number of steps on the synthetic "
                            + "problems before train_file (at least 1)");
                }
                if (t.getSyntheticSchedule() != TaskSpec.SyntheticSchedule.CURRICULUM && t.getSyntheticSteps() != 0) {
                    throw new SpecException(at + "task.synthetic_steps: only for synthetic_schedule: curriculum");
                }
            }
            case FIXED_DIGIT -> { }
            case TOOLS -> {
                if (t.getLevelsCount() == 0) {
                    throw new SpecException(at + "task.levels: list at least one level (1.." + io.ladder.tasks.env.tools.ToolTasks.MAX_LEVEL
                            + ", the calls a task needs) for the tools task");
                }
                for (int i = 0; i < t.getLevelsCount(); i++) {
                    if (t.getLevels(i) < 1 || t.getLevels(i) > io.ladder.tasks.env.tools.ToolTasks.MAX_LEVEL) {
                        throw new SpecException(at + "task.levels[" + i + "]: must be in [1, " + io.ladder.tasks.env.tools.ToolTasks.MAX_LEVEL
                                + "], got " + t.getLevels(i));
                    }
                }
                if (s.getAlgorithm().getName() == AlgorithmSpec.Name.SOAR) {
                    throw new SpecException(at + "task.kind: tools runs with grpo, rloo or exit (SOAR's teacher writes single-turn "
                            + "question/answer pairs, not episodes)");
                }
                if (s.getAlgorithm().getName() == AlgorithmSpec.Name.EXIT
                        && s.getAlgorithm().getExit().getDivergenceDraw() == io.ladder.proto.ExitSpec.DivergenceDraw.PER_ROLLOUT) {
                    throw new SpecException(at + "algorithm.exit.divergence_draw: per_rollout is for single-turn tasks; the G episodes "
                            + "of a tools group restart from one turn prefix with one follow-up (per_group)");
                }
            }
            default -> throw new SpecException(at + "task.kind: required (arithmetic, dataset, fixed_digit, tools)");
        }
        // a verifier the task kind would not use is refused, not ignored
        String verifiers = switch (t.getKind()) {
            case ARITHMETIC -> "auto|exact-integer|closeness";      // auto: exact-integer
            case DATASET -> "auto|exact-integer|math|closeness|prefix";
            case FIXED_DIGIT -> "auto|prefix";
            default -> "auto";                                     // an episode's environment judges it
        };
        if (!t.getVerifier().isEmpty() && !t.getVerifier().matches(verifiers)) {
            throw new SpecException(at + "task.verifier: expected " + verifiers.replace("|", ", ") + " for the "
                    + t.getKind().name().toLowerCase(java.util.Locale.ROOT) + " task, got \"" + t.getVerifier() + "\"");
        }
        AlgorithmSpec.Name strategy = s.getAlgorithm().getName();
        if (strategy == AlgorithmSpec.Name.NAME_UNSPECIFIED) {
            throw new SpecException(at + "algorithm.name: required (grpo, rloo, exit, soar)");
        }
        if (strategy == AlgorithmSpec.Name.SOAR) {
            // each role has its own lr, KL and schedule: the common block's would be ignored
            AlgorithmSpec a = s.getAlgorithm();
            String role = a.hasLr() ? "lr" : a.hasKlBeta() ? "kl_beta" : a.hasMinLrRatio() ? "min_lr_ratio" : null;
            if (role != null) {
                throw new SpecException(at + "algorithm." + role + ": SOAR's teacher and student each have their own; set "
                        + "algorithm.soar.teacher." + role + " and algorithm.soar.student." + role);
            }
            if (t.getKind() == TaskSpec.Kind.FIXED_DIGIT) {
                throw new SpecException(at + "task.kind: SOAR needs problems with answers (arithmetic or dataset)");
            }
        }
        // a strategy's sub-message given to another strategy would be silently ignored: refuse it
        if (s.getAlgorithm().hasSoar() && strategy != AlgorithmSpec.Name.SOAR) {
            throw new SpecException(at + "algorithm.soar: only for name: soar (this job is " + strategy.name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
        if (s.getAlgorithm().hasExit() && strategy != AlgorithmSpec.Name.EXIT) {
            throw new SpecException(at + "algorithm.exit: only for name: exit (this job is " + strategy.name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
        // The learner's config is built here, not in the learner actor, so every check it makes
        // fails before anything starts; the spec comes back with the preset's values filled in.
        LearnerConfig learner;
        try {
            learner = AlgorithmSpecs.config(s.getAlgorithm(), s.getRollout().getTemperature(), s.getSteps());
        } catch (IllegalArgumentException e) {
            throw new SpecException(at + "algorithm: " + e.getMessage().replaceFirst("^learner config: ", ""));
        }
        s = s.toBuilder().setAlgorithm(AlgorithmSpecs.resolved(s.getAlgorithm(), learner)).build();
        if (strategy == AlgorithmSpec.Name.SOAR) {
            s = validateSoar(s, at);
        }
        if (strategy == AlgorithmSpec.Name.EXIT) {
            try {
                s = s.toBuilder().setAlgorithm(s.getAlgorithm().toBuilder().setExit(ExitSettings.resolve(s.getAlgorithm().getExit())))
                        .build();
            } catch (IllegalArgumentException e) {
                throw new SpecException(at + e.getMessage());
            }
        }
        if (!s.getMetricsBind().isEmpty()) {
            try {
                java.net.InetAddress.getByName(s.getMetricsBind());
            } catch (java.net.UnknownHostException e) {
                throw new SpecException(at + "metrics_bind: \"" + s.getMetricsBind() + "\" is not an address of this machine "
                        + "(does not resolve)");
            }
        }
        if (!s.getRunDir().isEmpty() && Files.exists(Path.of(s.getRunDir())) && !Files.isDirectory(Path.of(s.getRunDir()))) {
            throw new SpecException(at + "run_dir: " + s.getRunDir() + " is a file, not a folder");
        }
        ClusterSpec c = s.getCluster();
        if (!c.getPlacement().matches("PACK|SPREAD|STRICT_PACK|STRICT_SPREAD")) {
            throw new SpecException(at + "cluster.placement: expected PACK, SPREAD, STRICT_PACK or STRICT_SPREAD, got \""
                    + c.getPlacement() + "\"");
        }
        if (!c.getRayAddress().isEmpty() && !c.getRayAddress().equals("local") && !c.getRayAddress().matches("[^:\\s]+:\\d{1,5}")) {
            throw new SpecException(at + "cluster.ray_address: expected HOST:PORT or \"local\", got \"" + c.getRayAddress() + "\"");
        }
        if (c.getTrainerGroups() > 1 && !usesSeveralGroups(strategy)) {
            throw new SpecException(at + "cluster.trainer_groups: " + s.getAlgorithm().getName().name().toLowerCase(java.util.Locale.ROOT)
                    + " trains one policy on one trainer group; use rollout_workers_per_group to scale rollouts");
        }
        int workers = c.getTrainerGroups() * c.getRolloutWorkersPerGroup();
        if (s.getRollout().getPromptsPerStep() < c.getRolloutWorkersPerGroup()) {
            throw new SpecException(at + "rollout.prompts_per_step: " + s.getRollout().getPromptsPerStep()
                    + " prompts cannot keep " + c.getRolloutWorkersPerGroup() + " rollout workers busy");
        }
        for (int k : s.getEval().getKList()) {
            if (k < 1 || k > s.getEval().getSamples()) {
                throw new SpecException(at + "eval.k: " + k + " must be between 1 and eval.samples (" + s.getEval().getSamples() + ")");
            }
        }
        if (workers < 1) {
            throw new SpecException(at + "cluster: at least one rollout worker is needed");
        }
        return s;
    }

    /** SOAR's settings resolved and checked: both roles' learner configs, the models and files they name. */
    private static JobSpec validateSoar(JobSpec s, String at) {
        SoarSpec soar;
        try {
            soar = SoarSettings.resolve(s.getAlgorithm().getSoar());
        } catch (IllegalArgumentException e) {
            throw new SpecException(at + e.getMessage());
        }
        // the roles set these; the common block shows only what both share
        AlgorithmSpec a = s.getAlgorithm().toBuilder().setSoar(soar).clearLr().clearKlBeta().clearMinLrRatio().build();
        try {
            AlgorithmSpecs.config(Soar.teacherAlgorithm(a), soar.getTeacher().getTemperature(), s.getSteps());
        } catch (IllegalArgumentException e) {
            throw new SpecException(at + "algorithm.soar.teacher: " + e.getMessage().replaceFirst("^learner config: ", ""));
        }
        try {
            AlgorithmSpecs.config(Soar.studentAlgorithm(a), s.getRollout().getTemperature(), soar.getInnerSteps());
        } catch (IllegalArgumentException e) {
            throw new SpecException(at + "algorithm.soar.student: " + e.getMessage().replaceFirst("^learner config: ", ""));
        }
        if (!soar.getTeacher().getModel().isEmpty() && !Files.isDirectory(Path.of(soar.getTeacher().getModel()))) {
            throw new SpecException(at + "algorithm.soar.teacher.model: " + soar.getTeacher().getModel() + " is not a directory");
        }
        existingFile(at, "algorithm.soar.hard_train_file", soar.getHardTrainFile());
        existingFile(at, "algorithm.soar.hard_test_file", soar.getHardTestFile());
        return s.toBuilder().setAlgorithm(a).build();
    }

    /** Whether a strategy can use more than one trainer group (SOAR's g×r student inner loops will). */
    static boolean usesSeveralGroups(AlgorithmSpec.Name strategy) {
        return strategy == AlgorithmSpec.Name.SOAR;
    }

    /** The run folder a spec names (default runs/&lt;name&gt;). */
    public static Path runDir(JobSpec s) {
        return s.getRunDir().isEmpty() ? Path.of("runs", s.getName()) : Path.of(s.getRunDir());
    }

    /** A file the spec names (empty: none) must be a readable file, not a folder. */
    private static void existingFile(String at, String field, String value) {
        if (value.isEmpty()) {
            return;
        }
        Path p = Path.of(value);
        if (Files.isDirectory(p)) {
            throw new SpecException(at + field + ": " + value + " is a directory, not a file");
        }
        if (!Files.isRegularFile(p)) {
            throw new SpecException(at + field + ": " + value + " does not exist");
        }
    }
}
