package dev.mtasts.it.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.core.Policy;
import dev.mtasts.core.ResultType;
import dev.mtasts.core.delivery.Delivery;
import dev.mtasts.core.delivery.DeliveryRefusedException;
import dev.mtasts.core.delivery.DeliveryTls;
import dev.mtasts.core.delivery.MxAttempt;
import dev.mtasts.core.delivery.MxSession;
import dev.mtasts.core.resolve.MxDecision;
import dev.mtasts.core.resolve.PolicyResult;
import dev.mtasts.core.resolve.PolicySource;
import dev.mtasts.core.tls.MxTls;
import dev.mtasts.core.tls.TlsSessionOutcome;
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
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real Angus Mail client delivering as an MTA does: one {@link Session} for every MX of a delivery,
 * MX hosts tried one at a time, each dialled by address (127.0.0.1), with {@link Delivery} checking
 * every connection against the right MX name and a recording listener standing in for TLSRPT.
 */
final class DeliveryWithAngusMailTest {
    private static final String MX1 = "mx1.example.com";
    private static final String MX2 = "mx2.example.com";
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final List<FakeSmtpServer> servers = new ArrayList<>();
    private final List<MxSession> recorded = new CopyOnWriteArrayList<>();
    private TestCertificateAuthority ca;
    private DeliveryTls deliveries;

    @BeforeEach
    void setUp() {
        ca = TestCertificateAuthority.create("angus delivery CA");
        MxTls tls = MxTls.builder().pkixTrustManager(ca.trustManager()).build();
        deliveries = DeliveryTls.builder().mxTls(tls).listener(recorded::add).build();
    }

    @AfterEach
    void tearDown() {
        servers.forEach(FakeSmtpServer::close);
    }

    private FakeSmtpServer mx(String name, TestCertificate certificate) {
        FakeSmtpServer server = new FakeSmtpServer(name, certificate).start();
        servers.add(server);
        return server;
    }

    private static PolicyResult policy(String mode, String mxPattern) {
        Instant now = Instant.now();
        return new PolicyResult.PolicyFound(
                "example.com",
                "1",
                Policy.parse("version: STSv1\nmode: " + mode + "\nmx: " + mxPattern + "\nmax_age: 86400\n"),
                PolicySource.FRESH,
                Optional.empty(),
                now,
                now.plus(Duration.ofDays(1)));
    }

    /**
     * What an MTA sets once per delivery (or once per process with the shared factories). STARTTLS is
     * deliberately not required: under enforce the {@link MxAttempt} refuses plaintext by itself.
     */
    private static Session session(SSLSocketFactory tlsFactory, SocketFactory plainFactory) {
        Properties props = new Properties();
        props.put("mail.smtp.starttls.enable", "true");
        props.put("mail.smtp.starttls.required", "false");
        props.put("mail.smtp.ssl.socketFactory", tlsFactory);
        props.put("mail.smtp.socketFactory", plainFactory);
        props.put("mail.smtp.socketFactory.fallback", "false");
        props.put("mail.smtp.ssl.checkserveridentity", "false");
        props.put("mail.smtp.connectiontimeout", "5000");
        props.put("mail.smtp.timeout", "5000");
        return Session.getInstance(props);
    }

    private static Session session(Delivery delivery) {
        return session(delivery.socketFactory(), delivery.plainSocketFactory());
    }

