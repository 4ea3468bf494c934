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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Batch grading behind {@code ladder grade}: reads JSONL records with string fields {@code gold}
 * (a bare or boxed answer; a plain number is accepted too) and {@code pred} (a full model output), and writes each record back
 * with every original field, in order, plus a boolean {@code correct} from
 * {@link MathGrader#grade}. An existing {@code correct} field is overwritten in place.
 *
 * <p>Blank input lines are skipped. A bad line fails the whole run with a one-line
 * {@code file:line: problem} {@link DatasetException} and leaves no partial output.
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
        Path dir = out.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        // Write next to the target and move into place, so a failed run leaves no half-written file.
        Path tmp = Files.createTempFile(dir, out.getFileName().toString(), ".part");
        int[] correct = {0};
        int total;
        try {
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                total =
                        JsonLines.forEach(
                                in,
                                (line, text, record) -> {
                                    String gold = field(in, line, record, "gold", true);
                                    String pred = field(in, line, record, "pred", false);
                                    boolean ok = MathGrader.grade(pred, gold);
                                    if (ok) {
                                        correct[0]++;
                                    }
                                    record.add("correct", new JsonPrimitive(ok));
                                    w.write(GSON.toJson(record));
                                    w.write('\n');
                                });
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return new Summary(total, correct[0]);
    }

    /** A string field; a gold answer may also be a plain number such as 42. */
    private static String field(
            Path file, int line, JsonObject record, String name, boolean numberAllowed) {
        JsonElement e = record.get(name);
        if (e == null || e.isJsonNull()) {
            throw new DatasetException(file, line, "no \"" + name + "\" field");
        }
        boolean ok = e.isJsonPrimitive()
                && (e.getAsJsonPrimitive().isString() || (numberAllowed && e.getAsJsonPrimitive().isNumber()));
        if (!ok) {
            throw new DatasetException(
                    file, line, "\"" + name + "\" must be a string, found " + JsonLines.describe(e));
        }
        return e.getAsString();
    }
}
