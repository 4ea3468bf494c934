package io.ladder.coordinator.cli;

import io.ladder.coordinator.job.JobSpecs;
import io.ladder.coordinator.pretrain.Pretrainer;
import io.ladder.proto.PretrainSpec;
import io.ladder.proto.SpecLoader;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The built-in base model: pretrained on first use, then reused from runs/arith-base. */
final class BuiltinModels {
    private BuiltinModels() {}

    /** Ladder's checkout (bin/ladder passes it), or the working directory. */
    static Path home() {
        String h = System.getProperty("ladder.home");
        return h == null ? Path.of("").toAbsolutePath() : Path.of(h);
    }

    static Path resolve(String path, PrintStream out) throws Exception {
        if (!path.equals(JobSpecs.BUILTIN_BASE)) {
            return Path.of(path);
        }
        Path dir = home().resolve("runs").resolve("arith-base");
        if (Files.isRegularFile(dir.resolve("model.safetensors")) && Files.isRegularFile(dir.resolve("pretrain_report.json"))) {
            return dir;
        }
        Path config = home().resolve("examples/arithmetic/pretrain.yaml");
        out.println("the built-in base model is missing: pretraining it from " + config + " into " + dir + " (a few minutes, once)");
        PretrainSpec spec = SpecLoader.load(config, PretrainCommand.defaults()).build();
        Pretrainer.Result r = new Pretrainer(spec, dir, System.err).run();
        PretrainCommand.report(spec, dir, r);
        return dir;
    }
}
