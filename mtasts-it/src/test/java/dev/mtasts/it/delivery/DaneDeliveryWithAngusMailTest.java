package dev.mtasts.it.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.core.Mode;
import dev.mtasts.core.dane.DaneLookup;
import dev.mtasts.core.dane.MxDane;
import dev.mtasts.core.dane.MxTransport;
import dev.mtasts.core.dane.TransportDecision;
import dev.mtasts.core.dane.TransportSecurity;
import dev.mtasts.core.delivery.Delivery;
import dev.mtasts.core.delivery.DeliveryRefusedException;
import dev.mtasts.core.delivery.DeliveryTls;
import dev.mtasts.core.delivery.MxAttempt;
import dev.mtasts.core.delivery.MxSession;
import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.core.dns.SecureDnsResolver;
import dev.mtasts.core.dns.TrustAnchors;
import dev.mtasts.core.fetch.PolicyFetcher;
import dev.mtasts.core.resolve.MtaSts;
import dev.mtasts.core.tls.MxTls;
import dev.mtasts.core.tls.TlsFailureReason;
import dev.mtasts.core.tls.TlsSessionOutcome;
import dev.mtasts.testkit.MtaStsWorld;
import dev.mtasts.testkit.server.DnssecFault;
import dev.mtasts.testkit.server.FakeSmtpServer;
import dev.mtasts.testkit.server.SignedZone;
import dev.mtasts.testkit.server.SmtpFault;
import dev.mtasts.testkit.server.TestCertificate;
import dev.mtasts.testkit.server.TestCertificateAuthority;
import dev.mtasts.tlsrpt.AppliedPolicy;
import dev.mtasts.tlsrpt.DailyAggregate;
import dev.mtasts.tlsrpt.PolicyType;
import dev.mtasts.tlsrpt.SessionFailure;
import dev.mtasts.tlsrpt.TlsRptRecorder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * End to end with DANE (RFC 7672): a real Angus Mail client delivers to the testkit's fake MX of a
 * DNSSEC-signed domain, the real validating resolver feeding DANE discovery, the combined decision
 * with MTA-STS, the delivery's socket factories, and the TLSRPT recorder counting each session.
 *
 * <p>The world's DNS signs {@code example} (the trust anchor) and {@code dane.example} below it;
 * {@code plain.example} is an unsigned delegation. Both domains publish an enforced MTA-STS policy
 * listing their MX, whose certificate the world's CA issued.
 */
final class DaneDeliveryWithAngusMailTest {
    private static final String DOMAIN = "dane.example";
    private static final String MX = "mx1.dane.example";
    private static final String TLSA_NAME = "_25._tcp." + MX;
    private static final String PLAIN = "plain.example";
    private static final String PLAIN_MX = "mx1.plain.example";
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final InetAddress SENDER = InetAddress.getLoopbackAddress();

    private MtaStsWorld world;
    private SignedZone anchor;
    private SignedZone zone;
    private final List<MtaSts> engines = new ArrayList<>();
    private final List<MxSession> sessions = new CopyOnWriteArrayList<>();
    private TlsRptRecorder recorder;
    private DeliveryTls deliveries;

    @BeforeEach
    void start() {
        world = MtaStsWorld.builder()
                .domain(DOMAIN, d -> d.mx(10, MX).policy(Mode.ENFORCE))
                .domain(PLAIN, d -> d.mx(10, PLAIN_MX).policy(Mode.ENFORCE))
                .build()
                .start();
        anchor = world.dns().signedZone("example");
        zone = world.dns().signedZone(DOMAIN);
        world.dns().unsignedZone(PLAIN);
        // DANE-EE for the MX's own certificate, as a DANE domain publishes by default
        publishTlsa(TLSA_NAME, smtp(MX).certificate().orElseThrow().tlsa(3, 1, 1));
        recorder = TlsRptRecorder.builder().defaultSendingIp(SENDER).build();
        MxTls tls = MxTls.builder().pkixTrustManager(world.trustManager()).build();
        deliveries = DeliveryTls.builder()
                .mxTls(tls)
                .listener(session -> {
                    sessions.add(session);
                    recorder.sessionListener().sessionEnded(session);
                })
                .build();
    }

    @AfterEach
    void stop() {
        engines.forEach(MtaSts::close);
        world.close();
    }

    private TransportDecision decide() {
        return decide(DOMAIN);
    }

