package io.ladder.tasks.data;

import io.ladder.proto.UserError;
import java.nio.file.Path;

/**
 * A data file has a bad line. The message is always a single line {@code file:line: what is wrong},
 * the format editors and CI logs recognise, e.g.
 * {@code data/x.jsonl:17: no "answer" field and the "solution" has no \boxed{}}.
 */
public class DatasetException extends UserError {
    private final Path file;
    private final int line;

    public DatasetException(Path file, int line, String problem) {
        this(file, file.toString(), line, problem);
    }

    /** A bad line of a stream that is not a file, named e.g. {@code <stdin>}. */
    public DatasetException(String source, int line, String problem) {
        this(null, source, line, problem);
    }

    private DatasetException(Path file, String source, int line, String problem) {
        super(source + ":" + line + ": " + oneLine(problem));
        this.file = file;
        this.line = line;
    }

    /** The file, or null when the data came from a stream such as standard input. */
    public Path file() {
        return file;
    }

    /** 1-based line number of the offending line. */
    public int line() {
        return line;
    }

    private static String oneLine(String s) {
        String t = s == null ? "" : s.strip();
        int nl = t.indexOf('\n');
        return (nl < 0 ? t : t.substring(0, nl)).strip();
    }
}