    /** One MX try: connect by address, let the attempt judge the connection, send. */
    private static boolean tryMx(Delivery delivery, Session session, MxAttempt attempt, FakeSmtpServer mx) {
        if (!attempt.allowed()) {
            return false;
        }
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect("127.0.0.1", mx.port(), null, null);
            attempt.connected();
            MimeMessage message = new MimeMessage(session);
            message.setFrom(new InternetAddress("sender@sender.example"));
            message.setRecipient(Message.RecipientType.TO, new InternetAddress("rcpt@example.com"));
            message.setSubject("MTA-STS delivery");
            message.setText("hello from " + delivery.policy().domain() + "\r\n");
            transport.sendMessage(message, message.getAllRecipients());
            return true;
        } catch (MessagingException | DeliveryRefusedException e) {
            attempt.failed(e);
            return false;
        }
    }

    private static TlsSessionOutcome.Failed failure(TlsSessionOutcome outcome) {
        assertThat(outcome).isInstanceOf(TlsSessionOutcome.Failed.class);
        return (TlsSessionOutcome.Failed) outcome;
    }

    private static void assertNothingSent(FakeSmtpServer mx) {
        assertThat(mx.sessions()).allSatisfy(s -> assertThat(s.message()).isEmpty());
    }

    @Test
    void mx1Refused_thenMx2Delivered_eachCheckedAgainstItsOwnName() {
        // RFC 8461 §4.2, STS-CERT-4, STS-APP-1: one Session for both MX, each connection named right
        FakeSmtpServer mx1 = mx(MX1, ca.issue().dnsNames("other.example.org").build());
        FakeSmtpServer mx2 = mx(MX2, ca.issue().dnsNames(MX2).build());
        try (Delivery delivery = deliveries.start(policy("enforce", "*.example.com"))) {
            Session session = session(delivery);
            assertThat(tryMx(delivery, session, delivery.attempt(MX1, LOOPBACK), mx1))
                    .isFalse();
            assertThat(tryMx(delivery, session, delivery.attempt(MX2, LOOPBACK), mx2))
                    .isTrue();
        }
        // The fake MX keeps no SNI of a handshake the client aborted; the recorded name shows it was MX1
        assertNothingSent(mx1);
        SmtpSession delivered = mx2.takeSession();
        assertThat(delivered.sniReceived()).contains(MX2);
        assertThat(delivered.tlsUsed()).isTrue();
        assertThat(delivered.messageText()).isPresent();
        assertThat(recorded).hasSize(2);
        assertThat(recorded.get(0).mxHost()).isEqualTo(MX1);
        assertThat(failure(recorded.get(0).outcome()).resultType()).isEqualTo(ResultType.CERTIFICATE_HOST_MISMATCH);
        assertThat(recorded.get(1).mxHost()).isEqualTo(MX2);
        assertThat(recorded.get(1).outcome()).isEqualTo(TlsSessionOutcome.success());
        assertThat(recorded.get(1).receivingIp()).contains(LOOPBACK);
        assertThat(recorded.get(1).sendingIp()).isPresent();
    }

    @Test
    void testingMode_expiredCertificate_deliversInOneConnectionAndRecordsCertificateExpired() {
        // RFC 8461 §5, STS-APP-3: testing delivers and reports in the same connection
        FakeSmtpServer mx1 = mx(MX1, ca.issue().dnsNames(MX1).expired().build());
        try (Delivery delivery = deliveries.start(policy("testing", MX1))) {
            MxAttempt attempt = delivery.attempt(MX1, LOOPBACK);
            assertThat(attempt.decision()).isEqualTo(MxDecision.REPORT_ONLY);
            assertThat(tryMx(delivery, session(delivery), attempt, mx1)).isTrue();
        }
        assertThat(mx1.takeSession().messageText()).isPresent();
        assertThat(mx1.connectionCount()).isEqualTo(1);
        assertThat(recorded)
                .singleElement()
                .satisfies(
                        s -> assertThat(failure(s.outcome()).resultType()).isEqualTo(ResultType.CERTIFICATE_EXPIRED));
    }

    @Test
    void testingMode_withoutStartTls_deliversAndRecordsStartTlsNotSupported() {
        // STS-APP-3, RFC 8460 §4.3.1: the plaintext delivery is still reported
        FakeSmtpServer mx1 = mx(MX1, ca.issue().dnsNames(MX1).build());
        mx1.fault(SmtpFault.STARTTLS_NOT_OFFERED);
        try (Delivery delivery = deliveries.start(policy("testing", MX1))) {
            assertThat(tryMx(delivery, session(delivery), delivery.attempt(MX1, LOOPBACK), mx1))
                    .isTrue();
        }
        SmtpSession session = mx1.takeSession();
        assertThat(session.tlsUsed()).isFalse();
        assertThat(session.messageText()).isPresent();
        assertThat(recorded).singleElement().satisfies(s -> {
            assertThat(failure(s.outcome()).resultType()).isEqualTo(ResultType.STARTTLS_NOT_SUPPORTED);
            assertThat(s.receivingIp()).contains(LOOPBACK);
            // known only because Angus made the connection with the delivery's plain socket factory
            assertThat(s.sendingIp()).isPresent();
        });
    }

    @Test
    void enforce_withoutStartTls_sendsNothingEvenWhenTheSessionDoesNotRequireIt() {
        // RFC 8461 §5, STS-APP-2: starttls.required=false, yet nothing goes out in plaintext
        FakeSmtpServer mx1 = mx(MX1, ca.issue().dnsNames(MX1).build());
        mx1.fault(SmtpFault.STARTTLS_NOT_OFFERED);
        try (Delivery delivery = deliveries.start(policy("enforce", MX1))) {
            assertThat(tryMx(delivery, session(delivery), delivery.attempt(MX1, LOOPBACK), mx1))
                    .isFalse();
        }
        assertThat(mx1.takeSession().transactions()).isEmpty();
        assertNothingSent(mx1);
        assertThat(recorded)
                .singleElement()
                .satisfies(s ->
                        assertThat(failure(s.outcome()).resultType()).isEqualTo(ResultType.STARTTLS_NOT_SUPPORTED));
    }

    @Test
    void ipWithNoRegisteredName_isALocalError_andNothingIsRecorded() {
        // STS-CERT-4: without the MX name the sender is at fault; the domain's report stays clean
        FakeSmtpServer mx1 = mx(MX1, ca.issue().dnsNames(MX1).build());
        try (Delivery delivery = deliveries.start(policy("enforce", MX1))) {
            MxAttempt attempt = delivery.attempt(MX1);
            assertThat(tryMx(delivery, session(delivery), attempt, mx1)).isFalse();
            assertThat(attempt.outcome()).hasValueSatisfying(o -> {
                assertThat(o).isInstanceOf(TlsSessionOutcome.LocalError.class);
                assertThat(o.reportable()).isFalse();
            });
        }
        assertNothingSent(mx1);
        assertThat(recorded).isEmpty();
    }

    @Test
    void enforce_noMxInPolicy_defersAndRecordsMxNotInPolicyOnce() {
        // RFC 8461 §4.1, STS-OUT-2, STS-APP-2
        FakeSmtpServer mx1 = mx(MX1, ca.issue().dnsNames(MX1).build());
        Delivery delivery = deliveries.start(policy("enforce", "mx9.example.com"));
        assertThat(tryMx(delivery, session(delivery), delivery.attempt(MX1, LOOPBACK), mx1))
                .isFalse();
        assertThat(delivery.mustDefer()).isTrue();
        delivery.close();
        assertThat(mx1.connectionCount()).isZero();
        assertThat(recorded)
                .singleElement()
                .satisfies(s -> assertThat(s.outcome()).isInstanceOf(TlsSessionOutcome.Failed.class));
        assertThat(failure(recorded.get(0).outcome()).reasonCode()).contains("sts-mx-not-in-policy");
    }

    @Test
    void pooledSession_sharedFactories_twoDeliveriesOnTwoThreads() throws Exception {
        // STS-CERT-4 with one pooled Session: each thread's connection uses its bound delivery
        FakeSmtpServer mxA =
                mx("mx.a.example", ca.issue().dnsNames("mx.a.example").build());
        FakeSmtpServer mxB =
                mx("mx.b.example", ca.issue().dnsNames("mx.b.example").build());
        Session pooled = session(deliveries.sharedSocketFactory(), deliveries.sharedPlainSocketFactory());
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<Boolean>> results = threads.invokeAll(List.of(
                    () -> deliverBound(pooled, "mx.a.example", mxA, together),
                    () -> deliverBound(pooled, "mx.b.example", mxB, together)));
            for (Future<Boolean> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(mxA.takeSession().sniReceived()).contains("mx.a.example");
        assertThat(mxB.takeSession().sniReceived()).contains("mx.b.example");
        assertThat(recorded)
                .extracting(s -> s.mxHost() + "/" + s.outcome())
                .containsExactlyInAnyOrder(
                        "mx.a.example/" + TlsSessionOutcome.success(), "mx.b.example/" + TlsSessionOutcome.success());
    }

    private boolean deliverBound(Session pooled, String mxHost, FakeSmtpServer mx, CyclicBarrier together)
            throws Exception {
        try (Delivery delivery = deliveries.start(policy("enforce", mxHost))) {
            MxAttempt attempt = delivery.attempt(mxHost, LOOPBACK);
            together.await(10, TimeUnit.SECONDS);
            try (Delivery.Binding bound = delivery.bindToCurrentThread()) {
                return tryMx(delivery, pooled, attempt, mx);
            }
        }
    }
}
