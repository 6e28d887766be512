package dev.mtasts.core.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.lookup.NoSuchRRSetException;
import org.xbill.DNS.lookup.ServerFailedException;

final class DnsjavaResolverTest {

    /** dnsjava's own seam: answers queries from a map of "name/TYPE" to a responder. */
    private static final class ScriptedResolver implements Resolver {
        final Map<String, Function<Message, CompletionStage<Message>>> answers = new ConcurrentHashMap<>();

        ScriptedResolver on(String name, int type, Function<Message, CompletionStage<Message>> answer) {
            answers.put(name + "/" + Type.string(type), answer);
            return this;
        }

        ScriptedResolver reply(String name, int type, int rcode, org.xbill.DNS.Record... records) {
            return on(name, type, q -> CompletableFuture.completedFuture(message(q, rcode, records)));
        }

        @Override
        public CompletionStage<Message> sendAsync(Message query) {
            org.xbill.DNS.Record question = query.getQuestion();
            Function<Message, CompletionStage<Message>> answer =
                    answers.get(question.getName() + "/" + Type.string(question.getType()));
            return answer == null
                    ? CompletableFuture.completedFuture(message(query, Rcode.NXDOMAIN))
                    : answer.apply(query);
        }

        @Override
        public CompletionStage<Message> sendAsync(Message query, Executor executor) {
            return sendAsync(query);
        }

        @Override
        public void setPort(int port) {}

        @Override
        public void setTCP(boolean flag) {}

        @Override
        public void setIgnoreTruncation(boolean flag) {}

        @Override
        public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {}

        @Override
        public void setTSIGKey(TSIG key) {}

        @Override
        public void setTimeout(Duration timeout) {}
    }

    private static Message message(Message query, int rcode, org.xbill.DNS.Record... records) {
        Message m = new Message(query.getHeader().getID());
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setFlag(Flags.RA);
        m.getHeader().setRcode(rcode);
        m.addRecord(query.getQuestion(), Section.QUESTION);
        for (org.xbill.DNS.Record r : records) {
            m.addRecord(r, Section.ANSWER);
        }
        return m;
    }

    private static Name name(String s) {
        return Name.fromConstantString(s);
    }

    private final ScriptedResolver scripted = new ScriptedResolver();
    private final DnsjavaResolver resolver = new DnsjavaResolver(scripted);

    @Test
    void txt_joinsCharacterStrings() {
        // STS-TXT-2: character-strings joined with nothing between
        scripted.reply(
                "_mta-sts.example.com.",
                Type.TXT,
                Rcode.NOERROR,
                new TXTRecord(name("_mta-sts.example.com."), DClass.IN, 300, List.of("v=STSv1; ", "id=20240101")));
        assertThat(resolver.txt("_mta-sts.example.com")).isEqualTo(DnsResult.records(List.of("v=STSv1; id=20240101")));
    }

    @Test
    void txt_keepsRawBytes() {
        // STS-TXT-2: raw bytes, not dnsjava's escaped string form
        scripted.reply(
                "_mta-sts.example.com.",
                Type.TXT,
                Rcode.NOERROR,
                new TXTRecord(name("_mta-sts.example.com."), DClass.IN, 300, List.of("id=caf\\233", "\"q\"")));
        DnsResult<String> result = resolver.txt("_mta-sts.example.com");
        assertThat(result).isEqualTo(DnsResult.records(List.of("id=caf\u00e9\"q\"")));
    }

    @Test
    void txt_followsCnameChain() {
        // STS-TXT-1, RFC 8461 §3.1: follow CNAMEs
        scripted.reply(
                "_mta-sts.example.com.",
                Type.TXT,
                Rcode.NOERROR,
                new CNAMERecord(name("_mta-sts.example.com."), DClass.IN, 300, name("_mta-sts.provider.net.")));
        scripted.reply(
                "_mta-sts.provider.net.",
                Type.TXT,
                Rcode.NOERROR,
                new TXTRecord(name("_mta-sts.provider.net."), DClass.IN, 300, "v=STSv1; id=9"));
        assertThat(resolver.txt("_mta-sts.example.com")).isEqualTo(DnsResult.records(List.of("v=STSv1; id=9")));
    }

    @Test
    void txt_nxdomainAndNodata() {
        // STS-TXT-9
        assertThat(resolver.txt("_mta-sts.example.com"))
                .isEqualTo(DnsResult.noRecords(DnsResult.NoRecordsKind.NXDOMAIN));
        scripted.reply("_mta-sts.example.com.", Type.TXT, Rcode.NOERROR);
        assertThat(resolver.txt("_mta-sts.example.com")).isEqualTo(DnsResult.noRecords(DnsResult.NoRecordsKind.NODATA));
    }

    @Test
    void txt_servfailAndRefusedAreTemporary() {
        // STS-TXT-9: SERVFAIL, REFUSED -> temporary, never "no records"
        scripted.reply("_mta-sts.example.com.", Type.TXT, Rcode.SERVFAIL);
        assertThat(kind(resolver.txt("_mta-sts.example.com"))).isEqualTo(DnsResult.FailureKind.SERVFAIL);
        scripted.reply("_mta-sts.example.com.", Type.TXT, Rcode.REFUSED);
        assertThat(kind(resolver.txt("_mta-sts.example.com"))).isEqualTo(DnsResult.FailureKind.REFUSED);
    }

