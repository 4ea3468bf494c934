package io.ladder.tasks;

/**
 * Every random stream of a job, named by what it is for and keyed by the job seed and the
 * indices that identify one use (a step, a prompt group, a sample). Nothing is keyed by a worker,
 * a batch position or a thread, so a run is a function of its spec and seed alone: the same
 * problems and the same samples whether 1 or 3 rollout workers draw them.
 *
 * <p>A stream's seed is a SplitMix64 hash of (purpose, job seed, keys...); distinct purposes and
 * distinct keys give unrelated seeds, with no offsets to collide.
 */
public final class Seeds {
    /** What a random stream is for; the ordinal is part of the hash, so only append. */
    public enum Purpose {
        /** the finite training pool of a task (arithmetic pool_size) */
        TRAIN_POOL,
        /** which problems step t trains on */
        STEP_PROBLEMS,
        /** the G samples of prompt group i at step t */
        GROUP_SAMPLING,
        /** the held-out problems */
        EVAL_PROBLEMS,
        /** the samples of the held-out problems */
        EVAL_SAMPLING,
        /** one row (sample j) of a group or problem, from that group's (or run's) seed */
        ROW,
        /** ExIt: which slots of step t come from the buffer, which instances, improve or diverge */
        EXIT_SELECTION,
        /** ExIt: which responses of step t's groups become new instances */
        EXIT_EXPANSION,
        /** SOAR: the teacher's samples of outer step t (keyed t, attempt round, prompt) */
        SOAR_TEACHER,
        /** SOAR: which hard-train questions form Q_R at outer step t */
        SOAR_REWARD_QUESTIONS,
        /** SOAR: which pairs of X_k each inner step of loop (t, k, j) trains on */
        SOAR_INNER_PROBLEMS,
        /** SOAR: the student's samples in loop (t, k, j) (keyed t, k, j, inner step, group) */
        SOAR_INNER_SAMPLING,
        /** SOAR (Intrinsic-T): the baseline student's samples of synthetic question i at outer step t */
        SOAR_INTRINSIC,
        /** SOAR: the candidate problems of a hard set computed at the start, and their fail@N samples */
        SOAR_HARD_FILTER,
        /** ExIt, per-rollout p_div: which samples of slot i at step t diverge (keyed t, i) */
        EXIT_DIVERGENCE
    }

    private final long job;

    public Seeds(long jobSeed) {
        this.job = jobSeed;
    }

    public long jobSeed() {
        return job;
    }

    public long trainPool() {
        return of(Purpose.TRAIN_POOL, job);
    }

    public long stepProblems(long step) {
        return of(Purpose.STEP_PROBLEMS, job, step);
    }

    public long groupSampling(long step, long group) {
        return of(Purpose.GROUP_SAMPLING, job, step, group);
    }

    public long evalProblems() {
        return of(Purpose.EVAL_PROBLEMS, job);
    }

    /**
     * The sampling seed of an evaluation; before and after training use the same one, so the two
     * measurements differ by the model, not by the draws (a paired comparison).
     */
    public long evalSampling() {
        return of(Purpose.EVAL_SAMPLING, job);
    }

    /** The seed of sample {@code sample} of problem {@code problem} in a run of samples seeded {@code seed}. */
    public static long sample(long seed, long problem, long sample) {
        return of(Purpose.ROW, seed, problem, sample);
    }

    /** The seed of row {@code row} of a group (or problem) whose seed is {@code groupSeed}. */
    public static long row(long groupSeed, long row) {
        return of(Purpose.ROW, groupSeed, row);
    }

    /** Seeds of the G rows of one group. */
    public static long[] rows(long groupSeed, int g) {
        long[] out = new long[g];
        for (int j = 0; j < g; j++) {
            out[j] = row(groupSeed, j);
        }
        return out;
    }

    /** The seed of a stream: (purpose, keys...) folded through the SplitMix64 finaliser. */
    public static long of(Purpose purpose, long... keys) {
        long h = mix(0x5EED_1ADDE5L, purpose.ordinal());
        for (long k : keys) {
            h = mix(h, k);
        }
        return h;
    }

    /** A well-mixed 64-bit value from two (SplitMix64's finaliser over a golden-ratio step). */
    public static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
