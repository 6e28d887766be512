package dev.mtasts.tlsrpt.mail;

import static dev.mtasts.tlsrpt.internal.Findings.error;

import dev.mtasts.tlsrpt.ReadMode;
import dev.mtasts.tlsrpt.ReportFormatException;
import dev.mtasts.tlsrpt.ReportIssue;
import dev.mtasts.tlsrpt.TlsRptReportReader;
import dev.mtasts.tlsrpt.internal.Findings;
import dev.mtasts.tlsrpt.internal.PayloadReader;
import dev.mtasts.tlsrpt.internal.Payloads;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * Reads report e-mails (RFC 8460 §5.3) in {@link ReadMode#STRICT} or {@link ReadMode#LENIENT}
 * mode (RPT-READ-1), with the same report limits as {@link TlsRptReportReader} plus a cap on the
 * whole message.
 *
 * <pre>{@code
 * TlsRptMailReader reader = TlsRptMailReader.builder().mode(ReadMode.LENIENT).build();
 * MailReadOutcome outcome = reader.read(message, DkimVerdict.signedBy(dkimDomain));
 * }</pre>
 *
 * <p>Immutable and thread-safe. Input is untrusted (§7): sizes and MIME structure are capped
 * (RPT-JSON-6, RPT-READ-4), and file names and warning texts must be escaped by whoever displays
 * them.
 */
public final class TlsRptMailReader {
    /** Default cap on an e-mail as a whole: 16 MiB, room for base64 of a 10 MiB part. */
    public static final long DEFAULT_MAX_MESSAGE_BYTES = 16L << 20;

    private final ReadMode mode;
    private final long maxMessageBytes;
    private final boolean acceptUnsigned;
    private final MailReportParser parser;

    private TlsRptMailReader(Builder b) {
        this.mode = b.mode;
        this.maxMessageBytes = b.maxMessageBytes;
        this.acceptUnsigned = b.acceptUnsigned;
        this.parser = new MailReportParser(new PayloadReader(
                b.maxCompressedBytes,
                b.maxDecompressedBytes,
                b.maxNestingDepth,
                b.maxStringLength,
                b.maxJsonTokens,
                b.maxArrayElements));
    }

    /** A builder with the defaults: lenient, signed mail only, the limits of {@link TlsRptReportReader}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The mode this reader applies. */
    public ReadMode mode() {
        return mode;
    }

    /**
     * Reads a report e-mail (RFC 5322 bytes) whose DKIM signature the caller verified. Returns
     * {@link MailReadOutcome.NotAReport} for a message without any report part.
     *
     * @throws ReportFormatException when the verdict is not an acceptable signature (§3,
     *     RPT-READ-2) unless {@link Builder#acceptUnsigned} is set, when the report part is
     *     unreadable, or on any deviation in strict mode
     */
    public MailReadOutcome read(byte[] message, DkimVerdict verdict) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(verdict, "verdict");
        if (message.length > maxMessageBytes) {
            throw error(ReportIssue.TOO_LARGE, "mime:", "message exceeds " + maxMessageBytes + " bytes");
        }
        return parser.parse(MailReportParser.stream(message), verdict, acceptUnsigned, new Findings(mode));
    }

    /**
     * As {@link #read(byte[], DkimVerdict)}, reading at most the configured message size; the stream
     * is read to its end but not closed.
     *
     * @throws ReportFormatException as {@link #read(byte[], DkimVerdict)}, and with {@link
     *     ReportIssue#TOO_LARGE} when the stream holds more than {@link Builder#maxMessageBytes}
     * @throws UncheckedIOException when reading {@code message} fails
     */
    public MailReadOutcome read(InputStream message, DkimVerdict verdict) {
        try {
            return read(Payloads.readCapped(message, maxMessageBytes, "mime:", "message"), verdict);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a report e-mail without a DKIM verdict, for analysis of stored mail: needs {@link
     * Builder#acceptUnsigned}, and every reading carries an {@link ReportIssue#UNSIGNED} warning.
     */
    public MailReadOutcome read(byte[] message) {
        return read(message, DkimVerdict.unsigned());
    }

    /** Configures a {@link TlsRptMailReader}; not thread-safe. */
    public static final class Builder {
        private ReadMode mode = ReadMode.LENIENT;
        private long maxCompressedBytes = TlsRptReportReader.DEFAULT_MAX_COMPRESSED_BYTES;
        private long maxDecompressedBytes = TlsRptReportReader.DEFAULT_MAX_DECOMPRESSED_BYTES;
        private long maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
        private int maxNestingDepth = 32;
        private int maxStringLength = 1 << 20;
        private long maxJsonTokens = TlsRptReportReader.DEFAULT_MAX_JSON_TOKENS;
        private int maxArrayElements = TlsRptReportReader.DEFAULT_MAX_ARRAY_ELEMENTS;
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

        /** Cap on a whole e-mail (default 16 MiB). */
        public Builder maxMessageBytes(long bytes) {
            this.maxMessageBytes = positive("maxMessageBytes", bytes);
            return this;
        }

        /** Cap on the decoded report part and on gzip input (default 10 MiB). */
        public Builder maxCompressedBytes(long bytes) {
            this.maxCompressedBytes = positive("maxCompressedBytes", bytes);
            return this;
        }

        /** Cap on the JSON text, after decompression (default 20 MiB). */
        public Builder maxDecompressedBytes(long bytes) {
            this.maxDecompressedBytes = positive("maxDecompressedBytes", bytes);
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
        public TlsRptMailReader build() {
            return new TlsRptMailReader(this);
        }
    }
}
