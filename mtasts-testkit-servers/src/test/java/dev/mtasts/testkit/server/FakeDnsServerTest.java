package dev.mtasts.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** Every answer and fault, as seen by dnsjava's own {@code SimpleResolver} over real UDP and TCP. */
final class FakeDnsServerTest {
    private FakeDnsServer dns;
    private SimpleResolver resolver;

    @BeforeEach
    void start() {
        dns = new FakeDnsServer().start();
        resolver = new SimpleResolver(dns.address());
        resolver.setTimeout(Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    private Message query(String name, int type) throws IOException {
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
    }

    private static List<List<String>> txt(Message response) {
        List<List<String>> out = new ArrayList<>();
        for (Record record : response.getSection(Section.ANSWER)) {
            if (record instanceof TXTRecord txt) {
                List<String> strings = new ArrayList<>();
                for (byte[] bytes : txt.getStringsAsByteArrays()) {
                    strings.add(new String(bytes, StandardCharsets.UTF_8));
                }
                out.add(strings);
            }
        }
        return out;
    }

    @Test
    void address_isLoopbackWithEphemeralPort() {
        assertThat(dns.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(dns.port()).isPositive();
    }

    @Test
    void startAt_bindsTheGivenAddressForUdpAndTcp() throws IOException {
        // any 127.0.0.0/8 address is local on Linux: a libc resolver can be pointed at one on port 53
        InetSocketAddress wanted;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.2", 0))) {
            wanted = new InetSocketAddress("127.0.0.2", probe.getLocalPort());
        }
        try (FakeDnsServer fixed =
                new FakeDnsServer().a("host.example", "192.0.2.7").start(wanted)) {
            assertThat(fixed.address()).isEqualTo(wanted);
            SimpleResolver udp = new SimpleResolver(wanted);
            SimpleResolver tcp = new SimpleResolver(wanted);
            tcp.setTCP(true);
            for (SimpleResolver client : List.of(udp, tcp)) {
                client.setTimeout(Duration.ofSeconds(5));
                Message answer = client.send(
                        Message.newQuery(Record.newRecord(Name.fromString("host.example."), Type.A, DClass.IN)));
                assertThat(answer.getSection(Section.ANSWER))
                        .extracting(Record::rdataToString)
                        .containsExactly("192.0.2.7");
            }
        }
    }

    @Test
    void startAt_addressInUse_failsAndLeavesTheServerUnstarted() throws IOException {
        try (FakeDnsServer second = new FakeDnsServer()) {
            assertThatThrownBy(() -> second.start(dns.address())).isInstanceOf(IOException.class);
            assertThatThrownBy(second::address).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void txt_severalCharacterStringsInOneRecord() throws IOException {
        // STS-TXT-2: the client must join the character-strings of one record
        dns.txt("_mta-sts.example.com", "v=STSv1; ", "id=2024;");
        Message response = query("_mta-sts.example.com.", Type.TXT);
        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(txt(response)).containsExactly(List.of("v=STSv1; ", "id=2024;"));
    }

    @Test
    void txt_severalRecords() throws IOException {
        // STS-TXT-3: several records in the RRset (one SPF, two STS candidates)
        dns.txt("_mta-sts.example.com", "v=spf1 -all")
                .txt("_mta-sts.example.com", "v=STSv1; id=1;")
                .txt("_mta-sts.example.com", "v=STSv1; id=2;");
        assertThat(txt(query("_mta-sts.example.com.", Type.TXT)))
                .containsExactlyInAnyOrder(
                        List.of("v=spf1 -all"), List.of("v=STSv1; id=1;"), List.of("v=STSv1; id=2;"));
    }

    @Test
    void txt_bytesAreSentVerbatim() throws IOException {
        dns.txt("t.example.com", "back\\slash \"quoted\" caf\u00e9");
        assertThat(txt(query("t.example.com.", Type.TXT))).containsExactly(List.of("back\\slash \"quoted\" caf\u00e9"));
    }

    @Test
    void txt_characterStringOver255Bytes_rejected() {
        assertThatThrownBy(() -> dns.txt("t.example.com", "x".repeat(256)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("256");
    }

    @Test
    void mxAAndAaaa() throws IOException {
        dns.mx("example.com", 10, "mx1.example.com")
                .mx("example.com", 20, "mx2.example.com")
                .a("mx1.example.com", "127.0.0.1")
                .aaaa("mx1.example.com", "::1");
        Message mx = query("example.com.", Type.MX);
        assertThat(mx.getSection(Section.ANSWER))
                .extracting(r -> ((MXRecord) r).getPriority() + " " + ((MXRecord) r).getTarget())
                .containsExactlyInAnyOrder("10 mx1.example.com.", "20 mx2.example.com.");
        assertThat(((ARecord) query("mx1.example.com.", Type.A)
                                .getSection(Section.ANSWER)
                                .get(0))
                        .getAddress()
                        .getHostAddress())
                .isEqualTo("127.0.0.1");
        assertThat(((AAAARecord) query("mx1.example.com.", Type.AAAA)
                                .getSection(Section.ANSWER)
                                .get(0))
                        .getAddress()
                        .isLoopbackAddress())
                .isTrue();
    }

    @Test
    void names_areCaseInsensitiveAndAbsolute() throws IOException {
        dns.txt("_MTA-STS.Example.COM.", "v=STSv1; id=1;");
        assertThat(txt(query("_mta-sts.example.com.", Type.TXT))).hasSize(1);
    }

    @Test
    void cnameChain_isFollowedInTheAnswer() throws IOException {
        // STS-TXT-1: CNAME chains must be followed
        dns.cname("_mta-sts.example.com", "a.provider.net")
                .cname("a.provider.net", "b.provider.net")
                .txt("b.provider.net", "v=STSv1; id=9;");
        Message response = query("_mta-sts.example.com.", Type.TXT);
        assertThat(response.getSection(Section.ANSWER)).hasSize(3);
        assertThat(response.getSection(Section.ANSWER).get(0)).isInstanceOf(CNAMERecord.class);
        assertThat(txt(response)).containsExactly(List.of("v=STSv1; id=9;"));
    }

    @Test
    void unknownName_isNxdomain_knownNameOtherType_isNodata() throws IOException {
        // STS-TXT-9: NXDOMAIN and NODATA are different answers
        dns.a("mta-sts.example.com", "127.0.0.1").txt("_smtp._tls.example.com", "v=TLSRPTv1; rua=mailto:a@b");
        Message nx = query("nothing.example.com.", Type.TXT);
        assertThat(nx.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(nx.getSection(Section.AUTHORITY)).isNotEmpty();
        Message nodata = query("mta-sts.example.com.", Type.TXT);
        assertThat(nodata.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(nodata.getSection(Section.ANSWER)).isEmpty();
        // an empty non-terminal exists: NODATA, not NXDOMAIN
        assertThat(query("_tls.example.com.", Type.TXT).getRcode()).isEqualTo(Rcode.NOERROR);
    }

    @Test
    void record_addsAnyTypeFromItsPresentationForm() throws IOException {
        dns.record("_25._tcp.mx.example.com", "TLSA", "3 1 1 0123456789ABCDEF");
        Message response = query("_25._tcp.mx.example.com.", Type.TLSA);
        assertThat(response.getSection(Section.ANSWER)).singleElement().satisfies(r -> {
            assertThat(r.getType()).isEqualTo(Type.TLSA);
            assertThat(r.rdataToString()).isEqualToIgnoringCase("3 1 1 0123456789ABCDEF");
        });
        assertThat(query("_25._tcp.mx.example.com.", Type.TXT).getSection(Section.ANSWER))
                .isEmpty();
    }

    @Test
    void record_badTypeOrData_failsFast() {
        assertThatThrownBy(() -> dns.record("x.example.com", "NOPE", "1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> dns.record("x.example.com", "TLSA", "not tlsa"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TLSA");
    }

    private Message queryWithAd(String name, int type) throws IOException {
        Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
        query.getHeader().setFlag(Flags.AD);
        return resolver.send(query);
    }

    @Test
    void authenticated_setsAdOnlyForMarkedNamesAndOnlyWhenAsked() throws IOException {
        dns.txt("signed.example.com", "v=1").txt("plain.example.com", "v=1");
        dns.authenticated("signed.example.com", true);
        assertThat(queryWithAd("signed.example.com.", Type.TXT).getHeader().getFlag(Flags.AD))
                .isTrue();
        // RFC 6840 §5.7, §5.8: AD only for a client that set AD or DO.
        assertThat(query("signed.example.com.", Type.TXT).getHeader().getFlag(Flags.AD))
                .isFalse();
        assertThat(queryWithAd("plain.example.com.", Type.TXT).getHeader().getFlag(Flags.AD))
                .isFalse();
        dns.authenticated("signed.example.com", false);
        assertThat(queryWithAd("signed.example.com.", Type.TXT).getHeader().getFlag(Flags.AD))
                .isFalse();
    }

    @Test
    void authenticated_everywhere_andDoBitAlsoAsks() throws IOException {
        dns.txt("plain.example.com", "v=1");
        dns.authenticated(true);
        SimpleResolver withDo = new SimpleResolver(dns.address());
        withDo.setEDNS(0, 1232, org.xbill.DNS.ExtendedFlags.DO, List.of());
        Message response = withDo.send(
                Message.newQuery(Record.newRecord(Name.fromString("plain.example.com."), Type.TXT, DClass.IN)));
        assertThat(response.getHeader().getFlag(Flags.AD)).isTrue();
        dns.reset();
        dns.txt("plain.example.com", "v=1");
        assertThat(queryWithAd("plain.example.com.", Type.TXT).getHeader().getFlag(Flags.AD))
                .isFalse();
    }

    @Test
    void fault_servfail() throws IOException {
        dns.txt("_mta-sts.example.com", "v=STSv1; id=1;").fault("_mta-sts.example.com", "TXT", DnsFault.SERVFAIL);
        Message response = query("_mta-sts.example.com.", Type.TXT);
        assertThat(response.getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(response.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void fault_refused() throws IOException {
        dns.fault("example.com", DnsFault.REFUSED);
        assertThat(query("example.com.", Type.MX).getRcode()).isEqualTo(Rcode.REFUSED);
    }

    @Test
    void fault_nxdomainAndNodata_overrideRecords() throws IOException {
        dns.txt("_mta-sts.example.com", "v=STSv1; id=1;")
                .fault("_mta-sts.example.com", DnsFault.NXDOMAIN)
                .txt("_mta-sts.example.net", "v=STSv1; id=1;")
                .fault("_mta-sts.example.net", "TXT", DnsFault.NODATA);
        assertThat(query("_mta-sts.example.com.", Type.TXT).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        Message nodata = query("_mta-sts.example.net.", Type.TXT);
        assertThat(nodata.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(nodata.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void fault_onOneTypeOnly_leavesOtherTypes() throws IOException {
        dns.a("x.example.com", "127.0.0.1").fault("x.example.com", "TXT", DnsFault.SERVFAIL);
        assertThat(query("x.example.com.", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(query("x.example.com.", Type.TXT).getRcode()).isEqualTo(Rcode.SERVFAIL);
    }

    @Test
    void fault_timeout_noAnswerOverUdpOrTcp() {
        dns.txt("_mta-sts.example.com", "v=STSv1; id=1;").fault("_mta-sts.example.com", DnsFault.TIMEOUT);
        resolver.setTimeout(Duration.ofMillis(300));
        assertThatThrownBy(() -> query("_mta-sts.example.com.", Type.TXT)).isInstanceOf(IOException.class);
        resolver.setTCP(true);
        assertThatThrownBy(() -> query("_mta-sts.example.com.", Type.TXT)).isInstanceOf(IOException.class);
        assertThat(dns.queryCount("_mta-sts.example.com", "TXT")).isEqualTo(2);
    }

    @Test
    void fault_truncate_makesTheClientRetryOverTcp() throws IOException {
        dns.txt("_mta-sts.example.com", "v=STSv1; id=1;").fault("_mta-sts.example.com", DnsFault.TRUNCATE);
        Message response = query("_mta-sts.example.com.", Type.TXT);
        assertThat(txt(response)).containsExactly(List.of("v=STSv1; id=1;"));
        assertThat(dns.takeQuery().transport()).isEqualTo(RecordedQuery.Transport.UDP);
        assertThat(dns.takeQuery().transport()).isEqualTo(RecordedQuery.Transport.TCP);
    }

    @Test
    void fault_truncate_udpAnswerCarriesTcBit() throws IOException {
        dns.txt("t.example.com", "x").fault("t.example.com", DnsFault.TRUNCATE);
        resolver.setIgnoreTruncation(true);
        Message response = query("t.example.com.", Type.TXT);
        assertThat(response.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(response.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void largeAnswer_isTruncatedOverUdp_thenServedOverTcp() throws IOException {
        for (int i = 0; i < 12; i++) {
            dns.txt("big.example.com", "record " + i + " " + "x".repeat(200));
        }
        Message response = query("big.example.com.", Type.TXT);
        assertThat(txt(response)).hasSize(12);
        assertThat(dns.queries())
                .extracting(RecordedQuery::transport)
                .containsExactly(RecordedQuery.Transport.UDP, RecordedQuery.Transport.TCP);
    }

    @Test
    void delay_longerThanTheClientWaits_isATimeout_shorterIsAnAnswer() throws IOException {
        dns.txt("slow.example.com", "v=STSv1; id=1;").delay("slow.example.com", Duration.ofSeconds(5));
        resolver.setTimeout(Duration.ofMillis(200));
        assertThatThrownBy(() -> query("slow.example.com.", Type.TXT)).isInstanceOf(IOException.class);
        dns.delay("slow.example.com", "TXT", Duration.ofMillis(50));
        resolver.setTimeout(Duration.ofSeconds(5));
        assertThat(txt(query("slow.example.com.", Type.TXT))).hasSize(1);
    }

    @Test
    void clearFaults_restoresTheZone() throws IOException {
        dns.txt("x.example.com", "a").fault("x.example.com", DnsFault.SERVFAIL).clearFaults("X.example.com.");
        assertThat(txt(query("x.example.com.", Type.TXT))).hasSize(1);
    }

    @Test
    void remove_andReset() throws IOException {
        dns.txt("x.example.com", "a").a("x.example.com", "127.0.0.1").remove("x.example.com", "TXT");
        assertThat(query("x.example.com.", Type.TXT).getSection(Section.ANSWER)).isEmpty();
        assertThat(query("x.example.com.", Type.A).getSection(Section.ANSWER)).hasSize(1);
        dns.reset();
        assertThat(query("x.example.com.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void queries_areRecordedWithNameTypeAndTransport() throws IOException {
        query("_mta-sts.example.com.", Type.TXT);
        RecordedQuery recorded = dns.takeQuery();
        assertThat(recorded.name()).isEqualTo("_mta-sts.example.com.");
        assertThat(recorded.type()).isEqualTo("TXT");
        assertThat(recorded.transport()).isEqualTo(RecordedQuery.Transport.UDP);
        assertThat(recorded.is("_MTA-STS.example.com", "txt")).isTrue();
        assertThat(dns.pollQuery(Duration.ZERO)).isEmpty();
        assertThat(dns.queries()).hasSize(1);
    }

    @Test
    void badInput_failsFastNamingTheValue() {
        assertThatThrownBy(() -> dns.a("x.example.com", "::1")).hasMessageContaining("::1");
        assertThatThrownBy(() -> dns.fault("x.example.com", "NOPE", DnsFault.SERVFAIL))
                .hasMessageContaining("NOPE");
        assertThatThrownBy(() -> dns.mx("x.example.com", 70000, "mx.example.com"))
                .hasMessageContaining("70000");
    }

    @Test
    void close_isIdempotentAndReleasesThePort() throws IOException {
        InetSocketAddress address = dns.address();
        dns.close();
        dns.close();
        try (DatagramSocket rebound = new DatagramSocket(address)) {
            assertThat(rebound.getLocalPort()).isEqualTo(address.getPort());
        }
        // close() waits for its threads: none is left running
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().startsWith("fake-dns") && t.isAlive());
    }

    @Test
    void start_twice_fails() {
        assertThatThrownBy(() -> dns.start()).isInstanceOf(IllegalStateException.class);
    }
}
