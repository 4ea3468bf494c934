package io.ladder.coordinator.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Output paths given on the command line, checked before any work is done so that a path that
 * cannot be written is one line naming its flag, not a failure after minutes of sampling.
 */
final class OutputPaths {
    private OutputPaths() {}

    /** An output file: an existing file is replaced (a report written again), a folder or a parent that cannot be a folder is refused. */
    static Path file(String flag, Path p) {
        if (Files.isDirectory(p)) {
            throw new UsageException("--" + flag + ": " + p + " is a folder; give a file name");
        }
        parent(flag, p);
        return p;
    }

    /** An output folder: an existing file there is refused. */
    static Path folder(String flag, Path p) {
        if (Files.exists(p) && !Files.isDirectory(p)) {
            throw new UsageException("--" + flag + ": " + p + " is a file; give a folder");
        }
        parent(flag, p);
        return p;
    }

    private static void parent(String flag, Path p) {
        for (Path up = p.toAbsolutePath().getParent(); up != null; up = up.getParent()) {
            if (Files.exists(up)) {
                if (!Files.isDirectory(up)) {
                    throw new UsageException("--" + flag + ": " + up + " is a file, so " + p + " cannot be written");
                }
                return;
            }
        }
    }
}
