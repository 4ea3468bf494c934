package io.ladder.tasks.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ladder.tasks.data.DatasetException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GradeFileTest {
    @TempDir Path dir;

    private Path input(String... lines) throws IOException {
        Path p = dir.resolve("pairs.jsonl");
        Files.writeString(p, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void addsCorrectKeepingEveryFieldInOrder() throws IOException {
        Path in =
                input(
                        "{\"id\":7,\"gold\":\"\\\\frac{1}{2}\",\"pred\":\"so \\\\boxed{0.5}\",\"score\":1.50,\"meta\":{\"a\":[1,2]}}",
                        "",
                        "{\"pred\":\"x < 3 so \\\\boxed{4}\",\"gold\":\"5\"}",
                        "{\"gold\":42,\"pred\":\"The answer is \\\\boxed{42}. \u00e9\"}");
        Path out = dir.resolve("pairs.graded.jsonl");
        GradeFile.Summary s = GradeFile.run(in, out);
        assertEquals(new GradeFile.Summary(3, 2), s);
        assertEquals(
                List.of(
                        "{\"id\":7,\"gold\":\"\\\\frac{1}{2}\",\"pred\":\"so \\\\boxed{0.5}\",\"score\":1.50,\"meta\":{\"a\":[1,2]},\"correct\":true}",
                        "{\"pred\":\"x < 3 so \\\\boxed{4}\",\"gold\":\"5\",\"correct\":false}",
                        "{\"gold\":42,\"pred\":\"The answer is \\\\boxed{42}. \u00e9\",\"correct\":true}"),
                Files.readAllLines(out, StandardCharsets.UTF_8));
    }

    @Test
    void overwritesAnExistingVerdictInPlace() throws IOException {
        Path in = input("{\"correct\":true,\"gold\":\"1\",\"pred\":\"\\\\boxed{2}\"}");
        Path out = dir.resolve("o.jsonl");
        GradeFile.run(in, out);
        assertEquals(
                List.of("{\"correct\":false,\"gold\":\"1\",\"pred\":\"\\\\boxed{2}\"}"),
                Files.readAllLines(out, StandardCharsets.UTF_8));
    }

    private void assertError(String expected, String... lines) throws IOException {
        Path in = input(lines);
        Path out = dir.resolve("out.jsonl");
        DatasetException e = assertThrows(DatasetException.class, () -> GradeFile.run(in, out));
        assertEquals(in + ":" + expected, e.getMessage());
        assertFalse(Files.exists(out), "no partial output");
        try (var files = Files.list(dir)) {
            assertEquals(List.of(in), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void missingGold() throws IOException {
        assertError("2: no \"gold\" field", "{\"gold\":\"1\",\"pred\":\"\\\\boxed{1}\"}", "{\"pred\":\"x\"}");
    }

    @Test
    void missingPred() throws IOException {
        assertError("1: no \"pred\" field", "{\"gold\":\"1\"}");
    }

    @Test
    void predMustBeText() throws IOException {
        assertError("1: \"pred\" must be a string, found a number", "{\"gold\":\"1\",\"pred\":1}");
    }

    @Test
    void findsAnswersInProseAsMathVerifyDoesUnlessBoxedOnly() throws IOException {
        Path in = input("{\"gold\":\"42\",\"pred\":\"so the answer is 42.\"}");
        Path out = dir.resolve("o.jsonl");
        assertEquals(new GradeFile.Summary(1, 1), GradeFile.run(in, out));
        assertEquals(new GradeFile.Summary(1, 0), GradeFile.run(in, out, Extraction.BOXED_ONLY));
    }

    @Test
    void gradesAStreamLineByLine() throws IOException {
        byte[] in = ("{\"gold\":\"1\",\"pred\":\"\\\\boxed{1}\"}\n\n{\"gold\":\"2\",\"pred\":\"3\"}\n")
                .getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        GradeFile.Summary s = GradeFile.run(new ByteArrayInputStream(in), "<stdin>", out, Extraction.FALLBACK);
        assertEquals(new GradeFile.Summary(2, 1), s);
        assertEquals(
                "{\"gold\":\"1\",\"pred\":\"\\\\boxed{1}\",\"correct\":true}\n{\"gold\":\"2\",\"pred\":\"3\",\"correct\":false}\n",
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void streamErrorsNameTheStream() {
        byte[] in = "{\"gold\":\"1\",\"pred\":\"x\"}\n{\"pred\":\"x\"}\n".getBytes(StandardCharsets.UTF_8);
        DatasetException e = assertThrows(DatasetException.class,
                () -> GradeFile.run(new ByteArrayInputStream(in), "<stdin>", new ByteArrayOutputStream(), Extraction.FALLBACK));
        assertEquals("<stdin>:2: no \"gold\" field", e.getMessage());
        assertEquals(null, e.file());
    }

    @Test
    void badBytesAreAOneLineErrorWithTheLineNumber() throws IOException {
        Path in = dir.resolve("pairs.jsonl");
        byte[] good = "{\"gold\":\"1\",\"pred\":\"x\"}\n".getBytes(StandardCharsets.UTF_8);
        byte[] bad = {'{', '"', 'g', 'o', 'l', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(good);
        bytes.write(bad);
        Files.write(in, bytes.toByteArray());
        Path out = dir.resolve("out.jsonl");
        DatasetException e = assertThrows(DatasetException.class, () -> GradeFile.run(in, out));
        assertEquals(in + ":2: not valid UTF-8 (byte 10 of the line)", e.getMessage());
        assertFalse(Files.exists(out), "no partial output");
    }

    @Test
    void invalidJson() throws IOException {
        Path in = input("{\"gold\":\"1\",\"pred\":\"\\\\boxed{1}\"}", "not json");
        DatasetException e =
                assertThrows(DatasetException.class, () -> GradeFile.run(in, dir.resolve("o.jsonl")));
        assertEquals(2, e.line());
        assertEquals(true, e.getMessage().startsWith(in + ":2: invalid JSON"), e.getMessage());
    }
}
