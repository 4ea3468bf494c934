package io.ladder.coordinator.job;

import java.nio.file.Path;

/** Lets tests in other packages start `ladder` child JVMs. */
public final class JobProcessAccess {
    private JobProcessAccess() {}

    public static Path repo() {
        return JobProcess.repo();
    }

    public static ProcessBuilder builder(Path log, String... args) {
        return JobProcess.builder(log, args);
    }
}
