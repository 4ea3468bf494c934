package io.ladder.tasks;

/**
 * One thing to train or evaluate on: the user text of its prompt (the policy's template goes on
 * top), the reference answer the source's verifier checks against, and, for a task derived from
 * another (ExIt's "improve this response"), the task it came from and how many steps of
 * derivation separate them.
 *
 * @param id       stable id (logs, datasets, resumes)
 * @param prompt   the user text
 * @param answer   reference answer for the verifier
 * @param parentId the task this one was derived from, or "" for a base task
 * @param iterate  0 for a base task; k for the k-th derived step (ExIt's iterate index)
 */
public record Task(String id, String prompt, String answer, String parentId, int iterate) {
    public Task {
        if (id == null || prompt == null || answer == null || parentId == null || iterate < 0) {
            throw new IllegalArgumentException("task needs an id, a prompt, an answer, a parent id (\"\" for none) and iterate >= 0");
        }
    }

    /** A base task (no parent). */
    public static Task of(String id, String prompt, String answer) {
        return new Task(id, prompt, answer, "", 0);
    }
}
