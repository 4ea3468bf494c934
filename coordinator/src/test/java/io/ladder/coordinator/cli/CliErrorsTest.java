package io.ladder.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User mistakes get one line on stderr and exit code 2, never a stack trace. */
class CliErrorsTest {
    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A random 1-layer model folder (extra init-model flags after the size). */
    private Path tinyModel(String name, String... extra) {
        Path model = tmp.resolve(name);
        String[] args = {"init-model", "--out", model.toString(), "--layers", "1", "--hidden", "16", "--heads", "2", "--kv-heads", "1"};
        Run r = run(java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.Arrays.stream(extra)).toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return model;
    }

    private static void assertOneLineError(Run r, String expected) {
        assertEquals(2, r.code(), r.err());
        String line = r.err().strip();
        assertEquals(1, line.lines().count(), "one line: " + r.err());
        assertTrue(line.contains(expected), "\"" + line + "\" should mention \"" + expected + "\"");
    }

    @Test
    void unknownCommandAndFlag() {
        assertOneLineError(run("frobnicate"), "unknown command \"frobnicate\"");
        assertOneLineError(run("generate", "--model", "x", "--prompt", "y", "--temprature", "1"), "unknown option --temprature");
        assertOneLineError(run("generate", "--model"), "--model needs a value");
        assertOneLineError(run("generate", "--prompt", "y"), "--model is required");
        assertOneLineError(run("generate"), "ladder generate: --model and --prompt are required");
        assertOneLineError(run("generate", "--model", "x", "--prompt", "--samples", "2"), "ladder generate: --prompt needs a value");
        assertOneLineError(run("generate", "--model", "x", "--prompt", "y", "stray"), "unexpected argument \"stray\"");
        // numbers are checked before anything is loaded, and named by their flag
        assertOneLineError(run("generate", "--model", "x", "--prompt", "y", "--samples", "0"), "--samples must be at least 1, got 0");
        assertOneLineError(run("generate", "--model", "x", "--prompt", "y", "--top-p", "NaN"), "--top-p must be a number, got \"NaN\"");
        assertOneLineError(run("eval", "--model", "x", "--dataset", "y", "--k", "1,x"),
                "--k must be a comma-separated list of integers, got \"x\"");
        assertOneLineError(run("soar-plan", "--scaling-efficiency", "1.5"), "--scaling-efficiency: must be in (0, 1], got 1.5");
    }

    @Test
    void gradeRefusesMissingFilesAndBadLines() throws Exception {
        assertOneLineError(run("grade"), "--in is required");
        assertOneLineError(run("grade", "--in", tmp.resolve("nope.jsonl").toString()), "nope.jsonl: no such file");
        Path pairs = tmp.resolve("pairs.jsonl");
        Files.write(pairs, new byte[] {'{', '}', '\n', '"', (byte) 0xff, '"', '\n'});
        assertOneLineError(run("grade", "--in", pairs.toString()), pairs + ":1: no \"gold\" field");
        Files.write(pairs, new byte[] {'\n', '"', (byte) 0xff, '"', '\n'});
        assertOneLineError(run("grade", "--in", pairs.toString()), pairs + ":2: not valid UTF-8 (byte 2 of the line)");
    }

    @Test
    void missingAndBrokenModelFolders() throws Exception {
        assertOneLineError(run("generate", "--model", tmp.resolve("nope").toString(), "--prompt", "x"), "nope: not a directory");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertOneLineError(run("score", "--model", empty.toString(), "--prompt", "x", "--completion", "y"),
                "config.json: missing");
        Path broken = Files.createDirectories(tmp.resolve("broken"));
        Files.writeString(broken.resolve("config.json"), "{\"model_type\": \"llama\", \"vocab_size\": 10");
        assertOneLineError(run("generate", "--model", broken.toString(), "--prompt", "x"), "config.json: not valid JSON");
        Files.writeString(broken.resolve("config.json"), "{\"model_type\": \"gpt2\"}");
        assertOneLineError(run("generate", "--model", broken.toString(), "--prompt", "x"), "model_type \"gpt2\" is not supported");
        // a real folder whose weights file is truncated
        Path model = tinyModel("m");
        byte[] w = Files.readAllBytes(model.resolve("model.safetensors"));
        Files.write(model.resolve("model.safetensors"), java.util.Arrays.copyOf(w, w.length / 2));
        assertOneLineError(run("generate", "--model", model.toString(), "--prompt", "x"), "lies outside the file (truncated?)");
        Files.delete(model.resolve("tokenizer.json"));
        assertOneLineError(run("generate", "--model", model.toString(), "--prompt", "x"), "tokenizer.json: missing");
    }

