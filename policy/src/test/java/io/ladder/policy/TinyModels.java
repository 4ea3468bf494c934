package io.ladder.policy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Builds small random Ladder model folders for tests. */
final class TinyModels {
    private TinyModels() {}

    static Path write(Path dir, int layers, int hidden, int heads, int kvHeads, boolean tied, long seed)
            throws IOException {
        new RandomLlama().layers(layers).hidden(hidden).intermediate(hidden * 2).heads(heads).kvHeads(kvHeads)
                .maxPositions(256).tied(tied).seed(seed).std(0.2)
                .specialTokens(List.of("<question>", "</question>", "\\boxed{")).write(dir);
        return dir;
    }
}
