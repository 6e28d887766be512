package dev.mtasts.tlsrpt.internal;

import static dev.mtasts.tlsrpt.internal.Findings.error;

import dev.mtasts.tlsrpt.ReportIssue;
import dev.mtasts.tlsrpt.TlsRptReport;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Reads one report body, JSON or gzip told apart by its first bytes (RW-14), within the size caps
 * of RPT-JSON-6. Shared by the JSON reader and the report e-mail reader so both apply the same
 * limits. Immutable and thread-safe.
 */
public final class PayloadReader {
    private final long maxCompressedBytes;
    private final long maxDecompressedBytes;
    private final ReportJsonParser parser;

    /** A reader with these caps; the JSON caps go to {@link ReportJsonParser}. */
    public PayloadReader(
            long maxCompressedBytes,
            long maxDecompressedBytes,
            int maxNestingDepth,
            int maxStringLength,
            long maxJsonTokens,
            int maxArrayElements) {
        this.maxCompressedBytes = maxCompressedBytes;
        this.maxDecompressedBytes = maxDecompressedBytes;
        this.parser = new ReportJsonParser(
                maxDecompressedBytes, maxNestingDepth, maxStringLength, maxJsonTokens, maxArrayElements);
    }

    /** The cap on gzip input, which also caps an e-mail's decoded report part. */
    public long maxCompressedBytes() {
        return maxCompressedBytes;
    }

    /** The report in {@code data}, deviations recorded in {@code f}. */
    public TlsRptReport read(byte[] data, Findings f) {
        switch (Payloads.sniff(data)) {
            case GZIP -> {
                if (data.length > maxCompressedBytes) {
                    throw error(
                            ReportIssue.TOO_LARGE, "", "compressed report exceeds " + maxCompressedBytes + " bytes");
                }
                // Streamed: the decompressed JSON is never held whole (RPT-JSON-6, RW-21).
                BufferedInputStream json = Payloads.inflating(data, maxDecompressedBytes, "");
                try {
                    if (!Payloads.startsWithJsonObject(json)) {
                        throw error(ReportIssue.UNSUPPORTED_CONTENT, "", "gzip content is not a JSON object");
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return parser.parse(json, f);
            }
            case JSON -> {
                if (data.length > maxDecompressedBytes) {
                    throw error(ReportIssue.TOO_LARGE, "", "report exceeds " + maxDecompressedBytes + " bytes");
                }
                return parser.parse(data, f);
            }
            case ZIP -> throw error(ReportIssue.UNSUPPORTED_CONTENT, "", "zip archives are not TLS reports (RW-14)");
            default -> throw error(ReportIssue.UNSUPPORTED_CONTENT, "", "neither gzip nor a JSON object");
        }
    }
}
