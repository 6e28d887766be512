package dev.mtasts.testkit.server;

import static java.util.Objects.requireNonNull;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jspecify.annotations.Nullable;

/**
 * A server (or client) certificate with its private key and the chain a TLS server sends, issued by
 * a {@link TestCertificateAuthority}.
 *
 * <p>Immutable and thread-safe.
 */
public final class TestCertificate {
    private final X509Certificate certificate;
    private final List<X509Certificate> chain;
    private final KeyPair keyPair;
    private final List<String> dnsNames;
    private final TestCertificateAuthority issuer;
    private final X509ExtendedKeyManager keyManager;

    private TestCertificate(
            X509Certificate certificate,
            List<X509Certificate> chain,
            KeyPair keyPair,
            List<String> dnsNames,
            TestCertificateAuthority issuer) {
        this.certificate = certificate;
        this.chain = chain;
        this.keyPair = keyPair;
        this.dnsNames = dnsNames;
        this.issuer = issuer;
        this.keyManager = TestKeyManager.single(this);
    }

    /** The leaf certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * The chain a server sends: the leaf, then any intermediate (unless built {@link
     * Builder#withoutIntermediate()}); never the root.
     */
    public List<X509Certificate> chain() {
        return chain;
    }

    /**
     * The TLSA record data of this certificate in presentation form, {@code usage selector type HEX}
     * (RFC 6698 §2.2), for {@code FakeDnsServer.record(name, "TLSA", ...)}: selector 0 is the whole
     * DER certificate, 1 its SubjectPublicKeyInfo; matching type 0 the selected bytes, 1 SHA-256, 2
     * SHA-512. Any usage value is written as given.
     */
    public String tlsa(int usage, int selector, int matchingType) {
        return Certificates.tlsa(certificate, usage, selector, matchingType);
    }

    /** The leaf's private key. */
    public PrivateKey privateKey() {
        return keyPair.getPrivate();
    }

    /** The key pair. */
    public KeyPair keyPair() {
        return keyPair;
    }

    /** The subject alternative dNSNames, empty for a CN-only certificate. */
    public List<String> dnsNames() {
        return dnsNames;
    }

    /** A key manager that always presents this certificate and its {@link #chain()}. */
    public X509ExtendedKeyManager keyManager() {
        return keyManager;
    }

