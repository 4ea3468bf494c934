package io.ladder.policy;

import io.ladder.policy.chat.ChatTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a user's text becomes the model's prompt. A model with a chat template (instruct
 * checkpoints) gets its own template, rendered as transformers renders it: the user turn,
 * after an optional system turn, then the open assistant turn. A model without one (the tiny
 * models Ladder pretrains itself) is a completion model and sees the text as is, after BOS.
 */
public interface PromptTemplate {
    /** The rendered prompt and whether the tokenizer should still add its special tokens (BOS). */
    record Rendered(String text, boolean addSpecialTokens) {}

    Rendered render(String userText);

    /**
     * The conversation a chat template renders for {@code userText}: the system turn and the
     * examples when given, then the user turn (a multi-turn episode continues it).
     */
    default List<Map<String, Object>> messages(String userText) {
        return List.of(ChatTemplate.message("user", userText));
    }

    /** completion or chat: what {@code prompt_format} / {@code --template} name. */
    String name();

    /** Plain completion: the text itself; the tokenizer's post-processor adds BOS. */
    PromptTemplate COMPLETION = new PromptTemplate() {
        @Override
        public Rendered render(String userText) {
            return new Rendered(userText, true);
        }

        @Override
        public String name() {
            return "completion";
        }
    };

    /** An example exchange shown before the prompt as earlier turns of the conversation. */
    record Example(String user, String assistant) {}

    /** One user turn in the model's own chat template, after {@code system} and the examples, when given. */
    static PromptTemplate chat(ChatTemplate template, String system) {
        return chat(template, system, List.of());
    }

    static PromptTemplate chat(ChatTemplate template, String system, List<Example> examples) {
        return new PromptTemplate() {
            @Override
            public Rendered render(String userText) {
                // The template writes BOS itself when the model wants one, as with apply_chat_template.
                return new Rendered(template.render(messages(userText), true, null, Map.of()), false);
            }

            @Override
            public List<Map<String, Object>> messages(String userText) {
                List<Map<String, Object>> messages = new ArrayList<>(2 + 2 * examples.size());
                if (system != null && !system.isEmpty()) {
                    messages.add(ChatTemplate.message("system", system));
                }
                for (Example e : examples) {
                    messages.add(ChatTemplate.message("user", e.user()));
                    messages.add(ChatTemplate.message("assistant", e.assistant()));
                }
                messages.add(ChatTemplate.message("user", userText));
                return messages;
            }

            @Override
            public String name() {
                return "chat";
            }
        };
    }

    /**
     * {@code auto} (the chat template when the model has one, else completion), {@code chat} or
     * {@code completion}. A system prompt and examples need a chat template.
     */
    static PromptTemplate named(String name, ChatTemplate template, String system, String model) {
        return named(name, template, system, List.of(), model);
    }

    static PromptTemplate named(String name, ChatTemplate template, String system, List<Example> examples,
                                String model) {
        boolean hasSystem = system != null && !system.isEmpty();
        if (!examples.isEmpty() && (template == null || name.equals("completion"))) {
            throw new IllegalArgumentException("few-shot examples need the chat format, and " + model
                    + (template == null ? " has no chat template" : " is prompted as a completion model"));
        }
        return switch (name.isEmpty() ? "auto" : name) {
            case "auto" -> template != null ? chat(template, system, examples) : completion(hasSystem, model);
            case "completion" -> completion(hasSystem, model);
            case "chat" -> {
                if (template == null) {
                    throw new IllegalArgumentException(model + " has no chat template (tokenizer_config.json"
                            + " chat_template or chat_template.jinja), so prompt format \"chat\" is not possible;"
                            + " use completion or auto");
                }
                yield chat(template, system, examples);
            }
            default -> throw new IllegalArgumentException("unknown prompt format \"" + name
                    + "\" (auto, chat, completion)");
        };
    }

    private static PromptTemplate completion(boolean hasSystem, String model) {
        if (hasSystem) {
            throw new IllegalArgumentException("a system prompt needs the chat format, and " + model
                    + " is prompted as a completion model");
        }
        return COMPLETION;
    }
}
