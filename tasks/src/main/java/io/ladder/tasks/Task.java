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
 * @param verifier the {@link Verifier#name()} that checks this task's answers, or "" for its
 *                 source's (a source may mix tasks checked differently)
 */
public record Task(String id, String prompt, String answer, String parentId, int iterate, String verifier) {
    public Task {
        if (id == null || prompt == null || answer == null || parentId == null || iterate < 0 || verifier == null) {
            throw new IllegalArgumentException("task needs an id, a prompt, an answer, a parent id (\"\" for none), "
                    + "iterate >= 0 and a verifier name (\"\" for the source's)");
        }
        if (!verifier.isEmpty()) {
            Verifier.named(verifier); // refuse an unknown name here, not in a rollout worker
        }
    }

    /** A base task (no parent), checked by its source's verifier. */
    public static Task of(String id, String prompt, String answer) {
        return new Task(id, prompt, answer, "", 0, "");
    }

    /** A task derived from {@code parent} (one more iterate), with another prompt. */
    public Task derive(String newId, String newPrompt) {
        return new Task(newId, newPrompt, answer, id, iterate + 1, verifier);
    }
}
