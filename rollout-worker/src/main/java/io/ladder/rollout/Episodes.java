package io.ladder.rollout;

import com.google.gson.JsonObject;
import io.ladder.policy.Completion;
import io.ladder.policy.Policy;
import io.ladder.policy.SamplingParams;
import io.ladder.tasks.Seeds;
import io.ladder.tasks.env.Environment;
import io.ladder.tasks.env.EpisodePrefix;
import io.ladder.tasks.env.Environments;
import java.util.ArrayList;
import java.util.List;

/**
 * G multi-turn episodes of one environment task, as one GRPO group: every turn, the model writes
 * a turn for each episode still running (one batched generate call), the environment answers,
 * and its answer is appended to that episode's context. An episode is one trajectory: the first
 * prompt, then the model's turns interleaved with the environment's tokens, which are context but
 * not loss ({@link Episode#trained}). Its reward is the environment's final quality.
 *
 * <p>Nothing an environment or the model does stops the group: an environment that throws, or an
 * episode that would outgrow the context, ends that episode with its error recorded and reward 0.
 */
public final class Episodes {
    private Episodes() {}

    /** One finished episode; {@code turnTexts} are the model's turns it wrote (not a replayed prefix). */
    public record Episode(int[] promptIds, int[] completionIds, float[] samplingLogprobs, boolean[] trained, double quality,
                          int turns, String transcript, String error, List<String> turnTexts) {
        /** Whether the episode did what its task asked (a quality of 1): what success and pass@k count. */
        public boolean solved() {
            return quality >= 1.0;
        }
    }

    /**
     * Where an episode starts: fresh, or (ExIt) after a turn prefix replayed in the environment,
     * with a follow-up request opening another attempt when the prefix is a finished episode.
     */
    public record Start(List<EpisodePrefix.Turn> prefix, EpisodePrefix.Followup followup) {
        public static final Start FRESH = new Start(List.of(), EpisodePrefix.Followup.NONE);

        public Start {
            prefix = List.copyOf(prefix);
        }
    }

    /** G fresh episodes of {@code task}. */
    public static List<Episode> run(Policy policy, String envName, JsonObject task, SamplingParams perTurn, long[] rowSeeds) {
        return run(policy, envName, task, Start.FRESH, perTurn, rowSeeds);
    }

    /** G episodes of {@code task} from one start (an ExIt group restarts its G episodes from one prefix). */
    public static List<Episode> run(Policy policy, String envName, JsonObject task, Start start, SamplingParams perTurn, long[] rowSeeds) {
        return run(policy, envName, task, java.util.Collections.nCopies(rowSeeds.length, start), perTurn, rowSeeds);
    }

