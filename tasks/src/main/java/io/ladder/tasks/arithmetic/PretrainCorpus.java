package io.ladder.tasks.arithmetic;

import io.ladder.proto.ArithmeticCorpus;
import io.ladder.proto.LevelWeight;
import io.ladder.tasks.Prompts;
import io.ladder.tasks.data.MathProblem;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Documents for pretraining the tiny base model on the arithmetic world, in every format the
 * system later prompts with, so the base model (a) answers easy problems, (b) fails hard ones
 * (it sees them with their answers but a small model cannot learn to compute them), (c) writes
 * teacher-format problems of every difficulty (SOAR), and (d) knows the improve / diverge
 * formats (ExIt), and, when the spec asks, (e) solves tool-world tasks call by call (each model turn
 * ends with {@link #END_OF_TURN}). Each document is prompt + completion; the caller appends EOS.
 */
public final class PretrainCorpus {
    /** One document, split where the model's part begins (for evaluation and loss weighting). */
    public record Document(String kind, int level, String prompt, String completion) {
        public String text() {
            return prompt + completion;
        }
    }

    private final ArithmeticCorpus spec;
    private final double[] studentCdf;
    private final double[] teacherCdf;
    private final int[] studentLevels;
    private final int[] teacherLevels;

    /** The text of the tiny models' end-of-text token, which also ends a model's turn in a tool transcript. */
    public static final String END_OF_TURN = "<|end_of_text|>";

    private final double[] toolCdf;
    private final int[] toolLevels;

    public PretrainCorpus(ArithmeticCorpus spec) {
        this.spec = spec;
        double total = spec.getStudentFraction() + spec.getTeacherFraction() + spec.getImproveFraction()
                + spec.getDivergeFraction();
        if (!(total > 0)) {
            throw new IllegalArgumentException("corpus: the four *_fraction fields sum to 0");
        }
        if (spec.hasTools()) {
            if (spec.getTools().getLevelsCount() == 0) {
                throw new IllegalArgumentException("corpus.tools.levels: list the tool-world levels to write transcripts of");
            }
            for (LevelWeight w : spec.getTools().getLevelsList()) {
                if (w.getLevel() < 1 || w.getLevel() > io.ladder.tasks.env.tools.ToolTasks.MAX_LEVEL) {
                    throw new IllegalArgumentException("corpus.tools.levels: level " + w.getLevel() + " is not a tool-world level (1.."
                            + io.ladder.tasks.env.tools.ToolTasks.MAX_LEVEL + ")");
                }
            }
        }
        toolLevels = spec.hasTools() ? levels(spec.getTools().getLevelsList()) : new int[0];
        toolCdf = spec.hasTools() ? cdf(spec.getTools().getLevelsList(), "tools.levels") : new double[0];
        if (spec.getStudentLevelsCount() == 0 || spec.getTeacherLevelsCount() == 0) {
            throw new IllegalArgumentException("corpus: student_levels and teacher_levels must not be empty");
        }
        studentLevels = levels(spec.getStudentLevelsList());
        teacherLevels = levels(spec.getTeacherLevelsList());
        studentCdf = cdf(spec.getStudentLevelsList(), "student_levels");
        teacherCdf = cdf(spec.getTeacherLevelsList(), "teacher_levels");
    }

    private static int[] levels(List<LevelWeight> ws) {
        return ws.stream().mapToInt(LevelWeight::getLevel).toArray();
    }

    private static double[] cdf(List<LevelWeight> ws, String field) {
        double[] c = new double[ws.size()];
        double s = 0;
        for (int i = 0; i < ws.size(); i++) {
            s += ws.get(i).getWeight();
            c[i] = s;
        }
        if (!(s > 0)) {
            throw new IllegalArgumentException("corpus." + field + ": weights sum to 0");
        }
        for (int i = 0; i < c.length; i++) {
            c[i] /= s;
        }
        return c;
    }

    private static int pick(int[] levels, double[] cdf, SplittableRandom rng) {
        double u = rng.nextDouble();
        for (int i = 0; i < cdf.length; i++) {
            if (u < cdf[i]) {
                return levels[i];
            }
        }
        return levels[levels.length - 1];
    }

    public Document next(SplittableRandom rng) {
        double total = spec.getStudentFraction() + spec.getTeacherFraction() + spec.getImproveFraction()
                + spec.getDivergeFraction();
        double tools = spec.hasTools() ? spec.getTools().getFraction() : 0;
        double u = rng.nextDouble() * (total + tools);
        if ((u -= spec.getStudentFraction()) < 0) {
            int level = pick(studentLevels, studentCdf, rng);
            MathProblem p = ArithmeticWorld.problem(level, rng, "");
            return new Document("student", level, Prompts.student(p.question()), Prompts.boxed(p.answer()));
        }
        if ((u -= spec.getTeacherFraction()) < 0) {
            int level = pick(teacherLevels, teacherCdf, rng);
            MathProblem p = ArithmeticWorld.problem(level, rng, "");
            return new Document("teacher", level, Prompts.TEACHER, Prompts.teacherCompletion(p.question(), p.answer()));
        }
        if (spec.hasTools() && u >= spec.getImproveFraction() + spec.getDivergeFraction()) { // without tools the draws stay as they were
            int level = pick(toolLevels, toolCdf, rng);
            var t = io.ladder.tasks.env.tools.ToolTranscripts.solve(
                    io.ladder.tasks.env.tools.ToolTasks.generate(rng.nextLong(), level, 0), END_OF_TURN);
            return new Document("tools", level, t.prompt(), t.completion());
        }
        boolean improve = (u -= spec.getImproveFraction()) < 0;
        int level = pick(studentLevels, studentCdf, rng);
        MathProblem p = ArithmeticWorld.problem(level, rng, "");
        // The current response is right half of the time and otherwise a near miss; the new
        // response is the right answer, so both formats teach "answer correctly given a draft".
        String current = rng.nextBoolean() ? p.answer() : nearMiss(Long.parseLong(p.answer()), rng);
        String request = Prompts.QUESTION + " " + p.question() + Prompts.ASK_BOXED;
        String prompt = improve ? Prompts.improve(request, Prompts.boxed(current))
                : Prompts.diverge(request, Prompts.boxed(current));
        return new Document(improve ? "improve" : "diverge", level, prompt, Prompts.boxed(p.answer()));
    }

    /** A plausible wrong answer: off by a small amount or by one digit. */
    static String nearMiss(long answer, SplittableRandom rng) {
        long delta = 1 + rng.nextInt(rng.nextBoolean() ? 3 : 20);
        return Long.toString(rng.nextBoolean() ? answer + delta : answer - delta);
    }
}
