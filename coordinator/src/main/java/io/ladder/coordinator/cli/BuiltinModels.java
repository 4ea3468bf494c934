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

    /** Where a built-in model lives and the recipe it is made from. */
    record Builtin(Path dir, Path config, PretrainSpec spec) {
        /** Whether the folder holds a model made from today's recipe (an edited recipe means another model). */
        boolean made() throws java.io.IOException {
            Path report = dir.resolve("pretrain_report.json");
            if (!Files.isRegularFile(dir.resolve("model.safetensors")) || !Files.isRegularFile(report)) {
                return false;
            }
            var recipe = JsonParser.parseString(Files.readString(report)).getAsJsonObject().get("spec_sha256");
            return recipe != null && recipe.getAsString().equals(Pretrainer.specFingerprint(spec));
        }

        /** The folder, pretraining the model into it first when it is not made yet. */
        Path ensure(PrintStream out) throws Exception {
            if (made()) {
                return dir;
            }
            out.println(Files.isRegularFile(dir.resolve("model.safetensors"))
                    ? "the built-in base model in " + dir + " was made from another recipe than " + config
                            + ": pretraining it again (a few minutes, once)"
                    : "the built-in base model is missing: pretraining it from " + config + " into " + dir + " (a few minutes, once)");
            PretrainCommand.pretrainInto(spec, dir);
            return dir;
        }
    }

    /** The built-in model a model.path names, or null for an ordinary folder. */
    static Builtin builtin(String path) throws Exception {
        if (!JobSpecs.isBuiltin(path)) {
            return null;
        }
        boolean tools = path.equals(JobSpecs.BUILTIN_TOOLS);
        Path config = home().resolve(tools ? "examples/tools/pretrain.yaml" : "examples/arithmetic/pretrain.yaml");
        return new Builtin(home().resolve("runs").resolve(tools ? "tools-base" : "arith-base"), config,
                SpecLoader.load(config, PretrainCommand.defaults()).build());
    }

}
