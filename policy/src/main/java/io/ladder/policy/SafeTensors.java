package io.ladder.policy;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and writes the safetensors format (an 8-byte little-endian header length, a JSON
 * header naming each tensor's dtype, shape and byte range, then the raw little-endian bytes),
 * including sharded checkpoints described by {@code model.safetensors.index.json}.
 * Ladder computes in float32; F16 and BF16 tensors are widened on load (exactly) and can be
 * narrowed on save (round to nearest even).
 */
public final class SafeTensors {
    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private SafeTensors() {}

    /** Where one tensor's bytes live. */
    public record TensorInfo(String name, String dtype, long[] shape, Path file, long offset, long length) {
        public long elementCount() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    /** A float32 tensor to write. */
    public record Tensor(float[] data, long[] shape) {}

    /** All tensors of a model folder, from one file or from the shards an index names. */
    public static Map<String, TensorInfo> index(Path modelDir) {
        Path single = modelDir.resolve(SINGLE_FILE);
        Path indexFile = modelDir.resolve(INDEX_FILE);
        Map<String, TensorInfo> out = new LinkedHashMap<>();
        if (Files.isRegularFile(single)) {
            out.putAll(readHeader(single));
            return out;
        }
        if (!Files.isRegularFile(indexFile)) {
            throw new ModelFolderException(modelDir + ": no " + SINGLE_FILE + " or " + INDEX_FILE
                    + " (weights are missing)");
        }
        JsonObject idx;
        try {
            idx = JsonParser.parseString(Files.readString(indexFile)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new ModelFolderException(indexFile + ": not a valid index (" + LlamaConfig.firstLine(e.getMessage()) + ")");
        }
        JsonElement map = idx.get("weight_map");
        if (map == null || !map.isJsonObject()) {
            throw new ModelFolderException(indexFile + ": weight_map is missing");
        }
        Map<String, Map<String, TensorInfo>> shards = new TreeMap<>();
        for (Map.Entry<String, JsonElement> e : map.getAsJsonObject().entrySet()) {
            String shardName = e.getValue().getAsString();
            Map<String, TensorInfo> shard = shards.computeIfAbsent(shardName,
                    s -> readHeader(modelDir.resolve(s)));
            TensorInfo t = shard.get(e.getKey());
            if (t == null) {
                throw new ModelFolderException(modelDir.resolve(shardName) + ": tensor " + e.getKey()
                        + " listed in " + INDEX_FILE + " is not in this shard");
            }
            out.put(e.getKey(), t);
        }
        return out;
    }

    /** Parses one safetensors file's header. */
    public static Map<String, TensorInfo> readHeader(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new ModelFolderException(file + ": truncated (" + size + " bytes)");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(lenBuf, 0);
            long headerLen = checkHeaderLength(lenBuf.flip().getLong(), size, file, "file");
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            ch.read(hb, 8);
            return parseHeader(new String(hb.array(), StandardCharsets.UTF_8), headerLen, size, file, "file");
        } catch (NoSuchFileException e) {
            throw new ModelFolderException(file + ": missing");
        } catch (IOException e) {
            throw new ModelFolderException(file + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    /** The header length from the first 8 bytes, if it fits a safetensors {@code what} (file or payload) of {@code size} bytes. */
    private static long checkHeaderLength(long headerLen, long size, Path source, String what) {
        if (headerLen <= 0 || headerLen > size - 8 || headerLen > 100_000_000) {
            throw new ModelFolderException(source + ": not a safetensors " + what + " (header length " + headerLen + ")");
        }
        return headerLen;
    }

    /**
     * Every tensor a safetensors header lists, checked: known dtype, byte range inside the
     * {@code size} bytes of the {@code what} (file or payload), byte count matching shape and dtype.
     * Offsets in the result are absolute (from the start of the file or payload).
     */
    private static Map<String, TensorInfo> parseHeader(String json, long headerLen, long size, Path source, String what) {
        JsonObject header;
        try {
            header = JsonParser.parseString(json).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new ModelFolderException(source + ": safetensors header is not valid JSON");
        }
        long dataStart = 8 + headerLen;
        Map<String, TensorInfo> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : header.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            TensorInfo info;
            try {
                JsonObject t = e.getValue().getAsJsonObject();
                JsonArray sh = t.getAsJsonArray("shape");
                long[] shape = new long[sh.size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = sh.get(i).getAsLong();
                }
                JsonArray off = t.getAsJsonArray("data_offsets");
                long begin = off.get(0).getAsLong();
                long end = off.get(1).getAsLong();
                if (end < begin || begin < 0 || dataStart + end > size) {
                    throw new ModelFolderException(source + ": tensor " + e.getKey() + " lies outside the " + what + " (truncated?)");
                }
                info = new TensorInfo(e.getKey(), t.get("dtype").getAsString(), shape, source, dataStart + begin, end - begin);
            } catch (ModelFolderException ex) {
                throw ex;
            } catch (RuntimeException ex) {
                throw new ModelFolderException(source + ": tensor " + e.getKey() + " has a malformed header entry");
            }
            long expected = info.elementCount() * bytesPer(info.dtype(), source, e.getKey());
            if (expected != info.length()) {
                throw new ModelFolderException(source + ": tensor " + e.getKey() + " has " + info.length()
                        + " bytes, its shape and dtype need " + expected);
            }
            out.put(e.getKey(), info);
        }
        return out;
    }

    private static int bytesPer(String dtype, Path file, String name) {
        switch (dtype) {
            case "F32":
                return 4;
            case "F16":
            case "BF16":
                return 2;
            case "F64":
                return 8;
            default:
                throw new ModelFolderException(file + ": tensor " + name + " has dtype " + dtype
                        + " (Ladder reads F32, F16, BF16 and F64)");
        }
    }

    /** The tensor's values as float32. */
    public static float[] readFloats(TensorInfo t) {
        long n = t.elementCount();
        if (n > Integer.MAX_VALUE) {
            throw new ModelFolderException(t.file() + ": tensor " + t.name() + " is too large for one array");
        }
        float[] out = new float[(int) n];
        try (FileChannel ch = FileChannel.open(t.file(), StandardOpenOption.READ)) {
            MappedByteBuffer mb = ch.map(FileChannel.MapMode.READ_ONLY, t.offset(), t.length());
            decode(mb, t.dtype(), out);
        } catch (IOException e) {
            throw new ModelFolderException(t.file() + ": cannot be read (" + e.getMessage() + ")");
        }
        return out;
    }

    /** Widens little-endian F32/F64/BF16/F16 values from the buffer's position into {@code out}. */
    private static void decode(ByteBuffer mb, String dtype, float[] out) {
        mb.order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case "F32":
                mb.asFloatBuffer().get(out);
                break;
            case "F64":
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) mb.getDouble();
                }
                break;
            case "BF16":
                for (int i = 0; i < out.length; i++) {
                    out[i] = Float.intBitsToFloat((mb.getShort() & 0xFFFF) << 16);
                }
                break;
            case "F16":
                for (int i = 0; i < out.length; i++) {
                    out[i] = halfToFloat(mb.getShort());
                }
                break;
            default:
                throw new IllegalStateException(dtype);
        }
    }

    /**
     * Parses safetensors bytes held in memory (a weight update sent between actors) into float32
     * tensors, in the file's order. Throws {@link ModelFolderException} naming {@code source} when
     * the bytes are not a well-formed safetensors file.
     */
    public static Map<String, Tensor> fromBytes(byte[] data, String source) {
        Path where = Path.of(source);
        if (data.length < 8) {
            throw new ModelFolderException(source + ": truncated (" + data.length + " bytes)");
        }
        ByteBuffer all = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen = checkHeaderLength(all.getLong(0), data.length, where, "payload");
        String json = new String(data, 8, (int) headerLen, StandardCharsets.UTF_8);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (TensorInfo t : parseHeader(json, headerLen, data.length, where, "payload").values()) {
            float[] values = new float[(int) t.elementCount()]; // fits: the payload holds its bytes
            decode(all.duplicate().position((int) t.offset()).limit((int) (t.offset() + t.length())).slice(),
                    t.dtype(), values);
            out.put(t.name(), new Tensor(values, t.shape()));
        }
        return out;
    }

    /**
     * The safetensors encoding of the tensors (in the map's order) in the given dtype, in memory:
     * one array of exactly the encoding's size, so publishing a model's weights needs that much
     * heap beside the tensors and no more (a growing stream would need about three times that).
     */
    public static byte[] toBytes(Map<String, Tensor> tensors, String dtype) {
        int width = width(dtype);
        byte[] header = header(tensors, dtype, width);
        long size = header.length;
        for (Tensor t : tensors.values()) {
            size += (long) t.data().length * width;
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a safetensors encoding of " + size + " bytes does not fit one Java array");
        }
        byte[] out = new byte[(int) size];
        ByteBuffer bb = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).put(header);
        for (Tensor t : tensors.values()) {
            encode(t.data(), dtype, width, bb);
        }
        return out;
    }

    /** Writes tensors (in the map's order) as one safetensors file in the given dtype. */
    public static void write(Path file, Map<String, Tensor> tensors, String dtype) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream os = Files.newOutputStream(tmp)) {
            writeTo(os, tensors, dtype);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Writes the safetensors encoding of the tensors (in the map's order) to a stream. */
    public static void writeTo(OutputStream os, Map<String, Tensor> tensors, String dtype) throws IOException {
        int width = width(dtype);
        os.write(header(tensors, dtype, width));
        for (Tensor t : tensors.values()) {
            ByteBuffer bb = ByteBuffer.allocate(t.data().length * width).order(ByteOrder.LITTLE_ENDIAN);
            encode(t.data(), dtype, width, bb);
            os.write(bb.array());
        }
    }

    private static int width(String dtype) {
        return switch (dtype) {
            case "F32" -> 4;
            case "F16", "BF16" -> 2;
            default -> throw new IllegalArgumentException("cannot write dtype " + dtype);
        };
    }

    /** The 8-byte header length, the JSON header and its padding: everything before the data. */
    private static byte[] header(Map<String, Tensor> tensors, String dtype, int width) {
        JsonObject header = new JsonObject();
        JsonObject meta = new JsonObject();
        meta.addProperty("format", "pt"); // transformers refuses files without it
        header.add("__metadata__", meta);
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            JsonObject t = new JsonObject();
            t.addProperty("dtype", dtype);
            JsonArray shape = new JsonArray();
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            t.add("shape", shape);
            JsonArray off = new JsonArray();
            long len = (long) e.getValue().data().length * width;
            off.add(offset);
            off.add(offset + len);
            t.add("data_offsets", off);
            header.add(e.getKey(), t);
            offset += len;
        }
        byte[] hb = new Gson().toJson(header).getBytes(StandardCharsets.UTF_8);
        int padded = (hb.length + 7) / 8 * 8; // data starts 8-byte aligned, as the reference writer does
        ByteBuffer out = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).put(hb);
        while (out.hasRemaining()) {
            out.put((byte) ' ');
        }
        return out.array();
    }

    private static void encode(float[] d, String dtype, int width, ByteBuffer bb) {
        for (float v : d) {
            switch (width) {
                case 4 -> bb.putFloat(v);
                default -> bb.putShort(dtype.equals("BF16") ? floatToBf16(v) : floatToHalf(v));
            }
        }
    }

    static float halfToFloat(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1F;
        int mant = bits & 0x3FF;
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign);
            }
            // subnormal half: value = mant * 2^-24
            float v = mant * 0x1.0p-24f;
            return sign != 0 ? -v : v;
        }
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    static short floatToHalf(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        if (Float.isNaN(f)) {
            return (short) (sign | 0x7E00);
        }
        float abs = Math.abs(f);
        if (abs >= 65520f) { // rounds to infinity
            return (short) (sign | 0x7C00);
        }
        if (abs < 0x1.0p-14f) { // subnormal or zero in half precision
            int m = Math.round(abs * 0x1.0p24f); // Math.round is half-up; fix ties to even below
            float exact = abs * 0x1.0p24f;
            if (exact - Math.floor(exact) == 0.5 && (m & 1) == 1) {
                m -= 1;
            }
            return (short) (sign | m);
        }
        int exp = ((bits >>> 23) & 0xFF) - 127 + 15;
        int mant = bits & 0x7FFFFF;
        int half = (exp << 10) | (mant >>> 13);
        int rest = mant & 0x1FFF;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
            half += 1; // may carry into the exponent, which is still correct
        }
        return (short) (sign | half);
    }

    static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }
}
