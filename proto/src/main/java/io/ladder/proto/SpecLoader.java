package io.ladder.proto;

import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Loads YAML into a protobuf message, using the proto's field names as the YAML keys. Every
 * key must name a field, every value must have the field's type, and numbers must lie in the
 * field's {@code (ladder.range)}; the first problem is reported as one line with the field's
 * path. Values not in the file keep what the given builder already holds (the defaults).
 */
public final class SpecLoader {
    private SpecLoader() {}

    /** Merges the YAML file into {@code builder} (pre-filled with defaults) and validates it. */
    public static <B extends Message.Builder> B load(Path file, B builder) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new SpecException(file + ": no such file");
        } catch (IOException e) {
            throw new SpecException(file + ": cannot be read (" + e.getMessage() + ")");
        }
        return loadString(text, file.toString(), builder);
    }

    public static <B extends Message.Builder> B loadString(String yaml, String source, B builder) {
        Object root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false); // a second `algorithm:` must not silently replace the first
            root = new Yaml(new SafeConstructor(options)).load(yaml);
        } catch (MarkedYAMLException e) {
            throw new SpecException(source + ":" + (e.getProblemMark() == null ? "" : (e.getProblemMark().getLine() + 1) + ":")
                    + " not valid YAML (" + e.getProblem() + ")");
        } catch (RuntimeException e) {
            throw new SpecException(source + ": not valid YAML (" + e.getMessage() + ")");
        }
        if (root == null) { // an empty file is a mistake (a wrong path, a truncated copy), not "all defaults"
            throw new SpecException(source + ": empty (no fields); write at least the fields that differ from the defaults");
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new SpecException(source + ": expected a mapping of field names at the top level");
        }
        merge(map, builder, "", source);
        return builder;
    }

    private static void merge(Map<?, ?> map, Message.Builder b, String path, String source) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            String fieldPath = path.isEmpty() ? key : path + "." + key;
            FieldDescriptor f = b.getDescriptorForType().findFieldByName(key);
            if (f == null) {
                String known = b.getDescriptorForType().getFields().stream().map(FieldDescriptor::getName)
                        .collect(Collectors.joining(", "));
                throw new SpecException(source + ": " + fieldPath + ": unknown field (known here: " + known + ")");
            }
            Object v = e.getValue();
            if (v == null) {
                b.clearField(f);
                continue;
            }
            if (f.isMapField()) {
                if (!(v instanceof Map<?, ?> entries)) {
                    throw new SpecException(source + ": " + fieldPath + ": expected a mapping, got " + describe(v));
                }
                b.clearField(f);
                for (Map.Entry<?, ?> me : entries.entrySet()) {
                    Message.Builder entry = b.newBuilderForField(f);
                    FieldDescriptor kf = entry.getDescriptorForType().findFieldByName("key");
                    FieldDescriptor vf = entry.getDescriptorForType().findFieldByName("value");
                    String entryPath = fieldPath + "." + me.getKey();
                    entry.setField(kf, convert(kf, String.valueOf(me.getKey()), entry, entryPath, source));
                    entry.setField(vf, convert(vf, me.getValue(), entry, entryPath, source));
                    b.addRepeatedField(f, entry.build());
                }
                continue;
            }
            if (f.isRepeated()) {
                if (!(v instanceof List<?> list)) {
                    throw new SpecException(source + ": " + fieldPath + ": expected a list, got " + describe(v));
                }
                b.clearField(f);
                for (int i = 0; i < list.size(); i++) {
                    b.addRepeatedField(f, convert(f, list.get(i), b, fieldPath + "[" + i + "]", source));
                }
            } else if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                if (!(v instanceof Map<?, ?> sub)) {
                    throw new SpecException(source + ": " + fieldPath + ": expected a mapping, got " + describe(v));
                }
                merge(sub, b.getFieldBuilder(f), fieldPath, source);
            } else {
                b.setField(f, convert(f, v, b, fieldPath, source));
            }
        }
    }

    private static Object convert(FieldDescriptor f, Object v, Message.Builder parent, String path, String source) {
        String where = source + ": " + path + ": ";
        switch (f.getJavaType()) {
            case MESSAGE: {
                if (!(v instanceof Map<?, ?> sub)) {
                    throw new SpecException(where + "expected a mapping, got " + describe(v));
                }
                Message.Builder child = parent.newBuilderForField(f);
                merge(sub, child, path, source);
                return child.build();
            }
            case INT: {
                long l = integer(v, where);
                checkRange(f, l, where);
                if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
                    throw new SpecException(where + "out of range for a 32-bit integer: " + l);
                }
                return (int) l;
            }
            case LONG: {
                long l = integer(v, where);
                if (l < 0 && (f.getType() == FieldDescriptor.Type.UINT64 || f.getType() == FieldDescriptor.Type.FIXED64)) {
                    throw new SpecException(where + "must not be negative, got " + l);
                }
                checkRange(f, l, where);
                return l;
            }
            case DOUBLE:
            case FLOAT: {
                if (!(v instanceof Number n) || v instanceof Boolean) {
                    throw new SpecException(where + "expected a number, got " + describe(v));
                }
                double d = n.doubleValue();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw new SpecException(where + "must be a finite number, got " + v);
                }
                checkRange(f, d, where);
                return f.getJavaType() == FieldDescriptor.JavaType.FLOAT ? (Object) (float) d : (Object) d;
            }
            case BOOLEAN:
                if (!(v instanceof Boolean bool)) {
                    throw new SpecException(where + "expected true or false, got " + describe(v));
                }
                return bool;
            case STRING:
                if (!(v instanceof String s)) {
                    throw new SpecException(where + "expected a string, got " + describe(v) + " (quote it)");
                }
                return s;
            case ENUM: {
                if (!(v instanceof String s)) {
                    throw new SpecException(where + "expected one of " + enumNames(f) + ", got " + describe(v));
                }
                for (EnumValueDescriptor ev : f.getEnumType().getValues()) {
                    if (ev.getName().equalsIgnoreCase(s) && ev.getNumber() != 0) {
                        return ev;
                    }
                }
                throw new SpecException(where + "expected one of " + enumNames(f) + ", got \"" + s + "\"");
            }
            default:
                throw new SpecException(where + "fields of type " + f.getJavaType() + " are not supported in specs");
        }
    }

    /**
     * Checks every numeric field of a message already built (from JSON, from CLI overrides)
     * against its {@code (ladder.range)}, recursively, as loading a YAML file does; the first
     * problem is one line with the field's path.
     */
    public static void checkRanges(Message m, String source) {
        checkRanges(m, "", source);
    }

    private static void checkRanges(Message m, String path, String source) {
        for (FieldDescriptor f : m.getDescriptorForType().getFields()) {
            String fieldPath = path.isEmpty() ? f.getName() : path + "." + f.getName();
            if (f.isMapField()) {
                continue;
            }
            if (f.isRepeated()) {
                List<?> items = (List<?>) m.getField(f);
                for (int i = 0; i < items.size(); i++) {
                    checkValue(f, items.get(i), fieldPath + "[" + i + "]", source);
                }
            } else if (!f.hasPresence() || m.hasField(f)) {
                checkValue(f, m.getField(f), fieldPath, source);
            }
        }
    }

    private static void checkValue(FieldDescriptor f, Object v, String path, String source) {
        switch (f.getJavaType()) {
            case MESSAGE -> checkRanges((Message) v, path, source);
            case INT, LONG, FLOAT, DOUBLE -> {
                double d = ((Number) v).doubleValue();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw new SpecException(source + ": " + path + ": must be a finite number, got " + v);
                }
                checkRange(f, d, source + ": " + path + ": ");
            }
            default -> { }
        }
    }

    private static String enumNames(FieldDescriptor f) {
        return f.getEnumType().getValues().stream().filter(ev -> ev.getNumber() != 0)
                .map(ev -> ev.getName().toLowerCase(java.util.Locale.ROOT)).collect(Collectors.joining(", "));
    }

    private static long integer(Object v, String where) {
        if (v instanceof Integer || v instanceof Long) {
            return ((Number) v).longValue();
        }
        if (v instanceof java.math.BigInteger) {
            throw new SpecException(where + "integer too large: " + v);
        }
        throw new SpecException(where + "expected an integer, got " + describe(v));
    }

    private static void checkRange(FieldDescriptor f, double x, String where) {
        if (!f.getOptions().hasExtension(LadderProtos.range)) {
            return;
        }
        Range r = f.getOptions().getExtension(LadderProtos.range);
        boolean low = r.getMinExclusive() ? x > r.getMin() : x >= r.getMin();
        boolean high = r.getMaxExclusive() ? x < r.getMax() : x <= r.getMax();
        if (!low || !high) {
            throw new SpecException(where + "must be in " + (r.getMinExclusive() ? "(" : "[") + fmt(r.getMin()) + ", "
                    + fmt(r.getMax()) + (r.getMaxExclusive() ? ")" : "]") + ", got " + fmt(x));
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static String describe(Object v) {
        if (v instanceof Map) {
            return "a mapping";
        }
        if (v instanceof List) {
            return "a list";
        }
        if (v instanceof String s) {
            return "the string \"" + s + "\"";
        }
        return v.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " " + v;
    }
}