    @Test
    void txt_timeoutAndNetworkErrorsAreTemporary() {
        scripted.on(
                "_mta-sts.example.com.", Type.TXT, q -> CompletableFuture.failedFuture(new TimeoutException("slow")));
        assertThat(kind(resolver.txt("_mta-sts.example.com"))).isEqualTo(DnsResult.FailureKind.TIMEOUT);
        scripted.on(
                "_mta-sts.example.com.", Type.TXT, q -> CompletableFuture.failedFuture(new IOException("unreachable")));
        assertThat(kind(resolver.txt("_mta-sts.example.com"))).isEqualTo(DnsResult.FailureKind.NETWORK);
    }

    @Test
    void failure_cachedNodataExceptionIsNodata() {
        // STS-TXT-9: dnsjava's cached NODATA arrives as NoSuchRRSetException; same case as an empty answer
        assertThat(DnsjavaResolver.<String>failure(
                        new java.util.concurrent.CompletionException(new NoSuchRRSetException(name("a."), Type.TXT))))
                .isEqualTo(DnsResult.noRecords(DnsResult.NoRecordsKind.NODATA));
        assertThat(kind(DnsjavaResolver.<String>failure(new ServerFailedException())))
                .isEqualTo(DnsResult.FailureKind.SERVFAIL);
        assertThat(kind(DnsjavaResolver.<String>failure(new IllegalStateException("bug"))))
                .isEqualTo(DnsResult.FailureKind.NETWORK);
    }

    @Test
    void mx_preferenceAndNormalisedExchange() {
        scripted.reply(
                "example.com.",
                Type.MX,
                Rcode.NOERROR,
                new MXRecord(name("example.com."), DClass.IN, 300, 10, name("MX1.Example.COM.")),
                new MXRecord(name("example.com."), DClass.IN, 300, 0, Name.root));
        assertThat(resolver.mx("example.com"))
                .isEqualTo(DnsResult.records(List.of(new MxRecord(10, "mx1.example.com"), new MxRecord(0, "."))));
    }

    @Test
    void addresses_combinesAAndAaaa() throws Exception {
        InetAddress v4 = InetAddress.getByName("192.0.2.1");
        InetAddress v6 = InetAddress.getByName("2001:db8::1");
        scripted.reply(
                "mta-sts.example.com.",
                Type.A,
                Rcode.NOERROR,
                new ARecord(name("mta-sts.example.com."), DClass.IN, 300, v4));
        scripted.reply(
                "mta-sts.example.com.",
                Type.AAAA,
                Rcode.NOERROR,
                new AAAARecord(name("mta-sts.example.com."), DClass.IN, 300, v6));
        assertThat(resolver.addresses("mta-sts.example.com")).isEqualTo(DnsResult.records(List.of(v4, v6)));
    }

    @Test
    void addresses_oneFamilyFailingWithoutRecordsIsTemporary() {
        scripted.reply("mta-sts.example.com.", Type.A, Rcode.SERVFAIL);
        scripted.reply("mta-sts.example.com.", Type.AAAA, Rcode.NOERROR);
        assertThat(kind(resolver.addresses("mta-sts.example.com"))).isEqualTo(DnsResult.FailureKind.SERVFAIL);
        scripted.reply("mta-sts.example.com.", Type.A, Rcode.NOERROR);
        scripted.reply("mta-sts.example.com.", Type.AAAA, Rcode.SERVFAIL);
        assertThat(kind(resolver.addresses("mta-sts.example.com"))).isEqualTo(DnsResult.FailureKind.SERVFAIL);
    }

    @Test
    void addresses_noneAtAll() {
        assertThat(resolver.addresses("mta-sts.example.com"))
                .isEqualTo(DnsResult.noRecords(DnsResult.NoRecordsKind.NXDOMAIN));
    }

    @Test
    void lookup_notAName() {
        assertThat(resolver.txt("a..b")).isEqualTo(DnsResult.noRecords(DnsResult.NoRecordsKind.NXDOMAIN));
    }

    @Test
    void dnsjava_unansweredServerIsTemporaryFailure() throws Exception {
        // STS-TXT-9: timeout -> temporary failure (a bound UDP socket that never answers)
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            DnsResolver dns = DnsResolver.dnsjava(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort()),
                    Duration.ofMillis(300));
            assertThat(dns.txt("_mta-sts.example.com")).isInstanceOf(DnsResult.Unavailable.class);
        }
    }

    @Test
    void factories_validate() {
        assertThat(DnsResolver.system()).isNotNull();
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DnsResolver.dnsjava(new InetSocketAddress(53), Duration.ZERO))
                .withMessageContaining("PT0S");
    }

    @Test
    void blockingDefault_exceptionalStageIsTemporary() {
        DnsResolver broken = new DnsResolver() {
            @Override
            public CompletionStage<DnsResult<String>> txtAsync(String name) {
                return CompletableFuture.failedFuture(new IllegalStateException("bug"));
            }

            @Override
            public CompletionStage<DnsResult<MxRecord>> mxAsync(String name) {
                return CompletableFuture.failedFuture(new IllegalStateException("bug"));
            }

            @Override
            public CompletionStage<DnsResult<InetAddress>> addressesAsync(String name) {
                return CompletableFuture.failedFuture(new IllegalStateException("bug"));
            }
        };
        assertThat(broken.txt("x")).isInstanceOf(DnsResult.Unavailable.class);
        assertThat(broken.mx("x")).isInstanceOf(DnsResult.Unavailable.class);
        assertThat(broken.addresses("x")).isInstanceOf(DnsResult.Unavailable.class);
    }

    private static DnsResult.FailureKind kind(DnsResult<?> result) {
        assertThat(result).isInstanceOf(DnsResult.Unavailable.class);
        return ((DnsResult.Unavailable<?>) result).kind();
    }
}
