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

    /**
     * Replays {@code turns} of {@code task} in {@code env} (reset first). Refuses a prefix that does
     * not fit the environment: a follow-up before the episode ended, or a turn after it ended
     * without one.
     */
    public static Replayed replay(Environment env, JsonObject task, List<Turn> turns) {
        env.reset(task);
        List<String> observations = new ArrayList<>(turns.size());
        boolean done = false;
        double quality = 0;
        for (int i = 0; i < turns.size(); i++) {
            Turn t = turns.get(i);
            if (t.followup() != Followup.NONE) {
                if (!done) {
                    throw new IllegalArgumentException("turn " + (i + 1) + " of the prefix: a follow-up request before the episode ended");
                }
                env.reopen();
            } else if (done) {
                throw new IllegalArgumentException("turn " + (i + 1) + " of the prefix: the episode had ended and no follow-up reopened it");
            }
            Environment.Step s = env.step(t.text());
            observations.add(s.observation());
            done = s.done();
            quality = s.quality();
        }
        return new Replayed(observations, done, done ? quality : env.quality());
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
