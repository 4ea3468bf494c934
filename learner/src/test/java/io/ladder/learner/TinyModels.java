package io.ladder.learner;

import io.ladder.policy.RandomLlama;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small random model folders (byte-level tokenizer, Llama config) for learner tests. */
final class TinyModels {
    private TinyModels() {}

    static Path write(Path dir, int layers, int hidden, int heads, int kvHeads, boolean tied, long seed, double std)
            throws IOException {
        new RandomLlama().layers(layers).hidden(hidden).intermediate(hidden * 2).heads(heads).kvHeads(kvHeads)
                .maxPositions(64).tied(tied).seed(seed).std(std).write(dir);
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