    /**
     * A new server {@link SSLContext} presenting this certificate (trusting the issuing CA's root for
     * any client certificate). The JVM's default context is never changed.
     */
    public SSLContext serverSslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {keyManager}, new TrustManager[] {issuer.trustManager()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a server SSLContext", e);
        }
    }

    /** A PKCS#12 key store holding the key and chain under alias {@code key}, with the given password. */
    public KeyStore keyStore(char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("key", keyPair.getPrivate(), password, chain.toArray(new Certificate[0]));
            return store;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build a key store", e);
        }
    }

    /** The chain as PEM, leaf first (for servers such as Postfix or nginx in interop tests). */
    public String chainPem() {
        StringBuilder sb = new StringBuilder();
        for (X509Certificate cert : chain) {
            sb.append(Certificates.pem(cert));
        }
        return sb.toString();
    }

    /** The private key as PEM. */
    public String privateKeyPem() {
        return Certificates.pem(keyPair.getPrivate());
    }

    @Override
    public String toString() {
        return "TestCertificate{" + certificate.getSubjectX500Principal().getName() + ", dnsNames=" + dnsNames
                + ", notAfter=" + certificate.getNotAfter().toInstant() + "}";
    }

    /**
     * Describes a certificate to issue. By default: ECDSA P-256, valid from an hour ago for 30 days,
     * signed by the CA, SAN dNSNames as given and the first of them as common name. Not thread-safe.
     */
    public static final class Builder {
        private final TestCertificateAuthority ca;
        private final List<String> dnsNames = new ArrayList<>();
        private final List<String> ipAddresses = new ArrayList<>();
        private @Nullable String commonName;
        private boolean noSubjectAltNames;
        private @Nullable Instant notBefore;
        private @Nullable Instant notAfter;
        private boolean selfSigned;
        private boolean withoutIntermediate;
        private KeyAlgorithm keyAlgorithm = KeyAlgorithm.EC;

        Builder(TestCertificateAuthority ca) {
            this.ca = ca;
        }

        /**
         * Adds subject alternative dNSNames, written as given: {@code "*.example.net"} is a wildcard,
         * {@code "mx1.example.net"} an exact name.
         */
        public Builder dnsNames(String... names) {
            for (String name : names) {
                requireNonNull(name, "dns name");
                if (name.isEmpty() || name.contains(" ")) {
                    throw new IllegalArgumentException("not a DNS name: '" + name + "'");
                }
                dnsNames.add(name);
            }
            return this;
        }

        /** Adds subject alternative iPAddress entries (e.g. {@code "127.0.0.1"}). */
        public Builder ipAddresses(String... addresses) {
            for (String address : addresses) {
                ipAddresses.add(requireNonNull(address, "ip address"));
            }
            return this;
        }

        /** The subject common name; the first DNS name unless set. */
        public Builder commonName(String commonName) {
            this.commonName = requireNonNull(commonName, "commonName");
            return this;
        }

        /**
         * Leaves out the subject alternative name extension: a CN-only certificate, which RFC 8461
         * §4.2 / RFC 6125 clients must not accept. The common name is then the one set, or the first
         * DNS name.
         */
        public Builder noSubjectAltNames() {
            this.noSubjectAltNames = true;
            return this;
        }

        /** The start of validity. */
        public Builder notBefore(Instant notBefore) {
            this.notBefore = requireNonNull(notBefore, "notBefore");
            return this;
        }

        /** The end of validity. */
        public Builder notAfter(Instant notAfter) {
            this.notAfter = requireNonNull(notAfter, "notAfter");
            return this;
        }

        /** Valid from 30 days ago until yesterday. */
        public Builder expired() {
            Instant now = Instant.now();
            this.notBefore = now.minus(Duration.ofDays(30));
            this.notAfter = now.minus(Duration.ofDays(1));
            return this;
        }

        /** Valid from tomorrow for 30 days. */
        public Builder notYetValid() {
            Instant now = Instant.now();
            this.notBefore = now.plus(Duration.ofDays(1));
            this.notAfter = now.plus(Duration.ofDays(31));
            return this;
        }

        /** Signed by its own key instead of the CA: a chain no trust manager from the CA accepts. */
        public Builder selfSigned() {
            this.selfSigned = true;
            return this;
        }

        /**
         * The chain holds only the leaf even though an intermediate signed it (the classic
         * misconfigured server). Has an effect only on a CA made with {@link
         * TestCertificateAuthority#intermediate()}.
         */
        public Builder withoutIntermediate() {
            this.withoutIntermediate = true;
            return this;
        }

        /** An RSA 2048 key instead of ECDSA P-256 (slower: about 100 ms per key). */
        public Builder rsa2048() {
            this.keyAlgorithm = KeyAlgorithm.RSA;
            return this;
        }

        /**
         * Issues the certificate.
         *
         * @throws IllegalStateException when there is neither a DNS name nor a common name, or the
         *     validity ends before it starts
         */
        public TestCertificate build() {
            String cn = commonName != null ? commonName : dnsNames.isEmpty() ? null : dnsNames.get(0);
            if (cn == null) {
                throw new IllegalStateException("a certificate needs dnsNames(...) or commonName(...)");
            }
            Instant now = Instant.now();
            Instant from = notBefore != null ? notBefore : now.minus(Duration.ofHours(1));
            Instant until =
                    notAfter != null ? notAfter : from.plus(Duration.ofDays(30)).plus(Duration.ofHours(1));
            if (!until.isAfter(from)) {
                throw new IllegalStateException("notAfter " + until + " is not after notBefore " + from);
            }
            KeyPair keys = Certificates.newKeyPair(keyAlgorithm);
            List<String> sans = noSubjectAltNames ? List.of() : List.copyOf(dnsNames);
            List<String> ips = noSubjectAltNames ? List.of() : List.copyOf(ipAddresses);
            X509Certificate leaf = Certificates.sign(new Certificates.Spec(
                    cn,
                    sans,
                    ips,
                    from,
                    until,
                    false,
                    keys.getPublic(),
                    selfSigned ? null : ca.certificate(),
                    selfSigned ? keys : ca.keyPair()));
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(leaf);
            if (!selfSigned && !withoutIntermediate) {
                chain.addAll(ca.chainAbove());
            }
            return new TestCertificate(leaf, List.copyOf(chain), keys, sans, ca);
        }
    }
}
