package io.ladder.tasks.env;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import io.ladder.tasks.Prompts;
import java.util.ArrayList;
import java.util.List;

/**
 * A turn prefix of an episode: what ExIt buffers and restarts from on multi-turn tasks
 * (shared/papers/EXIT.md, "Selection: from a buffered instance, take a random turn prefix").
 * The prefix is the model's turns so far, oldest first; a turn that opened another attempt after
 * the episode had ended carries the follow-up request that came right before it (improve or
 * diverge). Environments are deterministic in their task and the turns they are given, so
 * replaying the turns in a fresh environment restores the episode exactly: the prefix travels
 * instead of a state snapshot, and it is also what the model's context is rebuilt from.
 */
public final class EpisodePrefix {
    private EpisodePrefix() {}

    /** The user's request that opens another attempt at a finished episode. */
    public enum Followup {
        NONE, IMPROVE, DIVERGE;

        /** As the rollout call carries it: "" for none, else the lower-case name. */
        public String wire() {
            return this == NONE ? "" : name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The inverse of {@link #wire()}; an unknown name is refused. */
        public static Followup fromWire(String s) {
            try {
                return s.isEmpty() ? NONE : valueOf(s.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("episode_followup: expected \"\", improve or diverge, got \"" + s + "\"");
            }
        }

        /** The follow-up's words for an episode of {@code request} (the paper's improve / diverge prompts). */
        public String text(String request) {
            return switch (this) {
                case NONE -> throw new IllegalStateException("no follow-up request");
                case IMPROVE -> Prompts.EPISODE_IMPROVE + request.strip() + Prompts.EPISODE_AFTER;
                case DIVERGE -> Prompts.EPISODE_DIVERGE + request.strip() + Prompts.EPISODE_AFTER;
            };
        }
    }

    /** One model turn, and the follow-up request before it (NONE inside an attempt). */
    public record Turn(Followup followup, String text) {
        public Turn {
            if (followup == null || text == null) {
                throw new IllegalArgumentException("a turn needs its text and a follow-up (NONE for none)");
            }
        }

        public static Turn of(String text) {
            return new Turn(Followup.NONE, text);
        }
    }

    /** What replaying a prefix left: each turn's observation, whether the episode is over, and its quality now. */
    public record Replayed(List<String> observations, boolean done, double quality) {}

    /** What a replay meets, in order: for a caller that rebuilds the conversation (the rollout worker's prompt). */
    public interface Listener {
        /** A follow-up request reopened the finished episode. */
        void followup(Followup followup);

        /** A turn was replayed and the environment answered {@code step}. */
        void turn(String text, Environment.Step step);
    }

    /** Replays {@code turns} of {@code task} in {@code env} (reset first); see the full form. */
    public static Replayed replay(Environment env, JsonObject task, List<Turn> turns) {
        return replay(env, task, turns, Followup.NONE, null);
    }

    /**
     * Replays {@code turns} of {@code task} in {@code env} (reset first), then opens another
     * attempt with {@code next} (NONE: none), telling {@code listener} (may be null) each step.
     * Refuses a prefix that does not fit the environment: a follow-up before the episode ended,
     * or a turn after it ended without one. The one place these rules live: ExIt's task source
     * and the rollout worker both replay through it.
     */
    public static Replayed replay(Environment env, JsonObject task, List<Turn> turns, Followup next, Listener listener) {
        env.reset(task);
        List<String> observations = new ArrayList<>(turns.size());
        boolean done = false;
        double quality = 0;
        for (int i = 0; i <= turns.size(); i++) {
            Followup f = i < turns.size() ? turns.get(i).followup() : next;
            String where = i < turns.size() ? "turn " + (i + 1) + " of the prefix" : "after the prefix";
            if (f != Followup.NONE) {
                if (!done) {
                    throw new IllegalArgumentException(where + ": a follow-up request before the episode ended");
                }
                env.reopen();
                done = false;
                if (listener != null) {
                    listener.followup(f);
                }
            } else if (done && i < turns.size()) {
                throw new IllegalArgumentException(where + ": the episode had ended and no follow-up reopened it");
            }
            if (i == turns.size()) {
                break;
            }
            Environment.Step st = env.step(turns.get(i).text());
            observations.add(st.observation());
            done = st.done();
            quality = st.quality();
            if (listener != null) {
                listener.turn(turns.get(i).text(), st);
            }
        }
        return new Replayed(observations, done, done ? quality : env.quality());
    }

    /** The turns an episode wrote, as prefix turns: the first carries the follow-up that opened its attempt. */
    public static List<Turn> turns(Followup opening, List<String> texts) {
        List<Turn> out = new ArrayList<>(texts.size());
        for (int t = 0; t < texts.size(); t++) {
            out.add(new Turn(t == 0 ? opening : Followup.NONE, texts.get(t)));
        }
        return out;
    }

    private static final Gson GSON = new Gson();

    /** A turn as one string (ExIt's buffer keeps histories as strings; the rollout call carries them so). */
    public static String encode(Turn t) {
        return GSON.toJson(t);
    }

    public static Turn decode(String s) {
        try {
            Turn t = GSON.fromJson(s, Turn.class);
            if (t == null) {
                throw new JsonParseException("empty");
            }
            return new Turn(t.followup(), t.text()); // re-validated
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not an episode turn (expected {\"followup\": ..., \"text\": ...}): "
                    + (s.length() > 80 ? s.substring(0, 80) + "..." : s));
        }
    }

    public static List<Turn> decodeAll(List<String> encoded) {
        return encoded.stream().map(EpisodePrefix::decode).toList();
    }

    public static List<String> encodeAll(List<Turn> turns) {
        return turns.stream().map(EpisodePrefix::encode).toList();
    }
}
