package io.ladder.tasks.data;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a JSONL file or stream one object per line, streaming, with 1-based line numbers. Blank
 * lines are skipped; a line that is not UTF-8 or not a JSON object fails with a
 * {@link DatasetException}.
 */
public final class JsonLines {
    private JsonLines() {}

    /** Receives each record with its line number. */
    @FunctionalInterface
    public interface Handler {
        void accept(int line, String text, JsonObject record) throws IOException;
    }

    /** Calls {@code handler} for every non-blank line; returns how many records were read. */
    public static int forEach(Path file, Handler handler) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return forEach(in, file.toString(), handler);
        }
    }

    /**
     * As {@link #forEach(Path, Handler)} for a stream (standard input); {@code source} names it in
     * error messages. The stream is not closed.
     */
    public static int forEach(InputStream in, String source, Handler handler) throws IOException {
        Utf8Lines lines = new Utf8Lines(in, source);
        int count = 0;
        String text;
        while ((text = lines.next()) != null) {
            int line = lines.lineNumber();
            if (line == 1 && text.startsWith("\uFEFF")) {
                text = text.substring(1); // byte-order mark written by some editors
            }
            if (text.isBlank()) {
                continue;
            }
            handler.accept(line, text, parseObject(source, line, text));
            count++;
        }
        return count;
    }

    private static final com.google.gson.TypeAdapter<JsonElement> ELEMENT = new com.google.gson.Gson().getAdapter(JsonElement.class);

    private static JsonObject parseObject(String source, int line, String text) {
        JsonElement e;
        // Strict: a data file with single quotes or bare words is a mistake, not a dialect.
        // (The element adapter honours the reader's lenient flag; JsonParser.parseReader forces
        // lenient mode, and gson 2.11's setStrictness is missing from the gson 2.9 that Ray's
        // worker JVMs load first.)
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setLenient(false);
        try {
            e = ELEMENT.read(reader);
        } catch (java.io.IOException | JsonParseException | IllegalStateException ex) {
            Throwable cause = ex instanceof JsonParseException && ex.getCause() != null ? ex.getCause() : ex;
            throw new DatasetException(source, line, "invalid JSON: " + cause.getMessage());
        }
        if (!atEnd(reader)) {
            throw new DatasetException(source, line, "invalid JSON: more than one value on the line");
        }
        if (!e.isJsonObject()) {
            throw new DatasetException(source, line, "expected a JSON object, found " + describe(e));
        }
        return e.getAsJsonObject();
    }

    private static boolean atEnd(JsonReader reader) {
        try {
            return reader.peek() == JsonToken.END_DOCUMENT;
        } catch (IOException ex) {
            return false; // strict mode refuses a second top-level value
        }
    }

    /** "an array", "a string", ... for error messages. */
    public static String describe(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return "null";
        }
        if (e.isJsonArray()) {
            return "an array";
        }
        if (e.isJsonObject()) {
            return "an object";
        }
        if (e.getAsJsonPrimitive().isString()) {
            return "a string";
        }
        if (e.getAsJsonPrimitive().isNumber()) {
            return "a number";
        }
        return "a boolean";
    }
}
