package dev.mtasts.core.tls;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mtasts.core.dane.DaneTrustManager;
import dev.mtasts.core.dane.MxDane;
import dev.mtasts.core.dns.TlsaRecord;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Set;
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
 *
 * <p>DANE connections get one TLS context per trust (usable TLSA set and reference names), kept in a
 * bounded cache of {@value #DANE_CONTEXTS} entries, so a session is only ever resumed under the very
 * TLSA records and names that validated it.
 */
public final class MxTls {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /** DANE trusts whose contexts (and so cached sessions) are kept; older ones start afresh. */
    static final int DANE_CONTEXTS = 1024;

    private final SSLContext context;
    private final MxTrustManager trustManager;
    private final SSLContext lenientContext;
    private final PerConnectionTrustManager perConnection;
    private final Cache<DaneTrustKey, DaneContext> daneContexts =
            Caffeine.newBuilder().maximumSize(DANE_CONTEXTS).build();
    private final @Nullable SecureRandom random;
    private final Clock clock;

    private MxTls(
            SSLContext context,
            MxTrustManager trustManager,
            SSLContext lenientContext,
            PerConnectionTrustManager perConnection,
            @Nullable SecureRandom random,
            Clock clock) {
        this.context = context;
        this.trustManager = trustManager;
        this.lenientContext = lenientContext;
        this.perConnection = perConnection;
        this.random = random;
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
     * connections have contexts of their own ({@link #layerDane}).
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
     * TLS contexts of their own, one per usable TLSA set and reference names: the JDK resumes a cached
     * session for the same host and port without asking any trust manager, so a session accepted under
     * other trust (no authentication, PKIX, a TLSA set since rolled over, another next-hop domain's
     * names) is never resumed here, nor a DANE-accepted one where PKIX validation is.
     *
     * @throws IllegalArgumentException if the MX host is not a host name
     */
    public SSLSocket layerDane(Socket connected, MxDane.Usable dane, int port, boolean autoClose) throws IOException {
        requireNonNull(connected, "connected");
        requireNonNull(dane, "dane");
        String host = checkedHost(dane.mxHost());
        DaneContext context = daneContext(dane);
        SSLSocket socket =
                (SSLSocket) context.context().getSocketFactory().createSocket(connected, host, port, autoClose);
        context.register(socket, dane, clock);
        // RFC 7672 §8.1: SNI is required for DANE-TA(2) and harmless otherwise, so it is always sent.
        socket.setSSLParameters(sslParameters(host));
        return socket;
    }

    private DaneContext daneContext(MxDane.Usable dane) {
        return daneContexts.get(DaneTrustKey.of(dane), key -> DaneContext.create(random));
    }

    /**
     * A socket factory for one MX host DANE applies to, for clients that create the TLS socket
     * themselves: as {@link #socketFactory(String)}, checked against the TLSA records instead.
     */
    public SSLSocketFactory daneSocketFactory(MxDane.Usable dane) {
        requireNonNull(dane, "dane");
        String host = checkedHost(dane.mxHost());
        DaneContext context = daneContext(dane);
        return new MxSslSocketFactory(
                context.context().getSocketFactory(),
                host,
                this::sslParameters,
                socket -> context.register(socket, dane, clock));
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

    /**
     * What a DANE check depends on besides the chain: the usable TLSA records (as a set, answer order
     * does not matter) and the reference names. The MX host only appears in messages.
     */
    record DaneTrustKey(Set<TlsaRecord> usableRecords, Set<String> referenceNames) {
        static DaneTrustKey of(MxDane.Usable dane) {
            return new DaneTrustKey(Set.copyOf(dane.usableRecords()), Set.copyOf(dane.referenceNames()));
        }
    }

    /** One DANE trust's TLS context: its session cache holds only sessions that trust validated. */
    record DaneContext(SSLContext context, PerConnectionTrustManager perConnection) {
        static DaneContext create(@Nullable SecureRandom random) {
            try {
                PerConnectionTrustManager perConnection = new PerConnectionTrustManager();
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new javax.net.ssl.TrustManager[] {perConnection}, random);
                return new DaneContext(context, perConnection);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot create a TLS context: " + e.getMessage(), e);
            }
        }

        void register(SSLSocket socket, MxDane.Usable dane, Clock clock) {
            perConnection.register(socket, DaneTrustManager.forMx(dane, clock));
        }
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
                // DANE contexts are made on demand, one per TLSA set and reference names.
                return new MxTls(context, trustManager, lenient, perConnection, random, clock);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot create a TLS context: " + e.getMessage(), e);
            }
        }
    }
}
