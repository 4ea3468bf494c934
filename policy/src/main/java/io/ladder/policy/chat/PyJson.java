package io.ladder.policy.chat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Values as Python prints them, for templates written against Python's Jinja: {@code tojson}
 * is {@code json.dumps(x, ensure_ascii=False, indent=..., separators=..., sort_keys=...)} as
 * transformers defines the filter, and {@code str(x)} is Python's (None, True, ['a', 1]).
 */
public final class PyJson {
    private PyJson() {}

    /** A Gson tree as plain Java values: objects keep their key order, integers stay integers. */
    public static Object toJava(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (e.isJsonObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> en : e.getAsJsonObject().entrySet()) {
                m.put(en.getKey(), toJava(en.getValue()));
            }
            return m;
        }
        if (e.isJsonArray()) {
            List<Object> l = new ArrayList<>();
            for (JsonElement x : e.getAsJsonArray()) {
                l.add(toJava(x));
            }
            return l;
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (p.isBoolean()) {
            return p.getAsBoolean();
        }
        if (p.isNumber()) {
            BigDecimal d = p.getAsBigDecimal();
            String text = p.getAsString();
            boolean integral = !text.contains(".") && !text.contains("e") && !text.contains("E");
            return integral ? (Object) d.longValueExact() : (Object) d.doubleValue();
        }
        return p.getAsString();
    }

    /** Plain Java values back to a Gson tree. */
    public static JsonElement toJson(Object o) {
        if (o == null) {
            return com.google.gson.JsonNull.INSTANCE;
        }
        if (o instanceof Map<?, ?> m) {
            JsonObject out = new JsonObject();
            m.forEach((k, v) -> out.add(String.valueOf(k), toJson(v)));
            return out;
        }
        if (o instanceof Collection<?> c) {
            JsonArray out = new JsonArray();
            c.forEach(x -> out.add(toJson(x)));
            return out;
        }
        if (o instanceof Boolean b) {
            return new JsonPrimitive(b);
        }
        if (o instanceof Number n) {
            return new JsonPrimitive(n);
        }
        return new JsonPrimitive(o.toString());
    }

    /** {@code json.dumps} with ensure_ascii=False; indent null = one line with ", " and ": ". */
    public static String dumps(Object o, Integer indent, String itemSep, String keySep, boolean sortKeys) {
        String is = itemSep != null ? itemSep : (indent != null ? "," : ", ");
        String ks = keySep != null ? keySep : ": ";
        StringBuilder sb = new StringBuilder();
        write(sb, o, indent, is, ks, sortKeys, 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object o, Integer indent, String is, String ks, boolean sort, int depth) {
        if (o == null) {
            sb.append("null");
        } else if (o instanceof Boolean b) {
            sb.append(b ? "true" : "false");
        } else if (o instanceof Number n) {
            sb.append(number(n));
        } else if (o instanceof Map<?, ?> m0) {
            Map<?, ?> m = sort ? new TreeMap<>(m0) : m0;
            if (m.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> en : m.entrySet()) {
                if (!first) {
                    sb.append(is);
                }
                newline(sb, indent, depth + 1);
                string(sb, String.valueOf(en.getKey()));
                sb.append(ks);
                write(sb, en.getValue(), indent, is, ks, sort, depth + 1);
                first = false;
            }
            newline(sb, indent, depth);
            sb.append('}');
        } else if (o instanceof Iterable<?> l) {
            if (!l.iterator().hasNext()) {
                sb.append("[]");
                return;
            }
            sb.append('[');
            boolean first = true;
            for (Object x : l) {
                if (!first) {
                    sb.append(is);
                }
                newline(sb, indent, depth + 1);
                write(sb, x, indent, is, ks, sort, depth + 1);
                first = false;
            }
            newline(sb, indent, depth);
            sb.append(']');
        } else {
            string(sb, o.toString());
        }
    }

    private static void newline(StringBuilder sb, Integer indent, int depth) {
        if (indent != null) {
            sb.append('\n').append(" ".repeat(indent * depth));
        }
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** Python's repr of a number: ints as is, floats with a ".0" when integral. */
    static String number(Number n) {
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (Double.isNaN(d)) {
                return "NaN";
            }
            if (Double.isInfinite(d)) {
                return d > 0 ? "Infinity" : "-Infinity";
            }
            if (d == Math.rint(d) && Math.abs(d) < 1e16) {
                return String.format("%.1f", d);
            }
            String s = Double.toString(d); // shortest round-trip digits; Python writes 1e-05 where Java writes 1.0E-5
            if (s.contains("E")) {
                String[] parts = s.split("E");
                String mant = parts[0].endsWith(".0") ? parts[0].substring(0, parts[0].length() - 2) : parts[0];
                int exp = Integer.parseInt(parts[1]);
                return mant + "e" + (exp < 0 ? "-" : "+") + String.format("%02d", Math.abs(exp));
            }
            return s;
        }
        return n.toString();
    }

    /** Python's {@code str(x)}: what {@code {{ x }}} prints and {@code ~} / {@code |string} produce. */
    public static String pyStr(Object o) {
        return o instanceof String s ? s : repr(o); // str differs from repr only for strings
    }

    private static String repr(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (o instanceof Number n) {
            return number(n);
        }
        if (o instanceof String s) {
            return s.contains("'") && !s.contains("\"") ? "\"" + s + "\""
                    : "'" + s.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'";
        }
        if (o instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{");
            boolean first = true;
            for (Map.Entry<?, ?> en : m.entrySet()) {
                sb.append(first ? "" : ", ").append(repr(en.getKey())).append(": ").append(repr(en.getValue()));
                first = false;
            }
            return sb.append('}').toString();
        }
        if (o instanceof Iterable<?> l) {
            StringBuilder sb = new StringBuilder("[");
            boolean first = true;
            for (Object x : l) {
                sb.append(first ? "" : ", ").append(repr(x));
                first = false;
            }
            return sb.append(']').toString();
        }
        return o.toString();
    }
}
