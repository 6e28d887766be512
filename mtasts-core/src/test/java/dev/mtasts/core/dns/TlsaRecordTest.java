package dev.mtasts.core.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.mtasts.testkit.server.TestCertificate;
import dev.mtasts.testkit.server.TestCertificateAuthority;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

final class TlsaRecordTest {
    private static TestCertificate server;
    private static TestCertificate other;

    @BeforeAll
    static void issue() {
        TestCertificateAuthority ca = TestCertificateAuthority.create("TlsaRecordTest CA");
        server = ca.issue().dnsNames("mx.example.com").build();
        other = ca.issue().dnsNames("mx.example.com").build();
    }

    /** The association data computed here from the certificate, independently of TlsaRecord. */
    static byte[] data(X509Certificate certificate, int selector, int matchingType) throws Exception {
        byte[] selected = selector == 0
                ? certificate.getEncoded()
                : certificate.getPublicKey().getEncoded();
        return switch (matchingType) {
            case 0 -> selected;
            case 1 -> MessageDigest.getInstance("SHA-256").digest(selected);
            case 2 -> MessageDigest.getInstance("SHA-512").digest(selected);
            default -> throw new IllegalArgumentException("matching type " + matchingType);
        };
    }

    private static byte[] bytes(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 7 + 1);
        }
        return b;
    }

    // RFC 6698 §2.2: presentation form, decimal fields then hex
    @Test
    void parse_readsFieldsAndHex() {
        TlsaRecord r = TlsaRecord.parse("3 1 1 0a0B" + "00".repeat(30));
        assertThat(r.usage()).isEqualTo(3);
        assertThat(r.selector()).isEqualTo(1);
        assertThat(r.matchingType()).isEqualTo(1);
        byte[] expected = new byte[32];
        expected[0] = 0x0a;
        expected[1] = 0x0b;
        assertThat(r.data()).isEqualTo(expected);
    }

    // RFC 6698 §2.2: the hex may be split by white space
    @Test
    void parse_hexSplitByWhitespace() {
        TlsaRecord joined = TlsaRecord.parse("2 0 1 " + "AB".repeat(32));
        TlsaRecord split = TlsaRecord.parse("  2\t0  1 ABAB ABAB\tABAB\n" + "AB".repeat(26) + "  ");
        assertThat(split).isEqualTo(joined);
    }

    // DANE-TLSA-1: each missing field is named
    @Test
    void parse_missingField_namesIt() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> TlsaRecord.parse(""))
                .withMessageContaining("certificate usage is missing");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> TlsaRecord.parse("3"))
                .withMessageContaining("selector is missing");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> TlsaRecord.parse("3 1"))
                .withMessageContaining("matching type is missing");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> TlsaRecord.parse("3 1 1"))
                .withMessageContaining("certificate association data is missing");
    }

    // DANE-TLSA-1: fields are decimal 0..255 without sign
    @Test
    void parse_badNumber_namesTheField() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> TlsaRecord.parse("256 1 1 00"))
                .withMessageContaining("certificate usage")
                .withMessageContaining("256");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> TlsaRecord.parse("3 +1 1 00"))
                .withMessageContaining("selector")
                .withMessageContaining("'+1'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> TlsaRecord.parse("3 1 -1 00"))
                .withMessageContaining("matching type");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> TlsaRecord.parse("0x3 1 1 00"))
                .withMessageContaining("certificate usage");
    }

    // DANE-TLSA-1: bad hex is refused with its position; odd length too
    @Test
    void parse_badHex_namesTheDataField() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> TlsaRecord.parse("3 1 1 00G0"))
                .withMessageContaining("certificate association data")
                .withMessageContaining("'G' at hex digit 3");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> TlsaRecord.parse("3 1 1 \u0663\u0663"))
                .withMessageContaining("certificate association data");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> TlsaRecord.parse("3 1 1 ABC"))
                .withMessageContaining("odd number of hex digits (3)");
    }

    // DANE-TLSA-2, RFC 7672 §3.1.3: PKIX-TA(0) and PKIX-EE(1) are unusable for SMTP
    @Test
    void unusableReason_pkixUsages() {
        assertThat(TlsaRecord.of(0, 1, 1, bytes(32)).unusableReason())
                .hasValueSatisfying(r -> assertThat(r).contains("PKIX-TA(0)").contains("RFC 7672 §3.1.3"));
        assertThat(TlsaRecord.of(1, 1, 1, bytes(32)).unusableReason())
                .hasValueSatisfying(r -> assertThat(r).contains("PKIX-EE(1)"));
        assertThat(TlsaRecord.of(1, 1, 1, bytes(32)).usable()).isFalse();
    }

    // DANE-TLSA-3, RFC 7672 §3.1: unknown usage, selector and matching type are unusable
    @Test
    void unusableReason_unknownFieldValues() {
        assertThat(TlsaRecord.of(4, 1, 1, bytes(32)).unusableReason())
                .hasValueSatisfying(r -> assertThat(r).contains("unknown certificate usage 4"));
        assertThat(TlsaRecord.of(255, 1, 1, bytes(32)).unusableReason())
                .hasValueSatisfying(r -> assertThat(r).contains("usage 255"));
        assertThat(TlsaRecord.of(3, 2, 1, bytes(32)).unusableReason())
                .hasValueSatisfying(r -> assertThat(r).contains("unknown selector 2"));
        assertThat(TlsaRecord.of(3, 1, 3, bytes(32)).unusableReason())
                .hasValueSatisfying(r -> assertThat(r).contains("unknown matching type 3"));
    }

    // DANE-TLSA-4, RFC 7672 §3.1: digest data of the wrong length is unusable
    @Test
    void unusableReason_digestLength() {
        assertThat(TlsaRecord.of(3, 1, 1, bytes(32)).unusableReason()).isEmpty();
        assertThat(TlsaRecord.of(3, 1, 1, bytes(31)).unusableReason())
                .hasValueSatisfying(r -> assertThat(r).contains("32 octets but is 31"));
        assertThat(TlsaRecord.of(3, 1, 1, bytes(64)).unusableReason())
                .hasValueSatisfying(r -> assertThat(r).contains("32 octets but is 64"));
        assertThat(TlsaRecord.of(2, 0, 2, bytes(64)).unusableReason()).isEmpty();
        assertThat(TlsaRecord.of(2, 0, 2, bytes(32)).unusableReason())
                .hasValueSatisfying(r -> assertThat(r).contains("64 octets but is 32"));
    }

    // DANE-TLSA-5: Full(0) data must be non-empty and of the selected form
    @Test
    void unusableReason_fullData() throws Exception {
        X509Certificate cert = server.certificate();
        assertThat(TlsaRecord.of(3, 0, 0, cert.getEncoded()).unusableReason()).isEmpty();
        assertThat(TlsaRecord.of(3, 1, 0, cert.getPublicKey().getEncoded()).unusableReason())
                .isEmpty();
        assertThat(TlsaRecord.of(3, 0, 0, new byte[0]).unusableReason())
                .hasValueSatisfying(r -> assertThat(r).contains("empty"));
        assertThat(TlsaRecord.of(3, 0, 0, bytes(40)).unusableReason())
                .hasValueSatisfying(r -> assertThat(r).contains("not a DER certificate"));
        // a well-formed SEQUENCE that is a key, not a certificate
        assertThat(TlsaRecord.of(3, 0, 0, cert.getPublicKey().getEncoded()).unusableReason())
                .hasValueSatisfying(r -> assertThat(r).contains("not a DER certificate"));
        byte[] truncated = java.util.Arrays.copyOf(
                cert.getPublicKey().getEncoded(), cert.getPublicKey().getEncoded().length - 1);
        assertThat(TlsaRecord.of(3, 1, 0, truncated).unusableReason())
                .hasValueSatisfying(r -> assertThat(r).contains("not a DER SubjectPublicKeyInfo"));
    }

    // DANE-TLSA-6, RFC 6698 §2.1.2, §2.1.3: every usage × selector × matching type matches its own
    // certificate and not another one; the usage is not looked at
    @Test
    void matches_everyCombination() throws Exception {
        for (int usage = 0; usage <= 3; usage++) {
            for (int selector = 0; selector <= 1; selector++) {
                for (int matching = 0; matching <= 2; matching++) {
                    TlsaRecord r =
                            TlsaRecord.of(usage, selector, matching, data(server.certificate(), selector, matching));
                    String what = r.toString();
                    assertThat(r.matches(server.certificate())).as(what).isTrue();
                    assertThat(r.matches(other.certificate())).as(what).isFalse();
                    assertThat(r.usable()).as(what).isEqualTo(usage >= 2);
                }
            }
        }
    }

    // DANE-TLSA-6: SPKI(1) survives reissuing with the same key; Cert(0) does not
    @Test
    void matches_selectorSpkiIgnoresTheRestOfTheCertificate() throws Exception {
        X509Certificate cert = server.certificate();
        TlsaRecord spki = TlsaRecord.of(3, 1, 1, data(cert, 1, 1));
        TlsaRecord whole = TlsaRecord.of(3, 0, 1, data(cert, 0, 1));
        assertThat(spki.matches(cert)).isTrue();
        assertThat(whole.matches(cert)).isTrue();
        // The SPKI digest is not the certificate digest: the selector decides what is hashed.
        assertThat(TlsaRecord.of(3, 0, 1, data(cert, 1, 1)).matches(cert)).isFalse();
        assertThat(TlsaRecord.of(3, 1, 2, data(cert, 1, 1)).matches(cert)).isFalse();
    }

    // DANE-TLSA-3: unknown selectors and matching types never match
    @Test
    void matches_unknownSelectorOrTypeNeverMatches() throws Exception {
        X509Certificate cert = server.certificate();
        assertThat(TlsaRecord.of(3, 2, 0, cert.getEncoded()).matches(cert)).isFalse();
        assertThat(TlsaRecord.of(3, 0, 3, cert.getEncoded()).matches(cert)).isFalse();
    }

    // RPT-JSON-2, RFC 8460 §4.4: the policy-string form is upper-case hex without breaks
    @Test
    void policyString_isUpperCaseUnbroken() {
        assertThat(TlsaRecord.parse("3 1 1 ab cd" + "00".repeat(30)).policyString())
                .isEqualTo("3 1 1 ABCD" + "00".repeat(30));
    }

    private static Gen<TlsaRecord> records() {
        Gen<Integer> octet = integers().between(0, 255);
        Gen<Integer> small = integers().between(0, 4);
        Gen<byte[]> data = lists().of(integers().between(0, 255))
                .ofSizeBetween(1, 80)
                .map(list -> {
                    byte[] b = new byte[list.size()];
                    for (int i = 0; i < b.length; i++) {
                        b[i] = (byte) (int) list.get(i);
                    }
                    return b;
                });
        return Generate.oneOf(octet, small)
                .zip(Generate.oneOf(octet, small), Generate.oneOf(octet, small), (u, s, m) -> new int[] {u, s, m})
                .zip(data, (f, d) -> TlsaRecord.of(f[0], f[1], f[2], d));
    }

    // DANE-TLSA-1: the policy-string form parses back to the same record
    @Test
    void parse_policyStringRoundTrip() {
        qt().withExamples(500).forAll(records()).checkAssert(r -> {
            assertThat(TlsaRecord.parse(r.policyString())).isEqualTo(r);
            assertThat(TlsaRecord.parse(r.policyString().toLowerCase(java.util.Locale.ROOT)))
                    .isEqualTo(r);
        });
    }

    // DANE-TLSA-1: hex broken anywhere by white space reads the same
    @Test
    void parse_whitespaceAnywhereInHex() {
        qt().withExamples(300).forAll(records(), integers().between(0, 1000)).checkAssert((r, cut) -> {
            String hex = HexFormat.of().formatHex(r.data());
            int at = cut % (hex.length() + 1);
            String text = r.usage() + " " + r.selector() + " " + r.matchingType() + " " + hex.substring(0, at) + " \t "
                    + hex.substring(at);
            assertThat(TlsaRecord.parse(text)).isEqualTo(r);
        });
    }

    private static final List<String> TOKENS =
            List.of("3", "1", "0", "2", "256", " ", "\t", "\n", "ab", "AB", "g", "-", "+", "\u0663", "ff", "", "0x");

    // DANE-TLSA-1: bad input is only ever an IllegalArgumentException, never anything else
    @Test
    void parse_neverThrowsAnythingButIllegalArgument() {
        Gen<String> soup = lists().of(integers().between(0, TOKENS.size() - 1).map(TOKENS::get))
                .ofSizeBetween(0, 12)
                .map(parts -> String.join("", parts));
        Gen<String> any = strings().allPossible().ofLengthBetween(0, 30);
        qt().withExamples(1000).forAll(Generate.oneOf(soup, any)).checkAssert(text -> {
            try {
                TlsaRecord r = TlsaRecord.parse(text);
                assertThat(r.data()).isNotEmpty();
            } catch (IllegalArgumentException e) {
                assertThat(e).hasMessageContaining("TLSA");
            }
        });
    }

    @Test
    void of_refusesOutOfRangeFields() {
        assertThatThrownBy(() -> TlsaRecord.of(3, 256, 1, bytes(32)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("selector must be 0..255 but was 256");
    }

    @Test
    void data_isCopiedInAndOut() {
        byte[] in = bytes(32);
        TlsaRecord r = TlsaRecord.of(3, 1, 1, in);
        in[0] = 99;
        r.data()[1] = 99;
        assertThat(r.data()).isEqualTo(bytes(32));
    }
}
