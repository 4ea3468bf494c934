package io.ladder.tasks.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ladder.tasks.data.DatasetException;
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
    void invalidJson() throws IOException {
        Path in = input("{\"gold\":\"1\",\"pred\":\"\\\\boxed{1}\"}", "not json");
        DatasetException e =
                assertThrows(DatasetException.class, () -> GradeFile.run(in, dir.resolve("o.jsonl")));
        assertEquals(2, e.line());
        assertEquals(true, e.getMessage().startsWith(in + ":2: invalid JSON"), e.getMessage());
    }
}
