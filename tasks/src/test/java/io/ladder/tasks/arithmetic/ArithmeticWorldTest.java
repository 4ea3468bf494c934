package io.ladder.tasks.arithmetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ladder.proto.ArithmeticCorpus;
import io.ladder.proto.LevelWeight;
import io.ladder.tasks.Prompts;
import io.ladder.tasks.TeacherOutput;
import io.ladder.tasks.Verifier;
import io.ladder.tasks.data.MathProblem;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ArithmeticWorldTest {
    @Test
    void evaluatesWithPrecedenceAndParentheses() {
        assertEquals(33, Expressions.evaluate("12+7*3"));
        assertEquals(5, Expressions.evaluate("12+7*(3-4)"));
        assertEquals(-57, Expressions.evaluate("(12+7)*(0-3)"));
        assertEquals(2, Expressions.evaluate("10-5-3"));
        assertEquals(-4, Expressions.evaluate("-2*2"));
        assertFalse(Expressions.isValid("12+"));
        assertFalse(Expressions.isValid("(1+2"));
        assertFalse(Expressions.isValid("1+a"));
        assertFalse(Expressions.isValid(""));
        assertThrows(ArithmeticException.class, () -> Expressions.evaluate("999999999999*999999999999"));
    }

    @Test
    void problemsAreReproducibleAndMatchTheirLevel() {
        for (int level = 1; level <= ArithmeticWorld.MAX_LEVEL; level++) {
            List<MathProblem> a = ArithmeticWorld.problems(level, 50, 7);
            assertEquals(a, ArithmeticWorld.problems(level, 50, 7));
            ArithmeticWorld.Difficulty d = ArithmeticWorld.level(level);
            Set<String> distinct = new HashSet<>();
            for (MathProblem p : a) {
                assertEquals(Expressions.evaluate(p.question()), Long.parseLong(p.answer()));
                assertEquals(d.operands(), p.question().split("[+\\-*]").length, p.question());
                assertEquals(d.parentheses() && d.operands() >= 3, p.question().contains("("), p.question());
                assertEquals(level, ArithmeticWorld.levelOf(p.id()));
                distinct.add(p.question());
            }
            assertTrue(distinct.size() > (level <= 2 ? 30 : 45), "level " + level + " repeats itself"); // levels 1-2 have only 100-200 distinct problems
        }
        assertTrue(!ArithmeticWorld.problems(5, 10, 1).equals(ArithmeticWorld.problems(5, 10, 2)));
    }

    @Test
    void exactVerifierReadsTheLastBox() {
        Verifier v = Verifier.EXACT_INTEGER;
        assertEquals(1.0, v.reward("\\boxed{33}", "33"));
        assertEquals(1.0, v.reward("I think \\boxed{2} no, \\boxed{ -4 }", "-4"));
        assertEquals(0.0, v.reward("\\boxed{33.0}", "33"));
        assertEquals(0.0, v.reward("33", "33"));
        assertEquals(0.0, v.reward("\\boxed{3 3}", "33"));
        assertEquals(0.0, v.reward("\\boxed{", "33"));
    }

    @Test
    void teacherOutputsAreParsedAsInSoar() {
        TeacherOutput.Parsed ok = TeacherOutput.parse("thinking <question>2+3*4</question> so <answer>it is \\boxed{14}</answer>");
        assertTrue(ok.ok());
        assertEquals("2+3*4", ok.question());
        assertEquals("14", ok.answer());
        assertTrue(TeacherOutput.isArithmetic(ok));
        assertEquals("no <answer>...</answer> after the question",
                TeacherOutput.parse("<question>1+1</question>\\boxed{2}").problem());
        assertEquals("answer has no \\boxed{...}", TeacherOutput.parse("<question>1+1</question><answer>2</answer>").problem());
        assertEquals("no <question>...</question>", TeacherOutput.parse("<answer>\\boxed{2}</answer>").problem());
        assertFalse(TeacherOutput.isArithmetic(TeacherOutput.parse("<question>1+</question><answer>\\boxed{2}</answer>")));
        // round trip of the format the corpus teaches
        TeacherOutput.Parsed rt = TeacherOutput.parse(Prompts.teacherCompletion("7-9", "-2"));
        assertEquals("7-9", rt.question());
        assertEquals("-2", rt.answer());
    }

    @Test
    void corpusMixesEveryFormat() {
        ArithmeticCorpus spec = ArithmeticCorpus.newBuilder()
                .addStudentLevels(LevelWeight.newBuilder().setLevel(1).setWeight(1))
                .addStudentLevels(LevelWeight.newBuilder().setLevel(8).setWeight(1))
                .addTeacherLevels(LevelWeight.newBuilder().setLevel(3).setWeight(1))
                .setStudentFraction(0.4).setTeacherFraction(0.3).setImproveFraction(0.2).setDivergeFraction(0.1).build();
        PretrainCorpus corpus = new PretrainCorpus(spec);
        SplittableRandom rng = new SplittableRandom(1);
        Set<String> kinds = new HashSet<>();
        for (int i = 0; i < 400; i++) {
            PretrainCorpus.Document d = corpus.next(rng);
            kinds.add(d.kind());
            switch (d.kind()) {
                case "teacher" -> assertTrue(TeacherOutput.isArithmetic(TeacherOutput.parse(d.completion())));
                case "student" -> assertTrue(d.prompt().startsWith(Prompts.QUESTION));
                default -> assertTrue(d.prompt().contains(Prompts.CURRENT));
            }
            if (!d.kind().equals("teacher")) {
                assertTrue(d.completion().startsWith(Prompts.BOXED_OPEN));
            }
        }
        assertEquals(Set.of("student", "teacher", "improve", "diverge"), kinds);
    }
}
