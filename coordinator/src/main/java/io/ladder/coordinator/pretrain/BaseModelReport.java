package io.ladder.coordinator.pretrain;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.ladder.coordinator.eval.Evaluator;
import io.ladder.policy.Completion;
import io.ladder.policy.Policy;
import io.ladder.policy.SamplingParams;
import io.ladder.tasks.Prompts;
import io.ladder.tasks.TeacherOutput;
import io.ladder.tasks.Verifier;
import io.ladder.tasks.arithmetic.ArithmeticWorld;
import io.ladder.tasks.arithmetic.Expressions;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;

/**
 * What the pretrained base model can do, measured the way SOAR needs it: greedy accuracy per
 * difficulty level (easy ≥ 90%, hard ≈ 0), and how often its teacher-format samples are
 * well formed, with the difficulty (operand count) of the problems it writes.
 */
public final class BaseModelReport {
    private BaseModelReport() {}

    public static JsonObject measure(Policy policy, int problemsPerLevel, int teacherSamples, long seed) {
        JsonObject report = new JsonObject();
        Evaluator ev = new Evaluator(policy, Verifier.EXACT_INTEGER, 256);
        JsonObject levels = new JsonObject();
        for (int level = 1; level <= ArithmeticWorld.MAX_LEVEL; level++) {
            // held-out problems: a seed the corpus (which draws from one stream) never uses this way
            double acc = ev.greedyAccuracy(ArithmeticWorld.problems(level, problemsPerLevel, 9_000 + seed), 24);
            levels.addProperty(Integer.toString(level), acc);
        }
        report.add("greedy_accuracy_by_level", levels);

        List<Completion> teacher = policy.generateText(Collections.nCopies(teacherSamples, Prompts.TEACHER),
                SamplingParams.defaults().withMaxNewTokens(64).withSeed(seed));
        int wellFormed = 0;
        int rightAnswers = 0;
        TreeMap<Integer, Integer> operands = new TreeMap<>();
        JsonArray examples = new JsonArray();
        for (Completion c : teacher) {
            TeacherOutput.Parsed p = TeacherOutput.parse(c.text());
            if (TeacherOutput.isArithmetic(p)) {
                wellFormed++;
                rightAnswers += answerCorrect(p) ? 1 : 0;
                int n = p.question().split("[+\\-*]").length;
                operands.merge(n, 1, Integer::sum);
                if (examples.size() < 8) {
                    examples.add(c.text());
                }
            }
        }
        report.addProperty("teacher_samples", teacherSamples);
        report.addProperty("teacher_well_formed", wellFormed / (double) Math.max(1, teacherSamples));
        report.addProperty("teacher_answers_correct", rightAnswers / (double) Math.max(1, wellFormed));
        JsonObject ops = new JsonObject();
        operands.forEach((k, v) -> ops.addProperty(Integer.toString(k), v));
        report.add("teacher_operand_counts", ops);
        report.add("teacher_examples", examples);
        return report;
    }

    /**
     * Tool-world success by level (levels 1..{@link io.ladder.tasks.env.tools.ToolTasks#MAX_LEVEL}):
     * the share of first episodes that solve a held-out task, greedy (one episode per task) and
     * sampled at T = 1 ({@code samples} episodes per task: what GRPO's groups will see).
     */
    public static JsonObject tools(Policy policy, int tasksPerLevel, int samples, long seed) {
        JsonObject out = new JsonObject();
        JsonObject greedy = new JsonObject();
        JsonObject sampled = new JsonObject();
        SamplingParams turn = SamplingParams.defaults().withMaxNewTokens(48);
        for (int level = 1; level <= io.ladder.tasks.env.tools.ToolTasks.MAX_LEVEL; level++) {
            int solvedGreedy = 0;
            int solvedSampled = 0;
            for (int i = 0; i < tasksPerLevel; i++) {
                // held out: the corpus draws each transcript's task seed from its stream, never this one
                com.google.gson.JsonObject task = io.ladder.tasks.env.tools.ToolTasks.generate(9_000 + seed, level, i);
                solvedGreedy += solved(io.ladder.rollout.Episodes.run(policy, io.ladder.tasks.env.tools.ToolWorld.NAME, task,
                        turn.withTemperature(0), new long[] {i}));
                solvedSampled += solved(io.ladder.rollout.Episodes.run(policy, io.ladder.tasks.env.tools.ToolWorld.NAME, task,
                        turn.withSeed(seed), io.ladder.tasks.Seeds.rows(io.ladder.tasks.Seeds.mix(seed, level * 100_003L + i), samples)));
            }
            greedy.addProperty(Integer.toString(level), solvedGreedy / (double) tasksPerLevel);
            sampled.addProperty(Integer.toString(level), solvedSampled / (double) (tasksPerLevel * samples));
        }
        out.add("greedy", greedy);
        out.add("sampled", sampled);
        out.addProperty("tasks_per_level", tasksPerLevel);
        out.addProperty("samples_per_task", samples);
        return out;
    }

    private static int solved(List<io.ladder.rollout.Episodes.Episode> eps) {
        return (int) eps.stream().filter(io.ladder.rollout.Episodes.Episode::solved).count();
    }

    /** Answers to the teacher's own questions are not checked by SOAR; report how often they are right anyway. */
    static boolean answerCorrect(TeacherOutput.Parsed p) {
        try {
            return Long.parseLong(p.answer()) == Expressions.evaluate(p.question());
        } catch (RuntimeException e) {
            return false;
        }
    }
}
