package dev.mtasts.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mtasts.core.dane.DaneLookup;
import dev.mtasts.core.dane.MxDane;
import dev.mtasts.core.dane.MxTransport.Requirement;
import dev.mtasts.core.dane.TransportDecision;
import dev.mtasts.core.dane.TransportSecurity;
import dev.mtasts.core.dns.DnsResult;
import dev.mtasts.core.dns.DnssecStatus;
import dev.mtasts.core.dns.MxRecord;
import dev.mtasts.core.dns.SecureDnsResolver;
import dev.mtasts.core.dns.TlsaRecord;
import dev.mtasts.core.dns.ValidatedAnswer;
import dev.mtasts.core.resolve.MtaSts;
import dev.mtasts.core.testing.FakeDns;
import dev.mtasts.core.testing.FakeFetcher;
import dev.mtasts.core.tls.MxTls;
import dev.mtasts.core.tls.TlsConfigurationException;
import dev.mtasts.core.tls.TlsFailureReason;
import dev.mtasts.core.tls.TlsSessionOutcome;
import dev.mtasts.testkit.server.TestCertificate;
import dev.mtasts.testkit.server.TestCertificateAuthority;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A delivery under the combined DANE and MTA-STS decision, against real loopback TLS servers: DNS
 * answers (validated and not) come from in-memory resolvers, everything else is the real thing.
 */
final class DaneDeliveryTest {
    private static final String DOMAIN = "example.com";
    private static final String MX1 = "mx1.example.com";
    private static final String TLSA_NAME = "_25._tcp." + MX1;

    private final FakeSecureDns secure = new FakeSecureDns();
    private final FakeDns dns = new FakeDns();
    private final FakeFetcher fetcher = new FakeFetcher();
    private final RecordingSessions recorded = new RecordingSessions();
    private TestCertificateAuthority webPki;
    private DeliveryTls deliveries;
    private @Nullable MtaSts sts;
    private @Nullable LoopbackTlsServer server;

