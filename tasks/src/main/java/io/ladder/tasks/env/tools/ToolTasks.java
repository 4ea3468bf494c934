package io.ladder.tasks.env.tools;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.ladder.tasks.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Procedurally generated tasks of the tool world: a starting state, a request in plain words and
 * the ground-truth calls that fulfil it. The level is the number of calls the request needs
 * (1–6); each step is drawn among those that succeed on the state the earlier ones leave, so the
 * ground truth always runs. A task is a function of (seed, level, index).
 */
public final class ToolTasks {
    public static final int MAX_LEVEL = 6;
    private static final String[] PEOPLE = {"ann", "bob", "cyd", "dan", "eve", "fay", "gus", "hal"};
    private static final String[] FILES = {"notes.txt", "todo.txt", "plan.md", "log.txt", "list.txt"};
    private static final String[] WORDS = {"milk", "eggs", "call mom", "pay rent", "gym", "read", "ship it", "fix bug"};

    private ToolTasks() {}

    /** A generated task as an episode {@link io.ladder.tasks.Task} of the tool world, under its own id. */
    public static io.ladder.tasks.Task asTask(JsonObject task) {
        return io.ladder.tasks.Task.episode(task.get("id").getAsString(), task.get("request").getAsString(), ToolWorld.NAME,
                task.toString());
    }

    public static JsonObject generate(long seed, int level, long index) {
        if (level < 1 || level > MAX_LEVEL) {
            throw new IllegalArgumentException("tool-world level must be in [1, " + MAX_LEVEL + "], got " + level);
        }
        SplittableRandom rng = new SplittableRandom(Seeds.mix(Seeds.mix(seed, level), index));
        Apis world = new Apis();
        for (int i = rng.nextInt(3); i > 0; i--) {
            world.accounts.put(pick(rng, PEOPLE), (long) (10 * (1 + rng.nextInt(10))));
        }
        for (int i = rng.nextInt(3); i > 0; i--) {
            world.files.put(pick(rng, FILES), pick(rng, WORDS));
        }
        JsonObject initial = world.toJson();
        JsonArray calls = new JsonArray();
        List<String> asks = new ArrayList<>();
        while (calls.size() < level) {
            JsonObject call = new JsonObject();
            JsonObject args = new JsonObject();
            String ask = step(rng, world, call, args);
            if (ask == null) {
                continue; // that kind of step cannot run on this state: draw again
            }
            call.add("arguments", args);
            if (!world.call(Apis.check(call.get("name").getAsString(), args)).ok()) {
                throw new IllegalStateException("generated a failing call " + call); // step() and Apis disagree
            }
            calls.add(call);
            asks.add(ask);
        }
        JsonObject task = new JsonObject();
        task.addProperty("id", "tools-L" + level + "-" + index);
        task.addProperty("level", level);
        String request = String.join(", then ", asks) + ".";
        task.addProperty("request", Character.toUpperCase(request.charAt(0)) + request.substring(1));
        task.add("initial", initial);
        task.add("calls", calls);
        task.addProperty("max_turns", level + 2);
        return task;
    }

    /** Fills one step's call and returns how the request asks for it; null when it cannot run here. */
    private static String step(SplittableRandom rng, Apis w, JsonObject call, JsonObject args) {
        List<String> owners = new ArrayList<>(w.accounts.keySet());
        List<String> files = new ArrayList<>(w.files.keySet());
        long amount = 5L * (1 + rng.nextInt(8));
        switch (rng.nextInt(8)) {
            case 0: {
                String who = pick(rng, PEOPLE);
                if (w.accounts.containsKey(who)) {
                    return null;
                }
                call.addProperty("name", "open_account");
                args.addProperty("owner", who);
                return "open an account for " + who;
            }
            case 1: {
                if (owners.isEmpty()) {
                    return null;
                }
                String who = owners.get(rng.nextInt(owners.size()));
                call.addProperty("name", "deposit");
                args.addProperty("owner", who);
                args.addProperty("amount", amount);
                return "deposit " + amount + " into " + who + "'s account";
            }
            case 2: {
                String who = owners.isEmpty() ? null : owners.get(rng.nextInt(owners.size()));
                if (who == null || w.accounts.get(who) < amount) {
                    return null;
                }
                call.addProperty("name", "withdraw");
                args.addProperty("owner", who);
                args.addProperty("amount", amount);
                return "withdraw " + amount + " from " + who + "'s account";
            }
            case 3: {
                if (owners.size() < 2) {
                    return null;
                }
                String from = owners.get(rng.nextInt(owners.size()));
                String to = owners.get(rng.nextInt(owners.size()));
                if (from.equals(to) || w.accounts.get(from) < amount) {
                    return null;
                }
                call.addProperty("name", "transfer");
                args.addProperty("from", from);
                args.addProperty("to", to);
                args.addProperty("amount", amount);
                return "move " + amount + " from " + from + " to " + to;
            }
            case 4: {
                String path = pick(rng, FILES);
                if (w.files.containsKey(path)) {
                    return null;
                }
                String text = pick(rng, WORDS);
                call.addProperty("name", "create_file");
                args.addProperty("path", path);
                args.addProperty("content", text);
                return "create " + path + " containing \"" + text + "\"";
            }
            case 5: {
                if (files.isEmpty()) {
                    return null;
                }
                String path = files.get(rng.nextInt(files.size()));
                String text = "; " + pick(rng, WORDS);
                call.addProperty("name", "append_file");
                args.addProperty("path", path);
                args.addProperty("content", text);
                return "append \"" + text + "\" to " + path;
            }
            case 6: {
                if (files.isEmpty()) {
                    return null;
                }
                String path = files.get(rng.nextInt(files.size()));
                call.addProperty("name", "delete_file");
                args.addProperty("path", path);
                return "delete " + path;
            }
            default: {
                if (owners.isEmpty()) {
                    return null;
                }
                String who = owners.get(rng.nextInt(owners.size()));
                call.addProperty("name", "balance");
                args.addProperty("owner", who);
                return "tell me " + who + "'s balance";
            }
        }
    }

    private static String pick(SplittableRandom rng, String[] from) {
        return from[rng.nextInt(from.length)];
    }
}
