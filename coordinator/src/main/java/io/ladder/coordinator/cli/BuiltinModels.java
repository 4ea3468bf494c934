package io.ladder.coordinator.cli;

import com.google.gson.JsonParser;
import io.ladder.coordinator.job.JobSpecs;
import io.ladder.coordinator.pretrain.Pretrainer;
import io.ladder.proto.PretrainSpec;
import io.ladder.proto.SpecLoader;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The built-in base models, each pretrained on first use from its recipe and then reused:
 * builtin:arithmetic-base (examples/arithmetic/pretrain.yaml, in runs/arith-base) and
 * builtin:tools-base (examples/tools/pretrain.yaml, in runs/tools-base).
 */
final class BuiltinModels {
    private BuiltinModels() {}

    /** Ladder's checkout (bin/ladder passes it), or the working directory. */
    static Path home() {
        String h = System.getProperty("ladder.home");
        return h == null ? Path.of("").toAbsolutePath() : Path.of(h);
    }

    static Path resolve(String path, PrintStream out) throws Exception {
        if (!JobSpecs.isBuiltin(path)) {
            return Path.of(path);
        }
        boolean tools = path.equals(JobSpecs.BUILTIN_TOOLS);
        Path dir = home().resolve("runs").resolve(tools ? "tools-base" : "arith-base");
        Path config = home().resolve(tools ? "examples/tools/pretrain.yaml" : "examples/arithmetic/pretrain.yaml");
        PretrainSpec spec = SpecLoader.load(config, PretrainCommand.defaults()).build();
        String recipe = Pretrainer.specFingerprint(spec);
        Path report = dir.resolve("pretrain_report.json");
        if (Files.isRegularFile(dir.resolve("model.safetensors")) && Files.isRegularFile(report)) {
            // reuse only a model made from today's recipe: an edited pretrain.yaml means another base model
            var made = JsonParser.parseString(Files.readString(report)).getAsJsonObject().get("spec_sha256");
            if (made != null && made.getAsString().equals(recipe)) {
                return dir;
            }
            out.println("the built-in base model in " + dir + " was made from another recipe than " + config
                    + ": pretraining it again (a few minutes, once)");
        } else {
            out.println("the built-in base model is missing: pretraining it from " + config + " into " + dir + " (a few minutes, once)");
        }
        PretrainCommand.pretrainInto(spec, dir);
        return dir;
    }
}
