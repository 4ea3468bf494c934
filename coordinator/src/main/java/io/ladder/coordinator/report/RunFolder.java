package io.ladder.coordinator.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.ladder.proto.JobSpec;
import io.ladder.proto.StepRecord;
import io.ladder.proto.UserError;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a run folder holds, read for a report: the resolved spec, one {@link StepRecord} per
 * metrics.jsonl line, and the evaluations that exist so far. A run that is still going (no
 * summary yet, its last line half written) is read as far as it goes.
 */
public final class RunFolder {
    private final Path dir;
    private final JobSpec spec;
    private final List<StepRecord> records;
    private final JsonObject summary;
    private final JsonObject passBefore;
    private final JsonObject passAfter;
    private final JsonObject selfImprove;

    private RunFolder(Path dir, JobSpec spec, List<StepRecord> records, JsonObject summary, JsonObject passBefore,
            JsonObject passAfter, JsonObject selfImprove) {
        this.dir = dir;
        this.spec = spec;
        this.records = records;
        this.summary = summary;
        this.passBefore = passBefore;
        this.passAfter = passAfter;
        this.selfImprove = selfImprove;
    }

    /** Reads {@code dir}; a folder that is not a run, or a file that cannot be parsed, is one line naming it. */
    public static RunFolder read(Path dir) {
        Path specFile = dir.resolve("spec.json");
        if (!Files.isDirectory(dir)) {
            throw new UserError(dir + ": no such run folder");
        }
        if (!Files.isRegularFile(specFile)) {
            throw new UserError(dir + ": not a run folder (no spec.json)");
        }
        JobSpec.Builder spec = JobSpec.newBuilder();
        try {
            JsonFormat.parser().ignoringUnknownFields().merge(text(specFile), spec);
        } catch (InvalidProtocolBufferException e) {
            throw new UserError(specFile + ": not a Ladder job spec (" + e.getMessage() + ")");
        }
        return new RunFolder(dir, spec.build(), steps(dir.resolve("metrics.jsonl")), json(dir.resolve("summary.json")),
                json(dir.resolve("pass_before.json")), json(dir.resolve("pass_after.json")), json(dir.resolve("self_improve.json")));
    }

    private static List<StepRecord> steps(Path file) {
        List<StepRecord> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        String[] lines = text(file).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            StepRecord.Builder b = StepRecord.newBuilder();
            try {
                JsonFormat.parser().ignoringUnknownFields().merge(lines[i], b);
            } catch (InvalidProtocolBufferException | JsonParseException e) {
                if (i == lines.length - 1) {
                    break; // the line being written while the run goes on
                }
                throw new UserError(file + ": line " + (i + 1) + " is not a step record (" + e.getMessage() + ")");
            }
            out.add(b.build());
        }
        return out;
    }

    private static JsonObject json(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonElement e = JsonParser.parseString(text(file));
            return e.isJsonObject() ? e.getAsJsonObject() : null;
        } catch (JsonParseException e) {
            throw new UserError(file + ": not JSON (" + e.getMessage() + ")");
        }
    }

    private static String text(Path file) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new UserError(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new UserError(file + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    public Path dir() {
        return dir;
    }

    public JobSpec spec() {
        return spec;
    }

    /** Every step record, in file order. */
    public List<StepRecord> records() {
        return records;
    }

    /** The records of one role (policy; SOAR: teacher, one per outer step). */
    public List<StepRecord> records(String role) {
        return records.stream().filter(r -> r.getRole().equals(role)).toList();
    }

    /** The role whose records are the run's main curve: the teacher for SOAR, else the policy. */
    public String mainRole() {
        return spec.getAlgorithm().getName() == io.ladder.proto.AlgorithmSpec.Name.SOAR ? "teacher" : "policy";
    }

    public boolean finished() {
        return summary != null;
    }

    public int stepsDone() {
        return records(mainRole()).stream().mapToInt(StepRecord::getStep).max().orElse(0);
    }

    /** The method's name as a reader knows it: the algorithm, with ExIt's preset. */
    public String method() {
        var a = spec.getAlgorithm();
        String name = a.getName().name().toLowerCase(java.util.Locale.ROOT);
        if (a.getName() == io.ladder.proto.AlgorithmSpec.Name.EXIT
                && a.getExit().getPreset() != io.ladder.proto.ExitSpec.Preset.PRESET_UNSPECIFIED) {
            name += " (" + a.getExit().getPreset().name().toLowerCase(java.util.Locale.ROOT) + ")";
        }
        return name;
    }

    public Optional<JsonObject> summary() {
        return Optional.ofNullable(summary);
    }

    public Optional<JsonObject> passBefore() {
        return Optional.ofNullable(passBefore);
    }

    public Optional<JsonObject> passAfter() {
        return Optional.ofNullable(passAfter);
    }

    public Optional<JsonObject> selfImprove() {
        return Optional.ofNullable(selfImprove);
    }
}