    /** The decision an MTA asks for before delivering: DANE discovery and MTA-STS side by side. */
    private TransportDecision decide(String domain) {
        DnsResolver dns = DnsResolver.dnsjava(world.dnsAddress(), Duration.ofSeconds(2));
        PolicyFetcher fetcher =
                world.policyFetcher(dns).timeout(Duration.ofSeconds(3)).build();
        MtaSts sts = MtaSts.builder().dns(dns).fetcher(fetcher).build();
        engines.add(sts);
        SecureDnsResolver secure = SecureDnsResolver.builder()
                .server(world.dnsAddress())
                .trustAnchors(TrustAnchors.parse(anchor.trustAnchor()))
                .timeout(Duration.ofSeconds(2))
                .build();
        DaneLookup dane = DaneLookup.builder().resolver(secure).build();
        return TransportSecurity.builder().mtaSts(sts).dane(dane).build().decide(domain);
    }

    private FakeSmtpServer smtp() {
        return world.smtp(MX);
    }

    private FakeSmtpServer smtp(String mx) {
        return world.smtp(mx);
    }

    /** Replaces the MX's TLSA RRset with these records (presentation form). */
    private void tlsa(String... records) {
        publishTlsa(TLSA_NAME, records);
    }

    private void publishTlsa(String name, String... records) {
        world.dns().remove(name, "TLSA");
        for (String record : records) {
            world.dns().record(name, "TLSA", record);
        }
    }

    /** What an MTA sets per delivery; STARTTLS not required: the attempt refuses plaintext itself. */
    private static Session session(Delivery delivery) {
        Properties props = new Properties();
        props.put("mail.smtp.starttls.enable", "true");
        props.put("mail.smtp.starttls.required", "false");
        props.put("mail.smtp.ssl.socketFactory", delivery.socketFactory());
        props.put("mail.smtp.socketFactory", delivery.plainSocketFactory());
        props.put("mail.smtp.socketFactory.fallback", "false");
        props.put("mail.smtp.ssl.checkserveridentity", "false");
        props.put("mail.smtp.connectiontimeout", "5000");
        props.put("mail.smtp.timeout", "5000");
        return Session.getInstance(props);
    }

    private boolean deliver(TransportDecision decision) {
        return deliver(decision, MX);
    }

    /** One delivery of one message to the domain's one MX; whether the message went out. */
    private boolean deliver(TransportDecision decision, String mx) {
        try (Delivery delivery = deliveries.start(decision)) {
            MxAttempt attempt = delivery.attempt(mx, LOOPBACK);
            if (!attempt.allowed()) {
                assertThat(delivery.mustDefer()).isTrue();
                return false;
            }
            Session session = session(delivery);
            try (Transport transport = session.getTransport("smtp")) {
                transport.connect("127.0.0.1", smtp(mx).port(), null, null);
                attempt.connected();
                MimeMessage message = new MimeMessage(session);
                message.setFrom(new InternetAddress("sender@sender.example"));
                message.setRecipient(Message.RecipientType.TO, new InternetAddress("rcpt@" + decision.domain()));
                message.setSubject("DANE delivery");
                message.setText("hello over DANE\r\n");
                transport.sendMessage(message, message.getAllRecipients());
                return true;
            } catch (MessagingException | DeliveryRefusedException e) {
                attempt.failed(e);
                return false;
            }
        }
    }

    private void assertNothingSent() {
        assertThat(smtp().sessions()).allSatisfy(s -> assertThat(s.message()).isEmpty());
    }

    private void assertDeliveredOverTls() {
        assertDeliveredOverTls(MX);
    }

    private void assertDeliveredOverTls(String mx) {
        assertThat(smtp(mx).sessions()).anySatisfy(s -> {
            assertThat(s.tlsUsed()).isTrue();
            assertThat(s.messageText()).isPresent();
        });
    }

    private DailyAggregate recordedDay() {
        assertThat(recorder.snapshot()).hasSize(1);
        return recorder.snapshot().get(0);
    }

    private static List<String> resultTypes(DailyAggregate day) {
        return day.failures().keySet().stream().map(f -> f.resultType().token()).toList();
    }

