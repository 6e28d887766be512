package dev.mtasts.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.core.Mode;
import dev.mtasts.core.ResultType;
import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.core.fetch.PolicyFetcher;
import dev.mtasts.core.resolve.MtaSts;
import dev.mtasts.core.resolve.MxDecision;
import dev.mtasts.core.resolve.PolicyResult;
import dev.mtasts.core.tls.MxTls;
import dev.mtasts.core.tls.TlsFailureClassifier;
import dev.mtasts.core.tls.TlsFailureReason;
import dev.mtasts.core.tls.TlsSessionOutcome;
import dev.mtasts.testkit.MtaStsWorld;
import dev.mtasts.testkit.server.FakeSmtpServer;
import dev.mtasts.testkit.server.SmtpFault;
import dev.mtasts.testkit.server.SmtpSession;
import dev.mtasts.testkit.server.TestCertificate;
import dev.mtasts.testkit.server.TestCertificateAuthority;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * End to end: Angus Mail delivers over STARTTLS to the testkit's fake MX, dialling
 * 127.0.0.1 (as MTAs dial addresses), with {@link MxTls} enforcing RFC 8461 §4.2 and {@link
 * TlsFailureClassifier} turning each refusal into its TLSRPT result type (RFC 8460 §4.3.1).
 */
final class MxDeliveryIntegrationTest {
    private static final String MX = "mx1.example.com";

    private TestCertificateAuthority ca;
    private MxTls tls;
    private @Nullable FakeSmtpServer server;

    @BeforeEach
    void setUp() {
        ca = TestCertificateAuthority.create("delivery test CA");
        tls = MxTls.builder().pkixTrustManager(ca.trustManager()).build();
    }

    @AfterEach
    void tearDown() {
        FakeSmtpServer running = server;
        if (running != null) {
            running.close();
        }
    }

    private FakeSmtpServer mx(TestCertificate certificate) {
        server = new FakeSmtpServer(MX, certificate).start();
        return server;
    }

    /** What an MTA sets per delivery to an MX whose decision is REQUIRE_VALIDATED_TLS. */
    private Properties enforcedProperties(String mxHost, int port) {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", Integer.toString(port));
        props.put("mail.smtp.starttls.enable", "true");
        props.put("mail.smtp.starttls.required", "true");
        props.put("mail.smtp.ssl.socketFactory", tls.socketFactory(mxHost));
        props.put("mail.smtp.ssl.checkserveridentity", "false");
        props.put("mail.smtp.connectiontimeout", "5000");
        props.put("mail.smtp.timeout", "5000");
        return props;
    }

    /** Opportunistic delivery as without MTA-STS: STARTTLS if offered, any certificate. */
    private static Properties opportunisticProperties(int port) {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", Integer.toString(port));
        props.put("mail.smtp.starttls.enable", "true");
        props.put("mail.smtp.ssl.trust", "*");
        props.put("mail.smtp.ssl.checkserveridentity", "false");
        props.put("mail.smtp.connectiontimeout", "5000");
        props.put("mail.smtp.timeout", "5000");
        return props;
    }

    private static TlsSessionOutcome deliver(Properties props) {
        Session session = Session.getInstance(props);
        try (Transport transport = session.getTransport("smtp")) {
            MimeMessage message = new MimeMessage(session);
            message.setFrom(new InternetAddress("sender@sender.example"));
            message.setRecipient(Message.RecipientType.TO, new InternetAddress("rcpt@example.com"));
            message.setSubject("MTA-STS delivery test");
            message.setText("hello over TLS\r\n");
            transport.connect();
            transport.sendMessage(message, message.getAllRecipients());
            return TlsSessionOutcome.success();
        } catch (MessagingException e) {
            return TlsFailureClassifier.classify(e);
        }
    }

    private static TlsSessionOutcome.Failed failure(TlsSessionOutcome outcome) {
        assertThat(outcome).isInstanceOf(TlsSessionOutcome.Failed.class);
        return (TlsSessionOutcome.Failed) outcome;
    }

    private static void assertNotDelivered(FakeSmtpServer server) {
        assertThat(server.sessions()).allSatisfy(s -> assertThat(s.message()).isEmpty());
    }

