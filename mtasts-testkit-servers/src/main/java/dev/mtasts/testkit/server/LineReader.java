package dev.mtasts.testkit.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/** Reads CRLF- (or LF-) terminated protocol lines from a socket stream, with a length limit. Not thread-safe. */
final class LineReader {
    private final BufferedInputStream in;
    private final int limit;

    LineReader(InputStream in, int limit) {
        this.in = new BufferedInputStream(in);
        this.limit = limit;
    }

    /** The next line without its terminator, or null at end of stream. */
    byte @Nullable [] readLineBytes() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                return line.size() == 0 ? null : line.toByteArray();
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                if (bytes.length > 0 && bytes[bytes.length - 1] == '\r') {
                    return java.util.Arrays.copyOf(bytes, bytes.length - 1);
                }
                return bytes;
            }
            if (line.size() >= limit) {
                throw new IOException("line longer than " + limit + " bytes");
            }
            line.write(b);
        }
    }

    /** The next line decoded as UTF-8, or null at end of stream. */
    @Nullable
    String readLine() throws IOException {
        byte[] bytes = readLineBytes();
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** Skips exactly {@code n} bytes of a request body. */
    void skip(long n) throws IOException {
        long left = n;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    return;
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    /**
     * Reads exactly {@code n} bytes of a request body (fewer if the stream ends) and returns the first
     * {@code cap} of them; the rest is skipped, so a huge body cannot exhaust a test's memory.
     */
    byte[] readBody(long n, int cap) throws IOException {
        ByteArrayOutputStream kept = new ByteArrayOutputStream((int) Math.min(Math.max(n, 0), Math.min(cap, 8192)));
        byte[] buffer = new byte[8192];
        long left = n;
        while (left > 0 && kept.size() < cap) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, Math.min(left, cap - kept.size())));
            if (read < 0) {
                return kept.toByteArray();
            }
            kept.write(buffer, 0, read);
            left -= read;
        }
        skip(left);
        return kept.toByteArray();
    }

    /** Bytes already buffered but not read: on a plaintext SMTP stream at STARTTLS, injected commands. */
    int buffered() throws IOException {
        return in.available();
    }
}