    /**
     * Runs {@code rowSeeds.length} episodes of {@code task} in environment {@code envName}, episode
     * j from {@code starts.get(j)}.
     *
     * <p>With a chat prompt format the conversation is the model's own chat template: the model's
     * turns are assistant messages, the environment's answers tool messages, follow-up requests
     * user messages, and each turn's context is the template's rendering of the conversation so
     * far; the tokens the template adds around an answer are the environment's. An environment's
     * {@link Environment#tools()} go to the template as transformers' {@code tools=} when the
     * template shows them; a template that ignores them (SmolLM2's) gets the environment's
     * {@link Environment#firstPrompt}, which describes them, as the first user turn. Without a
     * chat format the first prompt is the environment's {@link Environment#firstPrompt} and
     * answers are appended as text.
     *
     * <p>A replayed prefix is part of the episode's prompt: context, never loss, rebuilt from the
     * turns' text; the episode's own turns follow it.
     *
     * @param perTurn sampling of one turn (its max_new_tokens is a turn's budget)
     */
    public static List<Episode> run(Policy policy, String envName, JsonObject task, List<Start> starts, SamplingParams perTurn,
                                    long[] rowSeeds) {
        int g = rowSeeds.length;
        if (starts.size() != g) {
            throw new IllegalArgumentException(starts.size() + " starts for " + g + " episodes");
        }
        int context = policy.model().maxPositions();
        Environment[] envs = new Environment[g];
        for (int j = 0; j < g; j++) {
            envs[j] = Environments.create(envName);
        }
        boolean chat = policy.tokenizer().promptFormat().equals("chat");
        // tools= only where the template shows them; else (SmolLM2's template ignores tools) the
        // first user turn describes them in the environment's own words
        List<java.util.Map<String, Object>> tools = chat && envs[0].tools() != null && showsTools(policy, envs[0].tools())
                ? envs[0].tools() : null;
        List<List<java.util.Map<String, Object>>> messages = new ArrayList<>();
        int[][] prompts = new int[g][];
        List<List<Integer>> tokens = new ArrayList<>();
        List<List<Float>> logprobs = new ArrayList<>();
        List<List<Boolean>> trained = new ArrayList<>();
        List<List<String>> turnTexts = new ArrayList<>();
        StringBuilder[] transcript = new StringBuilder[g];
        double[] quality = new double[g];
        int[] turns = new int[g];
        String[] error = new String[g];
        boolean[] done = new boolean[g];
        for (int j = 0; j < g; j++) {
            String first = envs[j].reset(task);
            // the prompt format's system turn and few-shot examples come first, as for single-turn prompts
            messages.add(new ArrayList<>(policy.tokenizer().chatMessages(tools != null ? first : envs[j].firstPrompt(first))));
            tokens.add(new ArrayList<>());
            logprobs.add(new ArrayList<>());
            trained.add(new ArrayList<>());
            turnTexts.add(new ArrayList<>());
            transcript[j] = new StringBuilder();
            int[] fresh = chat ? policy.tokenizer().encodeChat(messages.get(j), true, tools)
                    : policy.tokenizer().encodePrompt(envs[j].firstPrompt(first));
            try {
                prompts[j] = starts.get(j).prefix().isEmpty() && starts.get(j).followup() == EpisodePrefix.Followup.NONE ? fresh
                        : startingPrompt(policy, envs[j], task, first, fresh, starts.get(j), chat, messages.get(j), tools);
            } catch (RuntimeException e) {
                prompts[j] = fresh;
                end(j, done, quality, error, "the turn prefix could not be replayed: " + e.getMessage());
            }
            if (prompts[j].length >= context) { // a long replayed prefix: the trajectory keeps the first prompt so it fits
                prompts[j] = fresh;
                end(j, done, quality, error, "the episode outgrew the model's context of " + context + " tokens");
            }
        }
        for (int turn = 0; ; turn++) {
            List<Integer> active = new ArrayList<>();
            for (int j = 0; j < g; j++) {
                if (!done[j] && prompts[j].length + tokens.get(j).size() + perTurn.maxNewTokens() >= context) {
                    // no turn follows the world's last answer: dropped, so the trajectory fits the context it outgrew
                    while (!trained.get(j).isEmpty() && !trained.get(j).get(trained.get(j).size() - 1)) {
                        int last = trained.get(j).size() - 1;
                        tokens.get(j).remove(last);
                        logprobs.get(j).remove(last);
                        trained.get(j).remove(last);
                    }
                    end(j, done, quality, error, "the episode outgrew the model's context of " + context + " tokens");
                }
                if (!done[j]) {
                    active.add(j);
                }
            }
            if (active.isEmpty()) {
                break;
            }
            List<int[]> contexts = new ArrayList<>(active.size());
            long[] seeds = new long[active.size()];
            for (int a = 0; a < active.size(); a++) {
                int j = active.get(a);
                int[] prompt = prompts[j];
                int[] ctx = new int[prompt.length + tokens.get(j).size()];
                System.arraycopy(prompt, 0, ctx, 0, prompt.length);
                for (int t = 0; t < tokens.get(j).size(); t++) {
                    ctx[prompt.length + t] = tokens.get(j).get(t);
                }
                contexts.add(ctx);
                seeds[a] = Seeds.mix(rowSeeds[j], turn); // episode j's turn t: the same wherever it is batched
            }
            List<Completion> out = policy.generate(contexts, perTurn, seeds);
            for (int a = 0; a < active.size(); a++) {
                int j = active.get(a);
                Completion c = out.get(a);
                for (int t = 0; t < c.tokenIds().length; t++) {
                    tokens.get(j).add(c.tokenIds()[t]);
                    logprobs.get(j).add(c.logprobs()[t]);
                    trained.get(j).add(true);
                }
                transcript[j].append(c.text());
                turnTexts.get(j).add(c.text());
                turns[j]++;
                Environment.Step step;
                try {
                    step = envs[j].step(c.text());
                } catch (RuntimeException e) {
                    end(j, done, quality, error, "the environment failed: " + e);
                    continue;
                }
                transcript[j].append(step.observation());
                if (step.done()) {
                    done[j] = true;
                    quality[j] = step.quality();
                    continue;
                }
                int[] answer;
                if (chat) {
                    answer = templateAnswer(policy, messages.get(j), c, step.results(), tools);
                    if (answer == null) {
                        end(j, done, quality, error, "the chat template does not write an assistant turn's content right "
                                + "after its generation prompt, so the answer cannot follow the turn");
                        continue;
                    }
                } else {
                    answer = policy.tokenizer().encode(step.observation(), false);
                }
                for (int id : answer) {
                    tokens.get(j).add(id);
                    logprobs.get(j).add(0f); // not the model's: no sampling log-prob, not in the loss
                    trained.get(j).add(false);
                }
            }
        }
        List<Episode> episodes = new ArrayList<>(g);
        for (int j = 0; j < g; j++) {
            int n = tokens.get(j).size();
            int[] ids = new int[n];
            float[] lp = new float[n];
            boolean[] tr = new boolean[n];
            for (int t = 0; t < n; t++) {
                ids[t] = tokens.get(j).get(t);
                lp[t] = logprobs.get(j).get(t);
                tr[t] = trained.get(j).get(t);
            }
            episodes.add(new Episode(prompts[j], ids, lp, tr, quality[j], turns[j], transcript[j].toString(), error[j],
                    List.copyOf(turnTexts.get(j))));
        }
        return episodes;
    }

