package io.ladder.tasks.env.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.ladder.proto.ArithmeticCorpus;
import io.ladder.proto.LevelWeight;
import io.ladder.proto.ToolCorpus;
import io.ladder.tasks.arithmetic.PretrainCorpus;
import io.ladder.tasks.env.Environment;
import io.ladder.tasks.env.Environments;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ToolTranscriptsTest {
    static final String EOT = "<|eot|>";

    /** A transcript replayed turn by turn (split at the end-of-turn marker) is an episode that solves its task. */
    @Test
    void aTranscriptIsTheEpisodeThatSolvesItsTask() {
        for (int level = 1; level <= ToolTasks.MAX_LEVEL; level++) {
            for (int i = 0; i < 20; i++) {
                JsonObject task = ToolTasks.generate(11, level, i);
                ToolTranscripts.Transcript t = ToolTranscripts.solve(task, EOT);
                Environment env = Environments.create(ToolWorld.NAME);
                assertEquals(env.firstPrompt(env.reset(task)), t.prompt());
                String[] parts = t.completion().split(java.util.regex.Pattern.quote(EOT));
                assertEquals(level + 1, parts.length, "one call per turn, then the answer");
                String previousObservation = "";
                for (int k = 0; k < parts.length; k++) {
                    String turn = k == 0 ? parts[k] : parts[k].substring(previousObservation.length());
                    Environment.Step s = env.step(turn);
                    if (k < parts.length - 1) {
                        assertTrue(parts[k + 1].startsWith(s.observation()), "the transcript holds the world's answer");
                        previousObservation = s.observation();
                    } else {
                        assertEquals(1.0, s.quality(), t.completion());
                    }
                }
            }
        }
    }

    @Test
    void theCorpusMixesTranscriptsInOnlyWhenAsked() {
        ArithmeticCorpus arith = ArithmeticCorpus.newBuilder().addStudentLevels(LevelWeight.newBuilder().setLevel(1).setWeight(1))
                .addTeacherLevels(LevelWeight.newBuilder().setLevel(2).setWeight(1)).setStudentFraction(0.5).setTeacherFraction(0.2)
                .setImproveFraction(0.2).setDivergeFraction(0.1).build();
        ArithmeticCorpus withTools = arith.toBuilder().setTools(ToolCorpus.newBuilder().setFraction(0.5)
                .addLevels(LevelWeight.newBuilder().setLevel(2).setWeight(1))).build();
        SplittableRandom a = new SplittableRandom(3);
        PretrainCorpus plain = new PretrainCorpus(arith);
        int tools = 0;
        SplittableRandom b = new SplittableRandom(3);
        PretrainCorpus mixed = new PretrainCorpus(withTools);
        for (int i = 0; i < 400; i++) {
            assertTrue(!plain.next(a).kind().equals("tools"));
            PretrainCorpus.Document d = mixed.next(b);
            if (d.kind().equals("tools")) {
                tools++;
                assertEquals(2, d.level());
                assertTrue(d.prompt().startsWith(ToolPrompts.HEAD) && d.completion().contains(PretrainCorpus.END_OF_TURN), d.text());
            }
        }
        assertTrue(tools > 100 && tools < 200, "about a third of the documents: " + tools);
    }
}
