package io.ladder.coordinator.job;

import io.ladder.policy.Policy;
import io.ladder.policy.PromptTemplate;
import io.ladder.proto.ChatExample;
import io.ladder.proto.ModelSpec;
import io.ladder.proto.RolloutWorkerInit;
import java.util.List;

/** A job's prompt settings (model.prompt_format, system_prompt, few_shot) applied wherever its model is prompted. */
public final class PromptFormats {
    private PromptFormats() {}

    /** Renders the policy's prompts as the spec's model section says. */
    public static void apply(Policy policy, ModelSpec model) {
        policy.tokenizer().usePromptFormat(model.getPromptFormat(), model.getSystemPrompt(), examples(model.getFewShotList()));
    }

    /** The same settings for a rollout worker, which applies them with {@link #examples} on its side. */
    public static RolloutWorkerInit.Builder copyTo(RolloutWorkerInit.Builder init, ModelSpec model) {
        return init.setPromptFormat(model.getPromptFormat()).setSystemPrompt(model.getSystemPrompt())
                .clearFewShot().addAllFewShot(model.getFewShotList());
    }

    public static List<PromptTemplate.Example> examples(List<ChatExample> shots) {
        return shots.stream().map(e -> new PromptTemplate.Example(e.getUser(), e.getAssistant())).toList();
    }
}
