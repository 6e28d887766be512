package dev.mtasts.core.testing;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throwaway CA issuing server certificates, for the fetcher's TLS tests (the testkit depends on core). */
public final class TestCertificates {
    private static final AtomicLong SERIAL = new AtomicLong(1);

    private final KeyPair caKeys;
    private final X509Certificate caCertificate;

    public TestCertificates(String caName) throws Exception {
        this.caKeys = newKeyPair();
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                new X500Name("CN=" + caName),
                BigInteger.valueOf(SERIAL.getAndIncrement()),
                Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(30))),
                new X500Name("CN=" + caName),
                caKeys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        this.caCertificate = sign(builder, caKeys.getPrivate());
    }

    /** A server certificate chain (leaf, CA) and the leaf's key. */
    public record Leaf(X509Certificate[] chain, PrivateKey key) {
        /** A server context presenting this chain. */
        public SSLContext serverContext() throws Exception {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry("server", key, new char[0], chain);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, new char[0]);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, new SecureRandom());
            return context;
        }
    }

    /**
     * A leaf signed by this CA, valid from notBefore to notAfter, whose subject CN is {@code
     * commonName} and whose subjectAltName lists {@code dnsNames} (none: no SAN extension at all).
     */
    public Leaf leaf(Instant notBefore, Instant notAfter, String commonName, String... dnsNames) throws Exception {
        KeyPair leafKeys = newKeyPair();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                caCertificate,
                BigInteger.valueOf(SERIAL.getAndIncrement()),
                Date.from(notBefore),
                Date.from(notAfter),
                new X500Name("CN=" + commonName),
                leafKeys.getPublic());
        if (dnsNames.length > 0) {
            GeneralName[] names = new GeneralName[dnsNames.length];
            for (int i = 0; i < dnsNames.length; i++) {
                names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
            }
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        }
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        X509Certificate leaf = sign(builder, caKeys.getPrivate());
        return new Leaf(new X509Certificate[] {leaf, caCertificate}, leafKeys.getPrivate());
    }

    /** A currently valid leaf naming {@code dnsNames} in its SAN (and the first as CN). */
    public Leaf leaf(String... dnsNames) throws Exception {
        Instant now = Instant.now();
        return leaf(
                now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(10)),
                dnsNames.length > 0 ? dnsNames[0] : "no-name",
                dnsNames);
    }

    /** The CA certificate. */
    public X509Certificate caCertificate() {
        return caCertificate;
    }

    /** A trust store holding only this CA. */
    public KeyStore trustStore() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", caCertificate);
        return trust;
    }

    /** A server context for a leaf naming {@code dnsNames}, valid from notBefore to notAfter. */
    public SSLContext serverContext(Instant notBefore, Instant notAfter, String... dnsNames) throws Exception {
        return leaf(notBefore, notAfter, dnsNames.length > 0 ? dnsNames[0] : "no-name", dnsNames)
                .serverContext();
    }

    /** A server context for a currently valid leaf naming {@code dnsNames}. */
    public SSLContext serverContext(String... dnsNames) throws Exception {
        Instant now = Instant.now();
        return serverContext(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(10)), dnsNames);
    }

    /** A client context trusting only this CA. */
    public SSLContext clientContext() throws Exception {
        KeyStore trust = trustStore();
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), new SecureRandom());
        return context;
    }

    private static KeyPair newKeyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) throws Exception {
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
    }
}
