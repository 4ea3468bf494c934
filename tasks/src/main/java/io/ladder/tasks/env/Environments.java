package io.ladder.tasks.env;

import io.ladder.tasks.env.tools.ToolWorld;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/** The environments a job can name: the built-in ones, and any a user registers in one line. */
public final class Environments {
    private static final Map<String, Supplier<Environment>> REGISTRY = new TreeMap<>();

    static {
        register(ToolWorld.NAME, ToolWorld::new);
    }

    private Environments() {}

    /** Adds an environment under its name; a name already taken is refused. */
    public static synchronized void register(String name, Supplier<Environment> factory) {
        if (REGISTRY.putIfAbsent(name, factory) != null) {
            throw new IllegalArgumentException("environment \"" + name + "\" is already registered");
        }
    }

    /** A fresh environment (one per concurrent episode). */
    public static synchronized Environment create(String name) {
        Supplier<Environment> f = REGISTRY.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown environment \"" + name + "\" (known: " + String.join(", ", REGISTRY.keySet()) + ")");
        }
        return f.get();
    }
}
