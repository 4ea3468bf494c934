package io.ladder.coordinator.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Vendi score's defining cases, and what the embedding counts as similar. */
class QuestionDiversityTest {
    @Test
    void copiesScoreOneAndUnrelatedQuestionsScoreTheirCount() {
        QuestionDiversity.Result same = QuestionDiversity.of(Collections.nCopies(10, "12+7"));
        assertEquals(1.0, same.vendi(), 1e-9);
        assertEquals(1, same.distinct());
        // no shared character and no shared number: orthogonal embeddings
        QuestionDiversity.Result apart = QuestionDiversity.of(List.of("ab", "cd", "ef", "gh"));
        assertEquals(4.0, apart.vendi(), 1e-9);
        assertEquals(4, apart.distinct());
    }

    @Test
    void differentNumbersAreSimilarAndDifferentShapesLessSo() {
        double numbers = QuestionDiversity.of(List.of("12+7", "31+5", "48+2", "90+1")).vendi();
        double shapes = QuestionDiversity.of(List.of("12+7", "3*(4-5)", "4-8-9-10", "77*6+1")).vendi();
        assertTrue(numbers > 1 && numbers < shapes && shapes < 4, numbers + " vs " + shapes);
    }
}
