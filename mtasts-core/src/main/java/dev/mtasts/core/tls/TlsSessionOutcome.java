package dev.mtasts.core.tls;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.ResultType;
import java.util.Optional;

/**
 * How one SMTP session to an MX ended, as TLSRPT counts it (RFC 8460 §4.3): a successful
 * policy-compliant TLS session, a failure with its result type, or one of two failures that are not
 * reported: the connection broke before TLS was attempted (RPT-TYPE-3), or the sender's own
 * configuration refused the connection ({@link LocalError}).
 */
public sealed interface TlsSessionOutcome
        permits TlsSessionOutcome.Succeeded,
                TlsSessionOutcome.Failed,
                TlsSessionOutcome.NotReportable,
                TlsSessionOutcome.LocalError {

    /** The outcome of a session whose TLS handshake and checks passed. */
    static TlsSessionOutcome success() {
        return Succeeded.INSTANCE;
    }

    /** Whether TLSRPT counts this session (as a success or a failure). */
    default boolean reportable() {
        return this instanceof Succeeded || this instanceof Failed;
    }

    /** TLS negotiated and the certificate passed. */
    enum Succeeded implements TlsSessionOutcome {
        /** The only value. */
        INSTANCE
    }

    /**
     * A TLS failure to report; its result type and reason code both come from {@code reason}.
     *
     * @param reason why the session failed
     * @param detail a sentence for logs, never sent to the domain owner
     */
    record Failed(TlsFailureReason reason, String detail) implements TlsSessionOutcome {
        /** Checks for null. */
        public Failed {
            requireNonNull(reason, "reason");
            requireNonNull(detail, "detail");
        }

        /** The TLSRPT {@code result-type}, {@code reason().resultType()}. */
        public ResultType resultType() {
            return reason.resultType();
        }

        /** The {@code failure-reason-code}, {@code reason().code()}. */
        public Optional<String> reasonCode() {
            return reason.code();
        }
    }

    /**
     * A failure TLSRPT does not count: the TCP connection or SMTP dialogue failed before STARTTLS.
     *
     * @param detail a sentence for logs
     */
    record NotReportable(String detail) implements TlsSessionOutcome {
        /** Checks for null. */
        public NotReportable {
            requireNonNull(detail, "detail");
        }
    }

    /**
     * The sender refused the connection itself ({@link TlsConfigurationException}): no MX name was
     * known for the address dialled, or the MTA used the SDK out of order. Never reported: the
     * receiving domain is not at fault, and blaming it would mislead its operators.
     *
     * @param detail a sentence for the MTA's log
     */
    record LocalError(String detail) implements TlsSessionOutcome {
        /** Checks for null. */
        public LocalError {
            requireNonNull(detail, "detail");
        }
    }
}
