package io.ladder.policy;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Builds small random Ladder model folders for tests. */
final class TinyModels {
    private TinyModels() {}

    static Path write(Path dir, int layers, int hidden, int heads, int kvHeads, boolean tied, long seed)
            throws IOException {
        int vocab = ByteLevelTokenizerWriter.write(dir, List.of("<question>", "</question>", "\\boxed{"));
        LlamaConfig cfg = LlamaConfig.create(vocab, hidden, hidden * 2, layers, heads, kvHeads, 256, tied,
                256, 257, 258);
        try (NDManager m = Policy.newManager(); LlamaModel model = LlamaModel.initialize(cfg, seed, 0.2, m)) {
            model.save(dir, "float32");
        }
        return dir;
    }
}
