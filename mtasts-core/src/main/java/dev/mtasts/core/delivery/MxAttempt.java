package dev.mtasts.core.delivery;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.mtasts.core.dane.MxDane;
import dev.mtasts.core.dane.MxTransport;
import dev.mtasts.core.resolve.MxDecision;
import dev.mtasts.core.tls.MxCertificateException;
import dev.mtasts.core.tls.MxTls;
import dev.mtasts.core.tls.ReportOnlyTrustManager;
import dev.mtasts.core.tls.TlsConfigurationException;
import dev.mtasts.core.tls.TlsFailureClassifier;
import dev.mtasts.core.tls.TlsFailureReason;
import dev.mtasts.core.tls.TlsSessionOutcome;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Optional;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * One try of one MX within a {@link Delivery}: what the policy (or the combined DANE and MTA-STS
 * decision) requires of it, and how its SMTP session ended. Call {@link #connected()} once the mail client's connect returned (STARTTLS done or
 * not), or {@link #failed(Throwable)} when connecting or sending threw. The first of them records the
 * attempt's outcome; later calls return it unchanged. Only reportable outcomes (a TLS success or a
 * TLS failure) reach the {@link MxSessionListener}; a connection that broke before STARTTLS and a
 * local error never do, so the domain is never blamed for either (RFC 8460 §4.3, RPT-TYPE-3).
 *
 * <p>Used by the delivery's thread.
 */
public final class MxAttempt {
    private final Delivery delivery;
    private final String mxHost;
    private final MxTransport.Requirement requirement;
    private final MxDecision decision;
    private final @Nullable MxDane dane;
    private final @Nullable InetAddress address;

    @GuardedBy("this")
    private @Nullable Socket plain;

    @GuardedBy("this")
    private @Nullable SSLSocket tls;

    @GuardedBy("this")
    private @Nullable String tlsMxHost;

    @GuardedBy("this")
    private @Nullable ReportOnlyTrustManager reportOnly;

    @GuardedBy("this")
    private @Nullable MxDane tlsDane;

    @GuardedBy("this")
    private @Nullable InetAddress sendingIp;

    @GuardedBy("this")
    private @Nullable InetAddress receivingIp;

    @GuardedBy("this")
    private @Nullable TlsSessionOutcome outcome;

    MxAttempt(
            Delivery delivery,
            String mxHost,
            MxTransport.Requirement requirement,
            MxDecision decision,
            @Nullable MxDane dane,
            @Nullable InetAddress address) {
        this.delivery = delivery;
        this.mxHost = mxHost;
        this.requirement = requirement;
        this.decision = decision;
        this.dane = dane;
        this.address = address;
        this.tlsDane = dane;
    }

    /** The MX host name this attempt is for. */
    public String mxHost() {
        return mxHost;
    }

    /**
     * What the MTA-STS policy alone says about this MX ({@code policy.decisionFor(mxHost)},
     * STS-APP-6); under a transport decision DANE may override it (see {@link #requirement()}).
     */
    public MxDecision decision() {
        return decision;
    }

    /**
     * What the connection must achieve: the host's {@link MxTransport#requirement()} under a transport
     * decision; for a delivery started with a policy result alone, the policy's decision as a
     * requirement ({@code enforce} is {@link MxTransport.Requirement#STS_VALIDATED}, {@code testing}
     * {@link MxTransport.Requirement#STS_REPORT_ONLY}, no constraint {@link
     * MxTransport.Requirement#OPPORTUNISTIC}).
     */
    public MxTransport.Requirement requirement() {
        return requirement;
    }

    /**
     * The host's DANE state when DANE decided this attempt (TLSA records found, or a deferral DANE
     * caused); empty when MTA-STS or nothing did.
     */
    public Optional<MxDane> dane() {
        return Optional.ofNullable(dane);
    }

    /**
     * Whether the MX may be used: false for {@link MxTransport.Requirement#SKIP} (not in an enforced
     * policy, STS-APP-1) and {@link MxTransport.Requirement#DEFER} (policy unknown, RFC 8461 §10.2; a
     * DANE lookup bogus or failed, RFC 7672 §2.1.1; DANE required and absent).
     */
    public boolean allowed() {
        return requirement != MxTransport.Requirement.SKIP && requirement != MxTransport.Requirement.DEFER;
    }

    /** The outcome recorded so far, if {@link #connected()} or {@link #failed(Throwable)} was called. */
    public synchronized Optional<TlsSessionOutcome> outcome() {
        return Optional.ofNullable(outcome);
    }

