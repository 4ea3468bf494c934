package io.ladder.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ladder grade} on files and on standard input / output ({@code -}). */
class GradeCommandTest {
    @TempDir
    Path tmp;

    private static final String PAIRS =
            "{\"gold\":\"42\",\"pred\":\"so the answer is 42.\"}\n{\"gold\":\"1\",\"pred\":\"\\\\boxed{2}\"}\n";

    private record Run(int code, String stdout, String stderr) {}

    /** The command writes to System.out / System.err and reads System.in, so those are swapped. */
    private static Run run(String stdin, String... args) {
        InputStream in = System.in;
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8);
            PrintStream pe = new PrintStream(e, true, StandardCharsets.UTF_8);
            System.setOut(po);
            System.setErr(pe);
            int code = Main.run(args, po, pe);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setIn(in);
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void standardInputToStandardOutput() {
        Run r = run(PAIRS, "grade", "--in", "-", "--out", "-");
        assertEquals(0, r.code(), r.stderr());
        assertEquals(List.of(
                "{\"gold\":\"42\",\"pred\":\"so the answer is 42.\",\"correct\":true}",
                "{\"gold\":\"1\",\"pred\":\"\\\\boxed{2}\",\"correct\":false}"), r.stdout().lines().toList());
        assertTrue(r.stderr().startsWith("graded 2 lines: 1 correct (50.0%)"), r.stderr());
        // Standard input alone writes to standard output too.
        assertEquals(r.stdout(), run(PAIRS, "grade", "--in", "-").stdout());
    }

    @Test
    void fileToDefaultFileAndBoxedOnly() throws Exception {
        Path in = tmp.resolve("pairs.jsonl");
        Files.writeString(in, PAIRS);
        Run r = run("", "grade", "--in", in.toString());
        assertEquals(0, r.code(), r.stderr());
        Path out = tmp.resolve("pairs.graded.jsonl");
        assertTrue(r.stdout().startsWith("graded 2 lines: 1 correct (50.0%) -> " + out), r.stdout());
        assertTrue(Files.readString(out).contains("\"correct\":true"));
        // As the RL reward grades: the answer in the prose does not count.
        Run boxed = run("", "grade", "--in", in.toString(), "--out", "-", "--boxed-only");
        assertEquals(0, boxed.code(), boxed.stderr());
        assertTrue(boxed.stdout().lines().allMatch(l -> l.endsWith("\"correct\":false}")), boxed.stdout());
    }

    @Test
    void badStandardInputIsReportedByLine() {
        Run r = run("{\"gold\":\"1\",\"pred\":\"x\"}\n{\"gold\":\"1\"\n", "grade", "--in", "-", "--out", "-");
        assertEquals(2, r.code());
        assertEquals(1, r.stderr().strip().lines().count(), r.stderr());
        assertTrue(r.stderr().startsWith("ladder grade: <stdin>:2: invalid JSON"), r.stderr());
    }
}
