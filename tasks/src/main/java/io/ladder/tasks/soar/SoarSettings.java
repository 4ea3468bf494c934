package io.ladder.tasks.soar;

import io.ladder.proto.AlgorithmSpec;
import io.ladder.proto.SoarSpec;

/**
 * How a job's {@code algorithm.soar} section lays over SOAR's defaults: the one place they live.
 * The paper's Table 3 gives g = 4, n = 64, r = 4, M = 64, τ = 0.01, m = 3, 10 inner steps (+5
 * after each promotion), lr 1e-5 with cosine decay and KL 0.001 for both roles, teacher
 * temperature 1.0 and 512 new tokens. Where the paper is silent Ladder chooses, and says so:
 * <ul>
 *   <li>the moving average keeps its history across a promotion ({@code reset_average_on_promotion: false});</li>
 *   <li>with r even, "the median" repeat is the lower middle value ({@code even_median: lower});</li>
 *   <li>the teacher's loss averages each sample's tokens, every sample weighing the same
 *       ({@code teacher.loss: sequence_mean}, RLOO's usual per-sample loss);</li>
 *   <li>the student's KL reference in an inner loop is the baseline it started from
 *       ({@code student.reference: baseline});</li>
 *   <li>inner loops stop growing at 3× the initial inner steps ({@code max_inner_steps});</li>
 *   <li>a teacher may draw 8·g·n samples per outer step before the job stops ({@code teacher_attempts});</li>
 *   <li>the lr decays to 10% (cosine) over the T outer steps for the teacher and over one inner
 *       loop for a student.</li>
 * </ul>
 */
public final class SoarSettings {
    private SoarSettings() {}

    /** The defaults, every field set. */
    public static SoarSpec defaults() {
        int g = 4;
        int n = 64;
        return SoarSpec.newBuilder()
                .setTeacher(SoarSpec.Teacher.newBuilder().setLr(1e-5).setKlBeta(0.001).setMinLrRatio(0.1).setTemperature(1.0)
                        .setMaxNewTokens(512).setLoss(AlgorithmSpec.Aggregation.SEQUENCE_MEAN))
                .setStudent(SoarSpec.Student.newBuilder().setLr(1e-5).setKlBeta(0.001).setMinLrRatio(0.1)
                        .setReference(SoarSpec.StudentReference.BASELINE))
                .setDatasets(g).setQuestionsPerDataset(n).setRepeats(4).setRewardQuestions(64)
                .setPromotionThreshold(0.01).setMovingAverageWindow(3)
                .setInnerSteps(10).setInnerStepsPerPromotion(5).setMaxInnerSteps(30)
                .setTeacherAttempts(8 * g * n)
                .setFilterSamples(128).setFilterCandidates(1200)
                .setResetAverageOnPromotion(false).setEvenMedian(SoarSpec.EvenMedian.LOWER)
                .setTeacherReward(SoarSpec.TeacherReward.GROUNDED).setIntrinsicSamples(32)
                .build();
    }

    /**
     * The defaults with the fields the spec sets laid over them.
     *
     * @throws IllegalArgumentException naming the field when the combination is not one Ladder runs
     */
    public static SoarSpec resolve(SoarSpec user) {
        SoarSpec d = defaults();
        SoarSpec.Builder b = d.toBuilder().mergeFrom(user);
        // a size set without the budget: the budget follows it (8·g·n)
        if (!user.hasTeacherAttempts()) {
            b.setTeacherAttempts(8 * b.getDatasets() * b.getQuestionsPerDataset());
        }
        if (!user.hasMaxInnerSteps()) {
            b.setMaxInnerSteps(Math.max(b.getInnerSteps(), 3 * b.getInnerSteps()));
        }
        SoarSpec s = b.build();
        String at = "algorithm.soar.";
        if (s.getMaxInnerSteps() < s.getInnerSteps()) {
            throw new IllegalArgumentException(at + "max_inner_steps: " + s.getMaxInnerSteps() + " is below inner_steps "
                    + s.getInnerSteps());
        }
        if (s.getTeacherAttempts() < s.getDatasets() * s.getQuestionsPerDataset()) {
            throw new IllegalArgumentException(at + "teacher_attempts: " + s.getTeacherAttempts() + " cannot yield g·n = "
                    + s.getDatasets() * s.getQuestionsPerDataset() + " well-formed pairs");
        }
        AlgorithmSpec.Aggregation loss = s.getTeacher().getLoss();
        if (loss != AlgorithmSpec.Aggregation.SEQUENCE_MEAN && loss != AlgorithmSpec.Aggregation.TOKEN_MEAN) {
            throw new IllegalArgumentException(at + "teacher.loss: expected sequence_mean or token_mean, got " + loss.name().toLowerCase());
        }
        if (s.getEvenMedian() == SoarSpec.EvenMedian.EVEN_MEDIAN_UNSPECIFIED) {
            throw new IllegalArgumentException(at + "even_median: expected lower or upper");
        }
        if (s.getTeacherReward() == SoarSpec.TeacherReward.TEACHER_REWARD_UNSPECIFIED) {
            throw new IllegalArgumentException(at + "teacher_reward: expected grounded or intrinsic");
        }
        if (s.getStudent().getReference() == SoarSpec.StudentReference.STUDENT_REFERENCE_UNSPECIFIED) {
            throw new IllegalArgumentException(at + "student.reference: expected baseline or base_model");
        }
        if (s.getHardTrainFile().isEmpty() != s.getHardTestFile().isEmpty()) {
            throw new IllegalArgumentException(at + (s.getHardTrainFile().isEmpty() ? "hard_train_file" : "hard_test_file")
                    + ": give both hard files (the output of `ladder filter-hard`) or neither (computed at the start)");
        }
        return s;
    }
}
