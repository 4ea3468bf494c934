package io.ladder.coordinator.runtime;

import io.ray.api.ObjectRef;
import io.ray.api.Ray;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts Ray for a job: in-process local mode (the embedded default), or a driver connected to
 * a running cluster. Ray 2.39's local mode can run concurrent calls on different actors on the
 * wrong instance (Ray issue 61827), so in local mode Ladder creates actors one at a time and
 * keeps one actor call in flight ({@link #isLocal()} tells the callers to wait at once).
 */
public final class RayRuntime implements AutoCloseable {
    /**
     * JVM options every Ladder JVM needs (Ray's serializer reflects into java.base; no downloads):
     * the top-level jvm.options, packaged beside this class.
     */
    public static final List<String> JVM_OPTIONS = readJvmOptions();

    static List<String> readJvmOptions() {
        try (InputStream in = RayRuntime.class.getResourceAsStream("jvm.options")) {
            if (in == null) {
                throw new IllegalStateException("jvm.options is missing from the coordinator's classpath (rebuild with mvn install)");
            }
            return parseJvmOptions(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read jvm.options from the classpath", e);
        }
    }

    /** The java launcher's @argfile format as jvm.options uses it: whitespace-separated, '#' to the end of a line. */
    static List<String> parseJvmOptions(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\\R")) {
            int hash = line.indexOf('#');
            String body = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (!body.isEmpty()) {
                out.addAll(List.of(body.split("\\s+")));
            }
        }
        return List.copyOf(out);
    }

    private final boolean local;
    private final String address;

    private RayRuntime(boolean local, String address) {
        this.local = local;
        this.address = address;
    }

    /**
     * @param address          "" or "local" for local mode, else HOST:PORT of a running cluster
     * @param extraJvmOptions  added to the worker JVMs' options (cluster mode)
     */
    public static RayRuntime start(String address, List<String> extraJvmOptions) {
        boolean local = address == null || address.isEmpty() || address.equals("local");
        if (Ray.isInitialized()) {
            throw new IllegalStateException("Ray is already initialised in this JVM");
        }
        if (local) {
            System.setProperty("ray.run-mode", "LOCAL");
        } else {
            System.setProperty("ray.run-mode", "CLUSTER");
            System.setProperty("ray.address", address);
            // Named actors (ladder-<job>-g0-learner, ...) live in one namespace, so other drivers
            // and tools can find them; without it every driver gets a random one.
            System.setProperty("ray.job.namespace", "ladder");
            // Worker JVMs load Ladder's classes from the driver's classpath, which must hold
            // absolute paths that exist on every node (true for this machine and the image).
            List<String> paths = new ArrayList<>();
            for (String p : System.getProperty("java.class.path").split(File.pathSeparator)) {
                if (!p.isEmpty()) {
                    paths.add(new File(p).getAbsolutePath());
                }
            }
            System.setProperty("ray.job.code-search-path", String.join(File.pathSeparator, paths));
            List<String> opts = new ArrayList<>(JVM_OPTIONS);
            opts.addAll(extraJvmOptions);
            for (int i = 0; i < opts.size(); i++) {
                System.setProperty("ray.job.jvm-options." + i, opts.get(i));
            }
        }
        Ray.init();
        // Ray installs its own log4j configuration at init; keep DJL's per-actor engine banners
        // (INFO) out of the job's progress output.
        org.apache.logging.log4j.core.config.Configurator.setLevel("ai.djl", org.apache.logging.log4j.Level.WARN);
        removeDeadLibraryFolders();
        return new RayRuntime(local, local ? "local" : address);
    }

    private static final String RAY_LIBRARY = "libcore_worker_library_java.so";

    /**
     * Every Ray driver JVM unpacks its 32 MB native library into a folder of /tmp/ray (a
     * session_local_mode_* folder in local mode, a numbered one on a cluster) and leaves it there;
     * killed jobs leave theirs too (1.6 GB after 52 runs). Once Ray is up, this job removes every
     * such folder whose library no live process has mapped and that is over a minute old (a
     * starting job may have unpacked but not loaded it yet).
     */
    private static void removeDeadLibraryFolders() {
        Path mine = ownLibraryFolder();
        if (mine == null) {
            return;
        }
        java.util.Set<String> mapped = new java.util.HashSet<>();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.toList()) {
                try {
                    for (String line : Files.readAllLines(proc.resolve("maps"))) {
                        if (line.endsWith(RAY_LIBRARY)) {
                            mapped.add(Path.of(line.substring(line.indexOf('/'))).getParent().toString());
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // not a process, gone meanwhile, or not ours to read: then it maps nothing we remove
                }
            }
            long minute = System.currentTimeMillis() - 60_000;
            try (var entries = Files.list(mine.getParent())) {
                for (Path dir : entries.toList()) {
                    if (Files.isRegularFile(dir.resolve(RAY_LIBRARY)) && !mapped.contains(dir.toString())
                            && Files.getLastModifiedTime(dir).toMillis() < minute) {
                        deleteQuietly(dir);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort: a leftover folder is not worth failing a job for
        }
    }

    /** The folder this process loaded Ray's native library from, or null. */
    private static Path ownLibraryFolder() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                if (line.endsWith(RAY_LIBRARY)) {
                    return Path.of(line.substring(line.indexOf('/'))).getParent();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: nothing to clean
        }
        return null;
    }

    public boolean isLocal() {
        return local;
    }

    public String address() {
        return address;
    }

    public <T> T await(ObjectRef<T> ref) {
        return ref.get();
    }

    /**
     * The result of a call that is read once, then released. Ray 2.39's local mode never frees an
     * object (its store ignores reference counts), so a long embedded job that leaves results and
     * weight payloads there runs out of heap: SOAR's inner loops publish thousands of versions.
     */
    public <T> T take(ObjectRef<T> ref) {
        T value = ref.get();
        free(ref);
        return value;
    }

    /** Releases an object this process put or received and no longer needs (local mode; a cluster counts references). */
    public void free(ObjectRef<?> ref) {
        if (local && ref != null) {
            Ray.internal().free(List.of(ref), true);
        }
    }

    @Override
    public void close() {
        String session = local ? sessionDir() : null;
        Path library = ownLibraryFolder();
        Ray.shutdown();
        if (session != null) {
            deleteQuietly(Path.of(session)); // local mode leaves 32 MB per run in /tmp/ray otherwise
        }
        if (library != null && library.getParent() != null && library.getParent().getFileName().toString().equals("ray")) {
            deleteQuietly(library); // so does a cluster driver: the unpacked native library (still mapped, safe to unlink)
        }
    }

    /** This process's local-mode session folder (Ray's config), or null when it cannot be told. */
    private static String sessionDir() {
        try {
            Object rt = Ray.internal();
            if (rt instanceof io.ray.runtime.AbstractRayRuntime a) {
                String dir = a.getRayConfig().sessionDir;
                // only a folder this process made for local mode: never a cluster's session
                return dir != null && Path.of(dir).getFileName().toString().startsWith("session_local_mode_") ? dir : null;
            }
        } catch (RuntimeException e) {
            // a Ray without this internal API: leave the folder
        }
        return null;
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            // best effort: a leftover folder is not worth failing a finished job for
        }
    }
}
