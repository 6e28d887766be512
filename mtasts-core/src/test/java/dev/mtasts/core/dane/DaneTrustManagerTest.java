package dev.mtasts.core.dane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.mtasts.core.ResultType;
import dev.mtasts.core.dns.TlsaRecord;
import dev.mtasts.core.tls.MxCertificateException;
import dev.mtasts.core.tls.TlsFailureReason;
import dev.mtasts.testkit.server.TestCertificate;
import dev.mtasts.testkit.server.TestCertificateAuthority;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

final class DaneTrustManagerTest {
    private static final String MX = "mx.example.com";

    private static TestCertificateAuthority root;
    private static TestCertificateAuthority intermediate;
    /** Issued by the intermediate: chain [leaf, intermediate]. */
    private static TestCertificate leaf;
    /** Issued by the intermediate for another name. */
    private static TestCertificate otherName;
    /** An unrelated key for the same name. */
    private static TestCertificate stranger;

    @BeforeAll
    static void issue() {
        root = TestCertificateAuthority.create("DANE test root");
        intermediate = root.intermediate();
        leaf = intermediate.issue().dnsNames(MX).build();
        otherName = intermediate.issue().dnsNames("smtp.example.net").build();
        stranger =
                TestCertificateAuthority.create("stranger").issue().dnsNames(MX).build();
    }

    /** The record for {@code certificate}, its data computed here with MessageDigest. */
    static TlsaRecord tlsa(int usage, int selector, int matching, X509Certificate certificate) throws Exception {
        byte[] selected = selector == 0
                ? certificate.getEncoded()
                : certificate.getPublicKey().getEncoded();
        byte[] data = switch (matching) {
            case 0 -> selected;
            case 1 -> MessageDigest.getInstance("SHA-256").digest(selected);
            case 2 -> MessageDigest.getInstance("SHA-512").digest(selected);
            default -> throw new IllegalArgumentException("matching " + matching);
        };
        return TlsaRecord.of(usage, selector, matching, data);
    }

    static MxDane.Usable usable(Set<String> referenceNames, TlsaRecord... records) {
        return new MxDane.Usable(MX, MX, List.of(records), List.of(records), referenceNames);
    }

    private static DaneTrustManager manager(TlsaRecord... records) {
        return DaneTrustManager.forMx(usable(Set.of(MX), records));
    }

    private static X509Certificate[] chain(TestCertificate certificate) {
        return certificate.chain().toArray(new X509Certificate[0]);
    }

    private static X509Certificate[] chainWithRoot(TestCertificate certificate) {
        List<X509Certificate> c = new java.util.ArrayList<>(certificate.chain());
        c.add(root.certificate());
        return c.toArray(new X509Certificate[0]);
    }

    private static TlsFailureReason refusal(DaneTrustManager manager, X509Certificate[] chain) {
        try {
            manager.checkDane(chain);
        } catch (MxCertificateException e) {
            assertThat(e.mxHost()).isEqualTo(MX);
            assertThat(e.getMessage()).contains(MX);
            return e.reason();
        }
        throw new AssertionError("the chain was accepted");
    }

    // DANE-CERT-1, RFC 7672 §3.1.1: DANE-EE(3) with every selector and matching type matches the leaf
    @Test
    void daneEe_everySelectorAndMatchingType_passes() throws Exception {
        for (int selector = 0; selector <= 1; selector++) {
            for (int matching = 0; matching <= 2; matching++) {
                TlsaRecord record = tlsa(3, selector, matching, leaf.certificate());
                manager(record).checkDane(chain(leaf));
                assertThat(refusal(manager(record), chain(stranger)))
                        .as(record.toString())
                        .isEqualTo(TlsFailureReason.DANE_NO_MATCH);
            }
        }
    }

    // DANE-CERT-1, RFC 7672 §3.1.1: DANE-EE(3) on an intermediate or root does not match: only the leaf
    @Test
    void daneEe_matchingAnIssuerOnly_failsNoMatch() throws Exception {
        TlsaRecord onIntermediate = tlsa(3, 1, 1, intermediate.certificate());
        assertThat(refusal(manager(onIntermediate), chain(leaf))).isEqualTo(TlsFailureReason.DANE_NO_MATCH);
    }