    @Test
    void validCertificate_dialledByIp_isDeliveredOverTlsWithTheMxNameAsSni() {
        // RFC 8461 §4.2, §7.1 (STS-CERT-4): connect by IP, yet SNI and identity are the MX name
        FakeSmtpServer mx = mx(ca.issue().dnsNames(MX).build());
        assertThat(deliver(enforcedProperties(MX, mx.port()))).isEqualTo(TlsSessionOutcome.success());
        SmtpSession session = mx.takeSession();
        assertThat(session.tlsUsed()).isTrue();
        assertThat(session.sniReceived()).contains(MX);
        assertThat(session.tlsProtocol()).hasValueSatisfying(p -> assertThat(p).isIn("TLSv1.3", "TLSv1.2"));
        assertThat(session.messageText())
                .hasValueSatisfying(text -> assertThat(text).contains("hello over TLS"));
    }

    @Test
    void wildcardCertificate_forOneLabel_isDelivered() {
        // STS-CERT-3: *.example.com covers mx1.example.com
        FakeSmtpServer mx = mx(ca.issue().dnsNames("*.example.com").build());
        assertThat(deliver(enforcedProperties(MX, mx.port()))).isEqualTo(TlsSessionOutcome.success());
        assertThat(mx.takeSession().messageText()).isPresent();
    }

    @Test
    void expiredCertificate_isRefusedAsCertificateExpired() {
        // STS-CERT-6, RFC 8460 §4.3.1
        FakeSmtpServer mx = mx(ca.issue().dnsNames(MX).expired().build());
        assertThat(failure(deliver(enforcedProperties(MX, mx.port()))).resultType())
                .isEqualTo(ResultType.CERTIFICATE_EXPIRED);
        assertNotDelivered(mx);
    }

    @Test
    void certificateForAnotherName_isRefusedAsHostMismatch() {
        // STS-CERT-6: name → certificate-host-mismatch
        FakeSmtpServer mx = mx(ca.issue().dnsNames("mx9.example.org").build());
        assertThat(failure(deliver(enforcedProperties(MX, mx.port()))).resultType())
                .isEqualTo(ResultType.CERTIFICATE_HOST_MISMATCH);
        assertNotDelivered(mx);
    }

    @Test
    void selfSignedCertificate_isRefusedAsNotTrusted() {
        // STS-CERT-1, STS-CERT-6: other PKIX → certificate-not-trusted with a reason code
        FakeSmtpServer mx = mx(ca.issue().dnsNames(MX).selfSigned().build());
        TlsSessionOutcome.Failed failure = failure(deliver(enforcedProperties(MX, mx.port())));
        assertThat(failure.resultType()).isEqualTo(ResultType.CERTIFICATE_NOT_TRUSTED);
        assertThat(failure.reasonCode()).isPresent();
        assertNotDelivered(mx);
    }

    @Test
    void commonNameOnlyCertificate_isRefusedAsHostMismatch() {
        // STS-CERT-2: no fallback to the subject CN (the JDK's HTTPS check would accept this one)
        FakeSmtpServer mx = mx(ca.issue().commonName(MX).noSubjectAltNames().build());
        assertThat(failure(deliver(enforcedProperties(MX, mx.port()))).resultType())
                .isEqualTo(ResultType.CERTIFICATE_HOST_MISMATCH);
        assertNotDelivered(mx);
    }

    @Test
    void wildcardTwoLevelsDeep_isRefusedAsHostMismatch() {
        // STS-CERT-3: *.example.com does not cover a.mx.example.com
        String deepMx = "a.mx.example.com";
        FakeSmtpServer deep =
                new FakeSmtpServer(deepMx, ca.issue().dnsNames("*.example.com").build()).start();
        server = deep;
        assertThat(failure(deliver(enforcedProperties(deepMx, deep.port()))).resultType())
                .isEqualTo(ResultType.CERTIFICATE_HOST_MISMATCH);
        assertNotDelivered(deep);
    }

    @Test
    void noStartTls_isRefusedAsStartTlsNotSupported() {
        // RFC 8460 §4.3.1 starttls-not-supported; enforce never falls back to plaintext (STS-APP-2)
        FakeSmtpServer mx = mx(ca.issue().dnsNames(MX).build());
        mx.fault(SmtpFault.STARTTLS_NOT_OFFERED);
        TlsSessionOutcome.Failed failure = failure(deliver(enforcedProperties(MX, mx.port())));
        assertThat(failure.resultType()).isEqualTo(ResultType.STARTTLS_NOT_SUPPORTED);
        assertThat(failure.reasonCode()).isEmpty();
        assertNotDelivered(mx);
    }

