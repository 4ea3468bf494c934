package io.ladder.coordinator.console;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of a long piece of work (pretraining, an evaluation, filter-hard, a SOAR outer step,
 * ExIt's self-improvement evaluation). On a terminal: a bar with rate and ETA (me.tongfei's
 * progressbar). Otherwise (logs, CI, a pipe): a plain line at a tenth done, at most every 10 s, no carriage returns.
 */
public final class Progress implements AutoCloseable {
    private final String task;
    private final String unit;
    private final long total;
    private final PrintStream out;
    private final ProgressBar bar;
    private final long start = System.nanoTime();
    private long done;
    private int lastTenth;
    private long lastLine = start;
    private long interval = 10_000_000_000L; // ns between plain lines at least
    private String extra = "";
    private boolean silent;

    private Progress(String task, long total, String unit, PrintStream out, boolean interactive) {
        this.task = task;
        this.total = Math.max(1, total);
        this.unit = unit;
        this.out = out;
        this.bar = interactive ? new ProgressBarBuilder().setTaskName(task).setInitialMax(this.total)
                .setStyle(ProgressBarStyle.ASCII).setUnit(" " + unit, 1).showSpeed().setUpdateIntervalMillis(250)
                .setConsumer(new ConsoleProgressBarConsumer(out)).build() : null;
    }

    /** A bar on {@code out} when the process runs on a terminal, plain lines otherwise. */
    public static Progress start(String task, long total, String unit, PrintStream out) {
        return new Progress(task, total, unit, out, System.console() != null);
    }

    /** A bar on a terminal, nothing otherwise: for work whose end is already logged line by line. */
    public static Progress terminalOnly(String task, long total, String unit, PrintStream out) {
        Progress p = new Progress(task, total, unit, out, System.console() != null);
        p.silent = p.bar == null;
        return p;
    }

    /** Plain lines whatever the terminal, at most every {@code intervalNanos} (what a test sees). */
    static Progress plain(String task, long total, String unit, PrintStream out, long intervalNanos) {
        Progress p = new Progress(task, total, unit, out, false);
        p.interval = intervalNanos;
        return p;
    }

    /** {@code n} more units done; callable from the threads doing the work. */
    public synchronized void advance(long n) {
        done += n;
        if (bar != null) {
            bar.stepTo(Math.min(done, total));
            return;
        }
        if (silent) {
            return;
        }
        int tenth = (int) (10 * Math.min(done, total) / total);
        long now = System.nanoTime();
        // a line per tenth, but none more often than every 10 s: work of a few seconds stays silent
        if (tenth > lastTenth && now - lastLine >= interval) {
            lastTenth = tenth;
            lastLine = now;
            double secs = (now - start) / 1e9;
            double rate = done / Math.max(secs, 1e-9);
            long eta = (long) ((total - Math.min(done, total)) / Math.max(rate, 1e-9));
            out.printf(Locale.ROOT, "%s: %d/%d %s (%.1f/s, ETA %s)%s%n", task, done, total, unit, rate,
                    clock(Duration.ofSeconds(eta)), extra.isEmpty() ? "" : "  " + extra);
        }
    }

    /** A short status shown beside the bar (a loss, an accuracy so far). */
    public synchronized void extra(String message) {
        extra = message;
        if (bar != null) {
            bar.setExtraMessage(" " + message);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }

    static String clock(Duration d) {
        long s = d.getSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