    static Stream<Arguments> usableCombinations() {
        List<Arguments> all = new ArrayList<>();
        for (int usage : new int[] {2, 3}) {
            for (int selector : new int[] {0, 1}) {
                for (int matching : new int[] {0, 1, 2}) {
                    all.add(Arguments.of(usage, selector, matching));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "TLSA {0} {1} {2}")
    @MethodSource("usableCombinations")
    void usableTlsa_everyUsageSelectorMatchingType_delivered(int usage, int selector, int matching) {
        // RFC 7672 §3.1.1 (DANE-EE), §3.1.2 (DANE-TA), RFC 6698 §2.1.2-§2.1.3; DANE-DEC-40
        TestCertificateAuthority intermediate = world.certificateAuthority().intermediate();
        TestCertificate leaf = intermediate.issue().dnsNames(MX).build();
        smtp().certificate(leaf);
        String record =
                usage == 3 ? leaf.tlsa(usage, selector, matching) : intermediate.tlsa(usage, selector, matching);
        tlsa(record);

        TransportDecision decision = decide();
        assertThat(decision.decisionFor(MX).requirement()).isEqualTo(MxTransport.Requirement.DANE);
        assertThat(deliver(decision)).isTrue();

        assertDeliveredOverTls();
        assertThat(smtp().takeSession().sniReceived()).contains(MX);
        assertThat(sessions).singleElement().satisfies(s -> {
            assertThat(s.outcome()).isEqualTo(TlsSessionOutcome.success());
            assertThat(s.dane()).containsInstanceOf(MxDane.Usable.class);
        });
        DailyAggregate day = recordedDay();
        assertThat(day.policy().type()).isEqualTo(PolicyType.TLSA);
        assertThat(day.policy().policyDomain()).isEqualTo(MX);
        assertThat(day.policy().policyString()).containsExactly(record.toUpperCase(java.util.Locale.ROOT));
        assertThat(day.successfulSessions()).isEqualTo(1);
        assertThat(day.failedSessions()).isZero();
    }

    @Test
    void tlsaMatchingNothing_refused_daneNoMatchRecorded() {
        // RFC 7672 §3.1, RFC 8460 §4.3.2; DANE-DEC-41
        TestCertificate other =
                world.certificateAuthority().issue().dnsNames(MX).build();
        tlsa(other.tlsa(3, 1, 1));

        assertThat(deliver(decide())).isFalse();

        assertNothingSent();
        assertThat(sessions)
                .singleElement()
                .satisfies(s -> assertThat(((TlsSessionOutcome.Failed) s.outcome()).reason())
                        .isEqualTo(TlsFailureReason.DANE_NO_MATCH));
        DailyAggregate day = recordedDay();
        assertThat(day.policy().type()).isEqualTo(PolicyType.TLSA);
        assertThat(day.failedSessions()).isEqualTo(1);
        assertThat(day.failures().keySet()).singleElement().satisfies(f -> {
            assertThat(f.resultType().token()).isEqualTo("validation-failure");
            assertThat(f.failureReasonCode()).hasValue("dane-no-match");
        });
    }

    @Test
    void daneFailing_whileStsWouldPass_refused() {
        // RFC 8461 §2: MTA-STS never overrides a DANE failure; the certificate is WebPKI-valid for the
        // MX and the enforced policy lists it, yet nothing is sent. DANE-DEC-42
        TestCertificate other =
                world.certificateAuthority().issue().dnsNames(MX).build();
        tlsa(other.tlsa(3, 0, 1));
        TransportDecision decision = decide();
        assertThat(decision.sts().decisionFor(MX).name()).isEqualTo("REQUIRE_VALIDATED_TLS");

        assertThat(deliver(decision)).isFalse();

        assertNothingSent();
        assertThat(resultTypes(recordedDay())).containsExactly("validation-failure");
        assertThat(recordedDay().policy().type()).isEqualTo(PolicyType.TLSA);
    }

    @Test
    void daneHost_certificateFailsWebPki_stsEnforce_daneWinsAndDelivers() {
        // RFC 8461 §2, RFC 7672 §3.1.1: DANE-EE ignores names and issuer; MTA-STS is not consulted.
        // DANE-DEC-43
        TestCertificate selfSigned = TestCertificateAuthority.create("not the world's CA")
                .issue()
                .dnsNames("wrong.name.example")
                .build();
        smtp().certificate(selfSigned);
        tlsa(selfSigned.tlsa(3, 1, 1));

        assertThat(deliver(decide())).isTrue();

        assertDeliveredOverTls();
        assertThat(recordedDay().successfulSessions()).isEqualTo(1);
        assertThat(recordedDay().policy().type()).isEqualTo(PolicyType.TLSA);
    }

    @Test
    void unusableTlsaOnly_tlsRequiredAndDelivered_tlsaInvalidRecorded() {
        // RFC 7672 §2.2 (TLS without authentication), §3.1.3 (PKIX usages unusable), RFC 8460
        // §4.3.2; DANE-DEC-44. The domain publishes no MTA-STS policy here: an enforced one would
        // require WebPKI validation instead.
        world.removeStsRecord(DOMAIN);
        TestCertificate leaf = world.certificateAuthority().issue().dnsNames(MX).build();
        smtp().certificate(leaf);
        tlsa(leaf.tlsa(1, 1, 1));
        TransportDecision decision = decide();
        assertThat(decision.decisionFor(MX).requirement()).isEqualTo(MxTransport.Requirement.TLS_UNAUTHENTICATED);

        assertThat(deliver(decision)).isTrue();

        assertDeliveredOverTls();
        DailyAggregate day = recordedDay();
        assertThat(day.policy()).isEqualTo(AppliedPolicy.tlsa(MX, List.of(leaf.tlsa(1, 1, 1))));
        assertThat(resultTypes(day)).containsExactly("tlsa-invalid");
    }

    @Test
    void daneHost_withoutStartTls_nothingSentInPlaintext() {
        // RFC 7672 §2.2: with usable TLSA records TLS is mandatory, even though the client does not
        // require STARTTLS; DANE-DEC-48
        smtp().fault(SmtpFault.STARTTLS_NOT_OFFERED);

        assertThat(deliver(decide())).isFalse();

        assertNothingSent();
        assertThat(smtp().takeSession().transactions()).isEmpty();
        DailyAggregate day = recordedDay();
        assertThat(day.policy().type()).isEqualTo(PolicyType.TLSA);
        assertThat(resultTypes(day)).containsExactly("starttls-not-supported");
    }

    @Test
    void tlsaBadSignature_hostDeferred_dnssecInvalidRecorded_nothingSent() {
        // RFC 7672 §2.1.1, RFC 8460 §4.3.2; DANE-DEC-45
        zone.fault(TLSA_NAME, DnssecFault.BAD_SIGNATURE);
        assertDeferredAsDnssecInvalid();
    }

    @Test
    void tlsaExpiredSignature_hostDeferred_dnssecInvalidRecorded_nothingSent() {
        // RFC 7672 §2.1.1, RFC 8460 §4.3.2; DANE-DEC-45
        zone.fault(TLSA_NAME, DnssecFault.EXPIRED_SIGNATURE);
        assertDeferredAsDnssecInvalid();
    }

    private void assertDeferredAsDnssecInvalid() {
        TransportDecision decision = decide();
        assertThat(decision.decisionFor(MX).requirement()).isEqualTo(MxTransport.Requirement.DEFER);

        assertThat(deliver(decision)).isFalse();

        assertThat(smtp().connectionCount()).isZero();
        DailyAggregate day = recordedDay();
        assertThat(day.policy()).isEqualTo(AppliedPolicy.tlsa(MX, List.of()));
        assertThat(day.failedSessions()).isEqualTo(1);
        assertThat(day.failures().keySet())
                .extracting(SessionFailure::resultType)
                .extracting(t -> t.token())
                .containsExactly("dnssec-invalid");
    }

    @Test
    void missingDs_daneNotApplicable_mtaStsDecidesAndDelivers() {
        // RFC 7672 §2.2.1: an insecure zone has no DANE; the enforced MTA-STS policy applies. DANE-DEC-46
        zone.fault(DnssecFault.MISSING_DS);
        TransportDecision decision = decide();
        assertThat(decision.decisionFor(MX).requirement()).isEqualTo(MxTransport.Requirement.STS_VALIDATED);

        assertThat(deliver(decision)).isTrue();

        assertDeliveredOverTls();
        assertThat(sessions).singleElement().satisfies(s -> assertThat(s.dane()).isEmpty());
        assertThat(recordedDay().policy().type()).isEqualTo(PolicyType.STS);
        assertThat(recordedDay().successfulSessions()).isEqualTo(1);
    }

    @Test
    void unsignedDelegation_daneNotApplicable_mtaStsDecidesAndDelivers() {
        // RFC 7672 §2.2.1: the parent proves plain.example unsigned; its TLSA records are ignored.
        // DANE-DEC-46
        publishTlsa("_25._tcp." + PLAIN_MX, "3 1 1 " + "AB".repeat(32));
        TransportDecision decision = decide(PLAIN);
        assertThat(decision.decisionFor(PLAIN_MX).requirement()).isEqualTo(MxTransport.Requirement.STS_VALIDATED);

        assertThat(deliver(decision, PLAIN_MX)).isTrue();

        assertDeliveredOverTls(PLAIN_MX);
        assertThat(sessions).singleElement().satisfies(s -> assertThat(s.dane()).isEmpty());
        assertThat(recordedDay().policy().type()).isEqualTo(PolicyType.STS);
        assertThat(recordedDay().policy().policyDomain()).isEqualTo(PLAIN);
    }
}
