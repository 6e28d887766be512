package dev.mtasts.core.fetch;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.ResultType;
import dev.mtasts.core.SyntaxException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * Why a policy could not be fetched, with the TLSRPT result type to report it under (RFC 8460
 * §4.3.3, STS-HTTP-10) when the domain is the cause. Immutable.
 */
public final class FetchProblem {
    /**
     * The closed set of reasons; each but {@link #LOCAL_CAPACITY} maps to one TLSRPT result type.
     */
    public enum Reason {
        /** {@code mta-sts.<domain>} has no A/AAAA records. */
        DNS_NO_ADDRESS(ResultType.STS_POLICY_FETCH_ERROR),
        /** Looking up {@code mta-sts.<domain>} failed temporarily. */
        DNS_TEMPORARY(ResultType.STS_POLICY_FETCH_ERROR),
        /** Every address was refused by the address filter (STS-HTTP-11). */
        ADDRESS_REFUSED(ResultType.STS_POLICY_FETCH_ERROR),
        /** No TCP connection could be made. */
        CONNECT(ResultType.STS_POLICY_FETCH_ERROR),
        /** The TLS handshake failed for a reason other than the certificate. */
        TLS(ResultType.STS_POLICY_FETCH_ERROR),
        /** The policy host's certificate failed PKIX validation or did not name the host (§3.3). */
        CERTIFICATE(ResultType.STS_WEBPKI_INVALID),
        /** The whole-request deadline passed (STS-HTTP-8). */
        TIMEOUT(ResultType.STS_POLICY_FETCH_ERROR),
        /** The server answered 3xx; redirects are never followed (§3.3, STS-HTTP-3). */
        REDIRECT(ResultType.STS_POLICY_FETCH_ERROR),
        /** The server answered 404. */
        NOT_FOUND(ResultType.STS_POLICY_FETCH_ERROR),
        /** The server answered a status other than 200, 3xx or 404 (STS-HTTP-4). */
        HTTP_STATUS(ResultType.STS_POLICY_FETCH_ERROR),
        /** The media type was not {@code text/plain} or was missing (STS-HTTP-6). */
        CONTENT_TYPE(ResultType.STS_POLICY_FETCH_ERROR),
        /** A non-identity {@code Content-Encoding} (STS-HTTP-5). */
        CONTENT_ENCODING(ResultType.STS_POLICY_FETCH_ERROR),
        /** The body exceeded 64 KiB (STS-HTTP-7). */
        TOO_LARGE(ResultType.STS_POLICY_FETCH_ERROR),
        /** The response was not well-formed HTTP/1.1, or the connection broke. */
        PROTOCOL(ResultType.STS_POLICY_FETCH_ERROR),
        /** The body was fetched but is not a valid policy (§3.2). */
        POLICY_INVALID(ResultType.STS_POLICY_INVALID),
        /**
         * Too many fetches pending in this process; nothing was sent. Our own overload, never the
         * domain's fault, so there is no TLSRPT result type to report (RFC 8460 §4.3 lists failures
         * of the policy domain only): a temporary failure to retry without back-off.
         */
        LOCAL_CAPACITY(null);

        private final @Nullable ResultType resultType;

        Reason(@Nullable ResultType resultType) {
            this.resultType = resultType;
        }

        /** The TLSRPT result type for this reason; empty for {@link #LOCAL_CAPACITY}. */
        public Optional<ResultType> resultType() {
            return Optional.ofNullable(resultType);
        }
    }

    private final Reason reason;
    private final String detail;
    private final int status;
    private final @Nullable String location;
    private final @Nullable SyntaxException syntaxError;
    private final List<String> receivedLines;

    private FetchProblem(
            Reason reason,
            String detail,
            int status,
            @Nullable String location,
            @Nullable SyntaxException syntaxError,
            List<String> receivedLines) {
        this.reason = requireNonNull(reason, "reason");
        this.detail = requireNonNull(detail, "detail");
        this.status = status;
        this.location = location;
        this.syntaxError = syntaxError;
        this.receivedLines = List.copyOf(receivedLines);
    }

    /** A failure with a reason and a human-readable detail. */
    public static FetchProblem of(Reason reason, String detail) {
        return new FetchProblem(reason, detail, 0, null, null, List.of());
    }

    /** A failure on an HTTP status, with the {@code Location} header of a redirect if any. */
    public static FetchProblem status(int status, Optional<String> location) {
        Reason reason;
        if (status >= 300 && status < 400) {
            reason = Reason.REDIRECT;
        } else if (status == 404) {
            reason = Reason.NOT_FOUND;
        } else {
            reason = Reason.HTTP_STATUS;
        }
        String detail =
                "HTTP status " + status + location.map(l -> ", Location: " + l).orElse("");
        return new FetchProblem(reason, detail, status, location.orElse(null), null, List.of());
    }

    /** A body that broke the policy grammar, with the lines received (the TLSRPT policy-string). */
    public static FetchProblem invalidPolicy(SyntaxException error, List<String> receivedLines) {
        return new FetchProblem(
                Reason.POLICY_INVALID,
                String.valueOf(requireNonNull(error, "error").getMessage()),
                200,
                null,
                error,
                receivedLines);
    }

    /** Why the fetch failed. */
    public Reason reason() {
        return reason;
    }

    /** The TLSRPT result type to report (STS-HTTP-10); empty when the domain is not the cause. */
    public Optional<ResultType> resultType() {
        return reason.resultType();
    }

    /** A human-readable description for logs and reports. */
    public String detail() {
        return detail;
    }

    /** The HTTP status when one was received. */
    public OptionalInt status() {
        return status == 0 ? OptionalInt.empty() : OptionalInt.of(status);
    }

    /** The {@code Location} header of a refused redirect (STS-HTTP-3). */
    public Optional<String> location() {
        return Optional.ofNullable(location);
    }

    /** The parse error when the body was not a valid policy. */
    public Optional<SyntaxException> syntaxError() {
        return Optional.ofNullable(syntaxError);
    }

    /** The body's lines as received when it was not a valid policy; otherwise empty. */
    public List<String> receivedLines() {
        return receivedLines;
    }

    @Override
    public String toString() {
        return reason + resultType().map(t -> " (" + t.token() + ")").orElse("") + ": " + detail;
    }
}
