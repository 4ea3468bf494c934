package io.ladder.policy.chat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * The Python {@code str} and {@code dict} methods chat templates call ({@code .strip()},
 * {@code .split(sep)}, {@code .startswith(p)}, {@code .get(k, d)}, {@code .format(...)}, ...):
 * templates are written for Python's Jinja, where a string is a Python string. Jinjava would look
 * for a Java method of that name instead. Sits in front of Jinjava's own resolver and answers only
 * the calls it knows.
 */
final class PythonMethods extends ELResolver {

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (method == null) {
            return null;
        }
        Object[] args = params == null ? new Object[0] : params;
        Object result;
        if (base instanceof String s) {
            result = stringMethod(s, method.toString(), args);
        } else if (base instanceof Map<?, ?> m) {
            result = mapMethod(m, method.toString(), args);
        } else {
            return null;
        }
        if (result == NOT_HANDLED) {
            return null;
        }
        context.setPropertyResolved(true);
        return result;
    }

    private static final Object NOT_HANDLED = new Object();

    private static Object stringMethod(String s, String name, Object[] a) {
        switch (name) {
            case "strip": return a.length == 0 || a[0] == null ? stripWs(s, true, true) : stripChars(s, str(a[0]), true, true);
            case "lstrip": return a.length == 0 || a[0] == null ? stripWs(s, true, false) : stripChars(s, str(a[0]), true, false);
            case "rstrip": return a.length == 0 || a[0] == null ? stripWs(s, false, true) : stripChars(s, str(a[0]), false, true);
            case "lower": return s.toLowerCase(java.util.Locale.ROOT);
            case "upper": return s.toUpperCase(java.util.Locale.ROOT);
            case "title": return title(s);
            case "capitalize": return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(java.util.Locale.ROOT)
                    + s.substring(1).toLowerCase(java.util.Locale.ROOT);
            case "startswith": return affix(s, a[0], true);
            case "endswith": return affix(s, a[0], false);
            case "split": return split(s, a.length > 0 ? a[0] : null, a.length > 1 ? ((Number) a[1]).intValue() : -1);
            case "rsplit": return rsplit(s, a.length > 0 ? a[0] : null, a.length > 1 ? ((Number) a[1]).intValue() : -1);
            case "splitlines": return splitlines(s);
            case "replace": {
                int count = a.length > 2 ? ((Number) a[2]).intValue() : -1;
                return replace(s, str(a[0]), str(a[1]), count);
            }
            case "find": return (long) s.indexOf(str(a[0]));
            case "rfind": return (long) s.lastIndexOf(str(a[0]));
            case "count": return (long) count(s, str(a[0]));
            case "join": return join(s, a[0]);
            case "isdigit": return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
            case "isalpha": return !s.isEmpty() && s.chars().allMatch(Character::isLetter);
            case "isspace": return !s.isEmpty() && s.chars().allMatch(Character::isWhitespace);
            case "format": return format(s, a);
            default: return NOT_HANDLED;
        }
    }

    private static Object mapMethod(Map<?, ?> m, String name, Object[] a) {
        switch (name) {
            case "get":
                if (a.length == 0 || a.length > 2) {
                    return NOT_HANDLED;
                }
                return m.containsKey(a[0]) ? m.get(a[0]) : (a.length == 2 ? a[1] : null);
            case "items": {
                List<List<Object>> out = new ArrayList<>();
                m.forEach((k, v) -> out.add(List.of(k, v == null ? NONE : v)));
                return unNone(out);
            }
            case "keys": return new ArrayList<>(m.keySet());
            case "values": return new ArrayList<>(m.values());
            default: return NOT_HANDLED;
        }
    }

    // List.of refuses nulls; a (key, None) pair is rebuilt as a mutable list.
    private static final Object NONE = new Object();

    private static List<List<Object>> unNone(List<List<Object>> pairs) {
        List<List<Object>> out = new ArrayList<>(pairs.size());
        for (List<Object> p : pairs) {
            List<Object> q = new ArrayList<>(p);
            if (q.get(1) == NONE) {
                q.set(1, null);
            }
            out.add(q);
        }
        return out;
    }

    private static String str(Object o) {
        return o == null ? "None" : o.toString();
    }

    private static boolean isPySpace(int c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == 0x1c || c == 0x1d || c == 0x1e || c == 0x1f
                || c == 0x85;
    }

    private static String stripWs(String s, boolean left, boolean right) {
        int b = 0;
        int e = s.length();
        while (left && b < e && isPySpace(s.charAt(b))) {
            b++;
        }
        while (right && e > b && isPySpace(s.charAt(e - 1))) {
            e--;
        }
        return s.substring(b, e);
    }

    private static String stripChars(String s, String chars, boolean left, boolean right) {
        int b = 0;
        int e = s.length();
        while (left && b < e && chars.indexOf(s.charAt(b)) >= 0) {
            b++;
        }
        while (right && e > b && chars.indexOf(s.charAt(e - 1)) >= 0) {
            e--;
        }
        return s.substring(b, e);
    }

    private static String title(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean prevCased = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(prevCased ? Character.toLowerCase(c) : Character.toUpperCase(c));
            prevCased = Character.isLetter(c);
        }
        return sb.toString();
    }

    private static boolean affix(String s, Object what, boolean prefix) {
        if (what instanceof Collection<?> options) { // Python accepts a tuple of prefixes
            for (Object o : options) {
                if (prefix ? s.startsWith(str(o)) : s.endsWith(str(o))) {
                    return true;
                }
            }
            return false;
        }
        return prefix ? s.startsWith(str(what)) : s.endsWith(str(what));
    }

    private static List<String> split(String s, Object sep, int maxSplit) {
        List<String> out = new ArrayList<>();
        if (sep == null) { // runs of whitespace, no empty strings
            int i = 0;
            int n = s.length();
            while (true) {
                while (i < n && isPySpace(s.charAt(i))) {
                    i++;
                }
                if (i >= n) {
                    break;
                }
                if (maxSplit >= 0 && out.size() == maxSplit) {
                    out.add(stripWs(s.substring(i), false, true));
                    break;
                }
                int j = i;
                while (j < n && !isPySpace(s.charAt(j))) {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            }
            return out;
        }
        String d = str(sep);
        if (d.isEmpty()) {
            throw new IllegalArgumentException("empty separator");
        }
        int from = 0;
        while (maxSplit < 0 || out.size() < maxSplit) {
            int at = s.indexOf(d, from);
            if (at < 0) {
                break;
            }
            out.add(s.substring(from, at));
            from = at + d.length();
        }
        out.add(s.substring(from));
        return out;
    }

    private static List<String> rsplit(String s, Object sep, int maxSplit) {
        if (maxSplit < 0) {
            return split(s, sep, -1);
        }
        if (sep == null) {
            List<String> all = split(s, null, -1);
            if (all.size() <= maxSplit + 1) {
                return all;
            }
            // keep the last maxSplit words; the head is what precedes them, right-stripped
            List<String> out = new ArrayList<>();
            int cut = s.length();
            for (int k = 0; k < maxSplit; k++) {
                cut = s.lastIndexOf(all.get(all.size() - 1 - k), cut - 1);
            }
            out.add(stripWs(s.substring(0, cut), false, true));
            out.addAll(all.subList(all.size() - maxSplit, all.size()));
            return out;
        }
        String d = str(sep);
        List<String> out = new ArrayList<>();
        int end = s.length();
        while (out.size() < maxSplit) {
            int at = s.lastIndexOf(d, end - d.length());
            if (at < 0) {
                break;
            }
            out.add(0, s.substring(at + d.length(), end));
            end = at;
        }
        out.add(0, s.substring(0, end));
        return out;
    }

    private static List<String> splitlines(String s) {
        List<String> out = new ArrayList<>(List.of(s.split("\r\n|\r|\n", -1)));
        if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1); // Python drops the empty piece after a final line break
        }
        return out;
    }

    private static String replace(String s, String from, String to, int count) {
        if (count < 0) {
            return s.replace(from, to);
        }
        StringBuilder sb = new StringBuilder();
        int i = 0;
        int done = 0;
        while (done < count) {
            int at = s.indexOf(from, i);
            if (at < 0) {
                break;
            }
            sb.append(s, i, at).append(to);
            i = at + from.length();
            done++;
        }
        return sb.append(s.substring(i)).toString();
    }

    private static int count(String s, String sub) {
        if (sub.isEmpty()) {
            return s.length() + 1;
        }
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) {
            n++;
        }
        return n;
    }

    private static String join(String sep, Object items) {
        StringBuilder sb = new StringBuilder();
        Iterator<?> it = items instanceof Iterable<?> i ? i.iterator() : List.of(items).iterator();
        boolean first = true;
        while (it.hasNext()) {
            if (!first) {
                sb.append(sep);
            }
            sb.append(PyJson.pyStr(it.next()));
            first = false;
        }
        return sb.toString();
    }

    private static final Pattern FIELD = Pattern.compile("\\{\\{|\\}\\}|\\{([^{}]*)\\}");

    /** {@code str.format} with positional ({@code {}}, {@code {0}}) and keyword fields, no format specs. */
    private static String format(String s, Object[] a) {
        Map<?, ?> kwargs = a.length > 0 && a[a.length - 1] instanceof Map<?, ?> m ? m : Map.of();
        Matcher mt = FIELD.matcher(s);
        StringBuilder sb = new StringBuilder();
        int auto = 0;
        while (mt.find()) {
            String tok = mt.group();
            String rep;
            if (tok.equals("{{")) {
                rep = "{";
            } else if (tok.equals("}}")) {
                rep = "}";
            } else {
                String f = mt.group(1);
                if (f.contains(":") || f.contains("!")) {
                    throw new IllegalArgumentException("str.format field {" + f + "} with a conversion or spec is not supported");
                }
                Object v;
                if (f.isEmpty()) {
                    v = a[auto++];
                } else if (f.chars().allMatch(Character::isDigit)) {
                    v = a[Integer.parseInt(f)];
                } else {
                    v = kwargs.get(f);
                }
                rep = PyJson.pyStr(v);
            }
            mt.appendReplacement(sb, Matcher.quoteReplacement(rep));
        }
        mt.appendTail(sb);
        return sb.toString();
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return false;
    }

    @Override
    public Iterator<java.beans.FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }
}
