package io.ladder.tasks.math;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.ladder.tasks.data.DatasetException;
import io.ladder.tasks.data.JsonLines;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Batch grading behind {@code ladder grade}: reads JSONL records with string fields {@code gold}
 * (a bare or boxed answer; a plain number is accepted too) and {@code pred} (a full model output),
 * and writes each record back with every original field, in order, plus a boolean {@code correct}
 * from {@link MathGrader#grade(String, String, Extraction)}. An existing {@code correct} field is
 * overwritten in place. By default the answer is found as math-verify finds it
 * ({@link Extraction#FALLBACK}), so that the verdicts can be compared with that reference.
 *
 * <p>Blank input lines are skipped. A bad line (not UTF-8, not JSON, a missing field) fails the
 * whole run with a one-line {@code file:line: problem} {@link DatasetException}; a file target is
 * then left untouched.
 */
public final class GradeFile {
    private GradeFile() {}

    /** What a run graded: {@code correct} of {@code total} records. */
    public record Summary(int total, int correct) {
        public double accuracy() {
            return total == 0 ? 0.0 : (double) correct / total;
        }
    }

    // No HTML escaping: "<" and "=" must round-trip as written, not as \u003c.
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    public static Summary run(Path in, Path out) throws IOException {
        return run(in, out, Extraction.FALLBACK);
    }

    /** Grades file {@code in} into file {@code out}, all or nothing. */
    public static Summary run(Path in, Path out, Extraction extraction) throws IOException {
        try (InputStream is = Files.newInputStream(in)) {
            return run(is, in.toString(), out, extraction);
        }
    }

    /** Grades a stream into file {@code out}, all or nothing; {@code inName} names the input in errors. */
    public static Summary run(InputStream in, String inName, Path out, Extraction extraction) throws IOException {
        Path dir = out.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        // Write next to the target and move into place, so a failed run leaves no half-written file.
        Path tmp = Files.createTempFile(dir, out.getFileName().toString(), ".part");
        try {
            Summary s;
            try (OutputStream os = Files.newOutputStream(tmp)) {
                s = run(in, inName, os, extraction);
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
            return s;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Grades a stream ({@code ladder grade --in - --out -}); {@code inName} names the input in
     * errors, e.g. {@code <stdin>}. Lines are written as they are graded, so a bad line stops the run
     * after the lines before it. Neither stream is closed; {@code out} is flushed.
     */
    public static Summary run(InputStream in, String inName, OutputStream out, Extraction extraction) throws IOException {
        int[] correct = {0};
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        int total =
                JsonLines.forEach(
                        in,
                        inName,
                        (line, text, record) -> {
                            String gold = field(inName, line, record, "gold", true);
                            String pred = field(inName, line, record, "pred", false);
                            boolean ok = MathGrader.grade(pred, gold, extraction);
                            if (ok) {
                                correct[0]++;
                            }
                            record.add("correct", new JsonPrimitive(ok));
                            w.write(GSON.toJson(record));
                            w.write('\n');
                        });
        w.flush();
        return new Summary(total, correct[0]);
    }

    /** A string field; a gold answer may also be a plain number such as 42. */
    private static String field(
            String source, int line, JsonObject record, String name, boolean numberAllowed) {
        JsonElement e = record.get(name);
        if (e == null || e.isJsonNull()) {
            throw new DatasetException(source, line, "no \"" + name + "\" field");
        }
        boolean ok = e.isJsonPrimitive()
                && (e.getAsJsonPrimitive().isString() || (numberAllowed && e.getAsJsonPrimitive().isNumber()));
        if (!ok) {
            throw new DatasetException(
                    source, line, "\"" + name + "\" must be a string, found " + JsonLines.describe(e));
        }
        return e.getAsString();
    }
}