    @Test
    void badJobSpecsAreRefusedBeforeAnythingStarts() throws Exception {
        Path spec = tmp.resolve("job.yaml");
        String[][] cases = {
                {"algorithm: {name: grpo, learning_rate: 0.1}\n", "job.yaml: algorithm.learning_rate: unknown field (known here: name,"},
                {"rollout: {group_size: 1}\n", "job.yaml: rollout.group_size: must be in [2, 4096], got 1"},
                {"rollout: {temperature: hot}\n", "job.yaml: rollout.temperature: expected a number, got the string \"hot\""},
                {"task: {kind: poetry}\n", "job.yaml: task.kind: expected one of arithmetic, dataset, fixed_digit, tools, got \"poetry\""},
                {"task: {kind: arithmetic, levels: [3, 12]}\n", "job.yaml: task.levels[1]: must be in [1, 9], got 12"},
                {"task: {kind: dataset, train_file: /nope.jsonl}\n", "job.yaml: task.train_file: /nope.jsonl does not exist"},
                {"cluster: {ray_address: somewhere}\n", "job.yaml: cluster.ray_address: expected HOST:PORT or \"local\", got \"somewhere\""},
                {"model: {path: /no/such/model}\n", "job.yaml: model.path: /no/such/model is not a directory"},
                {"name: \"bad name\"\n", "job.yaml: name: must be letters, digits"},
        };
        for (String[] c : cases) {
            Files.writeString(spec, c[0]);
            assertOneLineError(run("train", "--config", spec.toString()), c[1]);
        }
        assertOneLineError(run("train", "--config", tmp.resolve("missing.yaml").toString()), "missing.yaml: no such file");
        Files.writeString(spec, "steps: [1\n");
        assertOneLineError(run("train", "--config", spec.toString()), "job.yaml:");
        assertOneLineError(run("train", "--resume", tmp.toString()), "not a run folder (no spec.json)");
        // CLI overrides are range-checked like the file's values
        Files.writeString(spec, "task: {kind: fixed_digit}\n");
        assertOneLineError(run("train", "--config", spec.toString(), "--steps", "0"), "job.yaml: steps: must be in [1, 100000000], got 0");
        assertOneLineError(run("train", "--config", spec.toString(), "--steps", "-3"), "job.yaml: steps: must be in [1, 100000000], got -3");
        assertOneLineError(run("train", "--config", spec.toString(), "--seed", "-1"), "--seed: must not be negative, got -1");
        Files.writeString(spec, "model: {hidden: 0}\n");
        assertOneLineError(run("pretrain", "--config", spec.toString(), "--out", tmp.resolve("p").toString()),
                "job.yaml: model.hidden: must be in [8, 16384], got 0");
    }

    @Test
    void badValues() throws Exception {
        Path model = tinyModel("m2");
        assertOneLineError(run("generate", "--model", model.toString(), "--prompt", "x", "--top-p", "1.5"), "top-p must be in (0, 1]");
        assertOneLineError(run("generate", "--model", model.toString(), "--prompt", "x", "--samples", "two"), "--samples must be an integer");
        Run ok = run("generate", "--model", model.toString(), "--prompt", "x", "--samples", "2", "--max-new-tokens", "4", "--json");
        assertEquals(0, ok.code(), ok.err());
        Run score = run("score", "--model", model.toString(), "--prompt", "12+", "--completion", "7=19");
        assertEquals(0, score.code(), score.err());
    }