    /**
     * Call after the mail client's connect returned. Records success, or in mode {@code testing} the
     * certificate failure a policy in mode {@code enforce} would have refused (STS-APP-3), or {@code
     * starttls-not-supported} when no TLS was negotiated.
     *
     * @throws DeliveryRefusedException when the MX requires TLS and none was negotiated, even if the
     *     client was configured not to require STARTTLS: validated TLS under an enforced policy (RFC
     *     8461 §5), DANE-authenticated TLS (RFC 7672 §2.2) or, with TLSA records none of which is
     *     usable, any TLS (RFC 7672 §2.2); or when the MX was not allowed: do not send on this
     *     connection
     */
    public void connected() throws DeliveryRefusedException {
        if (!allowed()) {
            TlsSessionOutcome local = recordIfFirst(
                    new TlsSessionOutcome.LocalError("MX " + mxHost + " may not be used: " + requirement));
            throw new DeliveryRefusedException("MX " + mxHost + " may not be used: " + requirement, local);
        }
        TlsSessionOutcome recorded = recordIfFirst(outcomeOfConnection());
        if (requiresTls() && !(recorded instanceof TlsSessionOutcome.Succeeded)) {
            throw new DeliveryRefusedException(
                    "MX " + mxHost + " of " + delivery.policy().domain() + " requires "
                            + switch (requirement) {
                                case DANE -> "TLS authenticated by its TLSA records (DANE)";
                                case TLS_UNAUTHENTICATED -> "TLS (it publishes TLSA records)";
                                default -> "validated TLS under the enforced policy";
                            }
                            + " and none was negotiated: nothing may be sent",
                    recorded);
        }
    }

    /** Whether nothing may be sent without a TLS session that passed this attempt's checks. */
    private boolean requiresTls() {
        return requirement == MxTransport.Requirement.DANE
                || requirement == MxTransport.Requirement.TLS_UNAUTHENTICATED
                || requirement == MxTransport.Requirement.STS_VALIDATED;
    }

    /**
     * Call when connecting or sending threw: classifies the failure ({@link TlsFailureClassifier}),
     * records it unless an outcome was recorded already, and returns the attempt's outcome. A failure
     * after TLS was negotiated (a rejected recipient, say) leaves the TLS outcome of the session.
     */
    public TlsSessionOutcome failed(Throwable failure) {
        requireNonNull(failure, "failure");
        synchronized (this) {
            if (outcome != null) {
                return outcome;
            }
        }
        TlsSessionOutcome classified = TlsFailureClassifier.classify(failure);
        if (!(classified instanceof TlsSessionOutcome.LocalError) && negotiatedTls()) {
            classified = outcomeOfConnection();
        } else if (classified instanceof TlsSessionOutcome.Failed failed
                && failed.reason() != TlsFailureReason.STARTTLS_NOT_SUPPORTED
                && !layeredHere()) {
            // A TLS failure on a connection this delivery's factory never layered was judged by some
            // other trust manager (the client's default, say) against who knows which name: our
            // wiring is wrong, and the domain must not be blamed for it.
            classified = new TlsSessionOutcome.LocalError("TLS failed on a connection not made by this delivery's"
                    + " socket factory (set mail.smtp.ssl.socketFactory to it): " + failed.detail());
        }
        return recordIfFirst(classified);
    }

    private TlsSessionOutcome outcomeOfConnection() {
        SSLSocket socket;
        ReportOnlyTrustManager lenient;
        String name;
        synchronized (this) {
            socket = tls;
            lenient = reportOnly;
            name = tlsMxHost == null ? mxHost : tlsMxHost;
        }
        if (socket == null || !negotiatedTls()) {
            return new TlsSessionOutcome.Failed(
                    TlsFailureReason.STARTTLS_NOT_SUPPORTED, "no TLS was negotiated with MX " + name);
        }
        if (lenient != null) {
            Optional<MxCertificateException> refused = lenient.failureFor(socket.getSession(), name);
            if (refused.isPresent()) {
                return new TlsSessionOutcome.Failed(
                        refused.get().reason(), String.valueOf(refused.get().getMessage()));
            }
        }
        return TlsSessionOutcome.success();
    }

    private synchronized boolean layeredHere() {
        return tls != null;
    }