    // DANE-CERT-2, RFC 7672 §3.1.1: DANE-EE(3) ignores the certificate's names and validity dates
    @Test
    void daneEe_expiredWronglyNamedSelfSigned_passes() throws Exception {
        TestCertificate odd = root.issue()
                .dnsNames("not-the-mx.example.org")
                .expired()
                .selfSigned()
                .build();
        DaneTrustManager manager = manager(tlsa(3, 1, 1, odd.certificate()));
        manager.checkDane(chain(odd));
        TestCertificate future =
                root.issue().dnsNames("x.invalid").notYetValid().build();
        manager(tlsa(3, 0, 2, future.certificate())).checkDane(chain(future));
    }

    // DANE-CERT-3, RFC 7672 §3.1.2: DANE-TA(2) on the intermediate in the chain, every selector and type
    @Test
    void daneTa_viaIntermediate_everySelectorAndMatchingType_passes() throws Exception {
        for (int selector = 0; selector <= 1; selector++) {
            for (int matching = 0; matching <= 2; matching++) {
                TlsaRecord record = tlsa(2, selector, matching, intermediate.certificate());
                manager(record).checkDane(chain(leaf));
                assertThat(refusal(manager(record), chain(stranger)))
                        .as(record.toString())
                        .isEqualTo(TlsFailureReason.DANE_NO_MATCH);
            }
        }
    }

    // DANE-CERT-3, RFC 7672 §3.1.2: a root the server sends in its chain can be the DANE-TA(2) anchor
    @Test
    void daneTa_viaRootInChain_passes() throws Exception {
        X509Certificate[] full = chainWithRoot(leaf);
        assertThat(full).hasSize(3);
        for (int selector = 0; selector <= 1; selector++) {
            for (int matching = 0; matching <= 2; matching++) {
                manager(tlsa(2, selector, matching, root.certificate())).checkDane(full);
            }
        }
    }

    // DANE-CERT-4, RFC 7672 §3.1.2: a digest or a whole certificate cannot stand in for an anchor
    // the server left out; such a root is no match
    @Test
    void daneTa_anchorNotInChain_failsNoMatch() throws Exception {
        DaneTrustManager manager = manager(tlsa(2, 0, 1, root.certificate()), tlsa(2, 1, 1, root.certificate()));
        assertThat(refusal(manager, chain(leaf))).isEqualTo(TlsFailureReason.DANE_NO_MATCH);
        assertThat(TlsFailureReason.DANE_NO_MATCH.resultType()).isEqualTo(ResultType.VALIDATION_FAILURE);
        assertThat(TlsFailureReason.DANE_NO_MATCH.code()).contains("dane-no-match");
    }

    // DANE-CERT-19, RFC 7672 §3.1.2, RFC 7671 §5.2.2: a "2 1 0" record carries the anchor's whole
    // key, so the server may leave the anchor's certificate out of its chain
    @Test
    void daneTa_spkiFullOfAnAbsentRoot_passes() throws Exception {
        X509Certificate[] withoutRoot = chain(leaf);
        assertThat(withoutRoot).doesNotContain(root.certificate());
        manager(tlsa(2, 1, 0, root.certificate())).checkDane(withoutRoot);
        X509Certificate[] leafOnly = {leaf.certificate()};
        assertThat(refusal(manager(tlsa(2, 1, 0, root.certificate())), leafOnly))
                .as("the root's key did not sign the leaf itself")
                .isEqualTo(TlsFailureReason.DANE_NO_MATCH);
    }

    // DANE-CERT-19, RFC 7672 §3.1.2: extra certificates sent above the one the key signed do not hide it
    @Test
    void daneTa_spkiFullOfAnAbsentRoot_extraCertificateAppended_passes() throws Exception {
        X509Certificate[] withoutRoot = chain(leaf);
        X509Certificate[] withExtra = Arrays.copyOf(withoutRoot, withoutRoot.length + 1);
        withExtra[withoutRoot.length] = stranger.certificate();
        manager(tlsa(2, 1, 0, root.certificate())).checkDane(withExtra);
    }

