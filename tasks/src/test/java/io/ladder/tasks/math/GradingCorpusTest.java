package io.ladder.tasks.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The committed corpus must be exactly what {@link GradingCorpus} generates, so that a change to
 * the generator cannot silently leave stale reference verdicts behind. Run with
 * {@code -Dladder.regenerateCorpus=true} to rewrite the file (then rerun the reference script).
 */
class GradingCorpusTest {

    @Test
    void committedCorpusIsUpToDate() throws IOException {
        List<GradingCorpus.Pair> pairs = GradingCorpus.build();
        String expected = GradingCorpus.toJsonl(pairs);
        if (Boolean.getBoolean("ladder.regenerateCorpus")) {
            Files.writeString(GradingCorpus.PAIRS, expected, StandardCharsets.UTF_8);
        }
        String committed = Files.readString(GradingCorpus.PAIRS, StandardCharsets.UTF_8);
        assertEquals(expected, committed, "pairs.jsonl is stale: regenerate it (see GradingCorpus)");
    }

    @Test
    void coversEveryFormatWithEnoughPairs() {
        List<GradingCorpus.Pair> pairs = GradingCorpus.build();
        assertTrue(pairs.size() >= 600, "only " + pairs.size() + " pairs");
        for (String family :
                List.of("integer", "thousands", "fraction", "decimal", "mixed", "radical", "pi", "scientific",
                        "percent", "units", "tuple", "set", "list", "interval", "union", "text", "assignment",
                        "expression", "box-style", "no-box", "tricky")) {
            long n = pairs.stream().filter(p -> p.family().equals(family)).count();
            assertTrue(n >= 8, family + " has only " + n + " pairs");
        }
    }
}
