package io.ladder.tasks.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MathDatasetTest {
    @TempDir Path dir;

    private Path write(String name, String... lines) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void readsMathStyleSolutionsWithBoxedAnswers() throws IOException {
        Path p =
                write(
                        "math.jsonl",
                        "{\"problem\": \"What is 1+1?\", \"solution\": \"Add: $1+1=\\\\boxed{2}$.\","
                                + " \"unique_id\": \"test/algebra/1.json\"}",
                        "{\"problem\": \"Half of 1?\", \"solution\": \"We get \\\\boxed{3} then \\\\boxed{\\\\frac{1}{2}}.\"}");
        List<MathProblem> ps = MathDataset.load(p);
        assertEquals(new MathProblem("test/algebra/1.json", "What is 1+1?", "2"), ps.get(0));
        assertEquals(new MathProblem("math.jsonl:2", "Half of 1?", "\\frac{1}{2}"), ps.get(1));
    }

    @Test
    void prefersAnAnswerFieldOverTheSolution() throws IOException {
        Path p =
                write(
                        "harp.jsonl",
                        "{\"problem\": \"Q\", \"answer\": \"7\", \"solution\": \"\\\\boxed{8}\"}",
                        "{\"problem\": \"Q2\", \"answer\": 42, \"idx\": 5}");
        List<MathProblem> ps = MathDataset.load(p);
        assertEquals("7", ps.get(0).answer());
        assertEquals(new MathProblem("5", "Q2", "42"), ps.get(1));
    }

    @Test
    void readsOlympiadBenchFinalAnswerLists() throws IOException {
        Path p =
                write(
                        "ob.jsonl",
                        "{\"id\": 1606, \"question\": \"Find x.\", \"final_answer\": [\"$\\\\frac{3}{2}$\", \"$2$\"]}",
                        "{\"id\": 1607, \"question\": \"Find y.\", \"final_answer\": \"5\"}");
        List<MathProblem> ps = MathDataset.load(p);
        assertEquals(new MathProblem("1606", "Find x.", "$\\frac{3}{2}$"), ps.get(0));
        assertEquals("5", ps.get(1).answer());
    }

    @Test
    void skipsBlankLinesAndKeepsLineNumbersForIds() throws IOException {
        Path p = write("b.jsonl", "", "{\"problem\": \"Q\", \"answer\": \"1\"}", "   ", "{\"problem\": \"R\", \"answer\": \"2\"}");
        List<MathProblem> ps = MathDataset.load(p);
        assertEquals(2, ps.size());
        assertEquals("b.jsonl:2", ps.get(0).id());
        assertEquals("b.jsonl:4", ps.get(1).id());
    }

    // ------------------------------------------------------------------ errors: file:line: problem

    private void assertError(String expectedProblem, int line, String... lines) throws IOException {
        Path p = write("x.jsonl", lines);
        DatasetException e = assertThrows(DatasetException.class, () -> MathDataset.load(p));
        assertEquals(p + ":" + line + ": " + expectedProblem, e.getMessage());
        assertEquals(line, e.line());
        assertFalse(e.getMessage().contains("\n"), "one line only");
    }

    private static final String GOOD = "{\"problem\": \"Q\", \"answer\": \"1\"}";

    @Test
    void invalidJson() throws IOException {
        Path p = write("x.jsonl", GOOD, "{\"problem\": \"Q\", \"answer\": ");
        DatasetException e = assertThrows(DatasetException.class, () -> MathDataset.load(p));
        assertEquals(2, e.line());
        assertEquals(true, e.getMessage().startsWith(p + ":2: invalid JSON: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void lenientJsonIsRejected() throws IOException {
        Path p = write("x.jsonl", "{problem: 'Q', answer: '1'}");
        DatasetException e = assertThrows(DatasetException.class, () -> MathDataset.load(p));
        assertEquals(true, e.getMessage().startsWith(p + ":1: invalid JSON: "), e.getMessage());
    }

    @Test
    void trailingGarbage() throws IOException {
        assertError("invalid JSON: more than one value on the line", 1, GOOD + " {}");
    }

    @Test
    void notAnObject() throws IOException {
        assertError("expected a JSON object, found an array", 2, GOOD, "[1, 2]");
    }

    @Test
    void missingQuestion() throws IOException {
        assertError("no \"problem\" or \"question\" field", 1, "{\"answer\": \"1\"}");
        assertError("no \"problem\" or \"question\" field", 1, "{}");
    }

    @Test
    void emptyQuestion() throws IOException {
        assertError("\"problem\" is empty", 1, "{\"problem\": \"  \", \"answer\": \"1\"}");
    }

    @Test
    void questionOfWrongType() throws IOException {
        assertError("\"question\" must be a string, found an object", 1, "{\"question\": {}, \"answer\": \"1\"}");
    }

    @Test
    void noAnswerAndNoSolution() throws IOException {
        assertError("no \"answer\" field and no \"solution\" to take it from", 3, GOOD, "", "{\"problem\": \"Q\"}");
    }

    @Test
    void solutionWithoutBox() throws IOException {
        assertError(
                "no \"answer\" field and the \"solution\" has no \\boxed{}",
                17,
                GOOD, GOOD.replace("\"1\"", "\"2\""), "", "", "", "", "", "", "", "", "", "", "", "", "", "",
                "{\"problem\": \"Q\", \"solution\": \"so it is 5\"}");
    }

    @Test
    void solutionWithUnclosedBox() throws IOException {
        assertError("no \"answer\" field and the \"solution\" has no \\boxed{}", 1,
                "{\"problem\": \"Q\", \"solution\": \"so \\\\boxed{5\"}");
    }

    @Test
    void emptyAnswer() throws IOException {
        assertError("\"answer\" is empty", 1, "{\"problem\": \"Q\", \"answer\": \"\"}");
    }

    @Test
    void emptyFinalAnswerList() throws IOException {
        assertError("\"final_answer\" is an empty list", 1, "{\"question\": \"Q\", \"final_answer\": []}");
    }

    @Test
    void finalAnswerListOfNonStrings() throws IOException {
        assertError("\"final_answer\" must hold strings, found an array", 1,
                "{\"question\": \"Q\", \"final_answer\": [[1]]}");
    }

    @Test
    void duplicateId() throws IOException {
        assertError("duplicate id \"a\" (first used on line 1)", 2,
                "{\"id\": \"a\", \"problem\": \"Q\", \"answer\": \"1\"}",
                "{\"id\": \"a\", \"problem\": \"R\", \"answer\": \"2\"}");
    }

    @Test
    void emptyFile() throws IOException {
        assertError("the file holds no problems", 1, "", "");
    }
}
