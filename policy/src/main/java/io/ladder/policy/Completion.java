package io.ladder.policy;

/**
 * One sampled continuation. {@code tokenIds} includes a final EOS token when the model stopped
 * on it (the learner must see that choice); {@code text} is the decoded continuation without
 * special tokens, cut before a matched stop string. {@code logprobs[i]} is
 * log softmax(logits / T)[tokenIds[i]] under the full (untruncated) distribution at the
 * sampling temperature (T = 1 for greedy) — the quantity {@link Policy#score} recomputes.
 */
public record Completion(int[] tokenIds, String text, float[] logprobs, FinishReason finishReason) {
    public enum FinishReason {
        /** EOS token or a stop string. */
        STOP,
        /** max new tokens or the model's context length reached. */
        LENGTH;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public double sumLogprob() {
        double s = 0;
        for (float f : logprobs) {
            s += f;
        }
        return s;
    }
}
