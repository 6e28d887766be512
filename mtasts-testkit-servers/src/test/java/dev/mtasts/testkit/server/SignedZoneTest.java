package dev.mtasts.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * Signed zones as dnsjava's own {@link ValidatingResolver} sees them over real UDP: secure, insecure
 * and bogus exactly when the fault says so. The validator starts from the anchor zone {@code test}
 * and walks down with DS and DNSKEY queries, as a validating resolver does.
 */
final class SignedZoneTest {
    private static final String TLSA_DATA = "3 1 1 " + "AB".repeat(32);

    private FakeDnsServer dns;
    private SignedZone top;
    private SignedZone example;

    @BeforeEach
    void start() {
        dns = new FakeDnsServer().start();
        top = dns.signedZone("test");
        example = dns.signedZone("example.test");
        dns.mx("example.test", 10, "mx.example.test")
                .a("mx.example.test", "127.0.0.1")
                .record("_25._tcp.mx.example.test", "TLSA", TLSA_DATA)
                .cname("www.test", "alias.example.test")
                .cname("alias.example.test", "mx.example.test")
                .a("host.test", "127.0.0.2")
                .a("mx.plain.test", "127.0.0.3")
                .a("mx.island.test", "127.0.0.4")
                .a("deep.a.b.example.test", "127.0.0.5");
        dns.unsignedZone("plain.test");
        dns.signedZone("island.test");
        dns.signedZone("a.b.example.test");
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    private ValidatingResolver validator() throws IOException {
        SimpleResolver head = new SimpleResolver(dns.address());
        head.setTimeout(Duration.ofSeconds(5));
        ValidatingResolver validator = new ValidatingResolver(head);
        validator.loadTrustAnchors(new ByteArrayInputStream(top.trustAnchor().getBytes(StandardCharsets.US_ASCII)));
        return validator;
    }

    private Message validate(String name, int type) throws IOException {
        return validator().send(query(name, type));
    }

    private static Message query(String name, int type) throws IOException {
        return Message.newQuery(Record.newRecord(Name.fromString(name + "."), type, DClass.IN));
    }

    /** A query with the DO bit, sent without validation, to see the raw signed answer. */
    private Message raw(String name, int type) throws IOException {
        SimpleResolver resolver = new SimpleResolver(dns.address());
        resolver.setTimeout(Duration.ofSeconds(5));
        resolver.setEDNS(0, 0, ExtendedFlags.DO);
        return resolver.send(query(name, type));
    }

    /** The validator's own explanation, for assertion messages. */
    private static String reason(Message response) {
        StringBuilder sb = new StringBuilder(Rcode.string(response.getRcode()));
        for (Record record : response.getSection(Section.ADDITIONAL)) {
            if (record instanceof TXTRecord txt && record.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS) {
                sb.append(": ").append(String.join(" ", txt.getStrings()));
            }
        }
        return sb.toString();
    }

    private static List<Record> answers(Message response, int type) {
        List<Record> out = new ArrayList<>();
        for (Record record : response.getSection(Section.ANSWER)) {
            if (record.getType() == type) {
                out.add(record);
            }
        }
        return out;
    }

    private static void assertSecure(Message response) {
        assertThat(response.getRcode()).as(reason(response)).isEqualTo(Rcode.NOERROR);
        assertThat(response.getHeader().getFlag(Flags.AD)).as(reason(response)).isTrue();
    }

    private static void assertBogus(Message response) {
        assertThat(response.getRcode()).as(reason(response)).isEqualTo(Rcode.SERVFAIL);
        assertThat(response.getHeader().getFlag(Flags.AD)).as(reason(response)).isFalse();
    }

    private static void assertInsecure(Message response) {
        assertThat(response.getRcode()).as(reason(response)).isEqualTo(Rcode.NOERROR);
        assertThat(response.getHeader().getFlag(Flags.AD)).as(reason(response)).isFalse();
    }

    // ------------------------------------------------------------ secure answers

    @Test
    void aInChildZone_isSecure() throws IOException {
        // DANE-KIT-1: anchor zone -> DS of the child from the parent -> child DNSKEY -> RRSIG (RFC 4035 §5)
        Message response = validate("mx.example.test", Type.A);
        assertSecure(response);
        assertThat(answers(response, Type.A))
                .singleElement()
                .extracting(r -> ((ARecord) r).getAddress().getHostAddress())
                .isEqualTo("127.0.0.1");
    }

    @Test
    void mxAndTlsa_areSecure() throws IOException {
        // DANE-KIT-1: RFC 7672 §2.2 needs the TLSA RRset secure; §2.2.1 the MX RRset too
        Message mx = validate("example.test", Type.MX);
        assertSecure(mx);
        assertThat(answers(mx, Type.MX)).hasSize(1);
        Message tlsa = validate("_25._tcp.mx.example.test", Type.TLSA);
        assertSecure(tlsa);
        assertThat(answers(tlsa, Type.TLSA))
                .singleElement()
                .extracting(r -> ((TLSARecord) r).rdataToString())
                .isEqualTo(TLSA_DATA);
    }

    @Test
    void aInAnchorZone_isSecure() throws IOException {
        Message response = validate("host.test", Type.A);
        assertSecure(response);
        assertThat(answers(response, Type.A)).hasSize(1);
    }

    @Test
    void cnameChainAcrossZones_isSecure() throws IOException {
        // DANE-KIT-1: each CNAME is signed by the zone of its owner (RFC 4035 §3.1.1)
        Message response = validate("www.test", Type.A);
        assertSecure(response);
        assertThat(answers(response, Type.CNAME)).hasSize(2);
        assertThat(answers(response, Type.A)).hasSize(1);
    }

    @Test
    void childZoneBelowEmptyNonTerminal_isSecure() throws IOException {
        // DANE-KIT-2: the validator asks DS at b.example.test, not a delegation: NSEC without NS says so
        Message response = validate("deep.a.b.example.test", Type.A);
        assertSecure(response);
        assertThat(answers(response, Type.A)).hasSize(1);
    }

    // ------------------------------------------------------------ denial

    @Test
    void missingType_isSecureNodata() throws IOException {
        // DANE-KIT-2: RFC 4035 §3.1.3.1, NSEC at the name without the type
        Message response = validate("mx.example.test", Type.TLSA);
        assertSecure(response);
        assertThat(response.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void missingName_isSecureNodata_blackLie() throws IOException {
        // DANE-KIT-2: black lies, a name that does not exist answers NODATA under DNSSEC
        Message response = validate("_25._tcp.nowhere.example.test", Type.TLSA);
        assertSecure(response);
        assertThat(response.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void blackLie_hasNsecAtQueryNameWithItsTypes_andSignedSoa() throws IOException {
        // DANE-KIT-2: owner = qname, next = \000.qname, bitmap = types at the name + RRSIG + NSEC
        Message nodata = raw("mx.example.test", Type.TXT);
        assertThat(nodata.getRcode()).isEqualTo(Rcode.NOERROR);
        NSECRecord nsec = (NSECRecord) nodata.getSection(Section.AUTHORITY).stream()
                .filter(r -> r.getType() == Type.NSEC)
                .findFirst()
                .orElseThrow();
        assertThat(nsec.getName()).isEqualTo(Name.fromConstantString("mx.example.test."));
        assertThat(nsec.getNext()).isEqualTo(Name.fromConstantString("\\000.mx.example.test."));
        assertThat(nsec.getTypes()).containsExactlyInAnyOrder(Type.A, Type.RRSIG, Type.NSEC);
        assertThat(nodata.getSection(Section.AUTHORITY))
                .anySatisfy(r -> assertThat(r).isInstanceOf(SOARecord.class))
                .filteredOn(r -> r instanceof RRSIGRecord)
                .extracting(r -> ((RRSIGRecord) r).getTypeCovered())
                .containsExactlyInAnyOrder(Type.SOA, Type.NSEC);

        Message missing = raw("nowhere.example.test", Type.A);
        assertThat(missing.getRcode()).isEqualTo(Rcode.NOERROR);
        NSECRecord empty = (NSECRecord) missing.getSection(Section.AUTHORITY).stream()
                .filter(r -> r.getType() == Type.NSEC)
                .findFirst()
                .orElseThrow();
        assertThat(empty.getTypes()).containsExactlyInAnyOrder(Type.RRSIG, Type.NSEC);
    }

    // ------------------------------------------------------------ keys and delegation

    @Test
    void dnskeyAtApex_isTheZoneKey_signedByItself() throws Exception {
        // DANE-KIT-1: one CSK per zone, ECDSA P-256 (algorithm 13), flags 257
        Message response = raw("example.test", Type.DNSKEY);
        DNSKEYRecord key = (DNSKEYRecord) answers(response, Type.DNSKEY).get(0);
        assertThat(key.getAlgorithm()).isEqualTo(DNSSEC.Algorithm.ECDSAP256SHA256);
        assertThat(key.getFlags()).isEqualTo(257);
        assertThat(key.toString()).isEqualTo(example.dnskey());
        RRSIGRecord sig = (RRSIGRecord) answers(response, Type.RRSIG).get(0);
        assertThat(sig.getSigner()).isEqualTo(Name.fromConstantString("example.test."));
        DNSSEC.verify(new RRset(key), sig, key, Instant.now());
    }

    @Test
    void dsOfChild_comesFromParent_andMatchesTheChildKey() throws Exception {
        // DANE-KIT-1: the DS is the parent's data, signed with the parent's key (RFC 4035 §2.4)
        Message response = raw("example.test", Type.DS);
        DSRecord ds = (DSRecord) answers(response, Type.DS).get(0);
        DNSKEYRecord childKey = (DNSKEYRecord) Record.fromString(
                Name.fromConstantString("example.test."),
                Type.DNSKEY,
                DClass.IN,
                0,
                example.dnskey().split("DNSKEY\\s+", 2)[1],
                Name.root);
        assertThat(ds.getFootprint()).isEqualTo(childKey.getFootprint());
        assertThat(ds.getDigest())
                .isEqualTo(new DSRecord(childKey.getName(), DClass.IN, 0, DNSSEC.Digest.SHA256, childKey).getDigest());
        RRSIGRecord sig = (RRSIGRecord) answers(response, Type.RRSIG).get(0);
        assertThat(sig.getSigner()).isEqualTo(Name.fromConstantString("test."));
    }

    @Test
    void trustAnchor_parsesAsDsOfTheZoneKey() throws IOException {
        try (Master master = new Master(
                new ByteArrayInputStream(example.trustAnchor().getBytes(StandardCharsets.US_ASCII)), Name.root)) {
            Record record = master.nextRecord();
            assertThat(record).isInstanceOf(DSRecord.class);
            assertThat(record.getName()).isEqualTo(Name.fromConstantString("example.test."));
            assertThat(((DSRecord) record).getDigestID()).isEqualTo(DNSSEC.Digest.SHA256);
        }
        assertThat(example.apex()).isEqualTo("example.test");
    }

    @Test
    void signatures_areDatedByTheServerClock() throws IOException {
        // DANE-KIT-1: inception an hour back, expiration a day ahead
        TestClock clock = TestClock.at(Instant.parse("2026-03-01T12:00:00Z"));
        dns.clock(clock);
        RRSIGRecord sig =
                (RRSIGRecord) answers(raw("host.test", Type.A), Type.RRSIG).get(0);
        assertThat(sig.getTimeSigned()).isEqualTo(Instant.parse("2026-03-01T11:00:00Z"));
        assertThat(sig.getExpire()).isEqualTo(Instant.parse("2026-03-02T12:00:00Z"));
    }

    // ------------------------------------------------------------ insecure

    @Test
    void unsignedChildZone_isInsecure() throws IOException {
        // DANE-KIT-3: the parent proves there is no DS (NSEC with NS, without DS): RFC 4035 §5.2
        Message response = validate("mx.plain.test", Type.A);
        assertInsecure(response);
        assertThat(answers(response, Type.A)).hasSize(1);
        assertThat(answers(response, Type.RRSIG)).isEmpty();
    }

    @Test
    void unsignedChildZone_missingName_isInsecureNxdomain() throws IOException {
        Message response = validate("nowhere.plain.test", Type.A);
        assertThat(response.getRcode()).as(reason(response)).isEqualTo(Rcode.NXDOMAIN);
        assertThat(response.getHeader().getFlag(Flags.AD)).isFalse();
    }

    @Test
    void missingDs_isInsecure() throws IOException {
        // DANE-KIT-4: MISSING_DS, a signed island below a secure proof of no DS
        dns.signedZone("island.test").fault(DnssecFault.MISSING_DS);
        Message response = validate("mx.island.test", Type.A);
        assertInsecure(response);
        assertThat(answers(response, Type.A)).hasSize(1);
    }

    @Test
    void islandWithoutFault_isSecure() throws IOException {
        assertSecure(validate("mx.island.test", Type.A));
    }

    // ------------------------------------------------------------ bogus

    @Test
    void badSignatureOnOneName_isBogus_othersStaySecure() throws IOException {
        // DANE-KIT-4: BAD_SIGNATURE for one name (RFC 4035 §5.3)
        example.fault("_25._tcp.mx.example.test", DnssecFault.BAD_SIGNATURE);
        assertBogus(validate("_25._tcp.mx.example.test", Type.TLSA));
        assertSecure(validate("mx.example.test", Type.A));
    }

    @Test
    void badSignatureZoneWide_isBogus_evenForDenial() throws IOException {
        example.fault(DnssecFault.BAD_SIGNATURE);
        assertBogus(validate("mx.example.test", Type.A));
        assertBogus(validate("nowhere.example.test", Type.A));
    }

    @Test
    void expiredSignature_isBogus() throws IOException {
        // DANE-KIT-4: RFC 4035 §5.3.1, the validity period has passed
        example.fault("mx.example.test", DnssecFault.EXPIRED_SIGNATURE);
        Message response = validate("mx.example.test", Type.A);
        assertBogus(response);
        // the signature is otherwise good: only its dates make it bogus
        TestClock clock = TestClock.at(Instant.parse("2026-03-01T12:00:00Z"));
        dns.clock(clock);
        RRSIGRecord sig = (RRSIGRecord)
                answers(raw("mx.example.test", Type.A), Type.RRSIG).get(0);
        assertThat(sig.getTimeSigned()).isEqualTo(Instant.parse("2026-02-27T12:00:00Z"));
        assertThat(sig.getExpire()).isEqualTo(Instant.parse("2026-03-01T11:00:00Z"));
        RRSIGRecord other =
                (RRSIGRecord) answers(raw("example.test", Type.MX), Type.RRSIG).get(0);
        assertThat(other.getExpire()).isEqualTo(Instant.parse("2026-03-02T12:00:00Z"));
    }

    @Test
    void dsMismatch_isBogus() throws IOException {
        // DANE-KIT-4: the parent's DS names a key the zone does not have (RFC 4035 §5.2)
        example.fault(DnssecFault.DS_MISMATCH);
        assertBogus(validate("mx.example.test", Type.A));
        assertBogus(validate("_25._tcp.mx.example.test", Type.TLSA));
    }

    @Test
    void clearFaults_makesTheZoneSecureAgain() throws IOException {
        example.fault(DnssecFault.DS_MISMATCH).fault("mx.example.test", DnssecFault.BAD_SIGNATURE);
        example.clearFaults();
        assertSecure(validate("mx.example.test", Type.A));
    }

    // ------------------------------------------------------------ unchanged without DO

    @Test
    void queryWithoutDo_getsTheUnsignedAnswer() throws IOException {
        // DANE-KIT-5: without the DO bit, signing changes nothing (RFC 3225 §3)
        try (FakeDnsServer unsigned = new FakeDnsServer().start()) {
            unsigned.a("mx.example.test", "127.0.0.1").mx("example.test", 10, "mx.example.test");
            for (String[] q : new String[][] {
                {"mx.example.test", "A"},
                {"mx.example.test", "TXT"},
                {"nowhere.example.test", "A"},
                {"example.test", "MX"}
            }) {
                Message signedAnswer = plain(dns, q[0], Type.value(q[1]));
                Message plainAnswer = plain(unsigned, q[0], Type.value(q[1]));
                assertThat(signedAnswer.getRcode()).as(q[0]).isEqualTo(plainAnswer.getRcode());
                assertThat(signedAnswer.getSection(Section.ANSWER))
                        .as(q[0])
                        .isEqualTo(plainAnswer.getSection(Section.ANSWER));
                assertThat(signedAnswer.getSection(Section.AUTHORITY))
                        .as(q[0])
                        .isEqualTo(plainAnswer.getSection(Section.AUTHORITY));
            }
        }
    }

    private static Message plain(FakeDnsServer server, String name, int type) throws IOException {
        SimpleResolver resolver = new SimpleResolver(server.address());
        resolver.setTimeout(Duration.ofSeconds(5));
        return resolver.send(query(name, type));
    }

    @Test
    void cnameTarget_isNotLost() throws IOException {
        Message response = raw("alias.example.test", Type.A);
        assertThat(answers(response, Type.CNAME))
                .singleElement()
                .extracting(r -> ((CNAMERecord) r).getTarget().toString())
                .isEqualTo("mx.example.test.");
        assertThat(answers(response, Type.RRSIG)).hasSize(2);
    }

    // ------------------------------------------------------------ misuse

    @Test
    void zoneWideFaultForOneName_isRejected() {
        assertThatThrownBy(() -> example.fault("mx.example.test", DnssecFault.MISSING_DS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MISSING_DS");
        assertThatThrownBy(() -> example.fault("mx.other.test", DnssecFault.BAD_SIGNATURE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not in the zone");
        assertThatThrownBy(() -> top.fault("mx.example.test", DnssecFault.BAD_SIGNATURE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("child zone");
    }

    @Test
    void unsignedZone_needsASignedParent() {
        assertThatThrownBy(() -> dns.unsignedZone("example.org"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("example.org");
        assertThatThrownBy(() -> dns.unsignedZone("example.test"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already declared as a signed zone");
    }

    @Test
    void signedZone_isIdempotent() {
        assertThat(dns.signedZone("example.test.")).isSameAs(example);
    }

    @Test
    void guideExample() throws IOException {
        // the DNSSEC snippet of docs/testkit.md, verbatim between the markers
        TestCertificate certificate = TestCertificateAuthority.create()
                .issue()
                .dnsNames("mx.example.test")
                .build();
        try (FakeDnsServer dns = new FakeDnsServer()) {
            // --- guide start
            dns.start();
            SignedZone anchor = dns.signedZone("test"); // the trust anchor zone
            SignedZone example = dns.signedZone("example.test"); // a signed child: "test" publishes its DS
            dns.unsignedZone("plain.test"); // "test" proves it has no DS: insecure
            dns.mx("example.test", 10, "mx.example.test")
                    .a("mx.example.test", "127.0.0.1")
                    .record("_25._tcp.mx.example.test", "TLSA", certificate.tlsa(3, 1, 1));
            example.fault("_25._tcp.mx.example.test", DnssecFault.BAD_SIGNATURE); // that name only
            example.clearFaults();

            ValidatingResolver validator = new ValidatingResolver(new SimpleResolver(dns.address()));
            validator.loadTrustAnchors(
                    new ByteArrayInputStream(anchor.trustAnchor().getBytes(StandardCharsets.US_ASCII)));
            org.xbill.DNS.Message answer = validator.send(org.xbill.DNS.Message.newQuery(
                    Record.newRecord(Name.fromString("_25._tcp.mx.example.test."), Type.TLSA, DClass.IN)));
            assertThat(answer.getHeader().getFlag(Flags.AD)).isTrue(); // secure
            // --- guide end
            assertThat(tlsaData(answer)).isEqualTo(certificate.tlsa(3, 1, 1));
        }
    }

    private static String tlsaData(Message response) {
        return ((TLSARecord) answers(response, Type.TLSA).get(0)).rdataToString();
    }

    @Test
    void validatorOverTcp_isSecure() throws IOException {
        // DANE-KIT-1: the same signed answers over TCP (RFC 7766)
        SimpleResolver head = new SimpleResolver(dns.address());
        head.setTCP(true);
        head.setTimeout(Duration.ofSeconds(5));
        ValidatingResolver validator = new ValidatingResolver(head);
        validator.loadTrustAnchors(new ByteArrayInputStream(top.trustAnchor().getBytes(StandardCharsets.US_ASCII)));
        Message response = validator.send(query("_25._tcp.mx.example.test", Type.TLSA));
        assertSecure(response);
        assertThat(tlsaData(response)).isEqualTo(TLSA_DATA);
    }

    @Test
    void dsAtUnsignedChildOrMissingDs_isSignedNsecWithNsOnly() throws IOException {
        // DANE-KIT-3: RFC 4035 §5.2, NSEC at the delegation with NS and without DS and SOA
        example.fault(DnssecFault.MISSING_DS);
        for (String child : List.of("plain.test", "example.test")) {
            Message response = raw(child, Type.DS);
            assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(response.getSection(Section.ANSWER)).isEmpty();
            NSECRecord nsec = (NSECRecord) response.getSection(Section.AUTHORITY).stream()
                    .filter(r -> r.getType() == Type.NSEC)
                    .findFirst()
                    .orElseThrow();
            assertThat(nsec.getName()).isEqualTo(Name.fromConstantString(child + "."));
            assertThat(nsec.getTypes()).containsExactlyInAnyOrder(Type.NS, Type.RRSIG, Type.NSEC);
            assertThat(response.getSection(Section.AUTHORITY))
                    .filteredOn(r -> r instanceof RRSIGRecord)
                    .allSatisfy(
                            r -> assertThat(((RRSIGRecord) r).getSigner()).isEqualTo(Name.fromConstantString("test.")));
        }
    }

    @Test
    void dsAtNonDelegationName_isNodataWithoutNs() throws IOException {
        // DANE-KIT-2: a validator walking labels asks DS where there is no zone cut
        Message response = raw("b.example.test", Type.DS);
        NSECRecord nsec = (NSECRecord) response.getSection(Section.AUTHORITY).stream()
                .filter(r -> r.getType() == Type.NSEC)
                .findFirst()
                .orElseThrow();
        assertThat(nsec.hasType(Type.NS)).isFalse();
        assertThat(nsec.hasType(Type.DS)).isFalse();
    }
}
