package io.ladder.tasks.env.tools;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tool world's simulated APIs and their state: a small file system and a bank ledger. Each
 * function has a schema (ordered parameters, each a string or a positive integer, all
 * required); {@link #call} validates the arguments against it and either changes the state and
 * returns a result, or returns an error and changes nothing.
 */
public final class Apis {
    /** A parameter: its name and whether it is a positive integer (else a string). */
    public record Param(String name, boolean integer, String description) {}

    /** A function: name, what it does, its parameters in order. */
    public record Function(String name, String description, List<Param> params) {}

    /** A call's outcome: a result, or an error; {@code ok} says which. */
    public record Outcome(boolean ok, String text) {}

    static final int MAX_STRING = 256; // a file's content or a name; a longer argument is an error, not a crash

    public static final List<Function> FUNCTIONS = List.of(
            new Function("create_file", "Create a file with the given content.",
                    List.of(new Param("path", false, "file name"), new Param("content", false, "text to write"))),
            new Function("append_file", "Append text to an existing file.",
                    List.of(new Param("path", false, "file name"), new Param("content", false, "text to append"))),
            new Function("delete_file", "Delete a file.", List.of(new Param("path", false, "file name"))),
            new Function("read_file", "Return a file's content.", List.of(new Param("path", false, "file name"))),
            new Function("list_files", "Return the names of all files.", List.of()),
            new Function("open_account", "Open a bank account with balance 0.", List.of(new Param("owner", false, "account owner"))),
            new Function("deposit", "Add money to an account.",
                    List.of(new Param("owner", false, "account owner"), new Param("amount", true, "positive integer"))),
            new Function("withdraw", "Take money from an account.",
                    List.of(new Param("owner", false, "account owner"), new Param("amount", true, "positive integer"))),
            new Function("transfer", "Move money from one account to another.",
                    List.of(new Param("from", false, "payer"), new Param("to", false, "payee"), new Param("amount", true, "positive integer"))),
            new Function("balance", "Return an account's balance.", List.of(new Param("owner", false, "account owner"))));

    private static final Map<String, Function> BY_NAME = new LinkedHashMap<>();

    static {
        FUNCTIONS.forEach(f -> BY_NAME.put(f.name(), f));
    }

    final TreeMap<String, String> files = new TreeMap<>();
    final TreeMap<String, Long> accounts = new TreeMap<>();

    public static Function function(String name) {
        return BY_NAME.get(name);
    }

    /** A call checked against its function's schema: the typed values in schema order, or what is wrong. */
    public record Checked(String name, Map<String, Object> values, String error) {
        /** The call as one canonical string (schema order, typed values): how calls are compared. */
        public String canonical() {
            return name + values;
        }
    }

    /** Checks {@code args} against the function's schema (every parameter required, none extra). */
    public static Checked check(String name, JsonObject args) {
        Function f = BY_NAME.get(name);
        if (f == null) {
            return new Checked(name, Map.of(), "unknown function \"" + clip(name) + "\" (functions: "
                    + String.join(", ", BY_NAME.keySet()) + ")");
        }
        for (String key : args.keySet()) {
            if (f.params().stream().noneMatch(p -> p.name().equals(key))) {
                return new Checked(name, Map.of(), name + ": unknown argument \"" + clip(key) + "\"");
            }
        }
        Map<String, Object> v = new LinkedHashMap<>();
        for (Param p : f.params()) {
            JsonElement e = args.get(p.name());
            String wrong = null;
            if (e == null || e.isJsonNull()) {
                wrong = "missing argument \"" + p.name() + "\"";
            } else if (p.integer()) {
                JsonPrimitive prim = e.isJsonPrimitive() ? e.getAsJsonPrimitive() : null;
                if (prim == null || !prim.isNumber() || prim.getAsDouble() != Math.rint(prim.getAsDouble())
                        || prim.getAsDouble() < 1 || prim.getAsDouble() > 1e12) {
                    wrong = "\"" + p.name() + "\" must be a positive integer";
                } else {
                    v.put(p.name(), prim.getAsLong());
                }
            } else if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString() || e.getAsString().isEmpty()) {
                wrong = "\"" + p.name() + "\" must be a non-empty string";
            } else if (e.getAsString().length() > MAX_STRING) {
                wrong = "\"" + p.name() + "\" is longer than " + MAX_STRING + " characters";
            } else {
                v.put(p.name(), e.getAsString());
            }
            if (wrong != null) {
                return new Checked(name, Map.of(), name + ": " + wrong);
            }
        }
        return new Checked(name, v, null);
    }

    /** Runs a checked call: the state changes and a result comes back, or an error and nothing changes. */
    public Outcome call(Checked c) {
        return c.error() != null ? error(c.error()) : run(c.name(), c.values());
    }

    private Outcome run(String name, Map<String, Object> v) {
        switch (name) {
            case "create_file": {
                String path = (String) v.get("path");
                if (files.containsKey(path)) {
                    return error("create_file: " + path + " already exists");
                }
                files.put(path, (String) v.get("content"));
                return ok("created " + path);
            }
            case "append_file": {
                String path = (String) v.get("path");
                if (!files.containsKey(path)) {
                    return error("append_file: no file " + path);
                }
                String content = files.get(path) + v.get("content");
                if (content.length() > 4 * MAX_STRING) {
                    return error("append_file: " + path + " would exceed " + 4 * MAX_STRING + " characters");
                }
                files.put(path, content);
                return ok("appended to " + path);
            }
            case "delete_file": {
                String path = (String) v.get("path");
                return files.remove(path) != null ? ok("deleted " + path) : error("delete_file: no file " + path);
            }
            case "read_file": {
                String path = (String) v.get("path");
                return files.containsKey(path) ? ok(files.get(path)) : error("read_file: no file " + path);
            }
            case "list_files":
                return ok(String.join(", ", files.keySet()));
            case "open_account": {
                String owner = (String) v.get("owner");
                if (accounts.containsKey(owner)) {
                    return error("open_account: " + owner + " already has an account");
                }
                accounts.put(owner, 0L);
                return ok("opened an account for " + owner);
            }
            case "deposit": {
                String owner = (String) v.get("owner");
                if (!accounts.containsKey(owner)) {
                    return error("deposit: " + owner + " has no account");
                }
                accounts.merge(owner, (Long) v.get("amount"), Long::sum);
                return ok(owner + " now has " + accounts.get(owner));
            }
            case "withdraw": {
                String owner = (String) v.get("owner");
                long amount = (Long) v.get("amount");
                if (!accounts.containsKey(owner)) {
                    return error("withdraw: " + owner + " has no account");
                }
                if (accounts.get(owner) < amount) {
                    return error("withdraw: " + owner + " has only " + accounts.get(owner));
                }
                accounts.merge(owner, -amount, Long::sum);
                return ok(owner + " now has " + accounts.get(owner));
            }
            case "transfer": {
                String from = (String) v.get("from");
                String to = (String) v.get("to");
                long amount = (Long) v.get("amount");
                if (!accounts.containsKey(from) || !accounts.containsKey(to)) {
                    return error("transfer: " + (!accounts.containsKey(from) ? from : to) + " has no account");
                }
                if (from.equals(to)) {
                    return error("transfer: payer and payee are the same account");
                }
                if (accounts.get(from) < amount) {
                    return error("transfer: " + from + " has only " + accounts.get(from));
                }
                accounts.merge(from, -amount, Long::sum);
                accounts.merge(to, amount, Long::sum);
                return ok(from + " now has " + accounts.get(from) + ", " + to + " has " + accounts.get(to));
            }
            case "balance": {
                String owner = (String) v.get("owner");
                return accounts.containsKey(owner) ? ok(Long.toString(accounts.get(owner))) : error("balance: " + owner + " has no account");
            }
            default:
                throw new IllegalStateException("no implementation for " + name); // FUNCTIONS and run() disagree
        }
    }

    /** The state as JSON: {"files": {...}, "accounts": {...}}, keys sorted (equal states print equal). */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        JsonObject f = new JsonObject();
        files.forEach(f::addProperty);
        JsonObject a = new JsonObject();
        accounts.forEach(a::addProperty);
        o.add("files", f);
        o.add("accounts", a);
        return o;
    }

    public static Apis fromJson(JsonObject o) {
        Apis s = new Apis();
        if (o.has("files")) {
            o.getAsJsonObject("files").entrySet().forEach(e -> s.files.put(e.getKey(), e.getValue().getAsString()));
        }
        if (o.has("accounts")) {
            o.getAsJsonObject("accounts").entrySet().forEach(e -> s.accounts.put(e.getKey(), e.getValue().getAsLong()));
        }
        return s;
    }

    private static Outcome ok(String text) {
        return new Outcome(true, text);
    }

    private static Outcome error(String text) {
        return new Outcome(false, text);
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
