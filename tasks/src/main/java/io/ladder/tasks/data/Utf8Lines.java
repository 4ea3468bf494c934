package io.ladder.tasks.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a stream line by line as strict UTF-8. A reader decoding the whole stream reports bad bytes
 * without saying where; this decodes each line alone, so that a bad byte is reported as
 * {@code source:line: not valid UTF-8 (byte N of the line)}, the one-line form of every data error.
 * Lines end at '\n'; a '\r' before it is dropped.
 */
final class Utf8Lines {
    private static final int BLOCK = 1 << 16;

    private final InputStream in;
    private final String source;
    private final byte[] block = new byte[BLOCK];
    private int blockLen;
    private int blockPos;
    private byte[] line = new byte[256];
    private int lineNumber;

    Utf8Lines(InputStream in, String source) {
        this.in = in;
        this.source = source;
    }

    /** 1-based number of the line {@link #next} returned last. */
    int lineNumber() {
        return lineNumber;
    }

    /** The next line without its terminator, or null at the end of the stream. */
    String next() throws IOException {
        int len = 0;
        boolean any = false;
        while (true) {
            if (blockPos == blockLen) {
                blockLen = in.read(block);
                blockPos = 0;
                if (blockLen <= 0) {
                    blockLen = 0;
                    if (!any) {
                        return null;
                    }
                    break;
                }
            }
            any = true;
            byte b = block[blockPos++];
            if (b == '\n') {
                break;
            }
            if (len == line.length) {
                line = Arrays.copyOf(line, 2 * len);
            }
            line[len++] = b;
        }
        lineNumber++;
        if (len > 0 && line[len - 1] == '\r') {
            len--;
        }
        return decode(len);
    }

    private String decode(int len) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bytes = ByteBuffer.wrap(line, 0, len);
        CharBuffer chars = CharBuffer.allocate(len);
        CoderResult r = decoder.decode(bytes, chars, true);
        if (!r.isError()) {
            r = decoder.flush(chars);
        }
        if (r.isError()) {
            throw new DatasetException(source, lineNumber, "not valid UTF-8 (byte " + (bytes.position() + 1) + " of the line)");
        }
        return chars.flip().toString();
    }
}
