package dev.mtasts.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.core.Mode;
import dev.mtasts.testkit.server.DnssecFault;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * {@code DomainSpec.dane()} as a DANE sender sees it: a validating resolver starting from the
 * world's trust anchors finds the MX and TLSA records secure, and the TLSA matches the certificate
 * the MX presents after STARTTLS.
 */
final class MtaStsWorldDaneTest {

    private static MtaStsWorld daneWorld() {
        return MtaStsWorld.builder()
                .domain(
                        "example.com",
                        d -> d.mx(10, "mx1.example.com")
                                .mx(20, "mx.hoster.net")
                                .policy(Mode.ENFORCE)
                                .dane())
                .domain("plain.com", d -> d.mx(10, "mx.plain.com").policy(Mode.TESTING))
                .build()
                .start();
    }

    private static Message validate(MtaStsWorld world, String name, int type) throws IOException {
        SimpleResolver head = new SimpleResolver(world.dnsAddress());
        head.setTimeout(Duration.ofSeconds(5));
        ValidatingResolver validator = new ValidatingResolver(head);
        validator.loadTrustAnchors(
                new ByteArrayInputStream(world.dnssecTrustAnchors().getBytes(StandardCharsets.US_ASCII)));
        return validator.send(Message.newQuery(Record.newRecord(Name.fromString(name + "."), type, DClass.IN)));
    }

    private static String reason(Message response) {
        StringBuilder sb = new StringBuilder(Rcode.string(response.getRcode()));
        for (Record record : response.getSection(Section.ADDITIONAL)) {
            if (record instanceof TXTRecord txt && record.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS) {
                sb.append(": ").append(String.join(" ", txt.getStrings()));
            }
        }
        return sb.toString();
    }

    private static List<TLSARecord> tlsa(Message response) {
        List<TLSARecord> out = new ArrayList<>();
        for (Record record : response.getSection(Section.ANSWER)) {
            if (record instanceof TLSARecord t) {
                out.add(t);
            }
        }
        return out;
    }

