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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ladder's grader, with math-verify's extraction ({@link Extraction#FALLBACK}, what
 * {@code ladder grade} uses), against the math-verify reference on the committed corpora:
 *
 * <ul>
 *   <li>{@code grading/}: hand-picked formats, built by {@link GradingCorpus};
 *   <li>{@code grading/dev/}: competition-style model outputs from
 *       {@code scripts/reference/make_grading_corpus.py --seed 1 --count 2000}.
 * </ul>
 *
 * Verdicts come from {@code scripts/reference/math_verify_verdicts.py}. Every disagreement is printed
 * (to {@code target/surefire-reports/*MathVerifyAgreementTest-output.txt}); some are known and
 * intended, e.g. Ladder reads {@code \boxed{5.}} as 5 where math-verify's parse fails. The
 * held-out corpus (seed 2) is measured outside the tests, see {@code compare_grading.py}.
 */
class MathVerifyAgreementTest {
    private static final Path DIR = Path.of("src/test/resources/grading");
    private static final double REQUIRED_AGREEMENT = 0.98;

    @ParameterizedTest(name = "corpus grading/{0}")
    @ValueSource(strings = {"", "dev"})
    void agreesWithMathVerifyOnTheCorpus(String corpus) throws IOException {
        List<JsonObject> pairs = readJsonl(DIR.resolve(corpus).resolve("pairs.jsonl"));
        List<JsonObject> verdicts = readJsonl(DIR.resolve(corpus).resolve("math_verify_verdicts.jsonl"));
        assertEquals(pairs.size(), verdicts.size(), "verdicts are stale: rerun math_verify_verdicts.py");
        assertTrue(pairs.size() >= 600, "corpus too small: " + pairs.size());

        int agree = 0;
        int agreeBoxedOnly = 0;
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
            boolean ladder = MathGrader.grade(pred, gold, Extraction.FALLBACK);
            agreeBoxedOnly += MathGrader.grade(pred, gold, Extraction.BOXED_ONLY) == reference ? 1 : 0;
            ladderCorrect += ladder ? 1 : 0;
            referenceCorrect += reference ? 1 : 0;
            if (ladder == reference) {
                agree++;
            } else {
                String read = MathGrader.extracted(pred, Extraction.FALLBACK).orElse("<nothing>");
                report.add(
                        String.format(
                                "#%d [%s] gold=%s | read=%s | ladder=%s math-verify=%s (parsed %s vs %s)",
                                i, pair.get("family").getAsString(), gold, read, ladder, reference,
                                verdict.get("gold_parsed"), verdict.get("pred_parsed")));
            }
        }
        double agreement = (double) agree / pairs.size();
        System.out.printf(
                "grading/%s: math-verify agreement %d/%d = %.2f%% (ladder says correct %d, math-verify %d);"
                        + " box-only extraction %d/%d%n",
                corpus, agree, pairs.size(), 100 * agreement, ladderCorrect, referenceCorrect, agreeBoxedOnly, pairs.size());
        report.forEach(System.out::println);
        assertTrue(
                agreement >= REQUIRED_AGREEMENT,
                String.format("agreement %.2f%% < %.0f%%:%n%s", 100 * agreement, 100 * REQUIRED_AGREEMENT,
                        String.join("\n", report)));
    }

    @ParameterizedTest(name = "corpus grading/{0}")
    @ValueSource(strings = {"", "dev"})
    void corpusIsBalanced(String corpus) throws IOException {
        List<JsonObject> verdicts = readJsonl(DIR.resolve(corpus).resolve("math_verify_verdicts.jsonl"));
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
