package dev.mtasts.testkit.server;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.jspecify.annotations.Nullable;

/** Key generation and certificate signing with Bouncy Castle's builders and the JDK's providers. */
final class Certificates {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Certificates() {}

    /** What to put in a certificate. {@code issuer} null means self-signed by {@code signer}. */
    record Spec(
            String commonName,
            List<String> dnsNames,
            List<String> ipAddresses,
            Instant notBefore,
            Instant notAfter,
            boolean ca,
            PublicKey subjectKey,
            @Nullable X509Certificate issuer,
            KeyPair signer) {}

    static KeyPair newKeyPair(KeyAlgorithm algorithm) {
        try {
            if (algorithm == KeyAlgorithm.RSA) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048, RANDOM);
                return generator.generateKeyPair();
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + algorithm + " key pair", e);
        }
    }

    static X509Certificate sign(Spec spec) {
        try {
            X500Name subject = name(spec.commonName());
            X500Name issuer = spec.issuer() == null
                    ? subject
                    : X500Name.getInstance(
                            spec.issuer().getSubjectX500Principal().getEncoded());
            SubjectPublicKeyInfo subjectKey =
                    SubjectPublicKeyInfo.getInstance(spec.subjectKey().getEncoded());
            PublicKey issuerPublicKey = spec.issuer() == null
                    ? spec.signer().getPublic()
                    : spec.issuer().getPublicKey();
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(
                    issuer,
                    new BigInteger(64, RANDOM).add(BigInteger.ONE),
                    Date.from(spec.notBefore()),
                    Date.from(spec.notAfter()),
                    subject,
                    subjectKey);
            builder.addExtension(
                    Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyId(spec.subjectKey())));
            builder.addExtension(
                    Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(keyId(issuerPublicKey)));
            if (spec.ca()) {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                int usage = KeyUsage.digitalSignature;
                if (spec.subjectKey().getAlgorithm().equals("RSA")) {
                    usage |= KeyUsage.keyEncipherment;
                }
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                    KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                }));
            }
            List<GeneralName> names = new ArrayList<>();
            for (String dns : spec.dnsNames()) {
                names.add(new GeneralName(GeneralName.dNSName, dns));
            }
            for (String ip : spec.ipAddresses()) {
                names.add(new GeneralName(GeneralName.iPAddress, ip));
            }
            if (!names.isEmpty()) {
                builder.addExtension(
                        Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
            }
            byte[] der =
                    builder.build(new JdkSigner(spec.signer().getPrivate())).getEncoded();
            return (X509Certificate)
                    CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot sign a certificate for " + spec.commonName(), e);
        }
    }

    /** RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey bits. */
    private static byte[] keyId(PublicKey key) throws GeneralSecurityException {
        byte[] bits = SubjectPublicKeyInfo.getInstance(key.getEncoded())
                .getPublicKeyData()
                .getBytes();
        return MessageDigest.getInstance("SHA-1").digest(bits);
    }

    /**
     * Signs with the JDK's own {@link Signature}. Bouncy Castle's JCA signer builder would do the
     * same, but loading its algorithm tables costs a few hundred milliseconds on a cold JVM, and a
     * world must start in well under a second.
     */
    private static final class JdkSigner implements ContentSigner {
        private final PrivateKey key;
        private final boolean rsa;
        private final ByteArrayOutputStream data = new ByteArrayOutputStream(1024);

        JdkSigner(PrivateKey key) {
            this.key = key;
            this.rsa = key.getAlgorithm().equals("RSA");
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return rsa
                    ? new AlgorithmIdentifier(PKCSObjectIdentifiers.sha256WithRSAEncryption, DERNull.INSTANCE)
                    : new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
        }

        @Override
        public OutputStream getOutputStream() {
            return data;
        }

        @Override
        public byte[] getSignature() {
            try {
                Signature signature = Signature.getInstance(rsa ? "SHA256withRSA" : "SHA256withECDSA");
                signature.initSign(key);
                signature.update(data.toByteArray());
                return signature.sign();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot sign", e);
            }
        }
    }

    private static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "mtasts-testkit")
                .addRDN(BCStyle.CN, commonName)
                .build();
    }

    static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write PEM", e);
        }
        return out.toString();
    }

    /**
     * TLSA record data for a certificate, {@code "U S M HEX"} (RFC 6698 §2.2), upper-case hex.
     *
     * @throws IllegalArgumentException if usage is not 0 to 255, selector not 0 or 1, or matching type
     *     not 0, 1 or 2
     */
    static String tlsa(X509Certificate certificate, int usage, int selector, int matchingType) {
        if (usage < 0 || usage > 255) {
            throw new IllegalArgumentException("TLSA certificate usage must be 0 to 255, was " + usage);
        }
        byte[] selected;
        try {
            selected = switch (selector) {
                case 0 -> certificate.getEncoded();
                case 1 -> certificate.getPublicKey().getEncoded();
                default ->
                    throw new IllegalArgumentException(
                            "TLSA selector must be 0 (certificate) or 1 (SubjectPublicKeyInfo), was " + selector);
            };
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException("cannot DER-encode the certificate", e);
        }
        byte[] data;
        try {
            data = switch (matchingType) {
                case 0 -> selected;
                case 1 -> java.security.MessageDigest.getInstance("SHA-256").digest(selected);
                case 2 -> java.security.MessageDigest.getInstance("SHA-512").digest(selected);
                default ->
                    throw new IllegalArgumentException(
                            "TLSA matching type must be 0 (full), 1 (SHA-256) or 2 (SHA-512), was " + matchingType);
            };
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256 or SHA-512", e);
        }
        return usage + " " + selector + " " + matchingType + " "
                + java.util.HexFormat.of().withUpperCase().formatHex(data);
    }
}
