package dev.mtasts.core.delivery;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.tls.TlsSessionOutcome;

/**
 * Thrown by {@link MxAttempt#connected()} when the connection must not carry the message: the policy
 * requires validated TLS and none was negotiated (RFC 8461 §5, STS-APP-2), or the MX was not allowed
 * at all. Checked, so that an MTA cannot forget it and send in plaintext: close the transport and try
 * the next MX, or defer.
 */
public final class DeliveryRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient TlsSessionOutcome outcome;

    DeliveryRefusedException(String message, TlsSessionOutcome outcome) {
        super(message);
        this.outcome = requireNonNull(outcome, "outcome");
    }

    /** The outcome the attempt recorded (or, for a local error, did not report). */
    public TlsSessionOutcome outcome() {
        return outcome;
    }
}
