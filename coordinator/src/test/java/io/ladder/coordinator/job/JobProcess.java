package io.ladder.coordinator.job;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs `ladder ...` in a child JVM with this test's classpath (a job gets a fresh Ray). */
final class JobProcess {
    private JobProcess() {}

    static ProcessBuilder builder(Path log, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(io.ladder.coordinator.runtime.RayRuntime.JVM_OPTIONS);
        cmd.add("-Xmx2g");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.ladder.coordinator.cli.Main");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        String home = System.getProperty("ladder.repo.root");
        if (home != null) {
            pb.directory(new File(home));
        }
        return pb;
    }

    /** The checkout: the first folder upwards from the working directory that holds deploy/. */
    static Path repo() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !java.nio.file.Files.isRegularFile(p.resolve("deploy/local-cluster.sh"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the checkout (deploy/) above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    /** A random 1-layer model folder (hidden 32, 2 heads, 1 KV head) with the extra init-model flags given. */
    static Path tinyModel(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("init-model", "--out", out.toString(), "--layers", "1", "--hidden", "32",
                "--heads", "2", "--kv-heads", "1"));
        args.addAll(List.of(extra));
        int code = io.ladder.coordinator.cli.Main.run(args.toArray(String[]::new), System.out, System.err);
        if (code != 0) {
            throw new AssertionError("init-model " + out + " exited " + code);
        }
        return out;
    }

    /** Runs to completion; fails with the log's tail if the exit code is not 0. */
    static void run(Path log, long timeoutSeconds, String... args) throws IOException, InterruptedException {
        Process p = builder(log, args).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ladder " + String.join(" ", args) + " did not finish in " + timeoutSeconds + " s:\n" + tail(log));
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("ladder " + String.join(" ", args) + " exited " + p.exitValue() + ":\n" + tail(log));
        }
    }

    static String tail(Path log) throws IOException {
        List<String> lines = java.nio.file.Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
