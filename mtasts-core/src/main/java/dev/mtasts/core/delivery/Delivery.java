package dev.mtasts.core.delivery;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.mtasts.core.Mode;
import dev.mtasts.core.resolve.PolicyResult;
import dev.mtasts.core.tls.TlsConfigurationException;
import dev.mtasts.core.tls.TlsFailureReason;
import dev.mtasts.core.tls.TlsSessionOutcome;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * Delivering one message to one recipient domain under its policy result: the MTA walks its MX hosts
 * one {@link MxAttempt} at a time, with one mail client configuration for all of them. Each TLS
 * connection is checked against the right MX name: the name registered for the address dialled
 * ({@link #mxAddress}, {@link #attempt(String, InetAddress)}), else the host the client passes when
 * it is a name; with neither the connection is refused as a local error (STS-CERT-4), never reported.
 *
 * <p>Used by one thread at a time; {@link #mxAddress} may be called from any thread. Closing it
 * records an enforced policy that left no MX to try (STS-OUT-2).
 */
public final class Delivery implements AutoCloseable {
    private final DeliveryTls owner;
    private final PolicyResult policy;
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
    private boolean closed;

    Delivery(DeliveryTls owner, PolicyResult policy) {
        this.owner = owner;
        this.policy = policy;
        this.socketFactory = new DeliverySslSocketFactory(() -> this, owner.mxTls());
        this.plainSocketFactory = new DeliveryPlainSocketFactory(() -> this);
    }

    /** The policy result this delivery applies. */
    public PolicyResult policy() {
        return policy;
    }

    /**
     * The factory for {@code mail.smtp.ssl.socketFactory}: layers STARTTLS for the open attempt,
     * checked against the connection's MX name with the trust its decision calls for (validated for
     * {@code enforce}, report-only for {@code testing}, any certificate otherwise). Mail clients must
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

    private synchronized MxAttempt start(String mxHost, @Nullable InetAddress address) {
        if (closed) {
            throw new IllegalStateException("the delivery to " + policy.domain() + " is closed");
        }
        MxAttempt attempt = new MxAttempt(this, mxHost, policy.decisionFor(mxHost), address);
        if (attempt.allowed()) {
            anyAllowed = true;
        } else if (firstSkipped == null && isEnforced()) {
            firstSkipped = attempt;
        }
        current = attempt;
        return attempt;
    }

    /**
     * Whether the message must be deferred as a temporary failure for policy reasons: the policy
     * could not be determined (RFC 8461 §10.2), or it is enforced and every MX tried so far was not
     * in it (STS-APP-2).
     */
    public synchronized boolean mustDefer() {
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
                    "MX " + attempt.mxHost() + " of " + policy.domain() + " may not be used: " + attempt.decision());
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
