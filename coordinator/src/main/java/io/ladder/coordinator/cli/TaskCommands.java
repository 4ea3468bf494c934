package io.ladder.coordinator.cli;

import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.ladder.coordinator.console.Progress;
import io.ladder.coordinator.eval.Evaluator;
import io.ladder.coordinator.eval.HardFilter;
import io.ladder.coordinator.eval.PassAtK;
import io.ladder.coordinator.eval.SelfImprove;
import io.ladder.policy.Policy;
import io.ladder.policy.SamplingParams;
import io.ladder.tasks.Verifier;
import io.ladder.tasks.data.MathDataset;
import io.ladder.tasks.data.MathProblem;
import io.ladder.tasks.math.Extraction;
import io.ladder.tasks.math.GradeFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Commands over task datasets: grading, pass@k evaluation, fail@k hard-set filtering. */
final class TaskCommands {
    private TaskCommands() {}

    static List<MathProblem> loadDataset(Path file) {
        try {
            List<MathProblem> ps = MathDataset.load(file);
            if (ps.isEmpty()) {
                throw new UsageException(file + ": no problems");
            }
            return ps;
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UsageException(file + ": no such file");
        } catch (IOException e) {
            throw new UsageException(file + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    /** The sampling flags eval, eval-self-improve and filter-hard share: --temperature, --max-new-tokens, --seed. */
    static final class SamplingOptions {
        @Option(names = "--temperature", paramLabel = "T", defaultValue = "1.0", description = "Sampling temperature.")
        double temperature;

        @Option(names = "--max-new-tokens", paramLabel = "M", defaultValue = "64", description = "Tokens per answer at most.")
        int maxNewTokens;

        @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Sampling seed.")
        long seed;

        SamplingParams params() {
            return checked(() -> SamplingParams.defaults().withTemperature(temperature).withMaxNewTokens(maxNewTokens).withSeed(seed));
        }

        /** Sampling parameters from flags: SamplingParams names each value as its flag is spelt, so the refusal names the flag. */
        static SamplingParams checked(java.util.function.Supplier<SamplingParams> make) {
            try {
                return make.get();
            } catch (IllegalArgumentException e) {
                throw new UsageException("--" + e.getMessage());
            }
        }
    }

    /** --model, --dataset, --batch, --verifier and the prompt format: what eval, eval-self-improve and filter-hard share. */
    static final class ModelOnDataset {
        @Option(names = "--model", paramLabel = "DIR", required = true, description = "Model folder.")
        Path model;

        @Option(names = "--dataset", paramLabel = "FILE", required = true, description = "JSONL problems (problem, answer).")
        Path datasetFile;

        @Option(names = "--batch", paramLabel = "N", defaultValue = "256", description = "Sequences sampled at once.")
        int batch;

        @Option(names = "--verifier", paramLabel = "auto|exact-integer|math|closeness", defaultValue = "auto",
                description = "Answer checker; auto: exact-integer when every gold answer is an integer, else math.")
        String verifierName;

        @Mixin
        PolicyCommands.PromptFormatOptions format;
    }

    /** The --verifier choice; "auto" is exact-integer when every gold answer is an integer, else math. */
    static Verifier verifierFor(String name, List<MathProblem> problems) {
        try {
            return io.ladder.tasks.SpecTaskSource.verifierFor(io.ladder.proto.TaskSpec.newBuilder()
                    .setKind(io.ladder.proto.TaskSpec.Kind.DATASET).setVerifier(name == null ? "" : name).build(), problems);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--verifier: " + e.getMessage());
        }
    }

    /** {@code ladder grade}: mark (gold, pred) lines correct or not. */
    @Command(name = "grade", description = "Grade math answers: gold/pred lines gain a correct field.")
    static final class Grade implements Callable<Integer> {
        /** The file name that stands for standard input or output. */
        private static final String STDIO = "-";

        @Option(names = "--in", paramLabel = "FILE|-", required = true,
                description = "JSON lines with gold and pred fields; - reads standard input.")
        String inArg;

        @Option(names = "--out", paramLabel = "FILE|-",
                description = "Graded lines; - writes standard output. Default: IN.graded.jsonl beside --in, or - for --in -.")
        String outArg;

        @Option(names = "--boxed-only", description = "Only a \\boxed{} answer counts, as in RL rewards.")
        boolean boxedOnly;

        @Override
        public Integer call() throws IOException {
            boolean stdin = inArg.equals(STDIO);
            Path inFile = stdin ? null : existingFile(inArg);
            String outName = outArg != null ? outArg : stdin ? STDIO : inFile.resolveSibling(stem(inFile) + ".graded.jsonl").toString();
            boolean stdout = outName.equals(STDIO);
            Extraction extraction = boxedOnly ? Extraction.BOXED_ONLY : Extraction.FALLBACK;
            InputStream in = stdin ? System.in : Files.newInputStream(inFile);
            try {
                String inName = stdin ? "<stdin>" : inFile.toString();
                GradeFile.Summary s = stdout
                        ? GradeFile.run(in, inName, System.out, extraction)
                        : GradeFile.run(in, inName, Path.of(outName), extraction);
                // With the graded lines on standard output, the summary goes to standard error.
                (stdout ? System.err : System.out).printf("graded %d lines: %d correct (%.1f%%) -> %s%n", s.total(),
                        s.correct(), 100.0 * s.correct() / Math.max(1, s.total()), stdout ? "standard output" : outName);
            } finally {
                if (!stdin) {
                    in.close();
                }
            }
            return 0;
        }

        private static Path existingFile(String name) {
            Path p = Path.of(name);
            if (!Files.isRegularFile(p)) {
                throw new UsageException(p + ": no such file");
            }
            return p;
        }

        private static String stem(Path in) {
            String name = in.getFileName().toString();
            return name.endsWith(".jsonl") ? name.substring(0, name.length() - 6) : name;
        }
    }

    /** {@code ladder eval}: pass@k table of a model on a dataset. */
    @Command(name = "eval", description = "Pass@k of a model on a dataset, printed and as JSON.")
    static final class Eval implements Callable<Integer> {
        @Mixin
        ModelOnDataset data;

        @Option(names = "--samples", paramLabel = "N", defaultValue = "32", description = "Samples per problem.")
        int samples;

        @Option(names = "--k", paramLabel = "K", split = ",", defaultValue = "1,4,8,16,32", description = "The k of each pass@k, at most --samples.")
        int[] ks;

        @Mixin
        SamplingOptions sampling;

        @Option(names = "--out", paramLabel = "FILE.json", description = "Report. Default: runs/eval/DATASET-passk.json.")
        Path outFile;

        @Override
        public Integer call() throws IOException {
            List<MathProblem> problems = loadDataset(data.datasetFile);
            if (samples < 1) {
                throw new UsageException("--samples: must be at least 1, got " + samples);
            }
            for (int k : ks) {
                if (k < 1 || k > samples) {
                    throw new UsageException("--k " + k + " must be between 1 and --samples (" + samples + ")");
                }
            }
            Verifier verifier = verifierFor(data.verifierName, problems);
            SamplingParams params = sampling.params();
            String stem = data.datasetFile.getFileName().toString().replaceFirst("\\.jsonl$", "");
            Path out = OutputPaths.file("out", outFile != null ? outFile
                    : BuiltinModels.home().resolve("runs").resolve("eval").resolve(stem + "-passk.json"));
            try (NDManager m = Policy.newManager(); Policy policy = PolicyCommands.loadPolicy(data.model, data.format, m)) {
                Evaluator ev = new Evaluator(policy, verifier, data.batch);
                long t0 = System.nanoTime();
                Evaluator.Counts counts;
                try (Progress bar = Progress.start("eval", (long) problems.size() * samples, "samples", System.err)) {
                    counts = ev.run(problems, samples, samples, params, false, bar::advance);
                }
                JsonObject report = new JsonObject();
                report.addProperty("model", data.model.toString());
                report.addProperty("dataset", data.datasetFile.toString());
                report.addProperty("problems", problems.size());
                report.addProperty("samples_per_problem", samples);
                report.addProperty("temperature", params.temperature());
                report.addProperty("verifier", verifier.name());
                JsonObject pass = new JsonObject();
                System.out.printf("%s on %s: %d problems x %d samples (T=%.2f, %s)%n", data.model, data.datasetFile,
                        problems.size(), samples, params.temperature(), verifier.name());
                System.out.println("| k | pass@k |");
                System.out.println("|---|---|");
                for (int k : ks) {
                    double v = PassAtK.mean(counts.samples(), counts.correct(), k);
                    pass.addProperty("pass@" + k, v);
                    System.out.printf("| %d | %.2f%% |%n", k, 100 * v);
                }
                report.add("pass_at_k", pass);
                JsonArray per = new JsonArray();
                for (int i = 0; i < problems.size(); i++) {
                    JsonObject o = new JsonObject();
                    o.addProperty("id", problems.get(i).id());
                    o.addProperty("correct", counts.correct()[i]);
                    o.addProperty("samples", counts.samples()[i]);
                    per.add(o);
                }
                report.add("per_problem", per);
                report.addProperty("seconds", (System.nanoTime() - t0) / 1e9);
                writeJson(out, report);
                System.out.println("wrote " + out);
            }
            return 0;
        }
    }

    /** {@code ladder eval-self-improve}: ExIt's K-step self-improvement of a model on a dataset. */
    @Command(name = "eval-self-improve", description = "ExIt's K-step self-improvement of a model on a dataset.")
    static final class EvalSelfImprove implements Callable<Integer> {
        @Mixin
        ModelOnDataset data;

        @Option(names = "--steps", paramLabel = "K", defaultValue = "4", description = "Improvement steps after the first answer (0 to 1000).")
        int steps;

        @Option(names = "--samples", paramLabel = "N", defaultValue = "8", description = "Answers per problem (1 to 100000).")
        int samples;

        @Mixin
        SamplingOptions sampling;

        @Option(names = "--out", paramLabel = "FILE.json", description = "Report. Default: runs/eval/DATASET-self-improve.json.")
        Path outFile;

        @Override
        public Integer call() throws IOException {
            List<MathProblem> problems = loadDataset(data.datasetFile);
            if (steps < 0 || steps > 1000) {
                throw new UsageException("--steps must be between 0 and 1000, got " + steps);
            }
            if (samples < 1 || samples > 100_000) {
                throw new UsageException("--samples must be between 1 and 100000, got " + samples);
            }
            Verifier verifier = verifierFor(data.verifierName, problems);
            SamplingParams params = sampling.params();
            String stem = data.datasetFile.getFileName().toString().replaceFirst("\\.jsonl$", "");
            Path out = OutputPaths.file("out", outFile != null ? outFile
                    : BuiltinModels.home().resolve("runs").resolve("eval").resolve(stem + "-self-improve.json"));
            try (NDManager m = Policy.newManager(); Policy policy = PolicyCommands.loadPolicy(data.model, data.format, m)) {
                long t0 = System.nanoTime();
                SelfImprove.Result r;
                try (Progress bar = Progress.start("improve", (long) problems.size() * samples * (steps + 1), "samples", System.err)) {
                    r = new SelfImprove(policy, verifier, data.batch).run(problems, samples, steps, params, bar::advance);
                }
                System.out.printf("%s on %s: %d problems x %d samples, %d improve steps (T=%.2f, %s)%n", data.model,
                        data.datasetFile, problems.size(), samples, steps, params.temperature(), verifier.name());
                System.out.print(r.table());
                JsonObject report = r.toJson();
                report.addProperty("model", data.model.toString());
                report.addProperty("dataset", data.datasetFile.toString());
                report.addProperty("temperature", params.temperature());
                report.addProperty("verifier", verifier.name());
                report.addProperty("seconds", (System.nanoTime() - t0) / 1e9);
                writeJson(out, report);
                System.out.println("wrote " + out);
            }
            return 0;
        }
    }

    /** {@code ladder filter-hard}: keep problems the model never solves in N samples, split 50/50. */
    @Command(name = "filter-hard", description = "SOAR's fail@N hard set, split 50/50 into train and test.")
    static final class FilterHard implements Callable<Integer> {
        @Mixin
        ModelOnDataset data;

        @Option(names = "--out", paramLabel = "DIR", required = true, description = "Folder for hard-train.jsonl and hard-test.jsonl.")
        Path outDir;

        @Option(names = "--samples", paramLabel = "N", defaultValue = "128", description = "Samples per problem; hard: none correct.")
        int samples;

        @Mixin
        SamplingOptions sampling;

        @Override
        public Integer call() throws IOException {
            List<MathProblem> problems = loadDataset(data.datasetFile);
            Path out = OutputPaths.folder("out", outDir);
            Verifier verifier = verifierFor(data.verifierName, problems);
            SamplingParams params = sampling.params();
            try (NDManager m = Policy.newManager(); Policy policy = PolicyCommands.loadPolicy(data.model, data.format, m)) {
                HardFilter.Result r;
                try (Progress bar = Progress.start("fail@" + samples, (long) problems.size() * samples, "samples", System.err)) {
                    r = HardFilter.run(policy, verifier, problems, samples, params, sampling.seed, data.batch, bar::advance);
                }
                r.report().addProperty("dataset", data.datasetFile.toString());
                r.report().addProperty("model", data.model.toString());
                r.write(out);
                System.out.printf("%d of %d problems have 0 correct in %d samples: %d -> hard-train.jsonl, %d -> hard-test.jsonl (%s)%n",
                        r.hardTrain().size() + r.hardTest().size(), problems.size(), samples, r.hardTrain().size(),
                        r.hardTest().size(), out);
            }
            return 0;
        }
    }

    /** {@code ladder arithmetic-dataset}: problems of the built-in world as a JSONL dataset. */
    @Command(name = "arithmetic-dataset", description = "Write problems of the arithmetic world as a JSONL dataset.")
    static final class ArithmeticDataset implements Callable<Integer> {
        @Option(names = "--levels", paramLabel = "L", split = ",", defaultValue = "1,2,3",
                description = "Difficulty levels (1 to " + io.ladder.tasks.arithmetic.ArithmeticWorld.MAX_LEVEL + ").")
        int[] levels;

        @Option(names = "--per-level", paramLabel = "N", defaultValue = "100", description = "Problems per level.")
        int per;

        @Option(names = "--out", paramLabel = "FILE", required = true, description = "JSONL file to write.")
        Path outFile;

        @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Problem seed.")
        long seed;

        @Override
        public Integer call() throws IOException {
            checkLevels(levels, per, io.ladder.tasks.arithmetic.ArithmeticWorld.MAX_LEVEL);
            List<MathProblem> all = new ArrayList<>();
            for (int level : levels) {
                all.addAll(io.ladder.tasks.arithmetic.ArithmeticWorld.problems(level, per, seed));
            }
            Path out = OutputPaths.file("out", outFile);
            if (out.getParent() != null) {
                Files.createDirectories(out.getParent());
            }
            HardFilter.writeProblems(out, all);
            System.out.printf("wrote %d problems (levels %s) to %s%n", all.size(), java.util.Arrays.toString(levels), out);
            return 0;
        }
    }

    /** --levels (each in 1..max) and --per-level (at least 1) of the dataset-writing commands. */
    static void checkLevels(int[] levels, int per, int max) {
        if (per < 1) {
            throw new UsageException("--per-level must be at least 1, got " + per);
        }
        for (int level : levels) {
            if (level < 1 || level > max) {
                throw new UsageException("--levels: " + level + " is not a level (1.." + max + ")");
            }
        }
    }

    static void writeJson(Path file, JsonObject o) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o) + "\n");
    }
}