    /**
     * The tokens an episode's first turn is written after: the first prompt ({@code fresh}), then
     * (ExIt) the prefix's turns replayed in {@code env} with the environment's answers and
     * follow-up requests, then the follow-up that opens the new attempt. Chat models get it all
     * through their template ({@code messages} grows with it); others as the text the episode
     * would have. What a prefix may be is {@link EpisodePrefix#replay}'s to say.
     */
    private static int[] startingPrompt(Policy policy, Environment env, JsonObject task, String first, int[] fresh, Start start,
                                        boolean chat, List<java.util.Map<String, Object>> messages,
                                        List<java.util.Map<String, Object>> tools) {
        List<Integer> ids = new ArrayList<>();
        if (!chat) {
            append(ids, fresh);
        }
        EpisodePrefix.Replayed r = EpisodePrefix.replay(env, task, start.prefix(), start.followup(), new EpisodePrefix.Listener() {
            @Override
            public void followup(EpisodePrefix.Followup followup) {
                if (chat) {
                    messages.add(java.util.Map.of("role", "user", "content", followup.text(first)));
                } else {
                    append(ids, policy.tokenizer().encode(env.followupPrompt(followup.text(first)), false));
                }
            }

            @Override
            public void turn(String text, Environment.Step step) {
                if (chat) {
                    messages.add(java.util.Map.of("role", "assistant", "content", text));
                    if (!step.done()) {
                        step.results().forEach(res -> messages.add(java.util.Map.of("role", "tool", "content", res)));
                    }
                } else {
                    append(ids, policy.tokenizer().encode(text, false));
                    policy.tokenizer().eosIds().stream().min(Integer::compare).ifPresent(ids::add); // the turn ended as sampled turns do
                    if (!step.done()) {
                        append(ids, policy.tokenizer().encode(step.observation(), false));
                    }
                }
            }
        });
        if (r.done()) {
            throw new IllegalArgumentException("the prefix is a finished episode and no follow-up reopened it");
        }
        return chat ? policy.tokenizer().encodeChat(messages, true, tools) : ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void append(List<Integer> to, int[] ids) {
        for (int id : ids) {
            to.add(id);
        }
    }

    /** Whether the model's chat template writes {@code tools} into the prompt at all. */
    static boolean showsTools(Policy policy, List<java.util.Map<String, Object>> tools) {
        var template = policy.tokenizer().chatTemplate();
        List<java.util.Map<String, Object>> probe = List.of(java.util.Map.of("role", "user", "content", "?"));
        return !template.render(probe, true, tools, java.util.Map.of()).equals(template.render(probe, true, null, java.util.Map.of()));
    }

    private static final String TURN = "LADDER_TURN_PLACEHOLDER";

    /**
     * The tokens the chat template puts between the model's turn and its next one: the end of the
     * assistant message, one tool message per call's result, the generation prompt. The
     * model's sampled tokens stay as they were (never re-tokenized, so a turn whose text would
     * tokenize differently is still what was sampled): the template renders the turn as a plain
     * placeholder, and only what it writes after that is encoded. Null when the template does not
     * put an assistant message's content verbatim after the generation prompt.
     */
    private static int[] templateAnswer(Policy policy, List<java.util.Map<String, Object>> messages, Completion turn,
                                        List<String> results, List<java.util.Map<String, Object>> tools) {
        var template = policy.tokenizer().chatTemplate();
        String before = template.render(messages, true, tools, java.util.Map.of());
        List<java.util.Map<String, Object>> probe = new ArrayList<>(messages);
        probe.add(java.util.Map.of("role", "assistant", "content", TURN));
        results.forEach(r -> probe.add(java.util.Map.of("role", "tool", "content", r)));
        String after = template.render(probe, true, tools, java.util.Map.of());
        messages.add(java.util.Map.of("role", "assistant", "content", turn.text()));
        results.forEach(r -> messages.add(java.util.Map.of("role", "tool", "content", r)));
        if (!after.startsWith(before + TURN)) {
            return null;
        }
        String added = after.substring(before.length() + TURN.length());
        int[] ids = turn.tokenIds();
        if (ids.length > 0 && policy.tokenizer().isEos(ids[ids.length - 1])) {
            String eos = policy.tokenizer().decode(new int[] {ids[ids.length - 1]}, false);
            if (added.startsWith(eos)) {
                added = added.substring(eos.length()); // the model already wrote the end of its message
            }
        }
        return policy.tokenizer().encode(added, false);
    }

    private static void end(int j, boolean[] done, double[] quality, String[] error, String why) {
        done[j] = true;
        quality[j] = 0.0;
        error[j] = why;
    }
}
