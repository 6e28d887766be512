package dev.mtasts.core.tls;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.dane.DaneTrustManager;
import dev.mtasts.core.dane.MxDane;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * TLS to an MX host under MTA-STS: SNI and certificate identity are the MX name (RFC 8461 §4.2, §7.1),
 * TLS 1.2 or newer (§7.2), and certificates checked by an {@link MxTrustManager}.
 *
 * <p>Create one per process ({@code MxTls.builder().build()}) and ask it for a socket factory per
 * delivery attempt: {@link #socketFactory(String)} ignores the host its callers pass (often the
 * dialled IP address) and always names the MX. Thread-safe.
 */
public final class MxTls {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SSLContext context;
    private final MxTrustManager trustManager;
    private final SSLContext lenientContext;
    private final PerConnectionTrustManager perConnection;
    private final SSLContext daneContext;
    private final PerConnectionTrustManager danePerConnection;
    private final Clock clock;

    private MxTls(
            SSLContext context,
            MxTrustManager trustManager,
            SSLContext lenientContext,
            PerConnectionTrustManager perConnection,
            SSLContext daneContext,
            PerConnectionTrustManager danePerConnection,
            Clock clock) {
        this.context = context;
        this.trustManager = trustManager;
        this.lenientContext = lenientContext;
        this.perConnection = perConnection;
        this.daneContext = daneContext;
        this.danePerConnection = danePerConnection;
        this.clock = clock;
    }

    /** A builder; without options it trusts the JDK's default anchors. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A socket factory bound to one MX: layered sockets ({@code createSocket(socket, host, port,
     * autoClose)}, as STARTTLS uses) send SNI {@code mxHost} and are verified against it, whatever
     * host the caller passes.
     *
     * @throws IllegalArgumentException if {@code mxHost} is not a valid host name, including an IP
     *     address literal (IPv4, IPv6, bracketed): the certificate is checked against a name
     */
    public SSLSocketFactory socketFactory(String mxHost) {
        return new MxSslSocketFactory(context.getSocketFactory(), checkedHost(mxHost), this::sslParameters);
    }

    /**
     * Layers TLS over a connected socket (STARTTLS) for one MX, from the one process-wide context: SNI
     * and the certificate check use {@code mxHost}, and {@code trust} judges this connection only
     * ({@link #trustManager()} for a policy in mode {@code enforce}, a {@link ReportOnlyTrustManager}
     * for mode {@code testing}, any {@link X509ExtendedTrustManager} otherwise). The handshake is left
     * to the caller (mail clients start it themselves; starting it twice would renegotiate TLS 1.2).
     *
     * <p>Two process-wide contexts, never one per connection: {@link #sslContext()} for the strict
     * trust, and a second one for every other trust, so that a session accepted without validation
     * can never be resumed where validation is required (resumption asks no trust manager). DANE
     * connections have a third context of their own ({@link #layerDane}).
     *
     * @throws IllegalArgumentException if {@code mxHost} is not a host name (an IP literal included)
     */
    public SSLSocket layer(Socket connected, String mxHost, int port, boolean autoClose, X509ExtendedTrustManager trust)
            throws IOException {
        requireNonNull(connected, "connected");
        requireNonNull(trust, "trust");
        String host = checkedHost(mxHost);
        boolean strict = trust == trustManager;
        SSLContext chosen = strict ? context : lenientContext;
        SSLSocket socket = (SSLSocket) chosen.getSocketFactory().createSocket(connected, host, port, autoClose);
        if (!strict) {
            perConnection.register(socket, trust);
        }
        socket.setSSLParameters(sslParameters(host));
        return socket;
    }

