package io.ladder.tasks.data;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.ladder.tasks.math.BoxedAnswer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads math problems from JSONL in the conventions of the public benchmarks:
 *
 * <ul>
 *   <li>question: {@code problem} (MATH, HARP) or {@code question} (OlympiadBench);
 *   <li>answer: {@code answer} (string or number), else {@code final_answer} (OlympiadBench: a list
 *       of strings, the first is taken), else the last {@code \boxed{}} of {@code solution} (MATH);
 *   <li>id: {@code id}, {@code unique_id} or {@code idx}, else {@code <file name>:<line>}.
 * </ul>
 *
 * Blank lines are skipped. Any other bad line stops the load with a {@link DatasetException}
 * naming the file and line: a training run must not silently drop or mis-grade problems.
 */
public final class MathDataset {
    private MathDataset() {}

    private static final String[] QUESTION_FIELDS = {"problem", "question"};
    private static final String[] ID_FIELDS = {"id", "unique_id", "idx"};

    public static List<MathProblem> load(Path jsonl) throws IOException {
        List<MathProblem> out = new ArrayList<>();
        Map<String, Integer> seenIds = new HashMap<>();
        String fileName = jsonl.getFileName() == null ? jsonl.toString() : jsonl.getFileName().toString();
        int records =
                JsonLines.forEach(
                        jsonl,
                        (line, text, obj) -> {
                            String question = question(jsonl, line, obj);
                            String answer = answer(jsonl, line, obj);
                            String id = id(jsonl, line, obj).orElse(fileName + ":" + line);
                            Integer first = seenIds.putIfAbsent(id, line);
                            if (first != null) {
                                throw new DatasetException(
                                        jsonl, line, "duplicate id \"" + id + "\" (first used on line " + first + ")");
                            }
                            out.add(new MathProblem(id, question, answer));
                        });
        if (records == 0) {
            throw new DatasetException(jsonl, 1, "the file holds no problems");
        }
        return out;
    }

    private static String question(Path file, int line, JsonObject obj) {
        for (String f : QUESTION_FIELDS) {
            if (present(obj, f)) {
                String q = string(file, line, obj, f);
                if (q.isBlank()) {
                    throw new DatasetException(file, line, "\"" + f + "\" is empty");
                }
                return q;
            }
        }
        throw new DatasetException(file, line, "no \"problem\" or \"question\" field");
    }

    private static String answer(Path file, int line, JsonObject obj) {
        if (present(obj, "answer")) {
            return nonBlank(file, line, "answer", string(file, line, obj, "answer"));
        }
        if (present(obj, "final_answer")) {
            JsonElement fa = obj.get("final_answer");
            if (fa.isJsonArray()) {
                JsonArray arr = fa.getAsJsonArray();
                if (arr.isEmpty()) {
                    throw new DatasetException(file, line, "\"final_answer\" is an empty list");
                }
                JsonElement first = arr.get(0);
                if (!isScalar(first)) {
                    throw new DatasetException(
                            file, line, "\"final_answer\" must hold strings, found " + JsonLines.describe(first));
                }
                return nonBlank(file, line, "final_answer", first.getAsString());
            }
            return nonBlank(file, line, "final_answer", string(file, line, obj, "final_answer"));
        }
        if (!present(obj, "solution")) {
            throw new DatasetException(file, line, "no \"answer\" field and no \"solution\" to take it from");
        }
        String solution = string(file, line, obj, "solution");
        return BoxedAnswer.lastBoxed(solution)
                .filter(a -> !a.isBlank())
                .orElseThrow(
                        () -> new DatasetException(
                                file, line, "no \"answer\" field and the \"solution\" has no \\boxed{}"));
    }

    private static Optional<String> id(Path file, int line, JsonObject obj) {
        for (String f : ID_FIELDS) {
            if (present(obj, f)) {
                return Optional.of(nonBlank(file, line, f, string(file, line, obj, f)));
            }
        }
        return Optional.empty();
    }

    private static boolean present(JsonObject obj, String field) {
        return obj.has(field) && !obj.get(field).isJsonNull();
    }

    private static boolean isScalar(JsonElement e) {
        return e.isJsonPrimitive() && !e.getAsJsonPrimitive().isBoolean();
    }

    /** A string field; numbers are accepted too (answers like 42, integer ids). */
    private static String string(Path file, int line, JsonObject obj, String field) {
        JsonElement e = obj.get(field);
        if (!isScalar(e)) {
            throw new DatasetException(
                    file, line, "\"" + field + "\" must be a string, found " + JsonLines.describe(e));
        }
        return e.getAsString();
    }

    private static String nonBlank(Path file, int line, String field, String value) {
        if (value.isBlank()) {
            throw new DatasetException(file, line, "\"" + field + "\" is empty");
        }
        return value.strip();
    }
}
