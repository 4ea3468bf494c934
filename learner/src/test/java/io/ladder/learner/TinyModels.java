package io.ladder.learner;

import ai.djl.ndarray.NDManager;
import io.ladder.policy.ByteLevelTokenizerWriter;
import io.ladder.policy.LlamaConfig;
import io.ladder.policy.LlamaModel;
import io.ladder.policy.Policy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Small random model folders (byte-level tokenizer, Llama config) for learner tests. */
final class TinyModels {
    private TinyModels() {}

    static Path write(Path dir, int layers, int hidden, int heads, int kvHeads, boolean tied, long seed, double std)
            throws IOException {
        int vocab = ByteLevelTokenizerWriter.write(dir, List.of());
        LlamaConfig cfg = LlamaConfig.create(vocab, hidden, hidden * 2, layers, heads, kvHeads, 64, tied,
                256, 257, 258);
        try (NDManager m = Policy.newManager(); LlamaModel model = LlamaModel.initialize(cfg, seed, std, m)) {
            model.save(dir, "float32");
        }
        return dir;
    }

    /** The conformance checkpoints that transformers wrote (policy module test resources). */
    static Path conformance(String name) {
        String root = System.getProperty("ladder.repo.root");
        for (Path base : new Path[] {root == null ? null : Path.of(root), Path.of(".."), Path.of(".")}) {
            if (base == null) {
                continue;
            }
            Path p = base.resolve("policy/src/test/resources/conformance").resolve(name);
            if (Files.isRegularFile(p.resolve("config.json"))) {
                return p;
            }
        }
        throw new IllegalStateException("conformance checkpoint " + name + " not found (set -Dladder.repo.root)");
    }
}
