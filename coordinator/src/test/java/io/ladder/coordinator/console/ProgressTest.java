package io.ladder.coordinator.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Progress off a terminal: plain lines with counts, rate, ETA and the status, never a carriage return. */
class ProgressTest {
    @Test
    void plainLinesAtEachTenth() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
             Progress p = Progress.plain("eval", 100, "samples", out, 0)) {
            p.extra("loss 0.5");
            for (int i = 0; i < 20; i++) {
                p.advance(5);
            }
        }
        List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(10, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).matches("eval: 10/100 samples \\([0-9.]+/s, ETA [0-9]+:[0-9]{2}\\)  loss 0.5"), lines.get(0));
        assertTrue(lines.get(9).startsWith("eval: 100/100 samples"), lines.get(9));
        assertTrue(!buf.toString(StandardCharsets.UTF_8).contains("\r"), "no carriage returns in a log");
    }

    @Test
    void shortWorkIsSilentInLogs() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
             Progress p = Progress.plain("eval", 10, "samples", out, 10_000_000_000L)) {
            p.advance(10);
        }
        assertEquals("", buf.toString(StandardCharsets.UTF_8));
    }

    @Test
    void clockReadsAsMinutesOrHours() {
        assertEquals("1:05", Progress.clock(java.time.Duration.ofSeconds(65)));
        assertEquals("2:00:05", Progress.clock(java.time.Duration.ofSeconds(7205)));
    }
}
