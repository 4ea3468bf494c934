package io.ladder.coordinator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** jvm.options is the one list of JVM flags; every consumer must see the same one. */
class JvmOptionsTest {
    @Test
    void parsesTheArgfileFormat() {
        assertEquals(List.of("--a=1", "-Db=2", "-Dc=3"),
                RayRuntime.parseJvmOptions("# header\n\n--a=1   # why\n  -Db=2 -Dc=3\r\n#--not=this\n"));
    }

    @Test
    void workerOptionsAreTheTopLevelFileAndThisTestJvmWasStartedWithThem() {
        List<String> opts = RayRuntime.JVM_OPTIONS;
        assertTrue(opts.contains("-Dai.djl.offline=true"), opts.toString());
        assertEquals(8, opts.stream().filter(o -> o.startsWith("--add-opens=java.base/")).count(), opts.toString());
        // surefire's argLine reads the same file through the launcher's @argfile expansion
        List<String> mine = ManagementFactory.getRuntimeMXBean().getInputArguments();
        assertTrue(mine.containsAll(opts), "test JVM arguments " + mine + " lack some of " + opts);
    }
}
