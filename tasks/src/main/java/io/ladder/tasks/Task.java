package io.ladder.tasks;

import io.ladder.tasks.env.EpisodePrefix;
import java.util.List;

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
 * @param environment     for a multi-turn episode: the environment's registry name, else ""
 * @param environmentTask for a multi-turn episode: its task as JSON (the prompt is then only its
 *                        request, for logs), else ""
 * @param samplePrompts   one user text per sample of the task's group, when the samples do not
 *                        share {@code prompt} (ExIt's per-rollout p_div); empty when they do
 * @param episodePrefix   for an episode that restarts from a turn prefix (ExIt): the model's turns
 *                        replayed before it writes; empty for a fresh episode
 * @param followup        the follow-up request that opens another attempt after the prefix, when
 *                        the prefix is a finished episode (ExIt's improve / diverge); else NONE
 */
public record Task(String id, String prompt, String answer, String parentId, int iterate, String verifier, String environment,
                   String environmentTask, List<String> samplePrompts, List<EpisodePrefix.Turn> episodePrefix,
                   EpisodePrefix.Followup followup) {
    public Task {
        if (environment == null || environmentTask == null || environment.isEmpty() != environmentTask.isEmpty()) {
            throw new IllegalArgumentException("an episode task needs both an environment and its task (\"\" for neither)");
        }
        if (id == null || prompt == null || answer == null || parentId == null || iterate < 0 || verifier == null) {
            throw new IllegalArgumentException("task needs an id, a prompt, an answer, a parent id (\"\" for none), "
                    + "iterate >= 0 and a verifier name (\"\" for the source's)");
        }
        if (!verifier.isEmpty()) {
            Verifier.named(verifier); // refuse an unknown name here, not in a rollout worker
        }
        samplePrompts = samplePrompts == null ? List.of() : List.copyOf(samplePrompts); // null: a checkpoint written before the field
        if (!samplePrompts.isEmpty() && !environment.isEmpty()) {
            throw new IllegalArgumentException("an episode task has no per-sample prompts");
        }
        episodePrefix = episodePrefix == null ? List.of() : List.copyOf(episodePrefix); // null: written before the field
        followup = followup == null ? EpisodePrefix.Followup.NONE : followup;
        if ((!episodePrefix.isEmpty() || followup != EpisodePrefix.Followup.NONE) && environment.isEmpty()) {
            throw new IllegalArgumentException("only an episode task restarts from a turn prefix");
        }
        if (followup != EpisodePrefix.Followup.NONE && episodePrefix.isEmpty()) {
            throw new IllegalArgumentException("a follow-up request needs the episode it follows");
        }
    }

    public Task(String id, String prompt, String answer, String parentId, int iterate, String verifier, String environment,
                String environmentTask, List<String> samplePrompts) {
        this(id, prompt, answer, parentId, iterate, verifier, environment, environmentTask, samplePrompts, List.of(),
                EpisodePrefix.Followup.NONE);
    }

    /** A single-turn task. */
    public Task(String id, String prompt, String answer, String parentId, int iterate, String verifier) {
        this(id, prompt, answer, parentId, iterate, verifier, "", "", List.of());
    }

    /** A base episode task of an environment. */
    public static Task episode(String id, String request, String environment, String taskJson) {
        return new Task(id, request, "", "", 0, "", environment, taskJson, List.of());
    }

    /**
     * An episode of base task {@code base} that restarts from {@code prefix}, its model turns so
     * far, opening another attempt with {@code followup} when the prefix is finished (ExIt).
     */
    public static Task continued(String id, Task base, int iterate, List<EpisodePrefix.Turn> prefix, EpisodePrefix.Followup followup) {
        return new Task(id, base.prompt(), "", base.id(), iterate, "", base.environment(), base.environmentTask(), List.of(),
                prefix, followup);
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
