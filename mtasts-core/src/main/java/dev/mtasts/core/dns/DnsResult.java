package dev.mtasts.core.dns;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The outcome of one DNS lookup: records, a definite "there are none", or a temporary failure. A
 * temporary failure must never be read as "no records" (RFC 8461 §10.2: blocking DNS is the
 * downgrade attack).
 *
 * @param <T> the record value type
 */
public sealed interface DnsResult<T> permits DnsResult.Records, DnsResult.NoRecords, DnsResult.Unavailable {

    /** The records found, in answer order (never empty). */
    record Records<T>(List<T> values) implements DnsResult<T> {
        /** Copies the list; refuses an empty one (use {@link NoRecords}). */
        public Records {
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new IllegalArgumentException("Records needs at least one value; use NoRecords");
            }
        }
    }

    /**
     * The name has no records of the type: NXDOMAIN or NODATA.
     *
     * @param kind which of the two
     */
    record NoRecords<T>(NoRecordsKind kind) implements DnsResult<T> {
        /** Checks for null. */
        public NoRecords {
            requireNonNull(kind, "kind");
        }
    }

    /**
     * The lookup could not be answered now: SERVFAIL, REFUSED, timeout or a network error.
     *
     * @param kind which failure
     * @param detail a human-readable description for logs
     */
    record Unavailable<T>(FailureKind kind, String detail) implements DnsResult<T> {
        /** Checks for null. */
        public Unavailable {
            requireNonNull(kind, "kind");
            requireNonNull(detail, "detail");
        }
    }

    /** Why a name has no records. */
    enum NoRecordsKind {
        /** The name does not exist (RCODE 3). */
        NXDOMAIN,
        /** The name exists but has no records of the type asked for. */
        NODATA
    }

    /** Why a lookup failed temporarily. */
    enum FailureKind {
        /** The server answered SERVFAIL (RCODE 2). */
        SERVFAIL,
        /** The server refused the query (RCODE 5) or gave another error RCODE. */
        REFUSED,
        /** No answer within the time allowed. */
        TIMEOUT,
        /** Any other I/O or protocol problem. */
        NETWORK,
        /**
         * DNSSEC validation failed (a {@link DnssecStatus#BOGUS} answer): never "no records" (RFC 7672
         * §2.1.1), and not fixed by asking again soon.
         */
        BOGUS
    }

    /** Records found. */
    static <T> DnsResult<T> records(List<T> values) {
        return new Records<>(values);
    }

    /** No records of the kind given. */
    static <T> DnsResult<T> noRecords(NoRecordsKind kind) {
        return new NoRecords<>(kind);
    }

    /** A temporary failure. */
    static <T> DnsResult<T> temporaryFailure(FailureKind kind, String detail) {
        return new Unavailable<>(kind, detail);
    }
}
