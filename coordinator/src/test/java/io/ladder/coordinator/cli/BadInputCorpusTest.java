package io.ladder.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The bad-input corpus: every case is a realistic mistake (a job spec field, a dataset line, a
 * model folder, a flag, a resume) and must give exit code 2, exactly one line on stderr naming
 * what is wrong, no stack trace, and leave the run folder as it was. Jobs are checked with
 * {@code train --check}, which stops where training would start: a case that is not refused
 * before Ray fails here instead of starting a job.
 */
class BadInputCorpusTest {
    @TempDir
    static Path tmp;
    static Path model;
    static Path data;
    static Path run;

    record Case(String name, String expected, String[] argv, Path untouched) {}

    @BeforeAll
    static void setUp() throws Exception {
        model = tmp.resolve("model");
        assertEquals(0, run("init-model", "--out", model.toString(), "--layers", "1", "--hidden", "16", "--heads", "2",
                "--kv-heads", "1").code);
        data = tmp.resolve("data.jsonl");
        assertEquals(0, run("arithmetic-dataset", "--levels", "1", "--per-level", "8", "--seed", "1", "--out", data.toString()).code);
        run = fakeRun(tmp.resolve("finished-run"), 2, true);
    }

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static final String SPEC = String.join("\n",
            "name: corpus",
            "model: {path: MODEL}",
            "task: {kind: fixed_digit, digit: 7}",
            "algorithm: {name: grpo, lr: 0.01}",
            "rollout: {group_size: 4, prompts_per_step: 2, prompts_per_call: 2, max_new_tokens: 2}",
            "steps: 2",
            "eval: {problems: 0}", "");

    static final String BASE_TASK = "task: {kind: fixed_digit, digit: 7}\nalgorithm: {name: grpo, lr: 0.01}";

    static String spec() {
        return SPEC.replace("MODEL", model.toString());
    }

    /** A run folder as a job leaves it: spec.json, a checkpoint at {@code step} (a copy of the model), maybe a summary. */
    static Path fakeRun(Path dir, int step, boolean finished) throws Exception {
        Path config = tmp.resolve(dir.getFileName() + ".yaml");
        Files.writeString(config, spec());
        Result printed = run("train", "--config", config.toString(), "--print-config");
        assertEquals(0, printed.code, printed.err);
        var spec = io.ladder.coordinator.job.JobSpecs.read(config).toBuilder().setRunDir(dir.toString()).build();
        spec = io.ladder.coordinator.job.JobSpecs.validate(spec, "fake");
        Path ckpt = dir.resolve("checkpoints").resolve("step-" + step);
        Files.createDirectories(ckpt.resolve("policy"));
        try (Stream<Path> files = Files.list(model)) {
            for (Path f : files.toList()) {
                Files.copy(f, ckpt.resolve("policy").resolve(f.getFileName()));
            }
        }
        Files.writeString(ckpt.resolve("trainer.json"), "{\"step\": " + step + ", \"seed\": " + spec.getSeed() + "}\n");
        Files.writeString(dir.resolve("checkpoints").resolve("latest"), "step-" + step + "\n");
        Files.writeString(dir.resolve("spec.json"),
                com.google.protobuf.util.JsonFormat.printer().includingDefaultValueFields().print(spec) + "\n");
        Files.writeString(dir.resolve("metrics.jsonl"), "");
        if (finished) {
            Files.writeString(dir.resolve("summary.json"), "{\"job\": \"corpus\"}\n");
        }
        return dir;
    }

