package dev.mtasts.checker.internal;

import static java.util.Objects.requireNonNull;

import dev.mtasts.checker.CheckOptions;
import dev.mtasts.checker.Finding;
import dev.mtasts.core.dns.DnsResolver;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * What every check of one run shares: the domain, the options, the two DNS views (the sender's
 * resolver and the raw one), the trust to judge certificates by, and the sink findings go to.
 * Thread-safe: checks of one run go on in parallel.
 */
public final class CheckContext {
    private final String domain;
    private final CheckOptions options;
    private final DnsResolver dns;
    private final RawDns rawDns;
    private final X509TrustManager pkix;
    private final Executor executor;
    private final Consumer<Finding> listener;
    private final List<Finding> findings = new ArrayList<>();

    CheckContext(String domain, CheckOptions options, Executor executor, Consumer<Finding> listener) {
        this.domain = requireNonNull(domain, "domain");
        this.options = requireNonNull(options, "options");
        this.executor = requireNonNull(executor, "executor");
        this.listener = requireNonNull(listener, "listener");
        InetSocketAddress server = options.dnsServer().orElse(null);
        this.dns = server == null ? DnsResolver.system() : DnsResolver.dnsjava(server, options.dnsTimeout());
        this.rawDns = RawDns.create(options.dnsServer(), options.dnsTimeout());
        this.pkix = trustManager(options.trustStore().orElse(null));
    }

    /** The domain checked: lower-case A-labels, no trailing dot. */
    public String domain() {
        return domain;
    }

    /** The run's options. */
    public CheckOptions options() {
        return options;
    }

    /** The sender's view of DNS: the same resolver the SDK's sender uses. */
    public DnsResolver dns() {
        return dns;
    }

    /** The raw view of DNS: CNAME chains, the AD bit, any record type. */
    public RawDns rawDns() {
        return rawDns;
    }

    /** PKIX validation against the options' trust store or else the JDK's. */
    public X509TrustManager pkix() {
        return pkix;
    }

    /**
     * An SSL context that completes every handshake whatever the certificate, so the probe can
     * record the chain and judge it afterwards with {@link #pkix()} and {@link CertificateVerdict}.
     * Never use it to send anything that matters.
     */
    public SSLContext handshakeContext() {
        return RecordingTrust.context();
    }

    /** The run's threads, for probes that go on in parallel. */
    public Executor executor() {
        return executor;
    }

    /** Records {@code finding} and passes it on to the listener, one at a time. */
    public void emit(Finding finding) {
        requireNonNull(finding, "finding");
        synchronized (findings) {
            findings.add(finding);
            listener.accept(finding);
        }
    }

    /** Every finding so far, in order. */
    List<Finding> findings() {
        synchronized (findings) {
            return List.copyOf(findings);
        }
    }

    private static X509TrustManager trustManager(@org.jspecify.annotations.Nullable KeyStore store) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (TrustManager tm : factory.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    return x;
                }
            }
            throw new IllegalStateException("no X509TrustManager from " + factory.getAlgorithm());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the trust manager: " + e.getMessage(), e);
        }
    }
}
