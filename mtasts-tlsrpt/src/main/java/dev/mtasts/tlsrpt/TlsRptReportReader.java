package dev.mtasts.tlsrpt;

import static dev.mtasts.tlsrpt.internal.Findings.error;

import dev.mtasts.tlsrpt.internal.Findings;
import dev.mtasts.tlsrpt.internal.MailReportParser;
import dev.mtasts.tlsrpt.internal.Payloads;
import dev.mtasts.tlsrpt.internal.ReportJsonParser;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads TLS reports (RFC 8460 §4.4) from JSON, gzip (sniffed by its magic bytes) or a whole report
 * e-mail (§5.3), in {@link ReadMode#STRICT} or {@link ReadMode#LENIENT} mode (RPT-READ-1).
 *
 * <pre>{@code
 * TlsRptReportReader reader = TlsRptReportReader.builder().mode(ReadMode.LENIENT).build();
 * TlsRptReading reading = reader.read(Files.readAllBytes(path));
 * reading.warnings().forEach(w -> log.info("{}", w));
 * }</pre>
 *
 * <p>Immutable and thread-safe. Input is untrusted (§7): sizes are capped (RPT-JSON-6), and file
 * names and warning texts must be escaped by whoever displays them.
 */
public final class TlsRptReportReader {
    /** Default cap on compressed input and on an e-mail's report part: 10 MiB (RPT-JSON-6). */
    public static final long DEFAULT_MAX_COMPRESSED_BYTES = 10L << 20;
    /** Default cap on the JSON after decompression: 20 MiB (RPT-JSON-6, RW-21). */
    public static final long DEFAULT_MAX_DECOMPRESSED_BYTES = 20L << 20;
    /** Default cap on an e-mail as a whole: 16 MiB, room for base64 of a 10 MiB part. */
    public static final long DEFAULT_MAX_MESSAGE_BYTES = 16L << 20;

    /**
     * Default cap on JSON tokens in one report: 1,000,000, about 60,000 failure details; it bounds
     * the memory of the parsed tree, which a highly compressible gzip could otherwise fill
     * (RPT-JSON-6, RW-21).
     */
    public static final long DEFAULT_MAX_JSON_TOKENS = 1_000_000L;
    /** Default cap on the entries of {@code policies} and of each {@code failure-details}: 10,000. */
    public static final int DEFAULT_MAX_ARRAY_ELEMENTS = 10_000;

    private final ReadMode mode;
    private final long maxCompressedBytes;
    private final long maxDecompressedBytes;
    private final long maxMessageBytes;
    private final boolean acceptUnsigned;
    private final ReportJsonParser parser;
    private final MailReportParser mailParser;

    private TlsRptReportReader(Builder b) {
        this.mode = b.mode;
        this.maxCompressedBytes = b.maxCompressedBytes;
        this.maxDecompressedBytes = b.maxDecompressedBytes;
        this.maxMessageBytes = b.maxMessageBytes;
        this.acceptUnsigned = b.acceptUnsigned;
        this.parser = new ReportJsonParser(
                b.maxDecompressedBytes, b.maxNestingDepth, b.maxStringLength, b.maxJsonTokens, b.maxArrayElements);
        this.mailParser = new MailReportParser(b.maxCompressedBytes, this::readPayload);
    }

    /** A builder with the defaults: lenient, 10 MiB compressed, 20 MiB decompressed. */
    public static Builder builder() {
        return new Builder();
    }

    /** The mode this reader applies. */
    public ReadMode mode() {
        return mode;
    }

    /**
     * Reads a report from JSON or gzip bytes (sniffed: {@code 1f 8b} is gzip, RW-14).
     *
     * @throws ReportFormatException when unreadable, or on any deviation in strict mode
     */
    public TlsRptReading read(byte[] data) {
        Objects.requireNonNull(data, "data");
        Findings f = new Findings(mode);
        TlsRptReport report = readPayload(data, f);
        return new TlsRptReading(report, f.warnings(), Optional.empty());
    }

    /**
     * Reads a report e-mail (RFC 5322 bytes, §5.3) whose DKIM signature the caller verified.
     * Returns {@link MailReadOutcome.NotAReport} for a message without any report part.
     *
     * @throws ReportFormatException when the verdict is not an acceptable signature (§3,
     *     RPT-READ-2) unless {@link Builder#acceptUnsigned} is set, when the report part is
     *     unreadable, or on any deviation in strict mode
     */
    public MailReadOutcome readMail(byte[] message, DkimVerdict verdict) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(verdict, "verdict");
        if (message.length > maxMessageBytes) {
            throw error(ReportIssue.TOO_LARGE, "mime:", "message exceeds " + maxMessageBytes + " bytes");
        }
        return mailParser.parse(MailReportParser.stream(message), verdict, acceptUnsigned, new Findings(mode));
    }

    /**
     * As {@link #readMail(byte[], DkimVerdict)}, reading at most the configured message size; the
     * stream is read to its end but not closed.
     *
     * @throws ReportFormatException as {@link #readMail(byte[], DkimVerdict)}, and with {@link
     *     ReportIssue#TOO_LARGE} when the stream holds more than {@link Builder#maxMessageBytes}
     * @throws UncheckedIOException when reading {@code message} fails
     */
    public MailReadOutcome readMail(InputStream message, DkimVerdict verdict) {
        try {
            return readMail(Payloads.readCapped(message, maxMessageBytes, "mime:", "message"), verdict);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a report e-mail without a DKIM verdict, for analysis of stored mail: needs {@link
     * Builder#acceptUnsigned}, and every reading carries an {@link ReportIssue#UNSIGNED} warning.
     */
    public MailReadOutcome readMail(byte[] message) {
        return readMail(message, DkimVerdict.unsigned());
    }

    private TlsRptReport readPayload(byte[] data, Findings f) {
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

    /** Configures a {@link TlsRptReportReader}; not thread-safe. */
    public static final class Builder {
        private ReadMode mode = ReadMode.LENIENT;
        private long maxCompressedBytes = DEFAULT_MAX_COMPRESSED_BYTES;
        private long maxDecompressedBytes = DEFAULT_MAX_DECOMPRESSED_BYTES;
        private long maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
        private int maxNestingDepth = 32;
        private int maxStringLength = 1 << 20;
        private long maxJsonTokens = DEFAULT_MAX_JSON_TOKENS;
        private int maxArrayElements = DEFAULT_MAX_ARRAY_ELEMENTS;
        private boolean acceptUnsigned;

        private Builder() {}

        /**
         * Read report e-mails without an acceptable DKIM signature, each with an {@link
         * ReportIssue#UNSIGNED} deviation: for analysis only, since §3 says receivers must ignore
         * them (RPT-READ-2). Default false.
         */
        public Builder acceptUnsigned(boolean accept) {
            this.acceptUnsigned = accept;
            return this;
        }

        /** Strict or lenient (default lenient, the receiving default of RPT-READ-1). */
        public Builder mode(ReadMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** Cap on gzip input and on an e-mail's decoded report part (default 10 MiB). */
        public Builder maxCompressedBytes(long bytes) {
            this.maxCompressedBytes = positive("maxCompressedBytes", bytes);
            return this;
        }

        /** Cap on the JSON text, after decompression (default 20 MiB). */
        public Builder maxDecompressedBytes(long bytes) {
            this.maxDecompressedBytes = positive("maxDecompressedBytes", bytes);
            return this;
        }

        /** Cap on a whole e-mail (default 16 MiB). */
        public Builder maxMessageBytes(long bytes) {
            this.maxMessageBytes = positive("maxMessageBytes", bytes);
            return this;
        }

        /** Cap on JSON nesting depth (default 32; a valid report needs 5). */
        public Builder maxNestingDepth(int depth) {
            if (depth < 5) {
                throw new IllegalArgumentException("maxNestingDepth must be at least 5 but was " + depth);
            }
            this.maxNestingDepth = depth;
            return this;
        }

        /** Cap on any one JSON string (default 1 MiB). */
        public Builder maxStringLength(int chars) {
            this.maxStringLength = (int) positive("maxStringLength", chars);
            return this;
        }

        /** Cap on JSON tokens in one report, bounding the parsed tree (default 1,000,000). */
        public Builder maxJsonTokens(long tokens) {
            if (tokens < 1000) {
                throw new IllegalArgumentException("maxJsonTokens must be at least 1000 but was " + tokens);
            }
            this.maxJsonTokens = tokens;
            return this;
        }

        /** Cap on the entries of {@code policies} and of each {@code failure-details} (default 10,000). */
        public Builder maxArrayElements(int elements) {
            this.maxArrayElements = (int) positive("maxArrayElements", elements);
            return this;
        }

        private static long positive(String name, long value) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive but was " + value);
            }
            return value;
        }

        /** The reader. */
        public TlsRptReportReader build() {
            return new TlsRptReportReader(this);
        }
    }
}
