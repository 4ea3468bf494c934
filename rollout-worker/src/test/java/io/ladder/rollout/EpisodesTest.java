package io.ladder.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import io.ladder.policy.Policy;
import io.ladder.policy.RandomLlama;
import io.ladder.policy.SamplingParams;
import io.ladder.tasks.env.Environment;
import io.ladder.tasks.env.Environments;
import io.ladder.tasks.env.EpisodePrefix;
import io.ladder.tasks.env.tools.ToolPrompts;
import io.ladder.tasks.env.tools.ToolTasks;
import io.ladder.tasks.env.tools.ToolWorld;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multi-turn episodes on a random model in the tool world: each trajectory is the model's turns
 * interleaved with the environment's tokens (context, not loss), reproducible from its seeds
 * wherever it is batched, and neither an environment that throws nor the context limit stops
 * the group.
 */
class EpisodesTest {
    @TempDir
    Path tmp;

    static final long[] SEEDS = {11, 12, 13, 14};

    Policy policy(NDManager m, int context) throws Exception {
        Path dir = tmp.resolve("m" + context);
        new RandomLlama().layers(1).hidden(32).intermediate(64).heads(2).kvHeads(1).maxPositions(context).seed(5).std(0.5).write(dir);
        return Policy.load(dir, m);
    }

    /** A turn that always calls a tool: forced by making the model's text irrelevant (the environment below). */
    static class AlwaysCalls implements Environment {
        final ToolWorld world = new ToolWorld();

        @Override
        public String name() {
            return "always-calls";
        }

        @Override
        public String reset(JsonObject task) {
            return world.reset(task);
        }

        @Override
        public Step step(String modelTurn) {
            return world.step("<tool_call>{\"name\": \"list_files\", \"arguments\": {}}</tool_call>"); // every turn a call
        }

        @Override
        public String firstPrompt(String observation) {
            return world.firstPrompt(observation);
        }

        @Override
        public List<java.util.Map<String, Object>> tools() {
            return world.tools();
        }

        @Override
        public double quality() {
            return world.quality();
        }

        @Override
        public JsonObject state() {
            return world.state();
        }

        @Override
        public void restore(JsonObject task, JsonObject state) {
            world.restore(task, state);
        }
    }

    static {
        Environments.register("always-calls", AlwaysCalls::new);
        Environments.register("throws", () -> new AlwaysCalls() {
            @Override
            public Step step(String modelTurn) {
                throw new IllegalStateException("simulated API down");
            }
        });
    }

    @Test
    void episodesInterleaveTheModelsTurnsWithTheEnvironmentsTokens() throws Exception {
        try (NDManager m = Policy.newManager(); Policy policy = policy(m, 2048)) {
            JsonObject task = ToolTasks.generate(1, 2, 0); // 4 turns at most
            SamplingParams turn = SamplingParams.defaults().withMaxNewTokens(8);
            List<Episodes.Episode> eps = Episodes.run(policy, "always-calls", task, turn, SEEDS);
            assertEquals(4, eps.size());
            for (Episodes.Episode e : eps) {
                assertEquals(e.completionIds().length, e.samplingLogprobs().length);
                assertEquals(e.completionIds().length, e.trained().length);
                assertEquals(task.get("max_turns").getAsInt(), e.turns(), "every turn called a tool: the budget ends it");
                assertEquals(0.0, e.quality());
                int model = 0;
                int env = 0;
                for (int t = 0; t < e.trained().length; t++) {
                    if (e.trained()[t]) {
                        model++;
                    } else {
                        env++;
                        assertEquals(0f, e.samplingLogprobs()[t]);
                    }
                }
                assertTrue(model > 0 && env > 0, "both the model's and the environment's tokens");
                String envText = policy.tokenizer().decode(maskedIds(e, false), false);
                assertTrue(envText.contains("<tool_response>ok: "), envText);
                assertTrue(e.transcript().contains("turn budget of 4 turns is used up"), e.transcript()); // the last answer ends it: no tokens
            }
            // sample j's turns come from its own seeds, not from its place in the batch
            List<Episodes.Episode> alone = Episodes.run(policy, "always-calls", task, turn, new long[] {SEEDS[2]});
            assertTrue(java.util.Arrays.equals(eps.get(2).completionIds(), alone.get(0).completionIds()));
            // a random model answers without calls in the real world: one turn, judged, reward 0
            List<Episodes.Episode> real = Episodes.run(policy, ToolWorld.NAME, task, turn, SEEDS);
            for (Episodes.Episode e : real) {
                assertTrue(e.turns() >= 1 && e.error() == null && e.quality() == 0.0, e.transcript());
            }
        }
    }

