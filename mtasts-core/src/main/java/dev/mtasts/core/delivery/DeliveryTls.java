package dev.mtasts.core.delivery;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.resolve.PolicyResult;
import dev.mtasts.core.tls.MxTls;
import dev.mtasts.core.tls.TlsConfigurationException;
import java.util.Optional;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * MTA-STS and DANE for an MTA's deliveries, made once per process: holds the {@link MxTls} (whose TLS
 * contexts every delivery shares) and the {@link MxSessionListener} told how each MX session ended.
 * {@link #start(PolicyResult)} (MTA-STS alone) or {@link
 * #start(dev.mtasts.core.dane.TransportDecision)} (DANE and MTA-STS) opens a {@link Delivery} per
 * recipient domain and attempt. Thread-safe.
 *
 * <p>For one pooled Jakarta Mail {@code Session} shared by concurrent deliveries, configure it with
 * {@link #sharedSocketFactory()} and {@link #sharedPlainSocketFactory()}: they act for the delivery
 * {@linkplain Delivery#bindToCurrentThread() bound} to the calling thread.
 */
public final class DeliveryTls {
    private final MxTls tls;
    private final MxSessionListener listener;
    private final ThreadLocal<@Nullable Delivery> bound = new ThreadLocal<>();
    private final SSLSocketFactory sharedSocketFactory;
    private final SocketFactory sharedPlainSocketFactory;

    private DeliveryTls(MxTls tls, MxSessionListener listener) {
        this.tls = tls;
        this.listener = listener;
        this.sharedSocketFactory = new DeliverySslSocketFactory(this::boundDelivery, tls);
        this.sharedPlainSocketFactory = new DeliveryPlainSocketFactory(this::boundDelivery);
    }

    /** A builder; {@link Builder#mxTls} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts delivering to one recipient domain under what its policy lookup found. */
    public Delivery start(PolicyResult policy) {
        return new Delivery(this, requireNonNull(policy, "policy"));
    }

    /**
     * Starts delivering to one recipient domain under the combined DANE and MTA-STS decision: each
     * attempt's connection must meet its host's {@link dev.mtasts.core.dane.MxTransport} requirement
     * (a DANE host is checked against its TLSA records), and sessions DANE decided are recorded with
     * their TLSA records.
     */
    public Delivery start(dev.mtasts.core.dane.TransportDecision decision) {
        return new Delivery(this, requireNonNull(decision, "decision"));
    }

    /**
     * An {@code SSLSocketFactory} (for {@code mail.smtp.ssl.socketFactory}) acting for the delivery
     * bound to the calling thread; with none bound, it refuses with a {@link TlsConfigurationException}.
     * Put the instance into the session's own {@code Properties}, not into their defaults: Jakarta
     * Mail reads factory objects with {@code Properties.get}, which never consults the defaults.
     */
    public SSLSocketFactory sharedSocketFactory() {
        return sharedSocketFactory;
    }

    /**
     * A {@code SocketFactory} (for {@code mail.smtp.socketFactory}) acting for the delivery bound to
     * the calling thread; with none bound, it refuses with a {@link TlsConfigurationException}.
     */
    public SocketFactory sharedPlainSocketFactory() {
        return sharedPlainSocketFactory;
    }

    /** The TLS contexts and checks. */
    public MxTls mxTls() {
        return tls;
    }

    MxSessionListener listener() {
        return listener;
    }

    /**
     * The delivery bound to the calling thread by {@link Delivery#bindToCurrentThread()}, for code
     * deep in an MTA (a per-MX hook) that needs the attempt's delivery without passing it along.
     */
    public Optional<Delivery> currentDelivery() {
        return Optional.ofNullable(bound.get());
    }

    Delivery boundDelivery() throws TlsConfigurationException {
        Delivery delivery = bound.get();
        if (delivery == null) {
            throw new TlsConfigurationException(
                    "no delivery is bound to thread " + Thread.currentThread().getName()
                            + ": wrap the connect and send in delivery.bindToCurrentThread()");
        }
        return delivery;
    }

    void bind(Delivery delivery) {
        Delivery previous = bound.get();
        if (previous != null) {
            throw new IllegalStateException(
                    "another delivery (to " + previous.policy().domain() + ") is bound to this thread");
        }
        bound.set(delivery);
    }

    void unbind(Delivery delivery) {
        if (bound.get() == delivery) {
            bound.remove();
        }
    }

    /** Options for {@link DeliveryTls}. Not thread-safe. */
    public static final class Builder {
        private @Nullable MxTls tls;
        private MxSessionListener listener = MxSessionListener.ignoring();

        private Builder() {}

        /** The TLS contexts and certificate checks (required). */
        public Builder mxTls(MxTls tls) {
            this.tls = requireNonNull(tls, "tls");
            return this;
        }

        /** Told how each MX session ended (default: ignoring); a TLSRPT recorder, for example. */
        public Builder listener(MxSessionListener listener) {
            this.listener = requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Builds it.
         *
         * @throws IllegalStateException without {@link #mxTls}
         */
        public DeliveryTls build() {
            MxTls chosen = tls;
            if (chosen == null) {
                throw new IllegalStateException("mxTls is required");
            }
            return new DeliveryTls(chosen, listener);
        }
    }
}