    /**
     * Parameters naming the MX for SNI, with TLS 1.2+ only and the JDK's own endpoint identification
     * off (the trust manager does the stricter check), for clients that configure sockets themselves.
     */
    public SSLParameters sslParameters(String mxHost) {
        String host = checkedHost(mxHost);
        SSLParameters parameters = context.getDefaultSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(host)));
        parameters.setProtocols(PROTOCOLS.clone());
        // Off on purpose: MxTrustManager does the stricter RFC 8461 §4.2 check on every full handshake,
        // TLS 1.2 renegotiations included (each one's SNI names the MX again).
        parameters.setEndpointIdentificationAlgorithm(null);
        return parameters;
    }

    /** A client-mode engine for non-blocking clients (Netty and the like), configured as {@link #sslParameters}. */
    public SSLEngine createEngine(String mxHost, int port) {
        String host = checkedHost(mxHost);
        SSLEngine engine = context.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        engine.setSSLParameters(sslParameters(host));
        return engine;
    }

    /**
     * Layers TLS over a connected socket for an MX host DANE applies to (RFC 7672 §3): SNI names the
     * MX host (always sent, RFC 7672 §8.1), TLS 1.2 or newer, and the chain is checked by a {@link
     * DaneTrustManager} for its usable TLSA records, on the builder's clock. DANE connections come from
     * a third TLS context of their own, so a session accepted under other trust is never resumed where
     * DANE is required, nor a DANE-accepted one where PKIX validation is.
     *
     * @throws IllegalArgumentException if the MX host is not a host name
     */
    public SSLSocket layerDane(Socket connected, MxDane.Usable dane, int port, boolean autoClose) throws IOException {
        requireNonNull(connected, "connected");
        requireNonNull(dane, "dane");
        String host = checkedHost(dane.mxHost());
        SSLSocket socket = (SSLSocket) daneContext.getSocketFactory().createSocket(connected, host, port, autoClose);
        registerDane(socket, dane);
        // RFC 7672 §8.1: SNI is required for DANE-TA(2) and harmless otherwise, so it is always sent.
        socket.setSSLParameters(sslParameters(host));
        return socket;
    }

    private void registerDane(SSLSocket socket, MxDane.Usable dane) {
        danePerConnection.register(socket, DaneTrustManager.forMx(dane, clock));
    }

    /**
     * A socket factory for one MX host DANE applies to, for clients that create the TLS socket
     * themselves: as {@link #socketFactory(String)}, checked against the TLSA records instead.
     */
    public SSLSocketFactory daneSocketFactory(MxDane.Usable dane) {
        requireNonNull(dane, "dane");
        return new MxSslSocketFactory(
                daneContext.getSocketFactory(),
                checkedHost(dane.mxHost()),
                this::sslParameters,
                socket -> registerDane(socket, dane));
    }

    /** The context whose trust manager is {@link #trustManager()}. */
    public SSLContext sslContext() {
        return context;
    }

    /** The trust manager checking MX certificates. */
    public MxTrustManager trustManager() {
        return trustManager;
    }

    private static String checkedHost(String mxHost) {
        requireNonNull(mxHost, "mxHost");
        if (isIpLiteral(mxHost)) {
            throw new IllegalArgumentException("not an MX host name: '" + mxHost
                    + "' is an IP address; the certificate is checked against the MX host name"
                    + " (RFC 8461 §4.2, §7), so pass the name of the MX record, not the address dialled");
        }
        String host = CertificateNames.normalizeHost(mxHost);
        if (host.isEmpty()) {
            throw new IllegalArgumentException("not an MX host name: '" + mxHost + "'");
        }
        try {
            new SNIHostName(host);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an MX host name: '" + mxHost + "': " + e.getMessage(), e);
        }
        return host;
    }

    /** IPv4 dotted digits (one root dot allowed), anything with a colon (IPv6), or a bracketed literal. */
    private static boolean isIpLiteral(String host) {
        if (host.startsWith("[") || host.indexOf(':') >= 0) {
            return true;
        }
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        return !h.isEmpty() && h.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    /** Options for {@link MxTls}. Not thread-safe. */
    public static final class Builder {
        private @Nullable X509TrustManager pkix;
        private @Nullable SecureRandom random;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** The clock DANE-TA(2) chains are checked on (default: the system clock in UTC). */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock");
            return this;
        }

        /** The PKIX trust manager deciding trust anchors (default: the JDK's {@code cacerts}). */
        public Builder pkixTrustManager(X509TrustManager pkix) {
            this.pkix = requireNonNull(pkix, "pkix");
            return this;
        }

        /** The randomness source for the handshake (default: the platform's). */
        public Builder secureRandom(SecureRandom random) {
            this.random = requireNonNull(random, "random");
            return this;
        }

        /** Builds the context. */
        public MxTls build() {
            X509TrustManager anchors = pkix;
            MxTrustManager trustManager = anchors == null ? MxTrustManager.system() : MxTrustManager.wrapping(anchors);
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new javax.net.ssl.TrustManager[] {trustManager}, random);
                PerConnectionTrustManager perConnection = new PerConnectionTrustManager();
                SSLContext lenient = SSLContext.getInstance("TLS");
                lenient.init(null, new javax.net.ssl.TrustManager[] {perConnection}, random);
                // A third context for DANE: sessions it caches were accepted by TLSA records only,
                // and neither they nor leniently accepted ones may be resumed across the two.
                PerConnectionTrustManager danePerConnection = new PerConnectionTrustManager();
                SSLContext dane = SSLContext.getInstance("TLS");
                dane.init(null, new javax.net.ssl.TrustManager[] {danePerConnection}, random);
                return new MxTls(context, trustManager, lenient, perConnection, dane, danePerConnection, clock);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot create a TLS context: " + e.getMessage(), e);
            }
        }
    }
}
