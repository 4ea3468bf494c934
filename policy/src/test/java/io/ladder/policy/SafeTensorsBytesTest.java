package io.ladder.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** In-memory safetensors (weight updates between actors): same bytes as the file writer, exact round trip. */
class SafeTensorsBytesTest {
    @TempDir
    Path tmp;

    static Map<String, SafeTensors.Tensor> tensors() {
        Map<String, SafeTensors.Tensor> t = new LinkedHashMap<>();
        t.put("a.weight", new SafeTensors.Tensor(new float[] {1.5f, -2.25f, 3e-8f, Float.MAX_VALUE, 0f, -0f}, new long[] {2, 3}));
        t.put("b.bias", new SafeTensors.Tensor(new float[] {0.1f}, new long[] {1}));
        return t;
    }

    @Test
    void bytesEqualTheFileAndRoundTrip() throws Exception {
        byte[] bytes = SafeTensors.toBytes(tensors(), "F32");
        Path file = tmp.resolve("x.safetensors");
        SafeTensors.write(file, tensors(), "F32");
        assertArrayEquals(Files.readAllBytes(file), bytes);
        Map<String, SafeTensors.Tensor> back = SafeTensors.fromBytes(bytes, "payload");
        assertEquals(tensors().keySet(), back.keySet());
        for (String k : back.keySet()) {
            assertArrayEquals(tensors().get(k).data(), back.get(k).data(), 0f);
            assertArrayEquals(tensors().get(k).shape(), back.get(k).shape());
        }
        Map<String, SafeTensors.Tensor> bf = SafeTensors.fromBytes(SafeTensors.toBytes(tensors(), "BF16"), "payload");
        assertEquals(-2.25f, bf.get("a.weight").data()[1], 0f);
    }

    @Test
    void malformedPayloadsFailWithOneLine() {
        byte[] bytes = SafeTensors.toBytes(tensors(), "F32");
        ModelFolderException cut = assertThrows(ModelFolderException.class,
                () -> SafeTensors.fromBytes(Arrays.copyOf(bytes, bytes.length - 4), "payload"));
        assertTrue(cut.getMessage().startsWith("payload: tensor"), cut.getMessage());
        assertThrows(ModelFolderException.class, () -> SafeTensors.fromBytes(new byte[5], "payload"));
        byte[] junk = bytes.clone();
        junk[10] = '!';
        assertThrows(ModelFolderException.class, () -> SafeTensors.fromBytes(junk, "payload"));
    }

    @Test
    void fileAndPayloadShareTheHeaderChecks() throws Exception {
        // a header entry without data_offsets: the same one-line error from a file and from bytes
        String json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}";
        byte[] bytes = new byte[8 + json.length() + 4];
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(json.length())
                .put(json.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Path file = tmp.resolve("bad.safetensors");
        Files.write(file, bytes);
        ModelFolderException fromFile = assertThrows(ModelFolderException.class, () -> SafeTensors.readHeader(file));
        assertEquals(file + ": tensor w has a malformed header entry", fromFile.getMessage());
        ModelFolderException fromBytes = assertThrows(ModelFolderException.class, () -> SafeTensors.fromBytes(bytes, "payload"));
        assertEquals("payload: tensor w has a malformed header entry", fromBytes.getMessage());
    }
}
