package io.ladder.coordinator.cli;

import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
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
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;

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

    /** The --verifier choice; "auto" is exact-integer when every gold answer is an integer, else math. */
    /** The sampling flags eval, eval-self-improve and filter-hard share: --temperature, --max-new-tokens, --seed. */
    static SamplingParams sampling(Args a) {
        return SamplingParams.defaults().withTemperature(a.number("temperature", 1.0))
                .withMaxNewTokens(a.integer("max-new-tokens", 64)).withSeed(a.longValue("seed", 0));
    }

    static Verifier verifierFor(String name, List<MathProblem> problems) {
        try {
            return io.ladder.tasks.SpecTaskSource.verifierFor(io.ladder.proto.TaskSpec.newBuilder()
                    .setKind(io.ladder.proto.TaskSpec.Kind.DATASET).setVerifier(name == null ? "" : name).build(), problems);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--verifier: " + e.getMessage());
        }
    }

    /** {@code ladder grade}: mark (gold, pred) lines correct or not. */
    static final class Grade implements Main.Command {
        /** The file name that stands for standard input or output. */
        private static final String STDIO = "-";

        @Override
        public String summary() {
            return "grade answers: --in pairs.jsonl|- (fields gold, pred) [--out FILE|-, default <in>.graded.jsonl,"
                    + " or - for --in -] [--boxed-only: only a \\boxed{} answer counts, as in RL rewards]";
        }

        @Override
        public int run(List<String> argv) throws IOException {
            Args a = Args.parse("grade", argv, Set.of("in", "out"), Set.of("boxed-only"));
            String inArg = a.required("in");
            boolean stdin = inArg.equals(STDIO);
            Path inFile = stdin ? null : existingFile(inArg);
            String outArg = a.string("out", stdin ? STDIO : inFile.resolveSibling(stem(inFile) + ".graded.jsonl").toString());
            boolean stdout = outArg.equals(STDIO);
            Extraction extraction = a.has("boxed-only") ? Extraction.BOXED_ONLY : Extraction.FALLBACK;
            InputStream in = stdin ? System.in : Files.newInputStream(inFile);
            try {
                String inName = stdin ? "<stdin>" : inFile.toString();
                GradeFile.Summary s = stdout
                        ? GradeFile.run(in, inName, System.out, extraction)
                        : GradeFile.run(in, inName, Path.of(outArg), extraction);
                // With the graded lines on standard output, the summary goes to standard error.
                (stdout ? System.err : System.out).printf("graded %d lines: %d correct (%.1f%%) -> %s%n", s.total(),
                        s.correct(), 100.0 * s.correct() / Math.max(1, s.total()), stdout ? "standard output" : outArg);
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
    static final class Eval implements Main.Command {
        @Override
        public String summary() {
            return "pass@k of a model on a dataset: --model DIR --dataset FILE [--samples 32] [--k 1,4,8,16,32] [--temperature 1.0] [--max-new-tokens 64] [--batch 256] [--seed 0] [--verifier auto|exact-integer|math] [--template auto|chat|completion] [--system TEXT] [--out FILE.json]";
        }

        @Override
        public int run(List<String> argv) throws IOException {
            Args a = Args.parse("eval", argv, Set.of("model", "dataset", "samples", "k", "temperature", "max-new-tokens",
                    "batch", "seed", "verifier", "out", "template", "system"), Set.of());
            Path datasetFile = a.path("dataset");
            List<MathProblem> problems = loadDataset(datasetFile);
            int samples = a.integer("samples", 32);
            if (samples < 1) {
                throw new UsageException("--samples: must be at least 1, got " + samples);
            }
            int[] ks = a.intList("k", new int[] {1, 4, 8, 16, 32});
            for (int k : ks) {
                if (k < 1 || k > samples) {
                    throw new UsageException("--k " + k + " must be between 1 and --samples (" + samples + ")");
                }
            }
            Verifier verifier = verifierFor(a.string("verifier", "auto"), problems);
            SamplingParams params = sampling(a);
            String stem = datasetFile.getFileName().toString().replaceFirst("\\.jsonl$", "");
            Path out = Args.outputFile("out", a.has("out") ? a.path("out")
                    : BuiltinModels.home().resolve("runs").resolve("eval").resolve(stem + "-passk.json"));
            try (NDManager m = Policy.newManager(); Policy policy = PolicyCommands.loadPolicy(a, m)) {
                Evaluator ev = new Evaluator(policy, verifier, a.integer("batch", 256));
                ProgressBar bar = new ProgressBar("eval", (long) problems.size() * samples, System.err);
                long t0 = System.nanoTime();
                Evaluator.Counts counts = ev.run(problems, samples, samples, params, false, bar::advance);
                bar.finish();
                JsonObject report = new JsonObject();
                report.addProperty("model", a.required("model"));
                report.addProperty("dataset", datasetFile.toString());
                report.addProperty("problems", problems.size());
                report.addProperty("samples_per_problem", samples);
                report.addProperty("temperature", params.temperature());
                report.addProperty("verifier", verifier.name());
                JsonObject pass = new JsonObject();
                System.out.printf("%s on %s: %d problems x %d samples (T=%.2f, %s)%n", a.required("model"), datasetFile,
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
    static final class EvalSelfImprove implements Main.Command {
        @Override
        public String summary() {
            return "K-step self-improvement: --model DIR --dataset FILE [--steps 4] [--samples 8] [--temperature 1.0] [--max-new-tokens 64] [--batch 256] [--seed 0] [--verifier auto|exact-integer|math] [--template auto|chat|completion] [--system TEXT] [--out FILE.json]";
        }

        @Override
        public int run(List<String> argv) throws IOException {
            Args a = Args.parse("eval-self-improve", argv, Set.of("model", "dataset", "steps", "samples", "temperature",
                    "max-new-tokens", "batch", "seed", "verifier", "out", "template", "system"), Set.of());
            Path datasetFile = a.path("dataset");
            List<MathProblem> problems = loadDataset(datasetFile);
            int steps = a.integer("steps", 4);
            int samples = a.integer("samples", 8);
            if (steps < 0 || steps > 1000) {
                throw new UsageException("--steps must be between 0 and 1000, got " + steps);
            }
            if (samples < 1 || samples > 100_000) {
                throw new UsageException("--samples must be between 1 and 100000, got " + samples);
            }
            Verifier verifier = verifierFor(a.string("verifier", "auto"), problems);
            SamplingParams params = sampling(a);
            String stem = datasetFile.getFileName().toString().replaceFirst("\\.jsonl$", "");
            Path out = Args.outputFile("out", a.has("out") ? a.path("out")
                    : BuiltinModels.home().resolve("runs").resolve("eval").resolve(stem + "-self-improve.json"));
            try (NDManager m = Policy.newManager(); Policy policy = PolicyCommands.loadPolicy(a, m)) {
                ProgressBar bar = new ProgressBar("improve", (long) problems.size() * samples * (steps + 1), System.err);
                long t0 = System.nanoTime();
                SelfImprove.Result r = new SelfImprove(policy, verifier, a.integer("batch", 256))
                        .run(problems, samples, steps, params, bar::advance);
                bar.finish();
                System.out.printf("%s on %s: %d problems x %d samples, %d improve steps (T=%.2f, %s)%n", a.required("model"),
                        datasetFile, problems.size(), samples, steps, params.temperature(), verifier.name());
                System.out.print(r.table());
                JsonObject report = r.toJson();
                report.addProperty("model", a.required("model"));
                report.addProperty("dataset", datasetFile.toString());
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
    static final class FilterHard implements Main.Command {
        @Override
        public String summary() {
            return "fail@N hard set: --model DIR --dataset FILE --out DIR [--samples 128] [--temperature 1.0] [--max-new-tokens 64] [--seed 0] [--batch 256] [--verifier auto|...] [--template auto|chat|completion] [--system TEXT]";
        }

        @Override
        public int run(List<String> argv) throws IOException {
            Args a = Args.parse("filter-hard", argv, Set.of("model", "dataset", "out", "samples", "temperature",
                    "max-new-tokens", "seed", "batch", "verifier", "template", "system"), Set.of());
            List<MathProblem> problems = loadDataset(a.path("dataset"));
            Path out = Args.outputFolder("out", a.path("out"));
            int samples = a.integer("samples", 128);
            long seed = a.longValue("seed", 0);
            Verifier verifier = verifierFor(a.string("verifier", "auto"), problems);
            SamplingParams params = sampling(a);
            try (NDManager m = Policy.newManager(); Policy policy = PolicyCommands.loadPolicy(a, m)) {
                ProgressBar bar = new ProgressBar("fail@" + samples, (long) problems.size() * samples, System.err);
                HardFilter.Result r = HardFilter.run(policy, verifier, problems, samples, params, seed, a.integer("batch", 256),
                        bar::advance);
                bar.finish();
                r.report().addProperty("dataset", a.required("dataset"));
                r.report().addProperty("model", a.required("model"));
                r.write(out);
                System.out.printf("%d of %d problems have 0 correct in %d samples: %d -> hard-train.jsonl, %d -> hard-test.jsonl (%s)%n",
                        r.hardTrain().size() + r.hardTest().size(), problems.size(), samples, r.hardTrain().size(),
                        r.hardTest().size(), out);
            }
            return 0;
        }
    }

    /** {@code ladder arithmetic-dataset}: problems of the built-in world as a JSONL dataset. */
    static final class ArithmeticDataset implements Main.Command {
        @Override
        public String summary() {
            return "write arithmetic problems as JSONL: --levels 1,2,... --per-level N --out FILE [--seed 0]";
        }

        @Override
        public int run(List<String> argv) throws IOException {
            Args a = Args.parse("arithmetic-dataset", argv, Set.of("levels", "per-level", "out", "seed"), Set.of());
            int[] levels = a.intList("levels", new int[] {1, 2, 3});
            int per = a.integer("per-level", 100);
            if (per < 1) {
                throw new UsageException("--per-level must be at least 1, got " + per);
            }
            List<MathProblem> all = new ArrayList<>();
            for (int level : levels) {
                if (level < 1 || level > io.ladder.tasks.arithmetic.ArithmeticWorld.MAX_LEVEL) {
                    throw new UsageException("--levels: " + level + " is not a level (1.."
                            + io.ladder.tasks.arithmetic.ArithmeticWorld.MAX_LEVEL + ")");
                }
                all.addAll(io.ladder.tasks.arithmetic.ArithmeticWorld.problems(level, per, a.longValue("seed", 0)));
            }
            Path out = Args.outputFile("out", a.path("out"));
            if (out.getParent() != null) {
                Files.createDirectories(out.getParent());
            }
            HardFilter.writeProblems(out, all);
            System.out.printf("wrote %d problems (levels %s) to %s%n", all.size(), java.util.Arrays.toString(levels), out);
            return 0;
        }
    }

    static void writeJson(Path file, JsonObject o) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o) + "\n");
    }

    /** A one-line progress bar on stderr. */
    static final class ProgressBar {
        private final String label;
        private final long total;
        private final PrintStream out;
        private final long start = System.nanoTime();
        private long done;
        private long lastPrint;
        private final boolean interactive = System.console() != null;
        private int lastQuarter;

        ProgressBar(String label, long total, PrintStream out) {
            this.label = label;
            this.total = Math.max(1, total);
            this.out = out;
        }

        void advance(int n) {
            done += n;
            long now = System.nanoTime();
            if (!interactive) { // logs and CI: a line at each quarter, no carriage returns
                int quarter = (int) (4 * done / total);
                if (quarter > lastQuarter) {
                    lastQuarter = quarter;
                    out.printf("%s: %d/%d samples (%.0f/s)%n", label, done, total, done / Math.max((now - start) / 1e9, 1e-9));
                }
                return;
            }
            if (now - lastPrint > 200_000_000L || done >= total) {
                lastPrint = now;
                double secs = (now - start) / 1e9;
                int filled = (int) Math.min(30, 30 * done / total);
                out.printf("\r%s [%s%s] %d/%d samples  %.0f/s   ", label, "#".repeat(filled), " ".repeat(30 - filled),
                        done, total, done / Math.max(secs, 1e-9));
                out.flush();
            }
        }

        void finish() {
            if (interactive) {
                out.println();
            }
        }
    }
}
