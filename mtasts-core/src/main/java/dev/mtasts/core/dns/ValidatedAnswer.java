package dev.mtasts.core.dns;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One DNS answer with its DNSSEC status: the records (or "none", or a failure), how they were
 * validated, and the CNAME chain followed to reach them. A {@link DnssecStatus#BOGUS} answer always
 * carries a {@link DnsResult.Unavailable} result of kind {@link DnsResult.FailureKind#BOGUS}, so it
 * can never be mistaken for "no records" (RFC 7672 §2.1.1).
 *
 * @param <T> the record value type
 * @param result the records, a definite "none" or a failure
 * @param status how the whole answer validated (the weakest link of the CNAME chain decides)
 * @param names the names followed, in order: the name asked for first, then each CNAME target; the
 *     last one owns the records (RFC 7672 §2.2.2 uses it as the CNAME-expanded TLSA base domain)
 * @param detail the validator's reason for a status other than {@link DnssecStatus#SECURE}, or empty
 */
public record ValidatedAnswer<T>(DnsResult<T> result, DnssecStatus status, List<String> names, String detail) {
    /** Checks for null, a non-empty name chain and that bogus is a failure. */
    public ValidatedAnswer {
        requireNonNull(result, "result");
        requireNonNull(status, "status");
        names = List.copyOf(names);
        requireNonNull(detail, "detail");
        if (names.isEmpty()) {
            throw new IllegalArgumentException("names must hold at least the name asked for");
        }
        if (status == DnssecStatus.BOGUS
                && !(result instanceof DnsResult.Unavailable<T> failed
                        && failed.kind() == DnsResult.FailureKind.BOGUS)) {
            throw new IllegalArgumentException("a bogus answer must be an Unavailable result of kind BOGUS");
        }
    }

    /** A bogus answer: validation failed, for the reason given. */
    public static <T> ValidatedAnswer<T> bogus(String name, String reason) {
        return new ValidatedAnswer<>(
                DnsResult.temporaryFailure(DnsResult.FailureKind.BOGUS, reason),
                DnssecStatus.BOGUS,
                List.of(name),
                reason);
    }

    /** The name asked for. */
    public String queryName() {
        return names.get(0);
    }

    /** The name that owns the records: the query name, or the end of its CNAME chain. */
    public String canonicalName() {
        return names.get(names.size() - 1);
    }

    /** Whether the answer validated. */
    public boolean secure() {
        return status == DnssecStatus.SECURE;
    }
}
