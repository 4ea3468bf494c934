package io.ladder.coordinator.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} and {@code --switch} options of one subcommand. Every flag must be
 * declared, so a typo is an error instead of a silently ignored setting.
 */
public final class Args {
    private final String command;
    private final Map<String, String> values = new LinkedHashMap<>();

    private Args(String command) {
        this.command = command;
    }

    /**
     * @param withValue flags that take a value
     * @param switches  flags that take none
     */
    public static Args parse(String command, List<String> argv, Set<String> withValue, Set<String> switches) {
        Args a = new Args(command);
        for (int i = 0; i < argv.size(); i++) {
            String tok = argv.get(i);
            if (!tok.startsWith("--")) {
                throw new UsageException("unexpected argument \"" + tok + "\" (options start with --)");
            }
            String name = tok.substring(2);
            String inline = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                inline = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (switches.contains(name)) {
                if (inline != null) {
                    throw new UsageException("--" + name + " takes no value");
                }
                a.values.put(name, "true");
            } else if (withValue.contains(name)) {
                String v = inline;
                if (v == null) {
                    if (i + 1 >= argv.size()) {
                        throw new UsageException("--" + name + " needs a value");
                    }
                    v = argv.get(++i);
                }
                a.values.put(name, v);
            } else {
                throw new UsageException("unknown option --" + name
                        + " (known: " + known(withValue, switches) + ")");
            }
        }
        return a;
    }

    private static String known(Set<String> withValue, Set<String> switches) {
        StringBuilder sb = new StringBuilder();
        withValue.stream().sorted().forEach(s -> sb.append(sb.length() == 0 ? "" : ", ").append("--").append(s));
        switches.stream().sorted().forEach(s -> sb.append(sb.length() == 0 ? "" : ", ").append("--").append(s));
        return sb.toString();
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public String required(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new UsageException("--" + name + " is required");
        }
        return v;
    }

    public String string(String name, String dflt) {
        return values.getOrDefault(name, dflt);
    }

    public Path path(String name) {
        return Path.of(required(name));
    }

    /**
     * An output file: an existing file is replaced (a report written again), a folder or a
     * parent that cannot be a folder is refused here, in one line, before any work is done.
     */
    public static Path outputFile(String flag, Path p) {
        if (java.nio.file.Files.isDirectory(p)) {
            throw new UsageException("--" + flag + ": " + p + " is a folder; give a file name");
        }
        outputParent(flag, p);
        return p;
    }

    /** An output folder: an existing file there is refused. */
    public static Path outputFolder(String flag, Path p) {
        if (java.nio.file.Files.exists(p) && !java.nio.file.Files.isDirectory(p)) {
            throw new UsageException("--" + flag + ": " + p + " is a file; give a folder");
        }
        outputParent(flag, p);
        return p;
    }

    private static void outputParent(String flag, Path p) {
        for (Path up = p.toAbsolutePath().getParent(); up != null; up = up.getParent()) {
            if (java.nio.file.Files.exists(up)) {
                if (!java.nio.file.Files.isDirectory(up)) {
                    throw new UsageException("--" + flag + ": " + up + " is a file, so " + p + " cannot be written");
                }
                return;
            }
        }
    }

    public int integer(String name, int dflt) {
        long v = longValue(name, dflt);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new UsageException("--" + name + " is out of range: " + v);
        }
        return (int) v;
    }

    public long longValue(String name, long dflt) {
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be an integer, got \"" + v + "\"");
        }
    }

    public double number(String name, double dflt) {
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a number, got \"" + v + "\"");
        }
    }

    public int[] intList(String name, int[] dflt) {
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        String[] parts = v.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new UsageException("--" + name + " must be a comma-separated list of integers, got \"" + v + "\"");
            }
        }
        return out;
    }

    public boolean flag(String name) {
        return values.containsKey(name);
    }
}
