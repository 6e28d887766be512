package dev.mtasts.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtasts.core.ResultType;
import dev.mtasts.core.delivery.Delivery;
import dev.mtasts.core.delivery.DeliveryTls;
import dev.mtasts.core.delivery.MxAttempt;
import dev.mtasts.core.delivery.MxSession;
import dev.mtasts.core.resolve.MtaSts;
import dev.mtasts.core.tls.TlsSessionOutcome;
import dev.mtasts.testkit.MtaStsWorld;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.Transport;
import javax.mail.URLName;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Apache James 3.8 delivers with javax.mail 1.6 ({@code com.sun.mail}), not Jakarta Mail: the same
 * {@code mail.smtp.*} settings and the SDK's plain {@code javax.net} factories, put into a pooled
 * session after each borrow, check each MX against its own name there too (RFC 8461 §4.2,
 * STS-CERT-4), dialling the address as James does.
 */
final class JavaxMailJamesTest {
    private JamesWorld james;
    private List<MxSession> recorded;
    private MtaStsWorld world;
    private MtaSts mtaSts;
    private DeliveryTls deliveryTls;

    @BeforeEach
    void setUp() {
        james = JamesWorld.start();
        recorded = james.recorded;
        world = james.world;
        mtaSts = james.mtaSts;
        deliveryTls = james.deliveryTls;
    }

    @AfterEach
    void tearDown() {
        james.close();
    }

    /** James 3.8's session defaults with {@code startTLS=true} and {@code verifyServerIdentity=false}. */
    private static Session pooledSession() {
        Properties defaults = new Properties();
        defaults.put("mail.smtp.ehlo", "true");
        defaults.put("mail.smtp.timeout", "180000");
        defaults.put("mail.smtp.connectiontimeout", "60000");
        defaults.put("mail.smtp.localhost", "sender.example");
        defaults.put("mail.smtp.starttls.enable", "true");
        defaults.put("mail.smtp.ssl.checkserveridentity", "false");
        defaults.put("mail.smtp.ssl.enable", "false");
        return Session.getInstance(new Properties(defaults));
    }

    /** One try of one MX address, as James's {@code tryDeliveryToHost} with the SDK's hooks. */
    private void tryMx(Session pooled, Delivery delivery, String mx, String domain) throws Exception {
        Properties borrowed = pooled.getProperties();
        borrowed.put("mail.smtp.ssl.socketFactory", delivery.socketFactory());
        borrowed.put("mail.smtp.socketFactory", delivery.plainSocketFactory());
        borrowed.put("mail.smtp.socketFactory.fallback", "false");
        MxAttempt attempt = delivery.attempt(mx, InetAddress.getLoopbackAddress());
        Transport transport = pooled.getTransport(
                new URLName("smtp://127.0.0.1:" + world.smtp(mx).port()));
        try {
            transport.connect(); // by IP, as James does without verifyServerIdentity
            attempt.connected();
            // Parsed from bytes, not built with setText: this test class path also holds Angus, whose
            // mailcap would hand javax.activation a Jakarta content handler.
            String raw = "From: alice@sender.example\r\nTo: bob@" + domain
                    + "\r\nSubject: via James 3.8\r\n\r\nvia javax.mail\r\n";
            MimeMessage message =
                    new MimeMessage(pooled, new ByteArrayInputStream(raw.getBytes(StandardCharsets.US_ASCII)));
            transport.sendMessage(message, new InternetAddress[] {new InternetAddress("bob@" + domain)});
        } catch (Exception e) {
            attempt.failed(e);
            throw e;
        } finally {
            transport.close();
            borrowed.clear(); // the pool's passivation
        }
    }

    @Test
    void enforce_mx1WrongName_refused_mx2Delivered_eachCheckedAgainstItsOwnName() throws Exception {
        // RFC 8461 §4.2, STS-CERT-4, STS-APP-1: one pooled javax.mail session for both MX hosts
        Session pooled = pooledSession();
        try (Delivery delivery = deliveryTls.start(mtaSts.policyFor("enforce.example"))) {
            assertThatThrownBy(() -> tryMx(pooled, delivery, "mx1.enforce.example", "enforce.example"))
                    .isInstanceOf(MessagingException.class);
            tryMx(pooled, delivery, "mx2.enforce.example", "enforce.example");
        }
        assertThat(world.smtp("mx1.enforce.example").takeSession().message()).isEmpty();
        assertThat(world.smtp("mx2.enforce.example").takeSession().messageText())
                .hasValueSatisfying(text -> assertThat(text).contains("via javax.mail"));
        assertThat(recorded)
                .extracting(MxSession::mxHost)
                .containsExactly("mx1.enforce.example", "mx2.enforce.example");
        assertThat(recorded.get(0).outcome())
                .isInstanceOfSatisfying(
                        TlsSessionOutcome.Failed.class,
                        f -> assertThat(f.resultType()).isEqualTo(ResultType.CERTIFICATE_HOST_MISMATCH));
        assertThat(recorded.get(1).outcome()).isEqualTo(TlsSessionOutcome.success());
        assertThat(recorded.get(1).sendingIp()).isPresent();
    }

    @Test
    void testing_expiredCertificate_deliveredInOneConnection_failureRecorded() throws Exception {
        // RFC 8461 §5 (testing), STS-APP-3
        Session pooled = pooledSession();
        try (Delivery delivery = deliveryTls.start(mtaSts.policyFor("testing.example"))) {
            tryMx(pooled, delivery, "mx.testing.example", "testing.example");
        }
        assertThat(world.smtp("mx.testing.example").takeSession().messageText())
                .hasValueSatisfying(text -> assertThat(text).contains("via javax.mail"));
        assertThat(recorded)
                .singleElement()
                .satisfies(s -> assertThat(s.outcome())
                        .isInstanceOfSatisfying(
                                TlsSessionOutcome.Failed.class,
                                f -> assertThat(f.resultType()).isEqualTo(ResultType.CERTIFICATE_EXPIRED)));
    }
}
