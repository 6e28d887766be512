package dev.mtasts.tlsrpt.internal;

import static dev.mtasts.tlsrpt.internal.Findings.error;

import dev.mtasts.tlsrpt.ReportIssue;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
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
     * Inflates gzip {@code data}, failing as soon as the output exceeds {@code maxBytes} (gzip bombs,
     * RW-21). Any gzip header is accepted; FNAME and the like are ignored (RPT-READ-4).
     */
    public static byte[] gunzip(byte[] data, long maxBytes, String location) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data), 8192)) {
            return readCapped(in, maxBytes, location, "decompressed report");
        } catch (IOException e) {
            throw error(ReportIssue.UNSUPPORTED_CONTENT, location, "corrupt gzip data: " + e.getMessage());
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
