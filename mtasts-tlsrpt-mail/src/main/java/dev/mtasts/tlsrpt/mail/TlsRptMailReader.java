package dev.mtasts.tlsrpt.mail;

import static dev.mtasts.tlsrpt.internal.Findings.error;

import dev.mtasts.tlsrpt.ReadMode;
import dev.mtasts.tlsrpt.ReportFormatException;
import dev.mtasts.tlsrpt.ReportIssue;
import dev.mtasts.tlsrpt.TlsRptReportReader;
import dev.mtasts.tlsrpt.internal.Findings;
import dev.mtasts.tlsrpt.internal.Payloads;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * Reads report e-mails (RFC 8460 §5.3) in {@link ReadMode#STRICT} or {@link ReadMode#LENIENT}
 * mode (RPT-READ-1): the report part is read by a {@link TlsRptReportReader} (its mode and limits),
 * and the whole message is capped too.
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
        this.mode = b.reportReader.mode();
        this.maxMessageBytes = b.maxMessageBytes;
        this.acceptUnsigned = b.acceptUnsigned;
        this.parser = new MailReportParser(b.reportReader);
    }

    /** A builder with the defaults: lenient, signed mail only, the default limits of {@link TlsRptReportReader}. */
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
        private TlsRptReportReader reportReader = TlsRptReportReader.builder().build();
        private long maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
        private boolean acceptUnsigned;

        private Builder() {}

        /**
         * The reader for the report part: its mode and its limits on the report (size, nesting,
         * strings, tokens, arrays) apply to the part too (default: a lenient reader with the default
         * limits).
         */
        public Builder reportReader(TlsRptReportReader reader) {
            this.reportReader = Objects.requireNonNull(reader, "reader");
            return this;
        }

        /**
         * Strict or lenient with the default report limits: shorthand for {@code
         * reportReader(TlsRptReportReader.builder().mode(mode).build())}.
         */
        public Builder mode(ReadMode mode) {
            return reportReader(TlsRptReportReader.builder().mode(mode).build());
        }

        /**
         * Accepts mail without an acceptable DKIM verdict, each reading carrying a {@link
         * ReportIssue#UNSIGNED} deviation: for analysis only, since §3 says receivers must ignore
         * them (RPT-READ-2). Default false.
         */
        public Builder acceptUnsigned(boolean accept) {
            this.acceptUnsigned = accept;
            return this;
        }

        /** Cap on a whole e-mail (default 16 MiB). */
        public Builder maxMessageBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxMessageBytes must be positive but was " + bytes);
            }
            this.maxMessageBytes = bytes;
            return this;
        }

        /** The reader. */
        public TlsRptMailReader build() {
            return new TlsRptMailReader(this);
        }
    }
}