    /** Whether a TLS session was established; never starts a handshake itself. */
    private boolean negotiatedTls() {
        SSLSocket socket;
        synchronized (this) {
            socket = tls;
        }
        if (socket == null || socket.isClosed() || socket.getHandshakeSession() != null) {
            return false;
        }
        // The client started the handshake before connect returned; getSession() only reads it then.
        SSLSession session = socket.getSession();
        return session.isValid() && !"NONE".equals(session.getProtocol());
    }

    /** Records the outcome if none was yet; returns the attempt's outcome. */
    TlsSessionOutcome record(TlsSessionOutcome candidate) {
        return recordIfFirst(candidate);
    }

    private TlsSessionOutcome recordIfFirst(TlsSessionOutcome candidate) {
        MxSession session;
        synchronized (this) {
            if (outcome != null) {
                return outcome;
            }
            outcome = candidate;
            if (!candidate.reportable()) {
                return candidate;
            }
            captureAddresses(plain);
            session = new MxSession(
                    delivery.policy(),
                    tlsMxHost == null ? mxHost : tlsMxHost,
                    Optional.ofNullable(sendingIp),
                    Optional.ofNullable(receivingIp != null ? receivingIp : address),
                    Optional.empty(),
                    candidate,
                    Optional.ofNullable(tlsDane));
        }
        delivery.sessionEnded(session);
        return candidate;
    }

    /** Addresses of a live connection; a closed socket no longer knows its local address. */
    @GuardedBy("this")
    private void captureAddresses(@Nullable Socket socket) {
        if (socket == null) {
            return;
        }
        if (receivingIp == null && socket.getInetAddress() != null) {
            receivingIp = socket.getInetAddress();
        }
        if (sendingIp == null && socket.isConnected() && !socket.isClosed()) {
            sendingIp = socket.getLocalAddress();
        }
    }

    synchronized void plain(Socket socket) {
        plain = socket;
    }

    /**
     * Layers TLS for this attempt over a connection to {@code mx}, trusting as the host's requirement
     * says: its TLSA records for DANE, any certificate for TLS without authentication or without
     * constraint, the validating trust manager for an enforced policy, report-only for mode testing.
     */
    SSLSocket layer(Socket connected, String mx, int port, boolean autoClose, MxTls mxTls) throws IOException {
        MxTransport connection = delivery.transportFor(mx);
        if (connection.requirement() != requirement
                || (requirement == MxTransport.Requirement.DANE
                        && !connection.dane().equals(dane))) {
            // The name registered for the address dialled is another MX than the open attempt's (hosts
            // sharing an address): its trust must not stand in for the attempt's, or a DANE host could
            // be sent to over TLS that only the other host's weaker requirement allows.
            throw new TlsConfigurationException("the connection is to " + mx + " (" + connection.requirement()
                    + ") but the open attempt is for " + mxHost + " (" + requirement
                    + "): register the address with the MX it is dialled for, delivery.attempt(mxHost, address)");
        }
        ReportOnlyTrustManager lenient = null;
        MxDane connectionDane = null;
        SSLSocket socket;
        try {
            switch (connection.requirement()) {
                case DANE -> {
                    if (!(connection.dane() instanceof MxDane.Usable usable)) {
                        throw new TlsConfigurationException(
                                "MX " + mx + " requires DANE but has no usable TLSA records: " + connection.dane());
                    }
                    connectionDane = usable;
                    socket = mxTls.layerDane(connected, usable, port, autoClose);
                }
                case TLS_UNAUTHENTICATED -> {
                    connectionDane = connection.dane();
                    socket = mxTls.layer(connected, mx, port, autoClose, AnyCertificateTrust.INSTANCE);
                }
                case STS_VALIDATED -> socket = mxTls.layer(connected, mx, port, autoClose, mxTls.trustManager());
                case STS_REPORT_ONLY -> {
                    lenient = ReportOnlyTrustManager.checkingWith(mxTls.trustManager());
                    socket = mxTls.layer(connected, mx, port, autoClose, lenient);
                }
                case OPPORTUNISTIC ->
                    socket = mxTls.layer(connected, mx, port, autoClose, AnyCertificateTrust.INSTANCE);
                default ->
                    throw new TlsConfigurationException("MX " + mx + " of "
                            + delivery.policy().domain() + " may not be used: " + connection.requirement());
            }
        } catch (IllegalArgumentException e) {
            throw new TlsConfigurationException("not an MX host name: " + e.getMessage());
        }
        synchronized (this) {
            tls = socket;
            tlsMxHost = mx;
            reportOnly = lenient;
            tlsDane = connectionDane;
            captureAddresses(connected);
        }
        return socket;
    }
}
