package dev.mtasts.core.delivery;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.mtasts.core.Mode;
import dev.mtasts.core.dane.DaneResult;
import dev.mtasts.core.dane.MxDane;
import dev.mtasts.core.dane.MxTransport;
import dev.mtasts.core.dane.TransportDecision;
import dev.mtasts.core.dns.DnssecStatus;
import dev.mtasts.core.resolve.MxDecision;
import dev.mtasts.core.resolve.PolicyResult;
import dev.mtasts.core.tls.TlsConfigurationException;
import dev.mtasts.core.tls.TlsFailureReason;
import dev.mtasts.core.tls.TlsSessionOutcome;
import java.net.InetAddress;
import java.net.Socket;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * Delivering one message to one recipient domain under its policy result, or under the combined DANE
 * and MTA-STS {@link TransportDecision}: the MTA walks its MX hosts one {@link MxAttempt} at a time,
 * with one mail client configuration for all of them. Each TLS connection is checked against the
 * right MX name: the name registered for the address dialled ({@link #mxAddress}, {@link
 * #attempt(String, InetAddress)}), else the host the client passes when it is a name; with neither the
 * connection is refused as a local error (STS-CERT-4), never reported.
 *
 * <p>Used by one thread at a time; {@link #mxAddress} may be called from any thread. Closing it
 * records an enforced policy that left no MX to try (STS-OUT-2). Under a transport decision, starting
 * an attempt on a host DANE made unusable records why once per host: a bogus DNSSEC answer ({@code
 * dnssec-invalid}) or a sender that requires DANE where there is none ({@code dane-required}).
 */
public final class Delivery implements AutoCloseable {
    private final DeliveryTls owner;
    private final PolicyResult policy;
    private final @Nullable TransportDecision transport;
    private final Map<InetAddress, String> mxNames = new ConcurrentHashMap<>();
    private final SSLSocketFactory socketFactory;
    private final SocketFactory plainSocketFactory;

    @GuardedBy("this")
    private @Nullable MxAttempt current;

    @GuardedBy("this")
    private @Nullable MxAttempt firstSkipped;

    @GuardedBy("this")
    private boolean anyAllowed;

    @GuardedBy("this")
    private @Nullable MxAttempt firstRefused;

    @GuardedBy("this")
    private final Set<String> daneFailuresRecorded = new HashSet<>();

    @GuardedBy("this")
    private boolean closed;

    Delivery(DeliveryTls owner, PolicyResult policy) {
        this(owner, policy, null);
    }

    Delivery(DeliveryTls owner, TransportDecision decision) {
        this(owner, decision.sts(), decision);
    }

    private Delivery(DeliveryTls owner, PolicyResult policy, @Nullable TransportDecision transport) {
        this.owner = owner;
        this.policy = policy;
        this.transport = transport;
        this.socketFactory = new DeliverySslSocketFactory(() -> this, owner.mxTls());
        this.plainSocketFactory = new DeliveryPlainSocketFactory(() -> this);
    }

    /**
     * The MTA-STS lookup result this delivery applies: the one it was started with, or the transport
     * decision's {@link TransportDecision#sts()}.
     */
    public PolicyResult policy() {
        return policy;
    }

    /** The combined DANE and MTA-STS decision, when the delivery was started with one. */
    public Optional<TransportDecision> transportDecision() {
        return Optional.ofNullable(transport);
    }

    /**
     * The factory for {@code mail.smtp.ssl.socketFactory}: layers STARTTLS for the open attempt,
     * checked against the connection's MX name with the trust its decision calls for (validated for
     * {@code enforce}, report-only for {@code testing}, the TLSA records for a DANE host, any
     * certificate otherwise). Mail clients must
     * not check the server identity themselves ({@code mail.smtp.ssl.checkserveridentity=false}):
     * they would check the dialled address.
     */
    public SSLSocketFactory socketFactory() {
        return socketFactory;
    }

    /**
     * The factory for {@code mail.smtp.socketFactory} (set {@code mail.smtp.socketFactory.fallback} to
     * {@code false}): makes the TCP connection of the open attempt, so both addresses are known even
     * when STARTTLS never happens, and refuses when the open attempt is not allowed.
     */
    public SocketFactory plainSocketFactory() {
        return plainSocketFactory;
    }

    /** Registers the MX name of an address, as the MTA resolves it (the latest registration wins). */
    public void mxAddress(String mxHost, InetAddress address) {
        requireNonNull(mxHost, "mxHost");
        requireNonNull(address, "address");
        mxNames.put(address, mxHost);
    }

    /**
     * Starts the attempt on one MX (its MX record's exchange name, STS-MX-6), which replaces any
     * earlier attempt of this delivery. Check {@link MxAttempt#allowed()} before connecting.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public MxAttempt attempt(String mxHost) {
        return start(requireNonNull(mxHost, "mxHost"), null);
    }

    /** As {@link #attempt(String)}, registering the address about to be dialled for the MX. */
    public MxAttempt attempt(String mxHost, InetAddress address) {
        mxAddress(mxHost, address);
        return start(mxHost, address);
    }

    private MxAttempt start(String mxHost, @Nullable InetAddress address) {
        MxAttempt attempt;
        Optional<TlsSessionOutcome> daneFailure;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the delivery to " + policy.domain() + " is closed");
            }
            MxTransport host = transportFor(mxHost);
            attempt = new MxAttempt(this, mxHost, host.requirement(), host.sts(), daneOf(host), address);
            if (attempt.allowed()) {
                anyAllowed = true;
            } else {
                if (firstRefused == null) {
                    firstRefused = attempt;
                }
                // Only a host the enforced policy itself leaves out is "not in policy" (a host outside a
                // validated MX RRset is skipped by DANE, not by the policy).
                if (firstSkipped == null && host.sts() == MxDecision.SKIP && isEnforced()) {
                    firstSkipped = attempt;
                }
            }
            current = attempt;
            String reportedAs = attempt.dane().map(MxDane::mxHost).orElse(mxHost);
            daneFailure = daneDeferral(host).filter(f -> daneFailuresRecorded.add(reportedAs));
        }
        // Outside the lock: recording calls the listener.
        daneFailure.ifPresent(attempt::record);
        return attempt;
    }

    /**
     * What one host must achieve: the transport decision's, or the policy's decision written as a
     * requirement (with no DANE state) for a delivery started with a policy result alone.
     */
    MxTransport transportFor(String mxHost) {
        TransportDecision decision = transport;
        if (decision != null) {
            return decision.decisionFor(mxHost);
        }
        MxDecision sts = policy.decisionFor(mxHost);
        // Never seen outside: without a transport decision no session carries a DANE state.
        MxDane none = new MxDane.NotApplicable(
                mxHost, MxDane.NotApplicable.Reason.MX_INSECURE, "delivery started without a DANE lookup");
        return new MxTransport(mxHost, MxTransport.Requirement.ofSts(sts), none, sts);
    }

    /**
     * The host's DANE state when DANE decided its connection (TLSA records found, usable or not) or
     * deferred it (a failed lookup, or DANE required and absent); empty when MTA-STS or nothing did.
     */
    private @Nullable MxDane daneOf(MxTransport host) {
        if (transport == null) {
            return null;
        }
        return switch (host.requirement()) {
            case DANE, TLS_UNAUTHENTICATED -> host.dane();
            case DEFER -> {
                if (!(daneDeferral(host).isPresent() || host.dane() instanceof MxDane.Failed)) {
                    yield null;
                }
                TransportDecision decision = transport;
                if (decision.dane() instanceof DaneResult.Unavailable && host.dane() instanceof MxDane.Failed failed) {
                    // The MX RRset itself failed: the host names came from the MTA's own, unvalidated MX
                    // lookup and may be an attacker's choice, so the failure is reported to the next-hop
                    // domain (RFC 8460 §4.4), not to whatever host the MTA tried.
                    yield new MxDane.Failed(decision.domain(), failed.status(), failed.detail());
                }
                yield host.dane();
            }
            default -> null;
        };
    }

    /**
     * The failure to report when DANE made a host unusable: {@code dnssec-invalid} for a bogus
     * lookup (RFC 8460 §4.3.2, RFC 7672 §2.1.1), {@code dane-required} when the sender requires DANE
     * and the host has no usable TLSA records. A temporary DNS failure is not reported (RFC 8460
     * §4.3.4), nor is a deferral MTA-STS alone caused.
     */
    private Optional<TlsSessionOutcome> daneDeferral(MxTransport host) {
        TransportDecision decision = transport;
        if (decision == null || host.requirement() != MxTransport.Requirement.DEFER) {
            return Optional.empty();
        }
        if (host.dane() instanceof MxDane.Failed failed) {
            return failed.status() == DnssecStatus.BOGUS
                    ? Optional.of(new TlsSessionOutcome.Failed(
                            TlsFailureReason.DNSSEC_BOGUS,
                            "DNSSEC validation failed for MX " + host.mxHost() + ": " + failed.detail()))
                    : Optional.empty();
        }
        // Without a DANE failure, a deferral MTA-STS did not ask for is the sender's own requirement
        // of DANE (TransportSecurity.Builder.daneRequired).
        if (decision.daneRequired() && host.sts() != MxDecision.DEFER && !(host.dane() instanceof MxDane.Usable)) {
            return Optional.of(new TlsSessionOutcome.Failed(
                    TlsFailureReason.DANE_REQUIRED,
                    "DANE is required for " + policy.domain() + " and MX " + host.mxHost()
                            + " has no usable DNSSEC-validated TLSA records"));
        }
        return Optional.empty();
    }

    /**
     * Whether the message must be deferred as a temporary failure for policy reasons: the policy
     * could not be determined (RFC 8461 §10.2), or it is enforced and every MX tried so far was not
     * in it (STS-APP-2). Under a transport decision: MX hosts were tried and none was allowed (each
     * was skipped or deferred, RFC 7672 §2.1.1).
     */
    public synchronized boolean mustDefer() {
        if (transport != null) {
            return firstRefused != null && !anyAllowed;
        }
        return policy instanceof PolicyResult.Unavailable || (firstSkipped != null && !anyAllowed);
    }

    /**
     * Binds this delivery to the calling thread, for {@link DeliveryTls#sharedSocketFactory()} and
     * {@link DeliveryTls#sharedPlainSocketFactory()}; close the binding when the connection is done.
     *
     * @throws IllegalStateException if another delivery is bound to this thread
     */
    public Binding bindToCurrentThread() {
        owner.bind(this);
        return () -> owner.unbind(this);
    }

    /**
     * Ends the delivery: when the policy is enforced and no MX tried was in it, records the
     * MX-not-in-policy failure once, for the first MX skipped (RFC 8461 §4.1, STS-OUT-2). Idempotent.
     */
    @Override
    public void close() {
        MxAttempt skipped;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            current = null;
            skipped = anyAllowed ? null : firstSkipped;
        }
        owner.unbind(this);
        if (skipped != null) {
            skipped.record(new TlsSessionOutcome.Failed(
                    TlsFailureReason.MX_NOT_IN_POLICY,
                    "no MX host of " + policy.domain() + " is in its enforced policy; first skipped: "
                            + skipped.mxHost()));
        }
    }

    /** A delivery bound to a thread; closing unbinds it. */
    @FunctionalInterface
    public interface Binding extends AutoCloseable {
        /** Unbinds the delivery from the thread. */
        @Override
        void close();
    }

    private boolean isEnforced() {
        return policy instanceof PolicyResult.PolicyFound found && found.mode() == Mode.ENFORCE;
    }

    /** The open attempt that may connect, or a local error. */
    synchronized MxAttempt openAttempt() throws TlsConfigurationException {
        if (closed) {
            throw new TlsConfigurationException("the delivery to " + policy.domain() + " is closed");
        }
        MxAttempt attempt = current;
        if (attempt == null) {
            throw new TlsConfigurationException(
                    "no MX attempt is open for " + policy.domain() + ": call delivery.attempt(mxHost) first");
        }
        if (!attempt.allowed()) {
            throw new TlsConfigurationException(
                    "MX " + attempt.mxHost() + " of " + policy.domain() + " may not be used: " + attempt.requirement());
        }
        return attempt;
    }

    /**
     * The MX name of a connection: registered for its remote address, else {@code host} when that is
     * a name; never an address (RFC 8461 §4.2, STS-CERT-4).
     */
    String mxNameFor(Socket socket, @Nullable String host) throws TlsConfigurationException {
        InetAddress remote = socket.getInetAddress();
        if (remote != null) {
            String registered = mxNames.get(remote);
            if (registered != null) {
                return registered;
            }
        }
        if (host != null && isHostName(host)) {
            return host;
        }
        throw new TlsConfigurationException("no MX host name known for " + (remote == null ? host : remote)
                + ": register it with delivery.attempt(mxHost, address) or delivery.mxAddress(mxHost, address)");
    }

    /** Anything but an IPv4 or IPv6 literal (bracketed or not). */
    private static boolean isHostName(String host) {
        if (host.isEmpty() || host.startsWith("[") || host.indexOf(':') >= 0) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return true;
            }
        }
        return false;
    }

    void sessionEnded(MxSession session) {
        try {
            owner.listener().sessionEnded(session);
        } catch (RuntimeException e) {
            // The contract forbids throwing; if a listener does anyway, a recording problem must not
            // fail the delivery it records.
        }
    }
}
