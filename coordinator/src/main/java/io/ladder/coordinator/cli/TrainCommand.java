package io.ladder.coordinator.cli;

import io.ladder.coordinator.job.JobSpecs;
import io.ladder.coordinator.job.JobHarness;
import io.ladder.proto.JobSpec;
import io.ladder.proto.SpecPrinter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ladder train}: a GRPO / RLOO job, embedded or on a Ray cluster; {@code --resume RUN_DIR} continues one. */
@Command(name = "train", description = "An RL job (GRPO, RLOO, SOAR, ExIt), embedded or on Ray.")
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE.yaml", description = "Job spec (this or --resume is required).")
    Path config;

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue a run from its latest checkpoint (this or --config is required).")
    Path resume;

    @Option(names = "--ray-address", paramLabel = "HOST:PORT", description = "Ray cluster to run on. Default: the spec's cluster.ray_address.")
    String rayAddress;

    @Option(names = "--steps", paramLabel = "N", description = "Training steps. Default: the spec's steps.")
    Integer steps;

    @Option(names = "--seed", paramLabel = "N", description = "Run seed (not with --resume). Default: the spec's seed.")
    Long seed;

    @Option(names = "--run-dir", paramLabel = "DIR", description = "Run folder. Default: the spec's run_dir.")
    String runDirFlag;

    @Option(names = "--print-config", description = "Print the resolved spec (every default filled in, as YAML --config accepts) and exit.")
    boolean printConfig;

    @Option(names = "--check", description = "Check the spec, every model and data file the job would read, and exit without training.")
    boolean check;

    @Override
    public Integer call() throws Exception {
        if ((config != null) == (resume != null)) {
            throw new UsageException("give either --config FILE.yaml or --resume RUN_DIR");
        }
        JobSpec spec;
        Path resumeFrom = null;
        if (resume != null) {
            Path specFile = resume.resolve("spec.json");
            if (!Files.isRegularFile(specFile)) {
                throw new UsageException(resume + ": not a run folder (no spec.json)");
            }
            JobSpec.Builder b = JobSpec.newBuilder();
            try {
                com.google.protobuf.util.JsonFormat.parser().merge(Files.readString(specFile), b);
            } catch (com.google.protobuf.InvalidProtocolBufferException | java.nio.charset.MalformedInputException e) {
                throw new UsageException(specFile + ": not a Ladder job spec (" + e.getMessage() + ")");
            }
            spec = b.build();
            // null: the run died before its first checkpoint; it starts over in its folder (nothing to keep)
            resumeFrom = JobHarness.latestCheckpoint(resume);
        } else {
            spec = JobSpecs.read(config); // validated once, below, with the CLI's overrides
        }
        JobSpec.Builder b = spec.toBuilder();
        if (rayAddress != null) {
            b.getClusterBuilder().setRayAddress(rayAddress);
        }
        if (steps != null) {
            b.setSteps(steps);
        }
        if (seed != null) {
            if (resume != null) {
                throw new UsageException("--seed: a resumed run keeps its seed");
            }
            if (seed < 0) {
                throw new UsageException("--seed: must not be negative, got " + seed);
            }
            b.setSeed(seed);
        }
        if (runDirFlag != null) {
            b.setRunDir(runDirFlag);
        }
        spec = JobSpecs.validate(b.build(), (config != null ? config : resume).toString());
        if (printConfig) {
            // the spec as it would run: every default and preset value filled in, loadable as --config
            System.out.print(SpecPrinter.toYaml(spec));
            return 0;
        }
        Path runDir = resume != null ? resume : JobSpecs.runDir(spec);
        if (resume == null && JobHarness.latestCheckpoint(runDir) != null) {
            throw new UsageException(runDir + ": already holds a run (use --resume " + runDir + ", or another run_dir)");
        }
        if (resumeFrom != null) {
            JobHarness.checkResume(spec, runDir, resumeFrom);
        }
        checkReachable(spec.getCluster().getRayAddress());
        // A resumed GRPO / ExIt job starts from its checkpoint and never reads its base model again
        // (its held-out baseline is in pass_before.json), so the built-in one is not made for it;
        // SOAR's students restart from the base model at every outer step.
        boolean needsBase = resumeFrom == null || spec.getAlgorithm().getName() == io.ladder.proto.AlgorithmSpec.Name.SOAR;
        BuiltinModels.Builtin builtin = needsBase ? BuiltinModels.builtin(spec.getModel().getPath()) : null;
        boolean unmade = builtin != null && !builtin.made();
        if (check && unmade) { // --check runs nothing: a built-in model not made yet is judged by its recipe
            System.out.println("ladder train: model.path: " + spec.getModel().getPath() + " is not made yet; the job would pretrain it "
                    + "first from " + builtin.config() + " (a few minutes, once)");
        }
        Path model = !needsBase ? resumeFrom.resolve("policy") : builtin == null ? Path.of(spec.getModel().getPath())
                : check && unmade ? builtin.dir() : builtin.ensure(System.out);
        // Every model the actors will load is opened here first: a broken folder is one line now,
        // not an actor that dies inside Ray (local mode then ends the JVM with a trace and 255).
        int context = check && unmade ? builtin.spec().getModel().getMaxPositions() : checkModel(model, "model.path", spec.getModel());
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
        JobHarness job = new JobHarness(spec, runDir, model, System.out); // reads the task's data files
        if (check) {
            System.out.println("ladder train: " + (config != null ? config : resume) + ": the job can start (nothing was run)");
            return 0;
        }
        job.run(resumeFrom);
        return 0;
    }

    /**
     * A cluster address that does not answer is one line now; Ray itself would wait a minute and
     * then print its own logs.
     */
    private static void checkReachable(String address) {
        if (address.isEmpty() || address.equals("local")) {
            return;
        }
        int colon = address.lastIndexOf(':'); // JobSpecs.validate has made it HOST:PORT
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))), 5000);
        } catch (java.io.IOException e) {
            throw new UsageException("cluster.ray_address: no Ray cluster answers at " + address + " (" + e.getMessage() + ")");
        }
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