    @Test
    void aFailingEnvironmentOrAFullContextEndsOnlyThatEpisode() throws Exception {
        JsonObject task = ToolTasks.generate(1, 6, 0); // 8 turns allowed
        int promptLength;
        try (NDManager m = Policy.newManager(); Policy policy = policy(m, 2048)) {
            SamplingParams turn = SamplingParams.defaults().withMaxNewTokens(8);
            for (Episodes.Episode e : Episodes.run(policy, "throws", task, turn, SEEDS)) {
                assertTrue(e.error().contains("simulated API down") && e.quality() == 0.0 && e.turns() == 1, String.valueOf(e.error()));
            }
            promptLength = policy.tokenizer().encodePrompt(ToolPrompts.prompt(task.get("request").getAsString())).length;
        }
        int context = promptLength + 120; // room for the prompt and a few turns, not for 8
        try (NDManager m = Policy.newManager(); Policy policy = policy(m, context)) {
            SamplingParams turn = SamplingParams.defaults().withMaxNewTokens(16);
            for (Episodes.Episode e : Episodes.run(policy, "always-calls", task, turn, SEEDS)) {
                assertTrue(e.error() != null && e.error().contains("outgrew the model's context of " + context), String.valueOf(e.error()));
                assertTrue(e.promptIds().length + e.completionIds().length < context && e.turns() > 1, e.turns() + " turns");
                assertTrue(e.trained()[e.trained().length - 1], "the world's last answer, with no turn after it, is not kept");
            }
        }
    }

    /**
     * Tools through the model's own chat template (Qwen2.5's, from the conformance fixtures): the
     * tools are in the system turn the template writes, every later context is the template's
     * rendering of the conversation, and what the template adds around an answer is the
     * environment's (not trained).
     */
    @Test
    void chatModelsGetToolsThroughTheirTemplate() throws Exception {
        Path dir = chatModel("qwen2.5");
        try (NDManager m = Policy.newManager(); Policy policy = Policy.load(dir, m)) {
            policy.tokenizer().usePromptFormat("chat", "");
            JsonObject task = ToolTasks.generate(1, 2, 0);
            SamplingParams turn = SamplingParams.defaults().withMaxNewTokens(12);
            List<Episodes.Episode> eps = Episodes.run(policy, "always-calls", task, turn, SEEDS);
            String prompt = policy.tokenizer().decode(eps.get(0).promptIds(), false);
            assertTrue(prompt.contains("# Tools") && prompt.contains("\"name\": \"transfer\"") && prompt.contains(task.get("request").getAsString()),
                    prompt);
            for (Episodes.Episode e : eps) {
                assertEquals(null, e.error(), e.transcript());
                String env = policy.tokenizer().decode(maskedIds(e, false), false);
                assertTrue(env.contains("<|im_start|>user\n<tool_response>\nok: ") && env.contains("<|im_start|>assistant\n"), env);
                assertTrue(!env.contains("<tool_response>\n<tool_response>"), "the template frames each result once: " + env);
                assertEquals(task.get("max_turns").getAsInt(), e.turns());
            }
        }
    }

    /** Llama 3.1's template puts the tools in the first user turn and asks for bare JSON with "parameters". */
    @Test
    void llamaGetsToolsInItsTemplatesOwnFormat() throws Exception {
        try (NDManager m = Policy.newManager(); Policy policy = Policy.load(chatModel("llama3.1"), m)) {
            policy.tokenizer().usePromptFormat("chat", "");
            JsonObject task = ToolTasks.generate(1, 1, 0);
            List<Episodes.Episode> eps = Episodes.run(policy, "always-calls", task, SamplingParams.defaults().withMaxNewTokens(8), SEEDS);
            String prompt = policy.tokenizer().decode(eps.get(0).promptIds(), false);
            assertTrue(prompt.contains("\"parameters\": dictionary of argument name and its value") && prompt.contains("\"transfer\"")
                    && prompt.contains(task.get("request").getAsString()), prompt);
            for (Episodes.Episode e : eps) {
                assertEquals(null, e.error(), e.transcript());
                String env = policy.tokenizer().decode(maskedIds(e, false), false);
                assertTrue(env.contains("<|start_header_id|>ipython<|end_header_id|>") && env.contains("<|end_header_id|>\n\nok: ")
                        && env.contains("<|start_header_id|>assistant<|end_header_id|>"), env);
            }
        }
    }

