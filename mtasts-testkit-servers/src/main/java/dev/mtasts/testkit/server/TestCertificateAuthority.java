package dev.mtasts.testkit.server;

import static java.util.Objects.requireNonNull;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory certificate authority for tests: a self-signed root (or an intermediate under one)
 * that issues server certificates with the defects MTA-STS code must catch (expired, wrong name,
 * CN-only, self-signed, missing intermediate, wildcard).
 *
 * <p>Keys are ECDSA P-256 unless a builder asks for RSA, so issuing takes a few milliseconds. Nothing
 * JVM-wide is touched: no security provider is registered, no default {@link SSLContext} is changed;
 * Bouncy Castle builds the certificates and the JDK's own providers do everything else.
 *
 * <p>Immutable and thread-safe.
 */
public final class TestCertificateAuthority {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final KeyPair keyPair;
    private final X509Certificate certificate;
    private final X509Certificate root;
    private final @Nullable TestCertificateAuthority parent;
    private final X509ExtendedTrustManager trustManager;
    private final KeyStore trustStore;
    private volatile @Nullable SSLContext clientSslContext;

    private TestCertificateAuthority(
            KeyPair keyPair, X509Certificate certificate, @Nullable TestCertificateAuthority parent) {
        this.keyPair = keyPair;
        this.certificate = certificate;
        this.parent = parent;
        this.root = parent == null ? certificate : parent.root;
        try {
            this.trustStore = KeyStore.getInstance("PKCS12");
            trustStore.load(null, null);
            trustStore.setCertificateEntry("mtasts-testkit-root", root);
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(trustStore);
            X509ExtendedTrustManager found = null;
            for (TrustManager tm : factory.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager extended) {
                    found = extended;
                }
            }
            if (found == null) {
                throw new IllegalStateException("the PKIX TrustManagerFactory offered no X509ExtendedTrustManager");
            }
            this.trustManager = found;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build the trust store of the test CA", e);
        }
    }

    /** A new root CA with a unique name, valid from a day ago for ten years. */
    public static TestCertificateAuthority create() {
        return create(
                "mtasts-testkit root CA " + SEQUENCE.incrementAndGet() + "-" + Long.toHexString(System.nanoTime()));
    }

    /** A new root CA with the given subject common name, valid from a day ago for ten years. */
    public static TestCertificateAuthority create(String commonName) {
        requireNonNull(commonName, "commonName");
        KeyPair keys = Certificates.newKeyPair(KeyAlgorithm.EC);
        Instant now = Instant.now();
        X509Certificate cert = Certificates.sign(new Certificates.Spec(
                commonName,
                List.of(),
                List.of(),
                now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(3650)),
                true,
                keys.getPublic(),
                null,
                keys));
        return new TestCertificateAuthority(keys, cert, null);
    }

    /**
     * A new intermediate CA signed by this one. Certificates it issues carry the chain {@code [leaf,
     * intermediate]}; its {@link #trustManager()} trusts only the root, so a chain without the
     * intermediate does not validate.
     */
    public TestCertificateAuthority intermediate() {
        KeyPair keys = Certificates.newKeyPair(KeyAlgorithm.EC);
        Instant now = Instant.now();
        X509Certificate cert = Certificates.sign(new Certificates.Spec(
                "mtasts-testkit intermediate CA " + SEQUENCE.incrementAndGet() + "-"
                        + Long.toHexString(System.nanoTime()),
                List.of(),
                List.of(),
                now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(3650)),
                true,
                keys.getPublic(),
                certificate,
                keyPair));
        return new TestCertificateAuthority(keys, cert, this);
    }

    /** A builder for a server certificate signed by this CA. */
    public TestCertificate.Builder issue() {
        return new TestCertificate.Builder(this);
    }

    /** This CA's own certificate (the root, or the intermediate). */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The root certificate every chain from this CA ends at. */
    public X509Certificate rootCertificate() {
        return root;
    }

    /** The CA that signed this one, when this is an intermediate. */
    public Optional<TestCertificateAuthority> parent() {
        return Optional.ofNullable(parent);
    }

    /** A PKIX trust manager whose only anchor is the root (no platform CAs). */
    public X509ExtendedTrustManager trustManager() {
        return trustManager;
    }

    /**
     * A PKCS#12 key store, not password-protected, whose only entry is the root certificate. Each call
     * returns a new copy the caller may change.
     */
    public KeyStore trustStore() {
        try {
            KeyStore copy = KeyStore.getInstance("PKCS12");
            copy.load(null, null);
            copy.setCertificateEntry("mtasts-testkit-root", root);
            return copy;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot copy the trust store", e);
        }
    }

    /**
     * A client {@link SSLContext} trusting only the root and presenting no certificate. Give it to
     * the client under test; the JVM's default context is never changed.
     */
    public SSLContext clientSslContext() {
        SSLContext context = clientSslContext;
        if (context == null) {
            synchronized (this) {
                context = clientSslContext;
                if (context == null) {
                    // Built on first use: JSSE's first initialisation costs tens of milliseconds.
                    try {
                        context = SSLContext.getInstance("TLS");
                        context.init(new KeyManager[0], new TrustManager[] {trustManager}, null);
                    } catch (GeneralSecurityException e) {
                        throw new IllegalStateException("cannot build the client SSLContext", e);
                    }
                    clientSslContext = context;
                }
            }
        }
        return context;
    }

    /**
     * The TLSA record data of this CA's own certificate (the root, or the intermediate) in
     * presentation form, {@code usage selector type HEX}, for DANE-TA(2) records: see {@link
     * TestCertificate#tlsa(int, int, int)}.
     */
    public String tlsa(int usage, int selector, int matchingType) {
        return Certificates.tlsa(certificate, usage, selector, matchingType);
    }

    /** The root or intermediate certificate as PEM. */
    public String certificatePem() {
        return Certificates.pem(certificate);
    }

    KeyPair keyPair() {
        return keyPair;
    }

    /** The certificates to send after a leaf this CA signed: none for a root, the intermediate(s) otherwise. */
    List<X509Certificate> chainAbove() {
        if (parent == null) {
            return List.of();
        }
        java.util.ArrayList<X509Certificate> chain = new java.util.ArrayList<>();
        chain.add(certificate);
        chain.addAll(parent.chainAbove());
        return List.copyOf(chain);
    }

    @Override
    public String toString() {
        return "TestCertificateAuthority{"
                + certificate.getSubjectX500Principal().getName() + "}";
    }
}
