package io.ladder.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SpecLoaderTest {
    private static PretrainSpec.Builder defaults() {
        return PretrainSpec.newBuilder().setSteps(10).setLr(1e-3)
                .setModel(ModelArchitecture.newBuilder().setLayers(2).setHidden(64));
    }

    private static String error(String yaml) {
        return assertThrows(SpecException.class, () -> SpecLoader.loadString(yaml, "x.yaml", defaults())).getMessage();
    }

    @Test
    void mergesOverDefaults() {
        PretrainSpec s = SpecLoader.loadString("steps: 50\nmodel:\n  hidden: 128\ncorpus:\n  student_levels:\n"
                + "    - {level: 1, weight: 2.0}\n    - {level: 3, weight: 1}\n", "x.yaml", defaults()).build();
        assertEquals(50, s.getSteps());
        assertEquals(1e-3, s.getLr());
        assertEquals(2, s.getModel().getLayers());
        assertEquals(128, s.getModel().getHidden());
        assertEquals(2, s.getCorpus().getStudentLevelsCount());
        assertEquals(1.0, s.getCorpus().getStudentLevels(1).getWeight());
    }

    @Test
    void refusesWithFieldPathAndReason() {
        assertEquals("x.yaml: model.hiden: unknown field (known here: layers, hidden, heads, kv_heads, intermediate, "
                + "max_positions, untied, init_std)", error("model:\n  hiden: 3\n"));
        assertEquals("x.yaml: steps: expected an integer, got the string \"many\"", error("steps: many\n"));
        assertEquals("x.yaml: steps: expected an integer, got double 1.5", error("steps: 1.5\n"));
        assertEquals("x.yaml: lr: must be in (0, 10], got 0", error("lr: 0\n"));
        assertEquals("x.yaml: corpus.student_levels[1].level: must be in [1, 9], got 12",
                error("corpus:\n  student_levels:\n    - {level: 1}\n    - {level: 12}\n"));
        assertEquals("x.yaml: model: expected a mapping, got integer 3", error("model: 3\n"));
        assertEquals("x.yaml: name: expected a string, got integer 5 (quote it)", error("name: 5\n"));
        assertEquals("x.yaml: seed: must not be negative, got -1", error("seed: -1\n"));
        assertTrue(error("steps: [1\n").startsWith("x.yaml:"));
        assertEquals("x.yaml: expected a mapping of field names at the top level", error("- 1\n- 2\n"));
    }
}