    /** Every file under {@code dir} with its size and modification time. */
    static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        if (!Files.exists(dir)) {
            return m;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                m.put(dir.relativize(p).toString(), Files.isDirectory(p) ? "dir" : Files.size(p) + "@" + Files.getLastModifiedTime(p));
            }
        }
        return m;
    }

    static int counter;

    static Path file(String name, byte[] content) throws IOException {
        Path p = tmp.resolve("f" + (counter++) + "-" + name);
        Files.write(p, content);
        return p;
    }

    static Path file(String name, String content) throws IOException {
        return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    /** A copy of the model folder with one change. */
    static Path brokenModel(String name, UnaryOperator<Path> change) throws IOException {
        Path dir = tmp.resolve("m" + (counter++) + "-" + name);
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(model)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        change.apply(dir);
        return dir;
    }

    static List<Case> cases = new ArrayList<>();

    static void add(String name, String expected, String... argv) {
        cases.add(new Case(name, expected, argv, null));
    }

    static void addUntouched(String name, String expected, Path untouched, String... argv) {
        cases.add(new Case(name, expected, argv, untouched));
    }

    /** A job spec: the base spec with {@code from} replaced by {@code to}, checked, never run. */
    static void spec(String name, String expected, String from, String to) throws IOException {
        String text = spec();
        assertTrue(text.contains(from), "corpus bug: " + from);
        Path f = file(name + ".yaml", text.replace(from, to));
        Path runDir = tmp.resolve("never-" + name);
        cases.add(new Case("spec: " + name, expected, new String[] {"train", "--config", f.toString(), "--run-dir", runDir.toString(),
                "--check"}, runDir));
    }

    static void specText(String name, String expected, byte[] content) throws IOException {
        Path f = file(name + ".yaml", content);
        Path runDir = tmp.resolve("never-" + name);
        cases.add(new Case("spec: " + name, expected, new String[] {"train", "--config", f.toString(), "--run-dir", runDir.toString(),
                "--check"}, runDir));
    }

    static void specCases() throws IOException {
        spec("steps zero", "steps", "steps: 2", "steps: 0");
        spec("steps negative", "steps", "steps: 2", "steps: -3");
        spec("steps text", "steps", "steps: 2", "steps: many");
        spec("steps fraction", "steps", "steps: 2", "steps: 1.5");
        spec("unknown top-level field", "stepz", "steps: 2", "stepz: 2");
        spec("duplicate key", "steps", "steps: 2", "steps: 2\nsteps: 3");
        spec("repeated section", "algorithm", "steps: 2", "steps: 2\nalgorithm: {name: grpo, lr: 0.5}");
        spec("group size one", "rollout.group_size", "group_size: 4", "group_size: 1");
        spec("group size zero", "rollout.group_size", "group_size: 4", "group_size: 0");
        spec("prompts per step zero", "rollout.prompts_per_step", "prompts_per_step: 2", "prompts_per_step: 0");
        spec("prompts per call negative", "rollout.prompts_per_call", "prompts_per_call: 2", "prompts_per_call: -1");
        spec("max new tokens zero", "rollout.max_new_tokens", "max_new_tokens: 2", "max_new_tokens: 0");
        spec("max new tokens beyond context", "rollout.max_new_tokens", "max_new_tokens: 2", "max_new_tokens: 100000");
        spec("temperature negative", "rollout.temperature", "max_new_tokens: 2", "max_new_tokens: 2, temperature: -1");
        spec("top_p above one", "rollout.top_p", "max_new_tokens: 2", "max_new_tokens: 2, top_p: 1.5");
        spec("top_k negative", "rollout.top_k", "max_new_tokens: 2", "max_new_tokens: 2, top_k: -1");
        spec("unknown rollout field", "rollout.temprature", "max_new_tokens: 2", "max_new_tokens: 2, temprature: 1");
        spec("unknown algorithm", "algorithm.name", "name: grpo", "name: ppo");
        spec("lr negative", "algorithm.lr", "lr: 0.01", "lr: -0.01");
        spec("lr text", "algorithm.lr", "lr: 0.01", "lr: fast");
        spec("clip eps low one", "algorithm.clip_eps_low", "lr: 0.01", "lr: 0.01, clip_eps_low: 1.0");
        spec("clip eps high negative", "algorithm.clip_eps_high", "lr: 0.01", "lr: 0.01, clip_eps_high: -0.1");
        spec("kl beta negative", "algorithm.kl_beta", "lr: 0.01", "lr: 0.01, kl_beta: -1");
        spec("warmup negative", "algorithm.warmup_steps", "lr: 0.01", "lr: 0.01, warmup_steps: -1");
        spec("aggregation unknown", "algorithm.aggregation", "lr: 0.01", "lr: 0.01, aggregation: median");
        spec("kl estimator unknown", "algorithm.kl_estimator", "lr: 0.01", "lr: 0.01, kl_estimator: k9");
        spec("unknown algorithm field", "algorithm.lrr", "lr: 0.01", "lrr: 0.01");
        spec("weight decay negative", "algorithm.weight_decay", "lr: 0.01", "lr: 0.01, weight_decay: -1");
        spec("max grad norm negative", "algorithm.max_grad_norm", "lr: 0.01", "lr: 0.01, max_grad_norm: -1");
        spec("task kind unknown", "task.kind", "kind: fixed_digit", "kind: chess");
        spec("digit out of range", "task.digit", "digit: 7", "digit: 12");
        spec("dataset without train file", "task.train_file", "{kind: fixed_digit, digit: 7}", "{kind: dataset}");
        spec("train file missing", "nope.jsonl", "{kind: fixed_digit, digit: 7}", "{kind: dataset, train_file: " + tmp.resolve("nope.jsonl") + "}");
        spec("train file is a folder", "is a directory", "{kind: fixed_digit, digit: 7}", "{kind: dataset, train_file: " + tmp + "}");
        String good = Files.readString(data);
        List<String> lines = new ArrayList<>(good.lines().toList());
        lines.set(6, "{\"problem\": \"1+1\", \"answer\": ");
        Path badJson = file("bad-line-7.jsonl", String.join("\n", lines) + "\n");
        spec("train file bad JSON on line 7", ":7", "{kind: fixed_digit, digit: 7}", "{kind: dataset, train_file: " + badJson + "}");
        byte[] nonUtf = (good.lines().findFirst().orElseThrow() + "\n{\"problem\": \"\u00e9\", \"answer\": \"1\"}\n").getBytes(StandardCharsets.ISO_8859_1);
        Path latin1 = file("latin1.jsonl", nonUtf);
        spec("train file not UTF-8", ":2", "{kind: fixed_digit, digit: 7}", "{kind: dataset, train_file: " + latin1 + "}");
        Path noAnswer = file("no-answer.jsonl", "{\"problem\": \"1+1\"}\n");
        spec("train line without an answer", ":1", "{kind: fixed_digit, digit: 7}", "{kind: dataset, train_file: " + noAnswer + "}");
        Path empty = file("empty.jsonl", "");
        spec("train file empty", "empty.jsonl", "{kind: fixed_digit, digit: 7}", "{kind: dataset, train_file: " + empty + "}");
        spec("eval file broken", ":7", "{kind: fixed_digit, digit: 7}", "{kind: dataset, train_file: " + data + ", eval_file: " + badJson + "}");
        Path notJson = file("not-json.jsonl", "problem,answer\n1+1,2\n");
        spec("train file is CSV", ":1", "{kind: fixed_digit, digit: 7}", "{kind: dataset, train_file: " + notJson + "}");
        spec("arithmetic level zero", "task.levels", "{kind: fixed_digit, digit: 7}", "{kind: arithmetic, levels: [0]}");
        spec("tools level seven", "task.levels", "{kind: fixed_digit, digit: 7}", "{kind: tools, levels: [7]}");
        spec("tools with soar", "task.kind", BASE_TASK, "task: {kind: tools, levels: [1]}\nalgorithm: {name: soar}");
        spec("tools with per-rollout p_div", "algorithm.exit.divergence_draw", BASE_TASK,
                "task: {kind: tools, levels: [1]}\nalgorithm: {name: exit, lr: 0.01, exit: {divergence_draw: per_rollout}}");
        spec("exit grpo preset with p", "algorithm.exit.preset", BASE_TASK,
                "task: {kind: fixed_digit, digit: 7}\nalgorithm: {name: exit, lr: 0.01, exit: {preset: grpo, self_iteration_prob: 0.5}}");
        spec("model path missing", "model.path", "path: " + model, "path: " + tmp.resolve("no-model"));
        spec("model path is a file", "model.path", "path: " + model, "path: " + data);
        spec("model folder empty", "config.json", "path: " + model, "path: " + Files.createDirectories(tmp.resolve("empty-model")));
        spec("prompt format unknown", "model.prompt_format", "{path: " + model + "}", "{path: " + model + ", prompt_format: xml}");
        spec("few-shot with completion", "few_shot", "{path: " + model + "}", "{path: " + model
                + ", prompt_format: completion, few_shot: [{user: 'a', assistant: 'b'}]}");
        spec("few-shot blank turn", "few_shot", "{path: " + model + "}", "{path: " + model + ", few_shot: [{user: '', assistant: 'b'}]}");
        spec("metrics port out of range", "metrics_port", "steps: 2", "steps: 2\nmetrics_port: 70000");
        spec("metrics bind unresolvable", "metrics_bind", "steps: 2", "steps: 2\nmetrics_port: 9999\nmetrics_bind: no-such-host.invalid");
        spec("trainer groups for grpo", "cluster.trainer_groups", "steps: 2", "steps: 2\ncluster: {trainer_groups: 2}");
        spec("no rollout workers", "cluster.rollout_workers_per_group", "steps: 2", "steps: 2\ncluster: {rollout_workers_per_group: 0}");
        spec("negative gpus", "cluster.gpus_per_learner", "steps: 2", "steps: 2\ncluster: {gpus_per_learner: -1}");
        spec("eval samples zero", "eval.samples", "eval: {problems: 0}", "eval: {problems: 4, samples: 0}");
        spec("eval k zero", "eval.k", "eval: {problems: 0}", "eval: {problems: 4, samples: 4, k: [0]}");
        spec("eval k above samples", "eval.k", "eval: {problems: 0}", "eval: {problems: 4, samples: 4, k: [16]}");
        spec("eval temperature negative", "eval.temperature", "eval: {problems: 0}", "eval: {problems: 4, temperature: -1}");
        spec("checkpoint every negative", "checkpoint_every", "steps: 2", "steps: 2\ncheckpoint_every: -1");
        spec("exit min buffer above capacity", "algorithm.exit.min_buffer", "{name: grpo, lr: 0.01}",
                "{name: exit, lr: 0.01, exit: {buffer_capacity: 4, min_buffer: 8}}");
        spec("exit preset unknown", "algorithm.exit.preset", "{name: grpo, lr: 0.01}", "{name: exit, lr: 0.01, exit: {preset: best}}");
        spec("exit kappa negative", "algorithm.exit.kappa", "{name: grpo, lr: 0.01}", "{name: exit, lr: 0.01, exit: {kappa: -1}}");
        spec("exit p above one", "algorithm.exit.self_iteration_prob", "{name: grpo, lr: 0.01}",
                "{name: exit, lr: 0.01, exit: {self_iteration_prob: 2}}");
        spec("exit divergence draw unknown", "algorithm.exit.divergence_draw", "{name: grpo, lr: 0.01}",
                "{name: exit, lr: 0.01, exit: {divergence_draw: per_step}}");
        spec("exit iteration reward unknown", "algorithm.exit.iteration_reward", "{name: grpo, lr: 0.01}",
                "{name: exit, lr: 0.01, exit: {iteration_reward: best}}");
        spec("arithmetic with the math verifier", "task.verifier", "{kind: fixed_digit, digit: 7}",
                "{kind: arithmetic, levels: [1], verifier: math}");
        spec("fixed digit with closeness", "task.verifier", "{kind: fixed_digit, digit: 7}", "{kind: fixed_digit, digit: 7, verifier: closeness}");
        Path fraction = file("fraction.jsonl", "{\"problem\": \"1/2 + 1/2\", \"answer\": \"1\"}\n{\"problem\": \"half of 1\", \"answer\": \"1/2\"}\n");
        spec("closeness on a non-integer answer", "1/2", "{kind: fixed_digit, digit: 7}",
                "{kind: dataset, train_file: " + fraction + ", verifier: closeness}");
        spec("exit unknown field", "algorithm.exit.buffer_size", "{name: grpo, lr: 0.01}", "{name: exit, lr: 0.01, exit: {buffer_size: 4}}");
        String soarTask = "task: {kind: arithmetic, levels: [1]}\nalgorithm: {name: soar, soar: ";
        spec("soar teacher model missing", "algorithm.soar.teacher.model", BASE_TASK,
                soarTask + "{teacher: {model: " + tmp.resolve("no-teacher") + "}, hard_train_file: " + data + ", hard_test_file: " + data + "}}");
        spec("soar hard-train missing", "hard_train_file", BASE_TASK,
                soarTask + "{hard_train_file: " + tmp.resolve("no-hard.jsonl") + ", hard_test_file: " + data + "}}");
        spec("soar hard-test is a folder", "hard_test_file", BASE_TASK,
                soarTask + "{hard_train_file: " + data + ", hard_test_file: " + tmp + "}}");
        spec("soar zero datasets", "algorithm.soar.datasets", "{name: grpo, lr: 0.01}", "{name: soar, soar: {datasets: 0}}");
        spec("soar zero repeats", "algorithm.soar.repeats", "{name: grpo, lr: 0.01}", "{name: soar, soar: {repeats: 0}}");
        spec("soar unknown even median", "algorithm.soar.even_median", "{name: grpo, lr: 0.01}", "{name: soar, soar: {even_median: middle}}");
        spec("seed negative", "seed", "steps: 2", "steps: 2\nseed: -1");
        specText("empty file", "empty", new byte[0]);
        specText("only comments", "empty", "# nothing here\n".getBytes(StandardCharsets.UTF_8));
        specText("YAML syntax error", "yaml", (spec() + "rollout: {group_size: 4\n").getBytes(StandardCharsets.UTF_8));
        specText("tab indentation", "yaml", "name: corpus\nalgorithm:\n\tname: grpo\n".getBytes(StandardCharsets.UTF_8));
        specText("not UTF-8", "UTF-8", ("name: caf\u00e9\n" + spec()).getBytes(StandardCharsets.ISO_8859_1));
        specText("a list, not a mapping", "yaml", "- name: corpus\n- steps: 2\n".getBytes(StandardCharsets.UTF_8));
    }

    static void modelCases() throws IOException {
        Path truncated = brokenModel("truncated", d -> {
            try {
                byte[] w = Files.readAllBytes(d.resolve("model.safetensors"));
                Files.write(d.resolve("model.safetensors"), java.util.Arrays.copyOf(w, w.length / 2));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return d;
        });
        Path noTokenizer = brokenModel("no-tokenizer", d -> {
            try {
                Files.delete(d.resolve("tokenizer.json"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return d;
        });
        Path badConfig = brokenModel("bad-config", d -> rewrite(d.resolve("config.json"), c -> c.substring(0, c.length() / 2)));
        Path gelu = brokenModel("gelu", d -> rewrite(d.resolve("config.json"), c -> c.replace("\"silu\"", "\"gelu\"")));
        Path smallVocab = brokenModel("small-vocab", d -> rewrite(d.resolve("config.json"),
                c -> c.replaceAll("\"vocab_size\"\\s*:\\s*[0-9]+", "\"vocab_size\": 16")));
        Path noWeights = brokenModel("no-weights", d -> {
            try {
                Files.delete(d.resolve("model.safetensors"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return d;
        });
        Path nan = brokenModel("nan", d -> {
            try {
                byte[] w = Files.readAllBytes(d.resolve("model.safetensors"));
                byte[] nanBits = {0, 0, (byte) 0xc0, 0x7f}; // float32 NaN, little-endian: the last weight
                System.arraycopy(nanBits, 0, w, w.length - 4, 4);
                Files.write(d.resolve("model.safetensors"), w);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return d;
        });
        Object[][] broken = {{"NaN weights", nan, "NaN"}, {"truncated weights", truncated, "model.safetensors"}, {"no tokenizer", noTokenizer, "tokenizer.json"},
            {"config not JSON", badConfig, "config.json"}, {"unsupported activation", gelu, "hidden_act"},
            {"tokenizer beyond the vocabulary", smallVocab, "vocab"}, {"no weights", noWeights, "safetensors"}};
        for (Object[] b : broken) {
            Path dir = (Path) b[1];
            String expected = (String) b[2];
            add("model: " + b[0] + " (generate)", expected, "generate", "--model", dir.toString(), "--prompt", "1+1=");
            add("model: " + b[0] + " (eval)", expected, "eval", "--model", dir.toString(), "--dataset", data.toString(),
                    "--out", tmp.resolve("eval-" + counter++ + ".json").toString());
            spec(b[0] + " as the job's model", expected, "path: " + model, "path: " + dir);
        }
    }

    static Path rewrite(Path file, UnaryOperator<String> change) {
        try {
            Files.writeString(file, change.apply(Files.readString(file)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return file.getParent();
    }

    static void datasetCases() throws IOException {
        String good = Files.readString(data);
        List<String> lines = new ArrayList<>(good.lines().toList());
        lines.set(6, "{\"problem\": \"1+1\", \"answer\": ");
        Path[][] files = {
            {file("line7.jsonl", String.join("\n", lines) + "\n")},
            {file("latin1.jsonl", ("{\"problem\": \"\u00e9\", \"answer\": \"1\"}\n").getBytes(StandardCharsets.ISO_8859_1))},
            {file("no-answer.jsonl", "{\"problem\": \"1+1\"}\n")},
            {file("empty.jsonl", "")},
            {file("array.jsonl", "[1, 2]\n")},
            {tmp.resolve("missing.jsonl")},
            {tmp}};
        String[] expected = {":7", ":1", ":1", "empty", ":1", "missing.jsonl", "directory"};
        for (int i = 0; i < files.length; i++) {
            String f = files[i][0].toString();
            add("dataset " + i + " (eval)", expected[i], "eval", "--model", model.toString(), "--dataset", f, "--out",
                    tmp.resolve("e" + counter++ + ".json").toString());
            add("dataset " + i + " (filter-hard)", expected[i], "filter-hard", "--model", model.toString(), "--dataset", f, "--out",
                    tmp.resolve("fh" + counter++).toString());
            add("dataset " + i + " (eval-self-improve)", expected[i], "eval-self-improve", "--model", model.toString(), "--dataset", f,
                    "--out", tmp.resolve("si" + counter++ + ".json").toString());
        }
    }

    static void resumeCases() throws Exception {
        addUntouched("resume: finished run", "already at step 2", run, "train", "--resume", run.toString(), "--check");
        addUntouched("resume: fewer steps than done", "already at step 2", run, "train", "--resume", run.toString(), "--steps", "1",
                "--check");
        addUntouched("resume: with a seed", "--seed", run, "train", "--resume", run.toString(), "--seed", "3", "--check");
        addUntouched("resume: negative steps", "steps", run, "train", "--resume", run.toString(), "--steps", "-3", "--check");
        add("resume: not a run folder", "spec.json", "train", "--resume", tmp.toString(), "--check");
        Path noCkpt = Files.createDirectories(tmp.resolve("no-ckpt"));
        Files.copy(run.resolve("spec.json"), noCkpt.resolve("spec.json"));
        Files.writeString(noCkpt.resolve("spec.json"), Files.readString(noCkpt.resolve("spec.json")).replace("\"steps\": 2", "\"steps\": 0"));
        addUntouched("resume: no checkpoint, edited steps", "steps", noCkpt, "train", "--resume", noCkpt.toString(), "--check");
        Path noWeights = fakeRun(tmp.resolve("run-no-weights"), 1, false);
        Files.delete(noWeights.resolve("checkpoints/step-1/policy/model.safetensors"));
        addUntouched("resume: checkpoint without weights", "model.safetensors", noWeights, "train", "--resume", noWeights.toString(),
                "--steps", "3", "--check");
        Path noTok = fakeRun(tmp.resolve("run-no-tokenizer"), 1, false);
        Files.delete(noTok.resolve("checkpoints/step-1/policy/tokenizer.json"));
        addUntouched("resume: checkpoint without tokenizer", "tokenizer.json", noTok, "train", "--resume", noTok.toString(), "--check");
        Path edited = fakeRun(tmp.resolve("run-edited"), 1, false);
        Files.writeString(edited.resolve("spec.json"), Files.readString(edited.resolve("spec.json")).replace("\"groupSize\": 4", "\"groupSize\": 1"));
        addUntouched("resume: edited spec", "group_size", edited, "train", "--resume", edited.toString(), "--check");
        Path brokenSpec = fakeRun(tmp.resolve("run-broken-spec"), 1, false);
        Files.writeString(brokenSpec.resolve("spec.json"), "{\"name\": ");
        addUntouched("resume: spec.json not JSON", "spec.json", brokenSpec, "train", "--resume", brokenSpec.toString(), "--check");
        Path badState = fakeRun(tmp.resolve("run-bad-state"), 1, false);
        Files.writeString(badState.resolve("checkpoints/step-1/trainer.json"), "{");
        addUntouched("resume: trainer.json broken", "trainer.json", badState, "train", "--resume", badState.toString(), "--check");
        add("train: neither config nor resume", "--config", "train", "--check");
        Path cfg = file("ok.yaml", spec());
        add("train: both config and resume", "--config", "train", "--config", cfg.toString(), "--resume", run.toString(), "--check");
        add("train: missing config file", "nope.yaml", "train", "--config", tmp.resolve("nope.yaml").toString(), "--check");
        add("train: config is a folder", "directory", "train", "--config", tmp.toString(), "--check");
        add("train: unreachable cluster", "cluster.ray_address", "train", "--config", cfg.toString(), "--ray-address",
                "127.0.0.1:1", "--check");
        add("train: cluster address without a port number", "cluster.ray_address", "train", "--config", cfg.toString(),
                "--ray-address", "127.0.0.1:ray", "--check");
        add("train: negative seed", "--seed", "train", "--config", cfg.toString(), "--seed", "-1", "--check");
        add("train: zero steps", "steps", "train", "--config", cfg.toString(), "--steps", "0", "--check");
        addUntouched("train: run dir holds a run", "already holds a run", run, "train", "--config", cfg.toString(), "--run-dir",
                run.toString(), "--check");
        add("train: run dir is a file", "run_dir", "train", "--config", cfg.toString(), "--run-dir", data.toString(), "--check");
    }

    static void outputCases() throws Exception {
        add("eval --out is a folder", "--out", "eval", "--model", model.toString(), "--dataset", data.toString(), "--out", tmp.toString());
        add("filter-hard --out is a file", "--out", "filter-hard", "--model", model.toString(), "--dataset", data.toString(), "--out",
                data.toString());
        add("arithmetic-dataset --out is a folder", "--out", "arithmetic-dataset", "--levels", "1", "--per-level", "2", "--out", tmp.toString());
        add("arithmetic-dataset level zero", "--levels", "arithmetic-dataset", "--levels", "0", "--per-level", "2", "--out",
                tmp.resolve("x.jsonl").toString());
        addUntouched("init-model over a model", "--out", model, "init-model", "--out", model.toString());
        addUntouched("pretrain over a model", "--out", model, "pretrain", "--config",
                Path.of(System.getProperty("user.dir")).getParent().resolve("examples/arithmetic/pretrain.yaml").toString(), "--out",
                model.toString());
        add("report of a non-run folder", "spec.json", "report", tmp.toString());
        add("report --out is a folder", "--out", "report", run.toString(), "--out", tmp.toString());
        Path badMetrics = fakeRun(tmp.resolve("run-bad-metrics"), 1, false);
        Files.writeString(badMetrics.resolve("metrics.jsonl"), "{\"step\": 1}\n{oops\n{\"step\": 3}\n");
        add("report of a run with a broken metrics line", "metrics.jsonl: line 2", "report", badMetrics.toString(), "--out",
                tmp.resolve("r.html").toString());
        add("compare the same run twice", "seed", "compare", run.toString(), run.toString(), "--out", tmp.resolve("c.html").toString());
        add("compare --group-by unknown", "--group-by", "compare", run.toString(), "--group-by", "colour");
        add("grade non-UTF-8", ":1", "grade", "--in", file("pairs.jsonl", new byte[] {'"', (byte) 0xff, '"', '\n'}).toString());
        add("generate negative max-new-tokens", "--max-new-tokens", "generate", "--model", model.toString(), "--prompt", "x",
                "--max-new-tokens", "-5");
        add("generate temperature negative", "--temperature", "generate", "--model", model.toString(), "--prompt", "x",
                "--temperature", "-1");
        add("generate top-k negative", "--top-k", "generate", "--model", model.toString(), "--prompt", "x", "--top-k", "-2");
        add("eval max-new-tokens zero", "--max-new-tokens", "eval", "--model", model.toString(), "--dataset", data.toString(),
                "--max-new-tokens", "0");
        add("soar-questions temperature negative", "--temperature", "soar-questions", "--teacher", model.toString(), "--out",
                tmp.resolve("q.jsonl").toString(), "--temperature", "-2");
        Path huge = file("huge.jsonl", "{\"problem\": \"1+1\", \"answer\": \"2\"}\n{\"problem\": \"" + "1+".repeat(2_000_000)
                + "1\", \"answer\": \"2\"}\n");
        add("eval: a 4 MB problem line", "huge.jsonl:2", "eval", "--model", model.toString(), "--dataset", huge.toString(), "--out",
                tmp.resolve("huge.json").toString());
        Path longer = file("long.jsonl", "{\"problem\": \"" + "1+".repeat(400) + "1\", \"answer\": \"2\"}\n");
        add("eval: a problem longer than the context", "long.jsonl:1", "eval", "--model", model.toString(), "--dataset",
                longer.toString(), "--out", tmp.resolve("long.json").toString());
        add("eval negative samples", "--samples", "eval", "--model", model.toString(), "--dataset", data.toString(), "--samples", "-1");
        add("eval-self-improve negative steps", "--steps", "eval-self-improve", "--model", model.toString(), "--dataset",
                data.toString(), "--steps", "-1");
        add("soar-plan zero nodes", "--nodes", "soar-plan", "--nodes", "0");
    }

    /** Every command: an unknown flag; each numeric flag given a word; the command without its required flags. */
    static void flagCases() {
        CommandLine root = new CommandLine(new Main());
        for (var e : root.getSubcommands().entrySet()) {
            String name = e.getKey();
            if (name.equals("help") || name.equals("completion")) {
                continue;
            }
            add(name + ": unknown flag", "unknown option --bogus-flag", name, "--bogus-flag", "1");
            for (OptionSpec o : e.getValue().getCommandSpec().options()) {
                Class<?> t = o.type().isArray() ? o.type().getComponentType() : o.type();
                boolean integer = t == int.class || t == Integer.class || t == long.class || t == Long.class;
                boolean number = t == double.class || t == Double.class;
                if (integer || number) {
                    add(name + " " + o.longestName() + ": a word", o.longestName(), name, o.longestName(), "lots");
                }
            }
            if (e.getValue().getCommandSpec().options().stream().anyMatch(OptionSpec::required)) {
                add(name + ": required flags missing", "required", name);
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> everyBadInputIsOneLineAndChangesNothing() throws Exception {
        specCases();
        modelCases();
        datasetCases();
        resumeCases();
        outputCases();
        flagCases();
        assertTrue(cases.size() >= 150, "the corpus has " + cases.size() + " cases");
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Map<String, String> before = snapshot(c.untouched() == null ? tmp.resolve("none") : c.untouched());
            boolean existed = c.untouched() != null && Files.exists(c.untouched());
            Result r = run(c.argv());
            String err = r.err().strip();
            assertEquals(2, r.code(), c.name() + ": exit " + r.code() + "\nstderr: " + r.err() + "\nstdout: " + r.out());
            assertEquals(1, err.lines().count(), c.name() + ": not one line:\n" + r.err());
            assertTrue(err.contains(c.expected()), c.name() + ": \"" + err + "\" does not name \"" + c.expected() + "\"");
            assertFalse(err.contains("internal error") || r.err().contains("\tat ") || r.out().contains("\tat "),
                    c.name() + ": a stack trace");
            if (c.untouched() != null) {
                assertEquals(existed, Files.exists(c.untouched()), c.name() + ": the run folder appeared or vanished");
                assertEquals(before, snapshot(c.untouched()), c.name() + ": the run folder changed");
            }
        }));
    }
}
