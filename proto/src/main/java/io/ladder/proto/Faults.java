package io.ladder.proto;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault injection for the reliability checks, at named points of a job:
 * {@code LADDER_FAIL_AT=NAME#n} (or {@code -Dladder.failAt=NAME#n}) makes the n-th pass through
 * {@link #failAt} throw (a bug, a broken device); {@code LADDER_KILL_AT=NAME#n} (or
 * {@code -Dladder.killAt=NAME#n}) SIGKILLs the process at the n-th pass through {@link #killAt}
 * (scripts/check/kill-resume.sh aims at windows inside checkpoint writing and metrics truncation,
 * where a random kill rarely lands; the cluster test kills a rollout worker between its weights
 * and its next rollouts). {@code #n} defaults to the first pass, counted per process.
 * Unset (always, outside those checks), a point costs one comparison.
 */
public final class Faults {
    // the property reaches actors in a cluster's worker JVMs (cluster.worker_jvm_options), the environment does not
    private static final String FAIL = setting("LADDER_FAIL_AT", "ladder.failAt");
    private static final String KILL = setting("LADDER_KILL_AT", "ladder.killAt");
    private static final ConcurrentHashMap<String, AtomicInteger> PASSES = new ConcurrentHashMap<>();

    private Faults() {}

    private static String setting(String env, String property) {
        return System.getenv(env) != null ? System.getenv(env) : System.getProperty(property);
    }

    public static void failAt(String name) {
        if (due(FAIL, name)) {
            throw new IllegalStateException("injected failure at " + name + " (LADDER_FAIL_AT)");
        }
    }

    public static void killAt(String name) {
        if (due(KILL, name)) {
            try {
                // a real SIGKILL: no shutdown hooks, no flushing, as when the kernel or a user kills the job
                new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid())).inheritIO().start().waitFor();
                Thread.sleep(60_000);
            } catch (Exception e) {
                Runtime.getRuntime().halt(137);
            }
        }
    }

    private static boolean due(String spec, String name) {
        if (spec == null || !spec.startsWith(name)) {
            return false;
        }
        String rest = spec.substring(name.length());
        int nth = rest.isEmpty() ? 1 : rest.startsWith("#") ? Integer.parseInt(rest.substring(1)) : -1;
        return nth > 0 && PASSES.computeIfAbsent(spec, k -> new AtomicInteger()).incrementAndGet() == nth;
    }
}