    /** A model folder an actor could not load is refused before anything starts: one line, no run folder. */
    @Test
    void trainRefusesABrokenModelBeforeRayStarts() throws Exception {
        Path model = tinyModel("model");
        java.io.RandomAccessFile f = new java.io.RandomAccessFile(model.resolve("model.safetensors").toFile(), "rw");
        f.setLength(f.length() / 2);
        f.close();
        Path spec = tmp.resolve("job.yaml");
        Path runDir = tmp.resolve("run");
        Files.writeString(spec, "name: broken\nmodel: {path: " + model + "}\ntask: {kind: fixed_digit}\nalgorithm: {name: grpo}\n"
                + "run_dir: " + runDir + "\n");
        assertOneLineError(run("train", "--config", spec.toString()), "model.path: " + model.resolve("model.safetensors"));
        assertTrue(!Files.exists(runDir), "a refused job must not make its run folder");
        Files.delete(model.resolve("tokenizer.json"));
        Files.writeString(spec, Files.readString(spec).replace("model: {path: " + model + "}", "model: {path: " + tmp.resolve("empty2") + "}"));
        Files.createDirectories(tmp.resolve("empty2"));
        assertOneLineError(run("train", "--config", spec.toString()), "model.path: ");
    }

    /** Fields checked against the machine and the model before anything starts. */
    @Test
    void trainRefusesAnUnresolvableBindARunDirThatIsAFileAndTokensBeyondTheContext() throws Exception {
        Path model = tinyModel("m", "--max-positions", "64");
        String base = "name: j\nmodel: {path: " + model + "}\ntask: {kind: fixed_digit}\nalgorithm: {name: grpo}\neval: {problems: 0}\n";
        Path spec = tmp.resolve("j.yaml");
        Files.writeString(spec, base + "metrics_port: 9555\nmetrics_bind: no.such.host.invalid\n");
        assertOneLineError(run("train", "--config", spec.toString()), "metrics_bind: \"no.such.host.invalid\" is not an address");
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Files.writeString(spec, base + "run_dir: " + file + "\n");
        assertOneLineError(run("train", "--config", spec.toString()), "run_dir: " + file + " is a file, not a folder");
        Files.writeString(spec, base + "rollout: {max_new_tokens: 100000}\nrun_dir: " + tmp.resolve("r") + "\n");
        assertOneLineError(run("train", "--config", spec.toString()),
                "rollout.max_new_tokens: 100000 does not fit the model's context of 64 tokens");
        // generation itself stops at the context, whatever it is asked for (buffers sized by what can be generated)
        Run g = run("generate", "--model", model.toString(), "--prompt", "x", "--max-new-tokens", "2147483647", "--json");
        assertEquals(0, g.code(), g.err());
    }

    /** Output paths that cannot be written are one line before any work, for every command that writes. */
    @Test
    void outputPathsThatCannotBeWrittenAreRefusedUpFront() throws Exception {
        Path model = tinyModel("m");
        Path data = Files.writeString(tmp.resolve("one.jsonl"), "{\"problem\":\"1+1\",\"answer\":\"2\"}\n");
        Path dir = Files.createDirectories(tmp.resolve("a-folder"));
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        String m = model.toString();
        String d = data.toString();
        String[][] cases = {
            {"--out: " + dir + " is a folder; give a file name", "eval", "--model", m, "--dataset", d, "--samples", "2", "--k", "1", "--out", dir.toString()},
            {"--out: " + dir + " is a folder", "eval-self-improve", "--model", m, "--dataset", d, "--out", dir.toString()},
            {"--out: " + dir + " is a folder", "arithmetic-dataset", "--levels", "1", "--per-level", "2", "--out", dir.toString()},
            {"--out: " + dir + " is a folder", "soar-questions", "--teacher", m, "--count", "2", "--out", dir.toString()},
            {"--out: " + file + " is a file; give a folder", "filter-hard", "--model", m, "--dataset", d, "--out", file.toString()},
            {"--out: " + file + " is a file; give a folder", "export", "--model", m, "--out", file.toString()},
            {"is a file, so " + file.resolve("x.jsonl") + " cannot be written", "arithmetic-dataset", "--levels", "1", "--out",
                    file.resolve("x.jsonl").toString()},
            {"--samples: must be at least 1, got -1", "eval", "--model", m, "--dataset", d, "--samples", "-1"},
        };
        for (String[] c : cases) {
            assertOneLineError(run(java.util.Arrays.copyOfRange(c, 1, c.length)), c[0]);
        }
        assertEquals("x", Files.readString(file), "a refused command must not touch what is there");
    }
}
