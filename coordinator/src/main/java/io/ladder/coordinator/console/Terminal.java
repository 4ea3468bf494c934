package io.ladder.coordinator.console;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * What reaches the user's terminal. By default only Ladder's own lines: the libraries' log lines
 * (Ray, DJL) and what native code writes to stderr (libtorch's deprecation warnings) go to
 * {@code ladder.log} in the run folder once there is one. {@code --verbose} shows everything.
 *
 * <p>Native code writes to file descriptor 2 directly, so the quiet mode moves fd 2 itself
 * (dup2 through JNA) and keeps Ladder's own stderr on a duplicate of the original.
 */
public final class Terminal {
    public static final String LOG_FILE = "ladder.log";

    private static boolean verbose;
    private static int savedStderr = -1;
    private static Path routedTo;
    private static Configuration routedConfig;

    private Terminal() {}

    private interface LibC extends Library {
        int dup(int fd);

        int dup2(int from, int to);

        int open(String path, int flags, int mode);

        int close(int fd);

        long write(int fd, byte[] buf, long count);
    }

    /**
     * Writes to a file descriptor through libc. Reopening /proc/self/fd/N instead would give a
     * file of its own offset: on a log file, lines would overwrite what stdout already wrote.
     */
    private static final class FdOutputStream extends java.io.OutputStream {
        private final LibC c;
        private final int fd;

        FdOutputStream(LibC c, int fd) {
            this.c = c;
            this.fd = fd;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            byte[] chunk = off == 0 && len == b.length ? b : java.util.Arrays.copyOfRange(b, off, off + len);
            int done = 0;
            while (done < chunk.length) {
                byte[] rest = done == 0 ? chunk : java.util.Arrays.copyOfRange(chunk, done, chunk.length);
                long n = c.write(fd, rest, rest.length);
                if (n <= 0) {
                    throw new IOException("write to file descriptor " + fd + " failed");
                }
                done += (int) n;
            }
        }
    }

    private static final int O_WRONLY = 1;
    private static final int O_CREAT = 0100;
    private static final int O_APPEND = 02000;

    public static void setVerbose(boolean v) {
        verbose = v;
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        LoggerConfig root = ctx.getConfiguration().getRootLogger();
        root.setLevel(v ? Level.INFO : Level.WARN);
        ctx.updateLoggers();
    }

    public static boolean verbose() {
        return verbose;
    }

    /**
     * Called once by the CLI's {@code main} (never by tests running commands in-process): keeps
     * a duplicate of the terminal's stderr for Ladder's own messages, so that fd 2 can later be
     * moved into the run folder. Returns the stream Ladder's errors go to.
     */
    public static PrintStream claimStderr() {
        if (savedStderr >= 0 || !linux()) {
            return System.err;
        }
        try {
            LibC c = Native.load("c", LibC.class);
            int fd = c.dup(2);
            if (fd < 0) {
                return System.err;
            }
            savedStderr = fd;
            PrintStream err = new PrintStream(new java.io.BufferedOutputStream(new FdOutputStream(c, fd)), true,
                    java.nio.charset.StandardCharsets.UTF_8);
            System.setErr(err);
            return err;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return System.err; // no libc through JNA: native lines stay on the terminal
        }
    }

    /**
     * From now on the libraries' log lines (INFO and up) and, unless verbose, native stderr go
     * to {@code runDir/ladder.log}. Starting Ray replaces the logging configuration, so the job
     * calls this again once Ray is up; a later call keeps the first run folder.
     */
    public static synchronized void logTo(Path runDir) {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration cfg = ctx.getConfiguration();
        if (routedTo != null && cfg == routedConfig) {
            return; // already routed, and nobody has replaced the logging configuration since
        }
        boolean moveStderr = routedTo == null;
        Path file = routedTo != null ? routedTo : runDir.resolve(LOG_FILE).toAbsolutePath();
        routedTo = file;
        routedConfig = cfg;
        FileAppender app = FileAppender.newBuilder().setName("run-folder").withFileName(file.toString()).withAppend(true)
                .setLayout(PatternLayout.newBuilder().withConfiguration(cfg)
                        .withPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %c{1}: %msg%n").build())
                .setConfiguration(cfg).build();
        app.start();
        cfg.addAppender(app);
        LoggerConfig root = cfg.getRootLogger();
        // The file takes every logger's INFO and up. The console: everything when verbose; else
        // only Ladder's own warnings (a library's ERROR with an actor's trace is what the job's
        // one-line failure summarises, and stays in the file).
        LoggerConfig ladder = cfg.getLoggers().get("io.ladder");
        if (ladder == null) {
            ladder = new LoggerConfig("io.ladder", Level.INFO, true);
            cfg.addLogger("io.ladder", ladder);
        }
        for (var a : java.util.List.copyOf(root.getAppenders().values())) {
            if (!verbose) {
                root.removeAppender(a.getName());
                ladder.addAppender(a, Level.WARN, null);
            }
        }
        root.addAppender(app, Level.INFO, null);
        root.setLevel(Level.INFO);
        ctx.updateLoggers();
        if (moveStderr && !verbose && savedStderr >= 0) {
            LibC c = Native.load("c", LibC.class);
            int fd = c.open(file.toString(), O_WRONLY | O_CREAT | O_APPEND, 0644);
            if (fd >= 0) {
                c.dup2(fd, 2);
                c.close(fd);
            }
        }
    }

    /** The run folder's log, once routed there. */
    public static Path logFile() {
        return routedTo;
    }

    private static boolean linux() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux");
    }
}