    /**
     * SmolLM2's template ignores tools=: the first user turn describes them in the tool world's own
     * words, after the prompt format's system turn and worked example.
     */
    @Test
    void aTemplateWithoutToolsGetsThemInTheFirstUserTurn() throws Exception {
        Path dir = chatModel("smollm2");
        java.nio.file.Files.copy(fixture("smollm2").resolve("chat_template.jinja"), dir.resolve("chat_template.jinja"));
        try (NDManager m = Policy.newManager(); Policy policy = Policy.load(dir, m)) {
            policy.tokenizer().usePromptFormat("chat", "Call the tools.", List.of(new io.ladder.policy.PromptTemplate.Example(
                    "Request: open an account for bob.", "<tool_call>{\"name\": \"open_account\", \"arguments\": {\"owner\": \"bob\"}}</tool_call>")));
            JsonObject task = ToolTasks.generate(1, 1, 0);
            List<Episodes.Episode> eps = Episodes.run(policy, "always-calls", task, SamplingParams.defaults().withMaxNewTokens(8), SEEDS);
            String prompt = policy.tokenizer().decode(eps.get(0).promptIds(), false);
            assertTrue(prompt.startsWith("<|im_start|>system\nCall the tools.<|im_end|>\n<|im_start|>user\nRequest: open an account for bob."
                    + "<|im_end|>\n<|im_start|>assistant\n<tool_call>"), prompt);
            assertTrue(prompt.contains("<|im_start|>user\n" + io.ladder.tasks.env.tools.ToolPrompts.prompt(task.get("request").getAsString())),
                    prompt);
            assertTrue(prompt.endsWith("<|im_start|>assistant\n"), prompt);
            String env = policy.tokenizer().decode(maskedIds(eps.get(0), false), false);
            assertTrue(env.contains("<|im_start|>tool\nok: "), env); // a template without tools: the result as the tool message
        }
    }

    /**
     * ExIt's restarts: a replayed turn prefix is prompt (context, never loss), the episode goes on
     * from the state it left with the turns it has left, and a finished prefix is reopened by the
     * follow-up request; a prefix that does not fit ends only its own episode.
     */
    @Test
    void anEpisodeRestartsFromAReplayedTurnPrefix() throws Exception {
        try (NDManager m = Policy.newManager(); Policy policy = policy(m, 2048)) {
            JsonObject task = ToolTasks.generate(1, 2, 0); // 4 turns allowed
            String call = ToolPrompts.call(task.getAsJsonArray("calls").get(0).getAsJsonObject());
            SamplingParams turn = SamplingParams.defaults().withMaxNewTokens(8);
            Episodes.Start mid = new Episodes.Start(List.of(EpisodePrefix.Turn.of(call)), EpisodePrefix.Followup.NONE);
            List<Episodes.Episode> eps = Episodes.run(policy, "always-calls", task, mid, turn, SEEDS);
            List<Episodes.Episode> fresh = Episodes.run(policy, "always-calls", task, turn, SEEDS);
            for (Episodes.Episode e : eps) {
                assertEquals(null, e.error(), e.transcript());
                assertEquals(3, e.turns(), "one of the 4 turns was the prefix's");
                assertEquals(e.turns(), e.turnTexts().size());
                String prompt = policy.tokenizer().decode(e.promptIds(), false);
                assertTrue(prompt.contains(call + policy.tokenizer().decode(new int[] {policy.tokenizer().eosIds().iterator().next()}, false)
                        + "<tool_response>ok: "), prompt);
                assertTrue(e.promptIds().length > fresh.get(0).promptIds().length);
            }
            // a finished prefix, reopened: the follow-up request is the last thing before the model's turn
            List<EpisodePrefix.Turn> finished = List.of(EpisodePrefix.Turn.of(call), EpisodePrefix.Turn.of("Done."));
            for (Episodes.Episode e : Episodes.run(policy, ToolWorld.NAME, task,
                    new Episodes.Start(finished, EpisodePrefix.Followup.IMPROVE), turn, SEEDS)) {
                assertEquals(null, e.error(), e.transcript());
                String prompt = policy.tokenizer().decode(e.promptIds(), false);
                String improve = EpisodePrefix.Followup.IMPROVE.text(task.get("request").getAsString());
                assertTrue(prompt.endsWith(ToolPrompts.followup(improve)), prompt);
            }
            // a prefix longer than the context: that episode ends, its trajectory the first prompt alone, so it fits
            List<EpisodePrefix.Turn> huge = java.util.Collections.nCopies(3, EpisodePrefix.Turn.of(call + "x".repeat(2000)));
            Episodes.Episode tooLong = Episodes.run(policy, "always-calls", task, new Episodes.Start(huge, EpisodePrefix.Followup.NONE),
                    turn, new long[] {1}).get(0);
            assertTrue(tooLong.error().contains("outgrew the model's context of 2048") && tooLong.turns() == 0, tooLong.error());
            assertEquals(fresh.get(0).promptIds().length, tooLong.promptIds().length);
            // one start per episode (the K-step evaluation's chains); a prefix the environment refuses ends that episode only
            List<Episodes.Start> starts = List.of(Episodes.Start.FRESH, mid, new Episodes.Start(finished, EpisodePrefix.Followup.NONE),
                    new Episodes.Start(List.of(EpisodePrefix.Turn.of(call)), EpisodePrefix.Followup.DIVERGE));
            List<Episodes.Episode> mixed = Episodes.run(policy, ToolWorld.NAME, task, starts, turn, SEEDS);
            assertEquals(null, mixed.get(0).error());
            assertEquals(null, mixed.get(1).error());
            assertTrue(mixed.get(2).error().contains("no follow-up reopened it") && mixed.get(2).turns() == 0, mixed.get(2).error());
            assertTrue(mixed.get(3).error().contains("a follow-up request before the episode ended"), mixed.get(3).error());
            assertEquals(0.0, mixed.get(3).quality());
        }
    }

