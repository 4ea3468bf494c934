package io.ladder.tasks.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Ladder's grader against the math-verify reference on the committed corpus.
 *
 * <p>{@code pairs.jsonl} is built by {@link GradingCorpus}; {@code math_verify_verdicts.jsonl} by
 * {@code scripts/reference/math_verify_verdicts.py}. Every disagreement is printed (to the
 * surefire output file, {@code target/surefire-reports/*MathVerifyAgreementTest-output.txt}); some
 * are known and intended, e.g. Ladder gives no credit to an output without a box.
 */
class MathVerifyAgreementTest {
    private static final Path DIR = Path.of("src/test/resources/grading");
    private static final double REQUIRED_AGREEMENT = 0.98;

    @Test
    void agreesWithMathVerifyOnTheCorpus() throws IOException {
        List<JsonObject> pairs = readJsonl(DIR.resolve("pairs.jsonl"));
        List<JsonObject> verdicts = readJsonl(DIR.resolve("math_verify_verdicts.jsonl"));
        assertEquals(pairs.size(), verdicts.size(), "verdicts are stale: rerun math_verify_verdicts.py");
        assertTrue(pairs.size() >= 600, "corpus too small: " + pairs.size());

        int agree = 0;
        int ladderCorrect = 0;
        int referenceCorrect = 0;
        List<String> report = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            JsonObject pair = pairs.get(i);
            JsonObject verdict = verdicts.get(i);
            String gold = pair.get("gold").getAsString();
            String pred = pair.get("pred").getAsString();
            assertEquals(i, verdict.get("index").getAsInt());
            assertEquals(gold, verdict.get("gold").getAsString(), "verdicts are stale at index " + i);
            assertEquals(pred, verdict.get("pred").getAsString(), "verdicts are stale at index " + i);

            boolean reference = verdict.get("correct").getAsBoolean();
            boolean ladder = MathGrader.grade(pred, gold);
            ladderCorrect += ladder ? 1 : 0;
            referenceCorrect += reference ? 1 : 0;
            if (ladder == reference) {
                agree++;
            } else {
                String boxed = BoxedAnswer.finalAnswer(pred).orElse("<no box>");
                report.add(
                        String.format(
                                "#%d [%s] gold=%s | boxed=%s | ladder=%s math-verify=%s (parsed %s vs %s)",
                                i, pair.get("family").getAsString(), gold, boxed, ladder, reference,
                                verdict.get("gold_parsed"), verdict.get("pred_parsed")));
            }
        }
        double agreement = (double) agree / pairs.size();
        System.out.printf(
                "math-verify agreement: %d/%d = %.2f%% (ladder says correct %d, math-verify %d)%n",
                agree, pairs.size(), 100 * agreement, ladderCorrect, referenceCorrect);
        report.forEach(System.out::println);
        assertTrue(
                agreement >= REQUIRED_AGREEMENT,
                String.format("agreement %.2f%% < %.0f%%:%n%s", 100 * agreement, 100 * REQUIRED_AGREEMENT,
                        String.join("\n", report)));
    }

    @Test
    void corpusIsBalanced() throws IOException {
        List<JsonObject> verdicts = readJsonl(DIR.resolve("math_verify_verdicts.jsonl"));
        long equivalent = verdicts.stream().filter(v -> v.get("correct").getAsBoolean()).count();
        double share = (double) equivalent / verdicts.size();
        assertTrue(share >= 0.40 && share <= 0.60, "share of equivalent pairs " + share);
    }

    static List<JsonObject> readJsonl(Path file) throws IOException {
        List<JsonObject> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(JsonParser.parseString(line).getAsJsonObject());
            }
        }
        return out;
    }
}