    @Test
    void refusedStartTls_isRefusedAsStartTlsNotSupported() {
        FakeSmtpServer mx = mx(ca.issue().dnsNames(MX).build());
        mx.fault(SmtpFault.STARTTLS_REFUSED);
        assertThat(failure(deliver(enforcedProperties(MX, mx.port()))).resultType())
                .isEqualTo(ResultType.STARTTLS_NOT_SUPPORTED);
        assertNotDelivered(mx);
    }

    @Test
    void failedHandshake_isValidationFailureWithReason() {
        // STS-CERT-6: other handshake failures → validation-failure with a reason code
        FakeSmtpServer mx = mx(ca.issue().dnsNames(MX).build());
        mx.fault(SmtpFault.FAIL_HANDSHAKE);
        TlsSessionOutcome.Failed failure = failure(deliver(enforcedProperties(MX, mx.port())));
        assertThat(failure.resultType()).isEqualTo(ResultType.VALIDATION_FAILURE);
        assertThat(failure.reasonCode())
                .contains(TlsFailureReason.HANDSHAKE_FAILURE.code().orElseThrow());
    }

    @Test
    void nothingListening_isNotReportable() {
        // RPT-TYPE-3: connection failures before STARTTLS are not counted
        FakeSmtpServer mx = mx(ca.issue().dnsNames(MX).build());
        int port = mx.port();
        mx.close();
        server = null;
        TlsSessionOutcome outcome = deliver(enforcedProperties(MX, port));
        assertThat(outcome).isInstanceOf(TlsSessionOutcome.NotReportable.class);
        assertThat(outcome.reportable()).isFalse();
    }

    /** The whole path: policy discovery decides, MxTls enforces, the classifier reports. */
    @Test
    void worldWithPolicies_enforceRequiresValidatedTls_testingDeliversAndRecordsTheFailure() {
        try (MtaStsWorld world = MtaStsWorld.builder()
                        .domain("example.com", d -> d.mx(10, MX).policy(Mode.ENFORCE, MX))
                        .domain("example.net", d -> d.mx(10, "mx1.example.net").policy(Mode.TESTING, "mx1.example.net"))
                        .build()
                        .start();
                MtaSts mtaSts = resolver(world)) {
            MxTls worldTls = MxTls.builder()
                    .pkixTrustManager(world.certificateAuthority().trustManager())
                    .build();

            // RFC 8461 §5, STS-APP-1: enforce + matching MX → validated TLS, delivered
            PolicyResult.PolicyFound enforce = (PolicyResult.PolicyFound) mtaSts.policyFor("example.com");
            assertThat(enforce.decisionFor(MX)).isEqualTo(MxDecision.REQUIRE_VALIDATED_TLS);
            assertThat(enforce.decisionFor("mx2.example.com")).isEqualTo(MxDecision.SKIP);
            FakeSmtpServer mx1 = world.smtp(MX);
            tls = worldTls;
            assertThat(deliver(enforcedProperties(MX, mx1.port()))).isEqualTo(TlsSessionOutcome.success());
            assertThat(mx1.takeSession().sniReceived()).contains(MX);

            // STS-APP-3: testing + bad certificate → the failure is recorded, the message still goes
            PolicyResult.PolicyFound testing = (PolicyResult.PolicyFound) mtaSts.policyFor("example.net");
            assertThat(testing.decisionFor("mx1.example.net")).isEqualTo(MxDecision.REPORT_ONLY);
            FakeSmtpServer netMx = world.smtp("mx1.example.net");
            netMx.certificate(world.certificateAuthority()
                    .issue()
                    .dnsNames("wrong.example.net")
                    .build());
            TlsSessionOutcome recorded = deliver(enforcedProperties("mx1.example.net", netMx.port()));
            assertThat(failure(recorded).resultType()).isEqualTo(ResultType.CERTIFICATE_HOST_MISMATCH);
            assertThat(deliver(opportunisticProperties(netMx.port()))).isEqualTo(TlsSessionOutcome.success());
            assertThat(netMx.sessions()).hasSize(2);
            assertThat(netMx.sessions().get(1).messageText()).isPresent();
            assertThat(netMx.sessions().get(1).tlsUsed()).isTrue();
        }
    }

    private static MtaSts resolver(MtaStsWorld world) {
        DnsResolver dns = DnsResolver.dnsjava(world.dnsAddress(), Duration.ofSeconds(2));
        PolicyFetcher fetcher =
                world.policyFetcher(dns).timeout(Duration.ofSeconds(5)).build();
        return MtaSts.builder().dns(dns).fetcher(fetcher).build();
    }
}
