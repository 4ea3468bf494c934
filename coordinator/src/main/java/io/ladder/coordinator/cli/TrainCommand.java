package io.ladder.coordinator.cli;

import io.ladder.coordinator.job.JobSpecs;
import io.ladder.coordinator.job.JobHarness;
import io.ladder.proto.JobSpec;
import io.ladder.proto.SpecPrinter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code ladder train}: a GRPO / RLOO job, embedded or on a Ray cluster; {@code --resume RUN_DIR} continues one. */
final class TrainCommand implements Main.Command {
    @Override
    public String summary() {
        return "RL training job: --config FILE.yaml [--ray-address HOST:PORT] [--steps N] [--seed N] [--run-dir DIR] [--print-config] | --resume RUN_DIR [--ray-address HOST:PORT]";
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args a = Args.parse("train", argv, Set.of("config", "ray-address", "steps", "run-dir", "resume", "seed"),
                Set.of("print-config"));
        if (a.has("config") == a.has("resume")) {
            throw new UsageException("give either --config FILE.yaml or --resume RUN_DIR");
        }
        JobSpec spec;
        Path resumeFrom = null;
        if (a.has("resume")) {
            Path run = a.path("resume");
            Path specFile = run.resolve("spec.json");
            if (!Files.isRegularFile(specFile)) {
                throw new UsageException(run + ": not a run folder (no spec.json)");
            }
            JobSpec.Builder b = JobSpec.newBuilder();
            com.google.protobuf.util.JsonFormat.parser().merge(Files.readString(specFile), b);
            spec = b.build();
            resumeFrom = JobHarness.latestCheckpoint(run);
            if (resumeFrom == null) {
                throw new UsageException(run + ": no complete checkpoint to resume from (no checkpoints/step-N folder)");
            }
        } else {
            spec = JobSpecs.read(a.path("config")); // validated once, below, with the CLI's overrides
        }
        JobSpec.Builder b = spec.toBuilder();
        if (a.has("ray-address")) {
            b.getClusterBuilder().setRayAddress(a.required("ray-address"));
        }
        if (a.has("steps")) {
            b.setSteps(a.integer("steps", spec.getSteps()));
        }
        if (a.has("seed")) {
            if (a.has("resume")) {
                throw new UsageException("--seed: a resumed run keeps its seed");
            }
            long seed = a.longValue("seed", spec.getSeed());
            if (seed < 0) {
                throw new UsageException("--seed: must not be negative, got " + seed);
            }
            b.setSeed(seed);
        }
        if (a.has("run-dir")) {
            b.setRunDir(a.required("run-dir"));
        }
        spec = JobSpecs.validate(b.build(), a.has("config") ? a.required("config") : a.required("resume"));
        if (a.flag("print-config")) {
            // the spec as it would run: every default and preset value filled in, loadable as --config
            System.out.print(SpecPrinter.toYaml(spec));
            return 0;
        }
        Path runDir = a.has("resume") ? a.path("resume") : JobSpecs.runDir(spec);
        if (!a.has("resume") && Files.isDirectory(runDir.resolve("checkpoints"))) {
            throw new UsageException(runDir + ": already holds a run (use --resume " + runDir + ", or another run_dir)");
        }
        Path model = BuiltinModels.resolve(spec.getModel().getPath(), System.out);
        // Every model the actors will load is opened here first: a broken folder is one line now,
        // not an actor that dies inside Ray (local mode then ends the JVM with a trace and 255).
        int context = checkModel(model, "model.path", spec.getModel());
        if (spec.getRollout().getMaxNewTokens() >= context) {
            throw new UsageException("rollout.max_new_tokens: " + spec.getRollout().getMaxNewTokens() + " does not fit the model's "
                    + "context of " + context + " tokens (max_position_embeddings) beside a prompt");
        }
        if (resumeFrom != null) {
            checkModel(resumeFrom.resolve("policy"), "the checkpoint's policy", spec.getModel());
        }
        if (spec.getAlgorithm().getName() == io.ladder.proto.AlgorithmSpec.Name.SOAR) {
            String teacher = spec.getAlgorithm().getSoar().getTeacher().getModel();
            if (!teacher.isEmpty()) {
                checkModel(Path.of(teacher), "algorithm.soar.teacher.model", spec.getModel());
            }
            if (resumeFrom != null) {
                checkModel(resumeFrom.resolve("teacher").resolve("policy"), "the checkpoint's teacher", spec.getModel());
            }
        }
        JobHarness.Summary s = new JobHarness(spec, runDir, model, System.out).run(resumeFrom);
        return 0;
    }

    /**
     * Loads a model folder the way an actor will (config, weights, tokenizer) and drops it; a
     * problem is one line. Returns the model's context (max_position_embeddings).
     */
    private static int checkModel(Path dir, String what, io.ladder.proto.ModelSpec ms) {
        try (ai.djl.ndarray.NDManager m = io.ladder.policy.Policy.newManager();
             io.ladder.policy.Policy p = io.ladder.policy.Policy.load(dir, m)) {
            try {
                io.ladder.coordinator.job.PromptFormats.apply(p, ms);
            } catch (IllegalArgumentException e) {
                throw new UsageException("model.prompt_format: " + e.getMessage());
            }
            return p.model().maxPositions();
        } catch (UsageException e) {
            throw e;
        } catch (io.ladder.proto.UserError e) {
            throw new UsageException(what + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw new UsageException(what + ": " + dir + " cannot be loaded (" + e.getMessage() + ")");
        }
    }
}
