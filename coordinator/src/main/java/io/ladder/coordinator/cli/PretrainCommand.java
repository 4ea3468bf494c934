package io.ladder.coordinator.cli;

import ai.djl.ndarray.NDManager;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.ladder.coordinator.pretrain.BaseModelReport;
import io.ladder.coordinator.job.JobHarness;
import io.ladder.coordinator.pretrain.Pretrainer;
import io.ladder.policy.Policy;
import io.ladder.proto.ArithmeticCorpus;
import io.ladder.proto.ModelArchitecture;
import io.ladder.proto.PretrainSpec;
import io.ladder.proto.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ladder pretrain}: the tiny base model of the arithmetic world, from scratch. */
@Command(name = "pretrain", description = "Pretrain the arithmetic world's tiny base model.")
final class PretrainCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE.yaml", required = true, description = "Pretraining spec (examples/arithmetic/pretrain.yaml).")
    Path config;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "New model folder (absent or empty).")
    Path out;

    /** Defaults under a YAML file's values (the example file spells every field out). */
    static PretrainSpec.Builder defaults() {
        return PretrainSpec.newBuilder()
                .setName("arithmetic-base")
                .setModel(ModelArchitecture.newBuilder().setLayers(4).setHidden(128).setHeads(4).setKvHeads(2)
                        .setIntermediate(384).setMaxPositions(256).setInitStd(0.02))
                .setCorpus(ArithmeticCorpus.newBuilder().setStudentFraction(0.55).setTeacherFraction(0.25)
                        .setImproveFraction(0.1).setDivergeFraction(0.1))
                .setSteps(2000).setBatchSize(64).setLr(2e-3).setWarmupSteps(100).setMinLrRatio(0.1)
                .setWeightDecay(0.01).setMaxGradNorm(1.0).setSeed(0).setEvalProblems(200);
    }

    @Override
    public Integer call() throws Exception {
        PretrainSpec spec;
        spec = SpecLoader.load(config, defaults()).build();
        ModelArchitecture m = spec.getModel();
        if (m.getHidden() % m.getHeads() != 0 || m.getHeads() % m.getKvHeads() != 0) {
            throw new UsageException(config + ": model: hidden must be a multiple of heads and heads of kv_heads");
        }
        if (spec.getCorpus().getStudentLevelsCount() == 0 || spec.getCorpus().getTeacherLevelsCount() == 0) {
            throw new UsageException(config + ": corpus.student_levels and corpus.teacher_levels must list at least one level");
        }
        System.out.printf("pretraining %s: %d layers, d=%d, %d steps x %s -> %s%n", spec.getName(), m.getLayers(), m.getHidden(),
                spec.getSteps(), spec.hasPackLength() ? spec.getBatchSize() + " rows of " + spec.getPackLength() + " packed tokens"
                        : spec.getBatchSize() + " documents", out);
        if (spec.hasPackLength() && spec.getPackLength() > m.getMaxPositions()) {
            throw new UsageException(config + ": pack_length " + spec.getPackLength() + " exceeds model.max_positions " + m.getMaxPositions());
        }
        refuseExisting(out);
        pretrainInto(spec, out);
        return 0;
    }

    /** An --out folder that holds something is never overwritten: it may be a model someone needs. */
    static void refuseExisting(Path out) throws java.io.IOException {
        if (Files.isRegularFile(out)) {
            throw new UsageException("--out: " + out + " is a file");
        }
        if (Files.isDirectory(out)) {
            try (var entries = Files.list(out)) {
                if (entries.findAny().isPresent()) {
                    throw new UsageException("--out: " + out + " already exists and is not empty (choose another folder or remove it)");
                }
            }
        }
    }

    /**
     * Pretrains into OUT.partial and renames it to OUT once the model and its report are written,
     * so a killed pretraining never leaves a folder that looks like a finished model.
     */
    static void pretrainInto(PretrainSpec spec, Path out) throws Exception {
        Path partial = out.resolveSibling(out.getFileName() + ".partial");
        JobHarness.deleteTree(partial);
        Pretrainer.Result r = new Pretrainer(spec, partial, System.err).run();
        report(spec, partial, r);
        JobHarness.deleteTree(out); // empty, or a built-in model from another recipe being replaced
        Files.move(partial, out, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        System.out.println("model ready in " + out);
    }


    /** Measures the new base model and writes pretrain_report.json next to it. */
    static void report(PretrainSpec spec, Path out, Pretrainer.Result r) throws Exception {
        System.out.printf("trained %d steps in %.0f s, final loss %.4f%n", r.steps(), r.seconds(), r.loss());
        if (r.stoppedByTimeBudget()) {
            System.out.printf("warning: the time budget stopped pretraining at step %d of %d: another machine gets another model%n",
                    r.steps(), spec.getSteps());
        }
        try (NDManager mgr = Policy.newManager(); Policy policy = Policy.load(out, mgr)) {
            JsonObject report = BaseModelReport.measure(policy, spec.getEvalProblems(), 256, spec.getSeed());
            if (spec.getCorpus().hasTools()) {
                report.add("tool_success_by_level", BaseModelReport.tools(policy, Math.max(1, spec.getEvalProblems() / 4), 4, spec.getSeed()));
            }
            report.addProperty("steps", r.steps());
            report.addProperty("steps_planned", spec.getSteps());
            report.addProperty("stopped_by_time_budget", r.stoppedByTimeBudget());
            // The model is a function of its spec and seed: these two fingerprints say which.
            report.addProperty("spec_sha256", Pretrainer.specFingerprint(spec));
            report.addProperty("model_sha256", Pretrainer.sha256(out.resolve("model.safetensors")));
            report.addProperty("seconds", r.seconds());
            report.addProperty("final_loss", r.loss());
            Files.writeString(out.resolve("pretrain_report.json"),
                    new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(report) + "\n");
            System.out.println("greedy accuracy by level:");
            for (Map.Entry<String, com.google.gson.JsonElement> e : report.getAsJsonObject("greedy_accuracy_by_level").entrySet()) {
                System.out.printf("  level %s: %5.1f%%%n", e.getKey(), 100 * e.getValue().getAsDouble());
            }
            if (report.has("tool_success_by_level")) {
                JsonObject t = report.getAsJsonObject("tool_success_by_level");
                System.out.printf("tool-world success by level (first episode; greedy over %d tasks, T = 1 over %d x %d):%n",
                        t.get("tasks_per_level").getAsInt(), t.get("tasks_per_level").getAsInt(), t.get("samples_per_task").getAsInt());
                for (String level : t.getAsJsonObject("greedy").keySet()) {
                    System.out.printf("  level %s: %5.1f%% greedy, %5.1f%% sampled%n", level,
                            100 * t.getAsJsonObject("greedy").get(level).getAsDouble(), 100 * t.getAsJsonObject("sampled").get(level).getAsDouble());
                }
            }
            System.out.printf("teacher format well-formed: %.1f%% of %d samples (answers right %.1f%%), operand counts %s%n",
                    100 * report.get("teacher_well_formed").getAsDouble(), 256,
                    100 * report.get("teacher_answers_correct").getAsDouble(), report.get("teacher_operand_counts"));
            System.out.println("wrote " + out + " (config.json, model.safetensors, tokenizer.json, loss_curve.jsonl, pretrain_report.json)");
        }
    }
}
