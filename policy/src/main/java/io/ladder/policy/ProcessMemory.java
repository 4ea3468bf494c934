package io.ladder.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's resident memory from /proc/self/status: what the JVM heap, libtorch's native
 * arrays and the allocator's caches hold together (the JVM's own figures see only the heap).
 * NaN where /proc is not there.
 */
public final class ProcessMemory {
    private ProcessMemory() {}

    /** Current resident set (VmRSS), in MB. */
    public static double rssMb() {
        return field("VmRSS:");
    }

    /** Peak resident set since the process started (VmHWM), in MB. */
    public static double peakRssMb() {
        return field("VmHWM:");
    }

    private static double field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0; // kB
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