    /** The leaf certificate the fake MX presents after EHLO and STARTTLS, as an SMTP client sees it. */
    private static X509Certificate presentedAfterStarttls(MtaStsWorld world, String mxHost) throws Exception {
        int port = world.smtp(mxHost).port();
        try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), port)) {
            raw.setSoTimeout(5000);
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(raw.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = raw.getOutputStream();
            readReply(in, "220");
            out.write("EHLO client.example.org\r\n".getBytes(StandardCharsets.US_ASCII));
            readReply(in, "250");
            out.write("STARTTLS\r\n".getBytes(StandardCharsets.US_ASCII));
            readReply(in, "220");
            SSLContext context = world.clientSslContext();
            try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(raw, mxHost, port, false)) {
                tls.startHandshake();
                return (X509Certificate) tls.getSession().getPeerCertificates()[0];
            }
        }
    }

    private static void readReply(BufferedReader in, String code) throws IOException {
        String line;
        do {
            line = in.readLine();
            assertThat(line).as("SMTP reply").isNotNull().startsWith(code);
        } while (line.charAt(3) == '-');
    }

    @Test
    void dane_tlsaIsSecure_andMatchesTheCertificateTheMxPresents() throws Exception {
        // DANE-KIT-7: RFC 7672 §2.2 secure TLSA at _25._tcp.<mx>, §3.1.1 "3 1 1" of the presented key
        try (MtaStsWorld world = daneWorld()) {
            for (String mx : List.of("mx1.example.com", "mx.hoster.net")) {
                Message response = validate(world, "_25._tcp." + mx, Type.TLSA);
                assertThat(response.getHeader().getFlag(Flags.AD))
                        .as(reason(response))
                        .isTrue();
                TLSARecord record = tlsa(response).get(0);
                assertThat(record.getCertificateUsage()).isEqualTo(3);
                assertThat(record.getSelector()).isEqualTo(1);
                assertThat(record.getMatchingType()).isEqualTo(1);
                byte[] presentedSpki =
                        presentedAfterStarttls(world, mx).getPublicKey().getEncoded();
                assertThat(record.getCertificateAssociationData())
                        .as(mx)
                        .isEqualTo(MessageDigest.getInstance("SHA-256").digest(presentedSpki));
            }
        }
    }

    @Test
    void dane_mxAndAddressAreSecure() throws IOException {
        // DANE-KIT-7: RFC 7672 §2.2.1, the MX RRset and the MX host's address must be secure too
        try (MtaStsWorld world = daneWorld()) {
            Message mx = validate(world, "example.com", Type.MX);
            assertThat(mx.getHeader().getFlag(Flags.AD)).as(reason(mx)).isTrue();
            assertThat(mx.getSection(Section.ANSWER))
                    .filteredOn(r -> r.getType() == Type.MX)
                    .hasSize(2);
            Message a = validate(world, "mx.hoster.net", Type.A);
            assertThat(a.getHeader().getFlag(Flags.AD)).as(reason(a)).isTrue();
        }
    }

    @Test
    void domainWithoutDane_staysInsecure() throws IOException {
        // DANE-KIT-7: RFC 7672 §2.2.1, an insecure MX RRset means DANE does not apply
        try (MtaStsWorld world = daneWorld()) {
            Message mx = validate(world, "plain.com", Type.MX);
            assertThat(mx.getRcode()).as(reason(mx)).isEqualTo(Rcode.NOERROR);
            assertThat(mx.getHeader().getFlag(Flags.AD)).as(reason(mx)).isFalse();
            assertThat(mx.getSection(Section.ANSWER)).hasSize(1);
            Message tlsa = validate(world, "_25._tcp.mx.plain.com", Type.TLSA);
            assertThat(tlsa.getHeader().getFlag(Flags.AD)).as(reason(tlsa)).isFalse();
            assertThat(tlsa(tlsa)).isEmpty();
        }
    }

    @Test
    void trustAnchors_areOneDsPerTopLevelZone() throws IOException {
        try (MtaStsWorld world = daneWorld()) {
            List<Name> owners = new ArrayList<>();
            try (Master master = new Master(
                    new ByteArrayInputStream(world.dnssecTrustAnchors().getBytes(StandardCharsets.US_ASCII)),
                    Name.root)) {
                for (Record r = master.nextRecord(); r != null; r = master.nextRecord()) {
                    assertThat(r.getType()).isEqualTo(Type.DS);
                    owners.add(r.getName());
                }
            }
            assertThat(owners).containsExactly(Name.fromConstantString("com."), Name.fromConstantString("net."));
        }
    }

    @Test
    void worldWithoutDane_hasNoTrustAnchor_andUnchangedAnswers() throws IOException {
        try (MtaStsWorld world = MtaStsWorld.builder()
                .domain("example.com", d -> d.mx(10, "mx1.example.com").policy(Mode.ENFORCE))
                .build()
                .start()) {
            assertThat(world.dnssecTrustAnchors()).isEmpty();
            assertThat(world.dns().records("_25._tcp.mx1.example.com")).isEmpty();
        }
    }

    @Test
    void zoneFault_reachesTheDaneDomain() throws IOException {
        // DANE-KIT-7: the DANE domain is its own signed zone, so zone faults apply to it alone
        try (MtaStsWorld world = daneWorld()) {
            world.dns().signedZone("example.com").fault(DnssecFault.DS_MISMATCH);
            Message bogus = validate(world, "_25._tcp.mx1.example.com", Type.TLSA);
            assertThat(bogus.getRcode()).as(reason(bogus)).isEqualTo(Rcode.SERVFAIL);
            Message other = validate(world, "_25._tcp.mx.hoster.net", Type.TLSA);
            assertThat(other.getHeader().getFlag(Flags.AD)).as(reason(other)).isTrue();
        }
    }
}