    // DANE-CERT-19: the bare key is decoded whatever its algorithm (the testkit CAs are EC; RSA via a leaf)
    @Test
    void anchorKey_decodesEcAndRsaAndRefusesGarbage() throws Exception {
        java.security.PublicKey ec = root.certificate().getPublicKey();
        assertThat(DaneTrustManager.anchorKey(ec.getEncoded())).contains(ec);
        java.security.PublicKey rsa =
                root.issue().dnsNames(MX).rsa2048().build().certificate().getPublicKey();
        assertThat(rsa.getAlgorithm()).isEqualTo("RSA");
        assertThat(DaneTrustManager.anchorKey(rsa.getEncoded())).contains(rsa);
        assertThat(DaneTrustManager.anchorKey(new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}))
                .isEmpty();
        assertThat(DaneTrustManager.anchorKey(new byte[0])).isEmpty();
    }

    // DANE-CERT-19, RFC 7672 §3.1.2: a bare key that did not sign the top of the chain matches nothing
    @Test
    void daneTa_spkiFullOfAnotherKey_failsNoMatch() throws Exception {
        TestCertificateAuthority other = TestCertificateAuthority.create("DANE test root");
        assertThat(refusal(manager(tlsa(2, 1, 0, other.certificate())), chain(leaf)))
                .isEqualTo(TlsFailureReason.DANE_NO_MATCH);
        assertThat(refusal(manager(tlsa(2, 1, 0, stranger.certificate())), chain(leaf)))
                .isEqualTo(TlsFailureReason.DANE_NO_MATCH);
        TlsaRecord notAKey = TlsaRecord.of(2, 1, 0, new byte[] {0x30, 0x03, 0x02, 0x01, 0x01});
        assertThat(refusal(manager(notAKey), chain(leaf))).isEqualTo(TlsFailureReason.DANE_NO_MATCH);
    }

    // DANE-CERT-19, RFC 7672 §3.1.2, §3.2.2: under an absent "2 1 0" anchor the names and dates still count
    @Test
    void daneTa_spkiFullOfAnAbsentRoot_stillChecksNamesAndDates() throws Exception {
        TlsaRecord record = tlsa(2, 1, 0, root.certificate());
        assertThat(refusal(manager(record), chain(otherName))).isEqualTo(TlsFailureReason.HOST_MISMATCH);
        TestCertificate expired = intermediate.issue().dnsNames(MX).expired().build();
        assertThat(refusal(manager(record), chain(expired))).isEqualTo(TlsFailureReason.EXPIRED);
    }

    // DANE-CERT-5, RFC 7672 §3.2.2: under DANE-TA(2) the leaf must name a reference name
    @Test
    void daneTa_nameMismatch_failsHostMismatch() throws Exception {
        DaneTrustManager manager = manager(tlsa(2, 1, 1, intermediate.certificate()));
        assertThat(refusal(manager, chain(otherName))).isEqualTo(TlsFailureReason.HOST_MISMATCH);
    }

    // DANE-CERT-5, RFC 7672 §3.2.2: any reference name will do (e.g. the next-hop domain)
    @Test
    void daneTa_anyReferenceName_passes() throws Exception {
        TestCertificate domainCert =
                intermediate.issue().dnsNames("example.com").build();
        TlsaRecord record = tlsa(2, 1, 1, intermediate.certificate());
        DaneTrustManager.forMx(usable(Set.of(MX, "example.com"), record)).checkDane(chain(domainCert));
        assertThat(refusal(DaneTrustManager.forMx(usable(Set.of(MX), record)), chain(domainCert)))
                .isEqualTo(TlsFailureReason.HOST_MISMATCH);
    }

    // DANE-CERT-7, RFC 7672 §3.2.3: a wildcard is the whole left-most label and stands for one label
    @Test
    void daneTa_wildcardRules() throws Exception {
        TestCertificate wildcard =
                intermediate.issue().dnsNames("*.example.com").build();
        TlsaRecord record = tlsa(2, 0, 1, intermediate.certificate());
        DaneTrustManager.forMx(usable(Set.of("mx.example.com"), record)).checkDane(chain(wildcard));
        assertThat(refusal(DaneTrustManager.forMx(usable(Set.of("a.mx.example.com"), record)), chain(wildcard)))
                .isEqualTo(TlsFailureReason.HOST_MISMATCH);
        assertThat(refusal(DaneTrustManager.forMx(usable(Set.of("example.com"), record)), chain(wildcard)))
                .isEqualTo(TlsFailureReason.HOST_MISMATCH);
        TestCertificate partial =
                intermediate.issue().dnsNames("m*.example.com").build();
        assertThat(refusal(DaneTrustManager.forMx(usable(Set.of("mx.example.com"), record)), chain(partial)))
                .isEqualTo(TlsFailureReason.HOST_MISMATCH);
    }

    // DANE-CERT-8, RFC 7672 §3.2.3: the CN counts only when the certificate has no SAN dNSName
    @Test
    void daneTa_commonNameOnlyWithoutDnsNames() throws Exception {
        TlsaRecord record = tlsa(2, 1, 1, intermediate.certificate());
        TestCertificate cnOnly =
                intermediate.issue().commonName(MX).noSubjectAltNames().build();
        manager(record).checkDane(chain(cnOnly));
        TestCertificate cnAndOtherSan =
                intermediate.issue().commonName(MX).dnsNames("smtp.example.net").build();
        assertThat(refusal(manager(record), chain(cnAndOtherSan))).isEqualTo(TlsFailureReason.HOST_MISMATCH);
        TestCertificate wrongCn = intermediate
                .issue()
                .commonName("other.example.com")
                .noSubjectAltNames()
                .build();
        assertThat(refusal(manager(record), chain(wrongCn))).isEqualTo(TlsFailureReason.HOST_MISMATCH);
    }

    // DANE-CERT-6, RFC 7672 §3.1.2: validity dates are checked under DANE-TA(2)
    @Test
    void daneTa_expiredLeaf_failsExpired() throws Exception {
        TestCertificate expired = intermediate.issue().dnsNames(MX).expired().build();
        TlsaRecord record = tlsa(2, 1, 1, intermediate.certificate());
        assertThat(refusal(manager(record), chain(expired))).isEqualTo(TlsFailureReason.EXPIRED);
        TestCertificate early = intermediate.issue().dnsNames(MX).notYetValid().build();
        assertThat(refusal(manager(record), chain(early))).isEqualTo(TlsFailureReason.NOT_YET_VALID);
    }

    // DANE-CERT-6: the dates are judged on the clock given, anchor certificate included
    @Test
    void daneTa_datesOnTheGivenClock() throws Exception {
        TlsaRecord record = tlsa(2, 0, 1, intermediate.certificate());
        Clock late = Clock.fixed(Instant.now().plus(Duration.ofDays(400)), ZoneOffset.UTC);
        assertThat(refusal(DaneTrustManager.forMx(usable(Set.of(MX), record), late), chain(leaf)))
                .isEqualTo(TlsFailureReason.EXPIRED);
        // With the leaf as its own anchor there is no path, yet the leaf's dates still count.
        TlsaRecord self = tlsa(2, 1, 1, leaf.certificate());
        assertThat(refusal(DaneTrustManager.forMx(usable(Set.of(MX), self), late), chain(leaf)))
                .isEqualTo(TlsFailureReason.EXPIRED);
        Clock early = Clock.fixed(Instant.now().minus(Duration.ofDays(3)), ZoneOffset.UTC);
        assertThat(refusal(DaneTrustManager.forMx(usable(Set.of(MX), record), early), chain(leaf)))
                .isEqualTo(TlsFailureReason.NOT_YET_VALID);
        // DANE-EE(3) ignores the same clock.
        DaneTrustManager.forMx(usable(Set.of(MX), tlsa(3, 1, 1, leaf.certificate())), late)
                .checkDane(chain(leaf));
    }

    // DANE-CERT-9, RFC 7672 §3.1.2: a DANE-TA(2) record matching the leaf makes it its own anchor;
    // the name check still applies
    @Test
    void daneTa_leafAsItsOwnAnchor() throws Exception {
        TestCertificate selfSigned = root.issue().dnsNames(MX).selfSigned().build();
        manager(tlsa(2, 0, 1, selfSigned.certificate())).checkDane(chain(selfSigned));
        TestCertificate selfSignedOther =
                root.issue().dnsNames("other.example.org").selfSigned().build();
        assertThat(refusal(manager(tlsa(2, 0, 1, selfSignedOther.certificate())), chain(selfSignedOther)))
                .isEqualTo(TlsFailureReason.HOST_MISMATCH);
    }

    // DANE-CERT-10, RFC 7672 §3.1.2: the chain from the leaf must verify up to the matched anchor
    @Test
    void daneTa_chainNotSignedByAnchor_failsAsNotTrusted() throws Exception {
        // The stranger's leaf followed by our intermediate: the record matches, the path does not.
        X509Certificate[] forged = {stranger.certificate(), intermediate.certificate()};
        TlsFailureReason reason = refusal(manager(tlsa(2, 1, 1, intermediate.certificate())), forged);
        assertThat(reason).isEqualTo(TlsFailureReason.PKIX_PATH_BUILDING);
        assertThat(reason.resultType()).isEqualTo(ResultType.CERTIFICATE_NOT_TRUSTED);
    }

    // DANE-CERT-10: same issuer name, different key: the path does not lead to the anchor either
    @Test
    void daneTa_sameNameOtherKey_failsPathBuilding() throws Exception {
        TestCertificateAuthority twinRoot = TestCertificateAuthority.create("DANE test root");
        TestCertificate twinLeaf = twinRoot.issue().dnsNames(MX).build();
        X509Certificate[] mixed = {twinLeaf.certificate(), root.certificate()};
        assertThat(refusal(manager(tlsa(2, 0, 1, root.certificate())), mixed))
                .isEqualTo(TlsFailureReason.PKIX_PATH_BUILDING);
    }

    // DANE-CERT-11, RFC 7672 §3.1.3: PKIX-TA(0) and PKIX-EE(1) records never match, even when they
    // are handed over as usable
    @Test
    void pkixUsages_neverMatch() throws Exception {
        TlsaRecord pkixEe = tlsa(1, 1, 1, leaf.certificate());
        TlsaRecord pkixTa = tlsa(0, 0, 1, intermediate.certificate());
        TlsaRecord unrelated = tlsa(3, 1, 1, stranger.certificate());
        DaneTrustManager manager = DaneTrustManager.forMx(new MxDane.Usable(
                MX, MX, List.of(pkixEe, pkixTa, unrelated), List.of(pkixEe, pkixTa, unrelated), Set.of(MX)));
        assertThat(refusal(manager, chain(leaf))).isEqualTo(TlsFailureReason.DANE_NO_MATCH);
    }

    // DANE-CERT-11, RFC 7672 §2.2: a set of unusable records only is not Usable
    @Test
    void usable_refusesAnUnusableOnlySet() throws Exception {
        TlsaRecord pkixEe = tlsa(1, 1, 1, leaf.certificate());
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new MxDane.Usable(MX, MX, List.of(pkixEe), List.of(), Set.of(MX)))
                .withMessageContaining("at least one usable");
    }

    // DANE-CERT-12: any usable record may authenticate; a failing DANE-TA does not hide a DANE-EE match
    @Test
    void mixedSet_anyMatchingRecordPasses() throws Exception {
        TlsaRecord taForOther = tlsa(2, 1, 1, intermediate.certificate());
        TestCertificate misnamed =
                intermediate.issue().dnsNames("wrong.example.org").build();
        DaneTrustManager manager = manager(taForOther, tlsa(3, 1, 1, misnamed.certificate()));
        manager.checkDane(chain(misnamed));
        // without the EE record the DANE-TA failure is what is reported
        assertThat(refusal(manager(taForOther), chain(misnamed))).isEqualTo(TlsFailureReason.HOST_MISMATCH);
    }

    // DANE-CERT-13: the refusal names the MX host, the records and what the chain presented
    @Test
    void noMatch_messageNamesHostRecordsAndChain() throws Exception {
        TlsaRecord record = tlsa(3, 1, 1, stranger.certificate());
        assertThatThrownBy(() -> manager(record).checkDane(chain(leaf)))
                .isInstanceOf(MxCertificateException.class)
                .hasMessageContaining("MX host " + MX)
                .hasMessageContaining(record.policyString())
                .hasMessageContaining(
                        leaf.certificate().getSubjectX500Principal().getName());
        assertThat(refusal(manager(record), new X509Certificate[0])).isEqualTo(TlsFailureReason.DANE_NO_MATCH);
    }

    /** A record for one of four certificates: 0 leaf, 1 intermediate, 2 root (not sent), 3 stranger. */
    private record Pick(int usage, int selector, int matching, int target) {}

    // DANE-CERT-12, RFC 7672 §3.1.1, §3.1.2: for any set of records, the chain [leaf, intermediate]
    // passes exactly when a DANE-EE record names the leaf or a DANE-TA record names a certificate sent
    // or (DANE-CERT-19) holds the whole key of the absent root
    @Test
    void anyRecordSet_passesExactlyWhenARecordNamesTheLeafOrASentAnchor() {
        X509Certificate[] targets = {
            leaf.certificate(), intermediate.certificate(), root.certificate(), stranger.certificate()
        };
        Gen<Pick> pick = integers()
                .between(2, 3)
                .zip(
                        integers().between(0, 1),
                        integers().between(0, 2),
                        integers().between(0, 3),
                        Pick::new);
        qt().withExamples(200).forAll(lists().of(pick).ofSizeBetween(1, 4)).checkAssert(picks -> {
            TlsaRecord[] records = new TlsaRecord[picks.size()];
            boolean expected = false;
            for (int i = 0; i < records.length; i++) {
                Pick p = picks.get(i);
                try {
                    records[i] = tlsa(p.usage(), p.selector(), p.matching(), targets[p.target()]);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                // A "2 1 0" record of the absent root is its key, which signed the intermediate.
                boolean absentRootKey = p.target() == 2 && p.selector() == 1 && p.matching() == 0;
                expected |= p.usage() == 3 ? p.target() == 0 : p.target() <= 1 || absentRootKey;
            }
            DaneTrustManager manager = manager(records);
            if (expected) {
                try {
                    manager.checkDane(chain(leaf));
                } catch (MxCertificateException e) {
                    throw new AssertionError(picks + " should pass: " + e.getMessage(), e);
                }
            } else {
                assertThat(refusal(manager, chain(leaf)))
                        .as(picks.toString())
                        .isEqualTo(TlsFailureReason.DANE_NO_MATCH);
            }
        });
    }

    @Test
    void trustManagerInterface_checksServersAndRefusesClients() throws Exception {
        DaneTrustManager manager = manager(tlsa(3, 1, 1, leaf.certificate()));
        manager.checkServerTrusted(chain(leaf), "EC");
        manager.checkServerTrusted(chain(leaf), "EC", (java.net.Socket) null);
        assertThatThrownBy(() -> manager.checkServerTrusted(chain(stranger), "EC", (javax.net.ssl.SSLEngine) null))
                .isInstanceOf(MxCertificateException.class);
        assertThatThrownBy(() -> manager.checkClientTrusted(chain(leaf), "EC"))
                .isInstanceOf(CertificateException.class)
                .isNotInstanceOf(MxCertificateException.class);
        assertThat(manager.getAcceptedIssuers()).isEmpty();
    }
}
