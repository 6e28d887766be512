package dev.mtasts.tlsrpt.internal;

import static dev.mtasts.tlsrpt.internal.Findings.error;

import dev.mtasts.tlsrpt.ReportIssue;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Sniffs and inflates report payloads with hard size caps (RPT-JSON-6, RW-14, RW-21). */
public final class Payloads {
    /** What a payload's first bytes say it is. */
    public enum Kind {
        /** Starts with the gzip magic {@code 1f 8b}. */
        GZIP,
        /** Starts (after optional BOM and whitespace) with an opening brace. */
        JSON,
        /** A zip archive, which RFC 8460 does not allow. */
        ZIP,
        /** Anything else. */
        OTHER
    }

    private Payloads() {}

    /** Sniffs {@code data}: the media type is only a hint (RW-14). */
    public static Kind sniff(byte[] data) {
        if (data.length >= 2 && (data[0] & 0xff) == 0x1f && (data[1] & 0xff) == 0x8b) {
            return Kind.GZIP;
        }
        if (data.length >= 4 && data[0] == 'P' && data[1] == 'K' && data[2] == 3 && data[3] == 4) {
            return Kind.ZIP;
        }
        int i = 0;
        if (data.length >= 3 && (data[0] & 0xff) == 0xef && (data[1] & 0xff) == 0xbb && (data[2] & 0xff) == 0xbf) {
            i = 3;
        }
        while (i < data.length && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n')) {
            i++;
        }
        return i < data.length && data[i] == '{' ? Kind.JSON : Kind.OTHER;
    }

    /**
     * The inflated content of gzip {@code data} as a stream, never held whole: reading fails with a
     * {@link dev.mtasts.tlsrpt.ReportFormatException} once more than {@code maxBytes} come out (gzip
     * bombs, RW-21) or when the gzip data is corrupt. Marks are supported.
     */
    public static BufferedInputStream inflating(byte[] data, long maxBytes, String location) {
        InputStream gzip;
        try {
            gzip = new GZIPInputStream(new ByteArrayInputStream(data), 8192);
        } catch (IOException e) {
            throw error(ReportIssue.UNSUPPORTED_CONTENT, location, "corrupt gzip data: " + e.getMessage());
        }
        return new BufferedInputStream(new Capped(gzip, maxBytes, location), 8192);
    }

    /**
     * Whether the next bytes of {@code in} (after an optional BOM and whitespace, within the first 64
     * KiB) open a JSON object; {@code in} is reset to where it was.
     */
    public static boolean startsWithJsonObject(BufferedInputStream in) throws IOException {
        int window = 64 * 1024;
        in.mark(window);
        try {
            for (int i = 0; i < window; i++) {
                int b = in.read();
                if (b == '{') {
                    return true;
                }
                boolean bom = i < 3 && (b == 0xef || b == 0xbb || b == 0xbf);
                if (b < 0 || !(bom || b == ' ' || b == '\t' || b == '\r' || b == '\n')) {
                    return false;
                }
            }
            return false;
        } finally {
            in.reset();
        }
    }

    /** Counts what comes out of a stream and turns its failures into report errors. */
    private static final class Capped extends FilterInputStream {
        private final long maxBytes;
        private final String location;
        private long total;

        Capped(InputStream in, long maxBytes, String location) {
            super(in);
            this.maxBytes = maxBytes;
            this.location = location;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int n;
            try {
                n = in.read(b, off, len);
            } catch (IOException e) {
                throw error(ReportIssue.UNSUPPORTED_CONTENT, location, "corrupt gzip data: " + e.getMessage());
            }
            if (n > 0) {
                total += n;
                if (total > maxBytes) {
                    throw error(ReportIssue.TOO_LARGE, location, "decompressed report exceeds " + maxBytes + " bytes");
                }
            }
            return n;
        }
    }

    /** Reads {@code in} fully, failing once more than {@code maxBytes} arrive. */
    public static byte[] readCapped(InputStream in, long maxBytes, String location, String what) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        byte[] buf = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            total += n;
            if (total > maxBytes) {
                throw error(ReportIssue.TOO_LARGE, location, what + " exceeds " + maxBytes + " bytes");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }
}
