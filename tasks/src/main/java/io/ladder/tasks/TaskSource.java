package io.ladder.tasks;

import io.ladder.proto.RolloutBatch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where an algorithm's tasks come from: the tasks of a training step, the held-out tasks, and the
 * verifier that scores completions. A source may learn from what happened ({@link #observe}: an
 * ExIt buffer scores its instances by the rewards of their groups) and may have state the job
 * checkpoints ({@link #saveState} / {@link #loadState}); the defaults do nothing.
 *
 * <p>Implementations: {@link SpecTaskSource} (a job spec's arithmetic world or dataset) and
 * {@link ListTaskSource} (a fixed list: SOAR's synthetic datasets X_k, its Q_R samples).
 */
public interface TaskSource {
    /** The {@code count} tasks of step {@code step}: a function of the source's seed, the step and its state. */
    List<Task> tasksForStep(long step, int count);

    /** The held-out tasks (never drawn for training). */
    List<Task> evalTasks(int count) throws IOException;

    /** Scores completions of this source's tasks. */
    Verifier verifier();

    /** Called with each step's rollouts (group i = task i of {@link #tasksForStep}), after the update. */
    default void observe(long step, List<Task> tasks, RolloutBatch rollouts) {}

    /** Writes the source's state into {@code dir} (created by the caller), for a checkpoint. */
    default void saveState(Path dir) throws IOException {}

    /** Restores what {@link #saveState} wrote. */
    default void loadState(Path dir) throws IOException {}
}
