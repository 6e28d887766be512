package dev.mtasts.core.delivery;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.dane.MxDane;
import dev.mtasts.core.resolve.PolicyResult;
import dev.mtasts.core.tls.TlsSessionOutcome;
import java.net.InetAddress;
import java.util.Optional;

/**
 * How one SMTP session with one MX ended, with what TLSRPT needs to count it (RFC 8460 §4.4): the
 * policy applied, the MX name, both addresses when known, and the TLS outcome. Immutable.
 *
 * @param policy what the policy lookup for the recipient domain found; the reporting key and any
 *     policy-level failure (a stale fallback's cause, a fetch error) come from it
 * @param mxHost the MX host name the session was checked against (never an address)
 * @param sendingIp the local address of the connection, when known
 * @param receivingIp the MX's address, when known
 * @param receivingMxHelo the name the MX gave in its greeting or EHLO reply, when known
 * @param outcome how TLS ended; sessions whose outcome is not {@linkplain TlsSessionOutcome#reportable()
 *     reportable} are never counted
 * @param dane the DANE state of the MX when DANE decided the session (its TLSA records are then the
 *     policy TLSRPT counts it under, RFC 8460 §4.4), empty when MTA-STS or nothing did
 */
public record MxSession(
        PolicyResult policy,
        String mxHost,
        Optional<InetAddress> sendingIp,
        Optional<InetAddress> receivingIp,
        Optional<String> receivingMxHelo,
        TlsSessionOutcome outcome,
        Optional<MxDane> dane) {
    /** Checks for null. */
    public MxSession {
        requireNonNull(dane, "dane");
        requireNonNull(policy, "policy");
        requireNonNull(mxHost, "mxHost");
        requireNonNull(sendingIp, "sendingIp");
        requireNonNull(receivingIp, "receivingIp");
        requireNonNull(receivingMxHelo, "receivingMxHelo");
        requireNonNull(outcome, "outcome");
    }

    /** A session DANE did not decide. */
    public MxSession(
            PolicyResult policy,
            String mxHost,
            Optional<InetAddress> sendingIp,
            Optional<InetAddress> receivingIp,
            Optional<String> receivingMxHelo,
            TlsSessionOutcome outcome) {
        this(policy, mxHost, sendingIp, receivingIp, receivingMxHelo, outcome, Optional.empty());
    }
}