    /** A chat model gets the follow-up as a user message of its own template. */
    @Test
    void aChatModelGetsTheFollowupAsAUserMessage() throws Exception {
        try (NDManager m = Policy.newManager(); Policy policy = Policy.load(chatModel("qwen2.5"), m)) {
            policy.tokenizer().usePromptFormat("chat", "");
            JsonObject task = ToolTasks.generate(1, 1, 0);
            String call = ToolPrompts.call(task.getAsJsonArray("calls").get(0).getAsJsonObject());
            Episodes.Start again = new Episodes.Start(List.of(EpisodePrefix.Turn.of(call), EpisodePrefix.Turn.of("Done.")),
                    EpisodePrefix.Followup.DIVERGE);
            List<Episodes.Episode> eps = Episodes.run(policy, ToolWorld.NAME, task, again, SamplingParams.defaults().withMaxNewTokens(8),
                    new long[] {1});
            String prompt = policy.tokenizer().decode(eps.get(0).promptIds(), false);
            String diverge = EpisodePrefix.Followup.DIVERGE.text(task.get("request").getAsString());
            assertTrue(diverge.contains(task.get("request").getAsString()), "the follow-up restates the request");
            assertTrue(prompt.endsWith("<|im_start|>assistant\nDone.<|im_end|>\n<|im_start|>user\n" + diverge
                    + "<|im_end|>\n<|im_start|>assistant\n"), prompt);
            assertTrue(prompt.contains("<|im_start|>user\n<tool_response>\nok: bob now has"), prompt); // the replayed answer
        }
    }

    /**
     * A random model with a chat-template fixture's tokenizer files (cut-down vocabularies: the
     * tools' JSON takes several thousand tokens, hence the long context).
     */
    Path chatModel(String fixtureName) throws Exception {
        Path dir = tmp.resolve(fixtureName + "-chat");
        new RandomLlama().layers(1).hidden(32).intermediate(64).heads(2).kvHeads(1).maxPositions(16384).seed(5).std(0.5)
                .specialTokens(List.of("<s1>", "<s2>", "<s3>", "<s4>", "<s5>", "<s6>")).write(dir); // rows for every fixture's special ids
        Path fixture = fixture(fixtureName);
        for (String f : new String[] {"tokenizer.json", "tokenizer_config.json"}) {
            java.nio.file.Files.copy(fixture.resolve(f), dir.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return dir;
    }

    static Path fixture(String name) {
        for (Path base : new Path[] {Path.of(".."), Path.of(".")}) {
            Path p = base.resolve("policy/src/test/resources/chat-templates").resolve(name);
            if (java.nio.file.Files.isDirectory(p)) {
                return p;
            }
        }
        throw new IllegalStateException("chat-template fixture " + name + " not found");
    }

    static int[] maskedIds(Episodes.Episode e, boolean trained) {
        return java.util.stream.IntStream.range(0, e.completionIds().length).filter(t -> e.trained()[t] == trained)
                .map(t -> e.completionIds()[t]).toArray();
    }
}
