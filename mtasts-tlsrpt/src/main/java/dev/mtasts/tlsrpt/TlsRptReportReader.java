package dev.mtasts.tlsrpt;

import dev.mtasts.tlsrpt.internal.Findings;
import dev.mtasts.tlsrpt.internal.PayloadReader;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads TLS reports (RFC 8460 §4.4) from JSON or gzip (sniffed by its magic bytes), in {@link ReadMode#STRICT} or {@link ReadMode#LENIENT} mode (RPT-READ-1).
 *
 * <pre>{@code
 * TlsRptReportReader reader = TlsRptReportReader.builder().mode(ReadMode.LENIENT).build();
 * TlsRptReading reading = reader.read(Files.readAllBytes(path));
 * reading.warnings().forEach(w -> log.info("{}", w));
 * }</pre>
 *
 * <p>Immutable and thread-safe. Input is untrusted (§7): sizes are capped (RPT-JSON-6), and file
 * names and warning texts must be escaped by whoever displays them. Report e-mails (§5.3) are read
 * by {@code TlsRptMailReader} in the {@code mtasts-tlsrpt-mail} artifact, with the same modes and
 * limits.
 */
public final class TlsRptReportReader {
    /** Default cap on compressed input and on an e-mail's report part: 10 MiB (RPT-JSON-6). */
    public static final long DEFAULT_MAX_COMPRESSED_BYTES = 10L << 20;
    /** Default cap on the JSON after decompression: 20 MiB (RPT-JSON-6, RW-21). */
    public static final long DEFAULT_MAX_DECOMPRESSED_BYTES = 20L << 20;

    /**
     * Default cap on JSON tokens in one report: 1,000,000, about 60,000 failure details; it bounds
     * the memory of the parsed tree, which a highly compressible gzip could otherwise fill
     * (RPT-JSON-6, RW-21).
     */
    public static final long DEFAULT_MAX_JSON_TOKENS = 1_000_000L;
    /** Default cap on the entries of {@code policies} and of each {@code failure-details}: 10,000. */
    public static final int DEFAULT_MAX_ARRAY_ELEMENTS = 10_000;

    private final ReadMode mode;
    private final PayloadReader payloads;

    private TlsRptReportReader(Builder b) {
        this.mode = b.mode;
        this.payloads = new PayloadReader(
                b.maxCompressedBytes,
                b.maxDecompressedBytes,
                b.maxNestingDepth,
                b.maxStringLength,
                b.maxJsonTokens,
                b.maxArrayElements);
    }

    /** A builder with the defaults: lenient, 10 MiB compressed, 20 MiB decompressed. */
    public static Builder builder() {
        return new Builder();
    }

    /** The mode this reader applies. */
    public ReadMode mode() {
        return mode;
    }

    /** The cap on gzip (or JSON) input, before any decompression. */
    public long maxCompressedBytes() {
        return payloads.maxCompressedBytes();
    }

    /**
     * Reads a report from JSON or gzip bytes (sniffed: {@code 1f 8b} is gzip, RW-14).
     *
     * @throws ReportFormatException when unreadable, or on any deviation in strict mode
     */
    public TlsRptReading read(byte[] data) {
        Objects.requireNonNull(data, "data");
        Findings f = new Findings(mode);
        TlsRptReport report = payloads.read(data, f);
        return new TlsRptReading(report, f.warnings(), Optional.empty());
    }

    /** Configures a {@link TlsRptReportReader}; not thread-safe. */
    public static final class Builder {
        private ReadMode mode = ReadMode.LENIENT;
        private long maxCompressedBytes = DEFAULT_MAX_COMPRESSED_BYTES;
        private long maxDecompressedBytes = DEFAULT_MAX_DECOMPRESSED_BYTES;
        private int maxNestingDepth = 32;
        private int maxStringLength = 1 << 20;
        private long maxJsonTokens = DEFAULT_MAX_JSON_TOKENS;
        private int maxArrayElements = DEFAULT_MAX_ARRAY_ELEMENTS;

        private Builder() {}

        /** Strict or lenient (default lenient, the receiving default of RPT-READ-1). */
        public Builder mode(ReadMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** Cap on gzip input (default 10 MiB). */
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
        public TlsRptReportReader build() {
            return new TlsRptReportReader(this);
        }
    }
}
