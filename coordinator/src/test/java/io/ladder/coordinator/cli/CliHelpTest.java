package io.ladder.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** {@code ladder --help}, each command's {@code --help}, suggestions for typos and the completion script. */
class CliHelpTest {
    @TempDir
    Path tmp;

    private static final List<String> COMMANDS = List.of("generate", "score", "chat-template", "init-model", "export", "train",
            "pretrain", "arithmetic-dataset", "grade", "eval", "eval-self-improve", "filter-hard", "soar-plan", "soar-questions",
            "question-diversity", "bench-generate", "bench-memory", "bench-learner", "report", "compare", "tool-tasks", "episodes", "completion", "help");

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void assertOneLineError(Run r, String expected) {
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertEquals(expected, r.err().strip());
        assertEquals("", r.out());
    }

    @Test
    void topLevelHelpListsEveryCommandOnOneLine() {
        Run help = run("--help");
        assertEquals(0, help.code(), help.err());
        List<String> lines = help.out().lines().toList();
        List<String> listed = new ArrayList<>();
        for (String line : lines.subList(lines.indexOf("Commands:") + 1, lines.size())) {
            assertTrue(line.matches("  [a-z-]+ {2,}[A-Z].*\\."), "one line per command: \"" + line + "\"");
            listed.add(line.strip().split(" ")[0]);
        }
        assertEquals(COMMANDS, listed);
        // no command: the same list, as a usage mistake
        Run none = run();
        assertEquals(2, none.code());
        assertEquals(help.out(), none.out());
        assertEquals(help.out(), run("help").out());
        assertEquals(help.out(), run("-h").out());
    }

    /** Every flag of every command is in its --help with a description, and with its default or why it has none. */
    @Test
    void eachCommandsHelpDocumentsEveryFlagAndItsDefault() {
        Map<String, CommandLine> commands = new CommandLine(new Main()).getSubcommands();
        assertEquals(COMMANDS, List.copyOf(commands.keySet()));
        for (Map.Entry<String, CommandLine> c : commands.entrySet()) {
            Run r = run(c.getKey(), "--help");
            assertEquals(0, r.code(), r.err());
            assertEquals("", r.err());
            assertTrue(r.out().startsWith("Usage: ladder " + c.getKey()), r.out());
            assertEquals(r.out(), run("help", c.getKey()).out());
            for (OptionSpec o : c.getValue().getCommandSpec().options()) {
                String flag = c.getKey() + " " + o.longestName();
                assertTrue(r.out().contains(o.longestName()), flag + " missing from\n" + r.out());
                assertTrue(o.description().length > 0 && !o.description()[0].isBlank(), flag + " has no description");
                if (o.usageHelp() || o.required() || o.typeInfo().isBoolean()) {
                    continue;
                }
                String text = String.join(" ", o.description());
                String dflt = o.defaultValueString(); // the defaultValue, or the field's initial value
                if (!dflt.equals("null")) {
                    assertTrue(r.out().contains("Default: " + dflt), flag + ": default " + dflt + " not shown");
                } else {
                    assertTrue(text.contains("Default:") || text.contains("required"), flag + " says nothing of its default: " + text);
                }
            }
        }
        Run generate = run("generate", "--help");
        assertTrue(generate.out().contains("--samples=N") && generate.out().contains("Default: 1"), generate.out());
    }

    @Test
    void typosGetASuggestionOnTheirOneLine() {
        assertOneLineError(run("trian"), "ladder: unknown command \"trian\" (did you mean train?)");
        assertOneLineError(run("exprot", "--model", "m"), "ladder: unknown command \"exprot\" (did you mean export?)");
        assertOneLineError(run("train", "--confg", "x"), "ladder train: unknown option --confg (did you mean --config?)");
        assertOneLineError(run("train", "--confg=x.yaml"), "ladder train: unknown option --confg (did you mean --config?)");
        assertOneLineError(run("generate", "--model", "m", "--prompt", "p", "--temprature", "1"),
                "ladder generate: unknown option --temprature (did you mean --temperature?)");
        assertOneLineError(run("help", "trian"), "ladder: unknown command \"trian\" (did you mean train?)");
        // nothing close: the known names instead
        Run far = run("frobnicate");
        assertEquals(2, far.code());
        assertTrue(far.err().strip().startsWith("ladder: unknown command \"frobnicate\" (commands: generate, score,"), far.err());
        assertOneLineError(run("grade", "--xyz"), "ladder grade: unknown option --xyz (known: --in, --out, --boxed-only, --verbose)");
        // a typo in a required flag is named as a typo, not as the flag missing
        assertOneLineError(run("generate", "--modle", "m", "--prompt", "p"),
                "ladder generate: unknown option --modle (did you mean --model?)");
    }

    @Test
    void completionScriptCoversCommandsAndFlags() {
        Run r = run("completion");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("#!/usr/bin/env bash"), r.out());
        assertTrue(r.out().contains("complete -F _complete_ladder -o default ladder"), "registers the completion for ladder");
        for (String c : COMMANDS) {
            assertTrue(r.out().contains(c), "completion misses " + c);
        }
        for (String flag : List.of("--config", "--resume", "--max-new-tokens", "--boxed-only", "--completion-len")) {
            assertTrue(r.out().contains(flag), "completion misses " + flag);
        }
    }

    /** A bug is not the user's mistake: the exception and its trace, exit code 1. */
    @Test
    void anUnexpectedExceptionIsAnInternalErrorWithATrace() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(run.resolve("soar.jsonl"), "{}\n"); // metrics.jsonl is missing: not a case the command expects
        Run r = run("soar-plan", "--from-run", run.toString());
        assertEquals(1, r.code(), r.err());
        List<String> lines = r.err().lines().toList();
        assertTrue(lines.get(0).startsWith("ladder soar-plan: internal error: java.nio.file.NoSuchFileException"), r.err());
        assertTrue(lines.size() > 2 && lines.get(2).strip().startsWith("at "), "a stack trace follows: " + r.err());
    }

    /** LearnerBench's flags through bin/ladder: one JSON line on standard output. */
    @Test
    void benchLearnerPrintsOneJsonLine() {
        PrintStream stdout = System.out;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        Run r;
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            r = run("bench-learner", "--out", tmp.resolve("bench").toString(), "--layers", "1", "--hidden", "32", "--heads", "2",
                    "--kv-heads", "1", "--intermediate", "64", "--batch", "2", "--group", "2", "--prompt-len", "4",
                    "--completion-len", "4", "--warmup", "0", "--repeats", "1");
        } finally {
            System.setOut(stdout);
        }
        assertEquals(0, r.code(), r.err());
        // the test run's log lines go to standard output too
        List<String> lines = o.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("{")).toList();
        assertEquals(1, lines.size(), lines.toString());
        var json = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertEquals("ladder", json.get("engine").getAsString());
        assertEquals(16, json.get("tokens_per_step").getAsInt());
        assertFalse(json.get("tokens_per_s").getAsDouble() <= 0);
        assertOneLineError(run("bench-learner", "--repeats", "x"), "ladder bench-learner: --repeats must be an integer, got \"x\"");
    }
}
