package dev.mtasts.core.resolve;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.ResultType;
import dev.mtasts.core.SyntaxException;
import dev.mtasts.core.dns.DnsResult;
import dev.mtasts.core.fetch.FetchProblem;
import java.util.Optional;

/**
 * Why a lookup found no policy, could not decide now, or fell back to a cached policy: one case per
 * cause, each built only from what proves it (a fetch problem only from a {@link FetchProblem}). The
 * TLSRPT result type is derived from the case (RFC 8460 §4.3, STS-OUT-3). Immutable.
 */
public sealed interface PolicyProblem
        permits PolicyProblem.NotADomain,
                PolicyProblem.AddressLiteral,
                PolicyProblem.NoRecord,
                PolicyProblem.MultipleRecords,
                PolicyProblem.InvalidRecord,
                PolicyProblem.DnsTemporary,
                PolicyProblem.Internal,
                PolicyProblem.LocalCapacity,
                PolicyProblem.FetchFailed,
                PolicyProblem.PolicyInvalid {

    /** A human-readable description for logs. */
    String detail();

    /**
     * The TLSRPT result type to report, when RFC 8460 defines one: only fetch and policy problems
     * have one; DNS, TXT and local problems are not reported (RFC 8460 §4.3).
     */
    default Optional<ResultType> resultType() {
        return Optional.empty();
    }

    /**
     * Whether the problem may go away by itself, so delivery must be deferred rather than go ahead
     * without MTA-STS when no policy is cached (RFC 8461 §10.2: blocking DNS is the downgrade attack).
     */
    default boolean temporary() {
        return false;
    }

    /** The problem behind a failed fetch: {@link FetchFailed}, {@link PolicyInvalid} or {@link LocalCapacity}. */
    static PolicyProblem ofFetch(FetchProblem failure) {
        if (failure.reason() == FetchProblem.Reason.POLICY_INVALID) {
            return new PolicyInvalid(failure);
        }
        if (failure.reason() == FetchProblem.Reason.LOCAL_CAPACITY) {
            return new LocalCapacity(failure);
        }
        return new FetchFailed(failure);
    }

    /**
     * The input is not a domain name.
     *
     * @param input the input as given
     */
    record NotADomain(String input) implements PolicyProblem {
        /** Checks for null. */
        public NotADomain {
            requireNonNull(input, "input");
        }

        @Override
        public String detail() {
            return "not a domain name: \"" + input + "\"";
        }
    }

    /**
     * The input is an address literal, which has no policy (STS-SCOPE-1).
     *
     * @param input the input as given
     */
    record AddressLiteral(String input) implements PolicyProblem {
        /** Checks for null. */
        public AddressLiteral {
            requireNonNull(input, "input");
        }

        @Override
        public String detail() {
            return "address literal " + input + " has no MTA-STS policy";
        }
    }

    /**
     * No {@code v=STSv1} TXT record: NXDOMAIN, NODATA, or no candidate among the TXT records
     * (STS-TXT-9); TLSRPT's "no policy found".
     *
     * @param name the TXT name queried
     * @param noRecords NXDOMAIN or NODATA, when the name had no TXT record at all
     */
    record NoRecord(String name, Optional<DnsResult.NoRecordsKind> noRecords) implements PolicyProblem {
        /** Checks for null. */
        public NoRecord {
            requireNonNull(name, "name");
            requireNonNull(noRecords, "noRecords");
        }

        @Override
        public String detail() {
            return "no v=STSv1 TXT record at " + name
                    + noRecords.map(k -> " (" + k + ")").orElse("");
        }
    }

    /**
     * More than one {@code v=STSv1} TXT record (RFC 8461 §3.1).
     *
     * @param name the TXT name queried
     * @param count how many candidates there were
     */
    record MultipleRecords(String name, int count) implements PolicyProblem {
        /** Checks for null and that there were several. */
        public MultipleRecords {
            requireNonNull(name, "name");
            if (count < 2) {
                throw new IllegalArgumentException("multiple records need a count of 2 or more but was " + count);
            }
        }

        @Override
        public String detail() {
            return count + " v=STSv1 TXT records at " + name;
        }
    }

    /**
     * The single {@code v=STSv1} TXT record is invalid (STS-TXT-8).
     *
     * @param name the TXT name queried
     * @param error the rule broken, with its column
     */
    record InvalidRecord(String name, SyntaxException error) implements PolicyProblem {
        /** Checks for null. */
        public InvalidRecord {
            requireNonNull(name, "name");
            requireNonNull(error, "error");
        }

        @Override
        public String detail() {
            return "invalid TXT record at " + name + ": " + error.getMessage();
        }
    }

    /**
     * The TXT lookup failed temporarily (SERVFAIL, timeout, network): never "no policy" (RFC 8461
     * §10.2, STS-TXT-9), and not reported (RFC 8460 §4.3).
     *
     * @param name the TXT name queried
     * @param kind the kind of DNS failure
     * @param dnsDetail what the resolver said
     */
    record DnsTemporary(String name, DnsResult.FailureKind kind, String dnsDetail) implements PolicyProblem {
        /** Checks for null. */
        public DnsTemporary {
            requireNonNull(name, "name");
            requireNonNull(kind, "kind");
            requireNonNull(dnsDetail, "dnsDetail");
        }

        @Override
        public String detail() {
            return "TXT lookup of " + name + " failed: " + kind + " " + dnsDetail;
        }

        @Override
        public boolean temporary() {
            return true;
        }
    }

    /**
     * An unexpected exception in the resolver or one of its SPIs (a bug, not a DNS answer): temporary,
     * so a bug never turns into "no policy".
     *
     * @param error what was thrown
     */
    record Internal(Throwable error) implements PolicyProblem {
        /** Checks for null. */
        public Internal {
            requireNonNull(error, "error");
        }

        @Override
        public String detail() {
            return "internal error: " + error;
        }

        @Override
        public boolean temporary() {
            return true;
        }
    }

    /**
     * The process has too many policy fetches pending and sent nothing: temporary, never backed off,
     * reported or cached as "no policy", since the policy domain did nothing wrong.
     *
     * @param failure the fetcher's {@code LOCAL_CAPACITY} failure
     */
    record LocalCapacity(FetchProblem failure) implements PolicyProblem {
        /** Checks that the failure is a local capacity one. */
        public LocalCapacity {
            requireNonNull(failure, "failure");
            if (failure.reason() != FetchProblem.Reason.LOCAL_CAPACITY) {
                throw new IllegalArgumentException("not a local capacity failure: " + failure);
            }
        }

        @Override
        public String detail() {
            return failure.detail();
        }

        @Override
        public boolean temporary() {
            return true;
        }
    }

    /**
     * The policy could not be fetched: {@code sts-policy-fetch-error} or {@code sts-webpki-invalid}
     * as the failure says (STS-HTTP-10).
     *
     * @param failure what went wrong
     */
    record FetchFailed(FetchProblem failure) implements PolicyProblem {
        /** Checks that the failure is neither an invalid body nor a local one. */
        public FetchFailed {
            requireNonNull(failure, "failure");
            if (failure.reason() == FetchProblem.Reason.POLICY_INVALID
                    || failure.reason() == FetchProblem.Reason.LOCAL_CAPACITY) {
                throw new IllegalArgumentException("not a failed fetch: " + failure);
            }
        }

        @Override
        public String detail() {
            return failure.toString();
        }

        @Override
        public Optional<ResultType> resultType() {
            return failure.resultType();
        }
    }

    /**
     * The body fetched is not a valid policy: {@code sts-policy-invalid} (RFC 8461 §3.2).
     *
     * @param failure the fetch failure with the parse error and the lines received
     */
    record PolicyInvalid(FetchProblem failure) implements PolicyProblem {
        /** Checks that the failure is an invalid policy. */
        public PolicyInvalid {
            requireNonNull(failure, "failure");
            if (failure.reason() != FetchProblem.Reason.POLICY_INVALID) {
                throw new IllegalArgumentException("not an invalid policy: " + failure);
            }
        }

        @Override
        public String detail() {
            return failure.toString();
        }

        @Override
        public Optional<ResultType> resultType() {
            return Optional.of(ResultType.STS_POLICY_INVALID);
        }
    }
}
