package dev.mtasts.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.Type;

/**
 * TLSA data from test certificates, read back with dnsjava's own TLSA parser and compared with
 * digests of what a TLS server actually presents.
 */
final class TestCertificateTlsaTest {
    private static TestCertificateAuthority root;
    private static TestCertificateAuthority intermediate;
    private static TestCertificate leaf;

    @BeforeAll
    static void issue() {
        root = TestCertificateAuthority.create();
        intermediate = root.intermediate();
        leaf = intermediate.issue().dnsNames("mx.example.test").build();
    }

    private static TLSARecord parse(String presentation) throws Exception {
        return (TLSARecord) Record.fromString(
                Name.fromConstantString("_25._tcp.mx.example.test."), Type.TLSA, DClass.IN, 0, presentation, Name.root);
    }

    private static byte[] digest(String algorithm, byte[] data) throws Exception {
        return MessageDigest.getInstance(algorithm).digest(data);
    }

    @Test
    void daneEeSpkiSha256_isTheDigestOfThePresentedKey() throws Exception {
        // DANE-KIT-6: RFC 7672 §3.1.1 "3 1 1", over the key the server's key manager presents
        String alias = leaf.keyManager().chooseServerAlias("EC", null, null);
        X509Certificate presented = leaf.keyManager().getCertificateChain(alias)[0];
        assertThat(presented.getPublicKey()).isEqualTo(leaf.keyPair().getPublic());
        TLSARecord tlsa = parse(leaf.tlsa(3, 1, 1));
        assertThat(tlsa.getCertificateUsage()).isEqualTo(3);
        assertThat(tlsa.getSelector()).isEqualTo(1);
        assertThat(tlsa.getMatchingType()).isEqualTo(1);
        assertThat(tlsa.getCertificateAssociationData())
                .isEqualTo(digest("SHA-256", presented.getPublicKey().getEncoded()));
    }

    @Test
    void fullCertificate_isTheDer_andSha512IsItsDigest() throws Exception {
        // DANE-KIT-6: RFC 6698 §2.1.2 selector 0, §2.1.3 matching types 0 and 2
        byte[] der = leaf.certificate().getEncoded();
        assertThat(parse(leaf.tlsa(3, 0, 0)).getCertificateAssociationData()).isEqualTo(der);
        assertThat(parse(leaf.tlsa(3, 0, 2)).getCertificateAssociationData()).isEqualTo(digest("SHA-512", der));
    }

    @Test
    void hex_isUpperCase() {
        String data = leaf.tlsa(3, 1, 1).split(" ")[3];
        assertThat(data).hasSize(64).matches("[0-9A-F]+");
    }

    @Test
    void caTlsa_isOfTheCaCertificate_forDaneTa() throws Exception {
        // DANE-KIT-6: RFC 7672 §3.1.2, DANE-TA(2) names a CA certificate of the chain
        TLSARecord ofIntermediate = parse(intermediate.tlsa(2, 0, 1));
        assertThat(ofIntermediate.getCertificateAssociationData())
                .isEqualTo(digest("SHA-256", leaf.chain().get(1).getEncoded()));
        TLSARecord ofRoot = parse(root.tlsa(2, 1, 1));
        assertThat(ofRoot.getCertificateAssociationData())
                .isEqualTo(digest("SHA-256", root.certificate().getPublicKey().getEncoded()));
        assertThat(ofRoot.getCertificateAssociationData())
                .isNotEqualTo(parse(intermediate.tlsa(2, 1, 1)).getCertificateAssociationData());
    }

    @Test
    void everyValidCombination_parsesBackToItsFields() {
        // DANE-KIT-6: any usage 0-255 is written as given, for tests of unusable usages (RFC 7672 §3.1.3)
        qt().withExamples(200)
                .forAll(
                        integers().between(0, 255),
                        integers().between(0, 1),
                        integers().between(0, 2))
                .checkAssert((usage, selector, matching) -> {
                    TLSARecord tlsa;
                    try {
                        tlsa = parse(leaf.tlsa(usage, selector, matching));
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                    assertThat(tlsa.getCertificateUsage()).isEqualTo(usage);
                    assertThat(tlsa.getSelector()).isEqualTo(selector);
                    assertThat(tlsa.getMatchingType()).isEqualTo(matching);
                    int expectedLength = matching == 1 ? 32 : matching == 2 ? 64 : -1;
                    if (expectedLength > 0) {
                        assertThat(tlsa.getCertificateAssociationData()).hasSize(expectedLength);
                    }
                });
    }

    @Test
    void outOfRangeField_isRejectedNamingIt() {
        qt().forAll(integers().between(-1000, 1000)).checkAssert(value -> {
            if (value < 0 || value > 255) {
                assertThatThrownBy(() -> leaf.tlsa(value, 1, 1))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("usage");
            }
            if (value < 0 || value > 1) {
                assertThatThrownBy(() -> leaf.tlsa(3, value, 1))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("selector");
            }
            if (value < 0 || value > 2) {
                assertThatThrownBy(() -> root.tlsa(2, 0, value))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("matching type");
            }
        });
    }
}
