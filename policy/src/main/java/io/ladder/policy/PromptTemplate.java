package io.ladder.policy;

import java.util.Map;

/**
 * How a user's text becomes the model's prompt. Instruct checkpoints get the Llama 3 chat
 * format (header tokens around the user turn, then an open assistant header); the tiny models
 * Ladder pretrains itself are completion models and see the text as is, after BOS.
 */
public interface PromptTemplate {
    /** The rendered prompt and whether the tokenizer should still add its special tokens (BOS). */
    record Rendered(String text, boolean addSpecialTokens) {}

    Rendered render(String userText);

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

    /** Llama 3 instruct chat format for one user turn, ending with an open assistant turn. */
    PromptTemplate LLAMA3_CHAT = new PromptTemplate() {
        @Override
        public Rendered render(String userText) {
            String text = "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n" + userText.strip()
                    + "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n";
            return new Rendered(text, false); // BOS is already in the text
        }

        @Override
        public String name() {
            return "llama3-chat";
        }
    };

    /** The chat format when the folder's chat template and vocabulary are Llama 3's, else completion. */
    static PromptTemplate forModel(String chatTemplate, Map<String, Integer> specialTokens) {
        boolean llama3Tokens = specialTokens.containsKey("<|start_header_id|>")
                && specialTokens.containsKey("<|end_header_id|>") && specialTokens.containsKey("<|eot_id|>");
        if (chatTemplate != null && chatTemplate.contains("<|start_header_id|>") && llama3Tokens) {
            return LLAMA3_CHAT;
        }
        return COMPLETION;
    }

    static PromptTemplate named(String name, PromptTemplate auto) {
        return switch (name) {
            case "auto" -> auto;
            case "completion", "plain" -> COMPLETION;
            case "chat", "llama3-chat" -> LLAMA3_CHAT;
            default -> throw new IllegalArgumentException("unknown template \"" + name + "\" (auto, completion, chat)");
        };
    }
}