    @BeforeEach
    void setUp() {
        webPki = TestCertificateAuthority.create("web pki CA");
        MxTls tls = MxTls.builder().pkixTrustManager(webPki.trustManager()).build();
        deliveries = DeliveryTls.builder().mxTls(tls).listener(recorded).build();
        // An enforced MTA-STS policy listing the MX, so DANE's precedence is visible.
        dns.txt("_mta-sts." + DOMAIN, "v=STSv1; id=1");
        fetcher.serve("version: STSv1\nmode: enforce\nmx: " + MX1 + "\nmax_age: 86400\n");
        secure.mx(DOMAIN, DnssecStatus.SECURE, new MxRecord(10, MX1));
        secure.addresses(MX1, DnssecStatus.SECURE, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void tearDown() throws IOException {
        if (server != null) {
            server.close();
        }
        if (sts != null) {
            sts.close();
        }
    }

    private TransportDecision decide(Set<String> daneRequired) {
        MtaSts engine = MtaSts.builder().dns(dns).fetcher(fetcher).build();
        sts = engine;
        DaneLookup dane = DaneLookup.builder().resolver(secure).build();
        return TransportSecurity.builder()
                .mtaSts(engine)
                .dane(dane)
                .daneRequired(daneRequired)
                .build()
                .decide(DOMAIN);
    }

    private TransportDecision decide() {
        return decide(Set.of());
    }

    private LoopbackTlsServer serve(@Nullable TestCertificate certificate) throws IOException {
        server = new LoopbackTlsServer(certificate == null ? null : certificate.serverSslContext());
        return server;
    }

    /** A certificate no WebPKI anchor of the delivery knows, for a name that is not the MX. */
    private static TestCertificate strangers() {
        return TestCertificateAuthority.create("stranger CA")
                .issue()
                .dnsNames("elsewhere.example.org")
                .build();
    }

    private static TlsaRecord tlsa(TestCertificate certificate, int usage) {
        return TlsaRecord.parse(certificate.tlsa(usage, 1, 1));
    }

    /** What Jakarta Mail does: a plain connection from the plain factory, then STARTTLS over it. */
    private static SSLSocket startTls(Delivery delivery, LoopbackTlsServer mx) throws IOException {
        Socket plain = delivery.plainSocketFactory().createSocket();
        plain.connect(mx.address(), 10_000);
        SSLSocket socket = (SSLSocket) delivery.socketFactory().createSocket(plain, "127.0.0.1", mx.port(), true);
        socket.startHandshake();
        if (socket.getInputStream().read() != 'x') {
            throw new IOException("the server did not answer after the handshake");
        }
        return socket;
    }

    private static TlsSessionOutcome.Failed failure(TlsSessionOutcome outcome) {
        assertThat(outcome).isInstanceOf(TlsSessionOutcome.Failed.class);
        return (TlsSessionOutcome.Failed) outcome;
    }

    @Test
    void daneHost_matchingCertificate_acceptedWithoutWebPki_sessionCarriesTheTlsaRecords() throws Exception {
        // RFC 7672 §3.1.1, RFC 8461 §2: DANE-EE decides; names and issuer are not MTA-STS's business
        TestCertificate certificate = strangers();
        secure.tlsa(TLSA_NAME, DnssecStatus.SECURE, tlsa(certificate, 3));
        LoopbackTlsServer mx = serve(certificate);
        try (Delivery delivery = deliveries.start(decide())) {
            MxAttempt attempt = delivery.attempt(MX1, LoopbackTlsServer.loopback());
            assertThat(attempt.requirement()).isEqualTo(Requirement.DANE);
            assertThat(attempt.decision().name()).isEqualTo("REQUIRE_VALIDATED_TLS");
            try (SSLSocket socket = startTls(delivery, mx)) {
                attempt.connected();
            }
            assertThat(mx.takeSni()).isEqualTo(MX1);
        }
        assertThat(recorded.sessions()).singleElement().satisfies(s -> {
            assertThat(s.outcome()).isEqualTo(TlsSessionOutcome.success());
            assertThat(s.dane()).hasValueSatisfying(d -> {
                assertThat(d).isInstanceOf(MxDane.Usable.class);
                assertThat(((MxDane.Usable) d).records()).containsExactly(tlsa(certificate, 3));
            });
            assertThat(s.policy().domain()).isEqualTo(DOMAIN);
        });
    }

    @Test
    void sharedAddress_registeredForAnotherMx_refusedNotLayeredWithThatHostsTrust() throws Exception {
        // RFC 8461 §2, RFC 7672 §3: a DANE attempt is never checked with another host's (WebPKI) trust,
        // even when the address dialled was last registered for that host
        String mx2 = "mx2.example.com";
        fetcher.serve("version: STSv1\nmode: enforce\nmx: " + MX1 + "\nmx: " + mx2 + "\nmax_age: 86400\n");
        secure.mx(DOMAIN, DnssecStatus.SECURE, new MxRecord(10, MX1), new MxRecord(20, mx2));
        secure.addresses(mx2, DnssecStatus.SECURE, InetAddress.getLoopbackAddress());
        secure.tlsa(TLSA_NAME, DnssecStatus.SECURE, tlsa(strangers(), 3));
        LoopbackTlsServer mx = serve(webPki.issue().dnsNames(mx2).build());
        try (Delivery delivery = deliveries.start(decide())) {
            delivery.mxAddress(MX1, LoopbackTlsServer.loopback());
            delivery.mxAddress(mx2, LoopbackTlsServer.loopback());
            MxAttempt attempt = delivery.attempt(MX1);
            assertThat(attempt.requirement()).isEqualTo(Requirement.DANE);
            assertThat(delivery.transportDecision()
                            .orElseThrow()
                            .decisionFor(mx2)
                            .requirement())
                    .isEqualTo(Requirement.STS_VALIDATED);

            Throwable thrown = catchThrowable(() -> startTls(delivery, mx));

            assertThat(thrown).isInstanceOf(TlsConfigurationException.class).hasMessageContaining(mx2);
            assertThat(attempt.failed(thrown)).isInstanceOf(TlsSessionOutcome.LocalError.class);
        }
        assertThat(recorded.sessions()).isEmpty();
    }

    @Test
    void bogusMxRrset_deferredAndReportedToTheNextHopDomain_notToTheHostTried() throws Exception {
        // RFC 7672 §2.1.1, RFC 8460 §4.3.2, §4.4: the host names of a bogus MX RRset are untrusted, so the
        // dnssec-invalid failure goes to the domain, once, whichever hosts the MTA tries
        secure.mx(DOMAIN, ValidatedAnswer.bogus(DOMAIN, "signature expired"));
        try (Delivery delivery = deliveries.start(decide())) {
            assertThat(delivery.attempt("mx.attacker.example").allowed()).isFalse();
            assertThat(delivery.attempt(MX1).allowed()).isFalse();
            assertThat(delivery.mustDefer()).isTrue();
        }
        assertThat(recorded.sessions()).singleElement().satisfies(s -> {
            assertThat(failure(s.outcome()).reason()).isEqualTo(TlsFailureReason.DNSSEC_BOGUS);
            assertThat(s.dane()).hasValueSatisfying(d -> assertThat(d.mxHost()).isEqualTo(DOMAIN));
        });
    }

    @Test
    void daneHost_noMatch_refusedAsDaneNoMatch_evenThoughWebPkiWouldPass() throws Exception {
        // RFC 7672 §3.1, RFC 8461 §2: MTA-STS never overrides a DANE failure
        TestCertificate valid = webPki.issue().dnsNames(MX1).build();
        secure.tlsa(TLSA_NAME, DnssecStatus.SECURE, tlsa(strangers(), 3));
        LoopbackTlsServer mx = serve(valid);
        try (Delivery delivery = deliveries.start(decide())) {
            MxAttempt attempt = delivery.attempt(MX1, LoopbackTlsServer.loopback());
            Throwable thrown = catchThrowable(() -> startTls(delivery, mx));
            assertThat(thrown).isInstanceOf(IOException.class);
            assertThat(failure(attempt.failed(thrown)).reason()).isEqualTo(TlsFailureReason.DANE_NO_MATCH);
        }
        assertThat(recorded.sessions()).singleElement().satisfies(s -> {
            assertThat(failure(s.outcome()).reasonCode()).contains("dane-no-match");
            assertThat(s.dane()).containsInstanceOf(MxDane.Usable.class);
        });
    }

    @Test
    void daneHost_withoutStartTls_refusedInPlaintext() throws Exception {
        // RFC 7672 §2.2: usable TLSA records make TLS mandatory; DANE-DEC-48
        secure.tlsa(TLSA_NAME, DnssecStatus.SECURE, tlsa(strangers(), 3));
        LoopbackTlsServer mx = serve(null);
        try (Delivery delivery = deliveries.start(decide())) {
            MxAttempt attempt = delivery.attempt(MX1, LoopbackTlsServer.loopback());
            try (Socket plain = delivery.plainSocketFactory().createSocket()) {
                plain.connect(mx.address(), 10_000);
                DeliveryRefusedException refused =
                        catchThrowableOfType(DeliveryRefusedException.class, attempt::connected);
                assertThat(refused).hasMessageContaining("DANE");
                assertThat(failure(refused.outcome()).reason()).isEqualTo(TlsFailureReason.STARTTLS_NOT_SUPPORTED);
            }
        }
        assertThat(recorded.sessions())
                .singleElement()
                .satisfies(s -> assertThat(s.dane()).isPresent());
    }

    @Test
    void unusableTlsa_anyCertificateOverTls_butNeverPlaintext() throws Exception {
        // RFC 7672 §2.2, §3.1.3: PKIX usages are unusable for SMTP; TLS is still required. Without an
        // enforced MTA-STS policy to fall back on, any certificate is accepted. DANE-DEC-44
        dns.nodata("_mta-sts." + DOMAIN);
        TestCertificate certificate = strangers();
        secure.tlsa(TLSA_NAME, DnssecStatus.SECURE, tlsa(certificate, 1));
        LoopbackTlsServer mx = serve(certificate);
        TransportDecision decision = decide();
        try (Delivery delivery = deliveries.start(decision)) {
            MxAttempt attempt = delivery.attempt(MX1, LoopbackTlsServer.loopback());
            assertThat(attempt.requirement()).isEqualTo(Requirement.TLS_UNAUTHENTICATED);
            try (SSLSocket socket = startTls(delivery, mx)) {
                attempt.connected();
            }
        }
        try (Delivery delivery = deliveries.start(decision);
                LoopbackTlsServer plainMx = new LoopbackTlsServer(null)) {
            MxAttempt attempt = delivery.attempt(MX1, LoopbackTlsServer.loopback());
            try (Socket plain = delivery.plainSocketFactory().createSocket()) {
                plain.connect(plainMx.address(), 10_000);
                assertThatThrownBy(attempt::connected).isInstanceOf(DeliveryRefusedException.class);
            }
        }
        assertThat(recorded.sessions())
                .extracting(MxSession::outcome)
                .containsExactly(
                        TlsSessionOutcome.success(),
                        new TlsSessionOutcome.Failed(
                                TlsFailureReason.STARTTLS_NOT_SUPPORTED, "no TLS was negotiated with MX " + MX1));
        assertThat(recorded.sessions()).allSatisfy(s -> assertThat(s.dane()).containsInstanceOf(MxDane.Unusable.class));
    }

    @Test
    void bogusTlsa_hostDeferred_dnssecBogusRecordedOncePerHost() throws Exception {
        // RFC 7672 §2.1.1, RFC 8460 §4.3.2; DANE-DEC-45, DANE-RPT-5
        secure.tlsa(TLSA_NAME, ValidatedAnswer.bogus(TLSA_NAME, "RRSIG expired"));
        try (Delivery delivery = deliveries.start(decide())) {
            MxAttempt first = delivery.attempt(MX1, LoopbackTlsServer.loopback());
            MxAttempt again = delivery.attempt(MX1, LoopbackTlsServer.loopback());
            assertThat(first.allowed()).isFalse();
            assertThat(first.requirement()).isEqualTo(Requirement.DEFER);
            assertThat(again.allowed()).isFalse();
            assertThat(delivery.mustDefer()).isTrue();
            assertThatThrownBy(() -> delivery.plainSocketFactory().createSocket())
                    .isInstanceOf(TlsConfigurationException.class);
            assertThatThrownBy(first::connected).isInstanceOf(DeliveryRefusedException.class);
        }
        assertThat(recorded.sessions()).singleElement().satisfies(s -> {
            assertThat(failure(s.outcome()).reason()).isEqualTo(TlsFailureReason.DNSSEC_BOGUS);
            assertThat(s.dane()).containsInstanceOf(MxDane.Failed.class);
            assertThat(s.mxHost()).isEqualTo(MX1);
        });
    }

    @Test
    void daneRequired_hostWithoutTlsa_deferredAndRecordedAsDaneRequired() {
        // RFC 8460 §4.3.2: the sender's local policy requires DANE; DANE-RPT-6
        secure.tlsa(TLSA_NAME, DnssecStatus.SECURE);
        try (Delivery delivery = deliveries.start(decide(Set.of(DOMAIN)))) {
            MxAttempt attempt = delivery.attempt(MX1);
            assertThat(attempt.allowed()).isFalse();
            assertThat(delivery.mustDefer()).isTrue();
        }
        assertThat(recorded.sessions())
                .singleElement()
                .satisfies(s -> assertThat(failure(s.outcome()).reason()).isEqualTo(TlsFailureReason.DANE_REQUIRED));
    }

    @Test
    void insecureMx_daneNotApplicable_stsDecides_sessionWithoutDane() throws Exception {
        // RFC 7672 §2.2.1: no DANE for an insecure MX RRset; the enforced policy applies. DANE-DEC-46
        secure.mx(DOMAIN, DnssecStatus.INSECURE, new MxRecord(10, MX1));
        LoopbackTlsServer mx = serve(webPki.issue().dnsNames(MX1).build());
        try (Delivery delivery = deliveries.start(decide())) {
            MxAttempt attempt = delivery.attempt(MX1, LoopbackTlsServer.loopback());
            assertThat(attempt.requirement()).isEqualTo(Requirement.STS_VALIDATED);
            assertThat(attempt.dane()).isEmpty();
            try (SSLSocket socket = startTls(delivery, mx)) {
                attempt.connected();
            }
        }
        assertThat(recorded.sessions()).singleElement().satisfies(s -> {
            assertThat(s.outcome()).isEqualTo(TlsSessionOutcome.success());
            assertThat(s.dane()).isEmpty();
        });
    }

    /** Validated answers set per name; a name with none set has no records, securely. */
    private static final class FakeSecureDns implements SecureDnsResolver {
        private final Map<String, ValidatedAnswer<MxRecord>> mx = new ConcurrentHashMap<>();
        private final Map<String, ValidatedAnswer<InetAddress>> addresses = new ConcurrentHashMap<>();
        private final Map<String, ValidatedAnswer<TlsaRecord>> tlsa = new ConcurrentHashMap<>();

        void mx(String name, DnssecStatus status, MxRecord... records) {
            mx.put(name, answer(name, status, List.of(records)));
        }

        void addresses(String name, DnssecStatus status, InetAddress... values) {
            addresses.put(name, answer(name, status, List.of(values)));
        }

        void tlsa(String name, DnssecStatus status, TlsaRecord... records) {
            tlsa.put(name, answer(name, status, List.of(records)));
        }

        void mx(String name, ValidatedAnswer<MxRecord> answer) {
            mx.put(name, answer);
        }

        void tlsa(String name, ValidatedAnswer<TlsaRecord> answer) {
            tlsa.put(name, answer);
        }

        private static <T> ValidatedAnswer<T> answer(String name, DnssecStatus status, List<T> values) {
            DnsResult<T> result = values.isEmpty()
                    ? DnsResult.noRecords(DnsResult.NoRecordsKind.NXDOMAIN)
                    : DnsResult.records(values);
            return new ValidatedAnswer<>(result, status, List.of(name), "");
        }

        private static <T> CompletionStage<ValidatedAnswer<T>> of(
                Map<String, ValidatedAnswer<T>> answers, String name) {
            ValidatedAnswer<T> answer = answers.get(name);
            return CompletableFuture.completedFuture(
                    answer != null ? answer : answer(name, DnssecStatus.SECURE, List.of()));
        }

        @Override
        public CompletionStage<ValidatedAnswer<MxRecord>> mxAsync(String name) {
            return of(mx, name);
        }

        @Override
        public CompletionStage<ValidatedAnswer<InetAddress>> addressesAsync(String name) {
            return of(addresses, name);
        }

        @Override
        public CompletionStage<ValidatedAnswer<TlsaRecord>> tlsaAsync(String name) {
            return of(tlsa, name);
        }
    }
}
