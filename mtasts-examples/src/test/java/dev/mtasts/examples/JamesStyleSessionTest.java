package dev.mtasts.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtasts.core.ResultType;
import dev.mtasts.core.delivery.Delivery;
import dev.mtasts.core.delivery.DeliveryRefusedException;
import dev.mtasts.core.delivery.DeliveryTls;
import dev.mtasts.core.delivery.MxAttempt;
import dev.mtasts.core.delivery.MxSession;
import dev.mtasts.core.resolve.MtaSts;
import dev.mtasts.core.tls.TlsSessionOutcome;
import dev.mtasts.testkit.MtaStsWorld;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.URLName;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Delivering the way Apache James's {@code RemoteDelivery} does (docs/integration-apache-james.md):
 * one pooled {@link Session} whose settings sit in the {@code Properties} defaults chain, cleared on
 * every return to the pool, a transport per MX address from an {@code smtp://IP:port} URL, connected
 * by IP; a {@code MessagingException} whose next exception is an {@link IOException} moves on to the
 * next MX, anything else aborts the walk.
 */
final class JamesStyleSessionTest {
    private static final String SSL_FACTORY = "mail.smtp.ssl.socketFactory";
    private static final String PLAIN_FACTORY = "mail.smtp.socketFactory";

    private JamesWorld james;
    private List<MxSession> recorded;
    private MtaStsWorld world;
    private MtaSts mtaSts;
    private DeliveryTls deliveryTls;

    /** James's {@code HostAddress}: the MX name as in the MX record (trailing dot), and the URL dialled. */
    private record HostAddress(String hostName, URLName url) {}

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

    /**
     * {@code RemoteDeliveryConfiguration.createFinalJavaxProperties()} of James 3.8 with {@code
     * startTLS=true} and {@code verifyServerIdentity=false}, default timeouts, {@code heloName}.
     */
    private static Properties jamesDefaults() {
        Properties p = new Properties();
        p.put("mail.debug", "false");
        p.put("mail.smtp.ehlo", "true");
        p.put("mail.smtp.timeout", "180000");
        p.put("mail.smtp.connectiontimeout", "60000");
        p.put("mail.smtp.sendpartial", "false");
        p.put("mail.smtp.localhost", "sender.example");
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.ssl.checkserveridentity", "false");
        p.put("mail.smtp.ssl.enable", "false");
        return p;
    }

    /** What James's {@code MXHostAddressIterator} yields: one entry per MX address, port 25 here the fake's. */
    private List<HostAddress> hostAddresses(String domain) {
        return world.mxHosts().stream()
                .filter(mx -> mx.endsWith("." + domain))
                .map(mx -> new HostAddress(
                        mx + ".",
                        new URLName("smtp://127.0.0.1:" + world.smtp(mx).port())))
                .toList();
    }

    private static MimeMessage message(Session session, String domain) throws MessagingException {
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("alice@sender.example"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress("bob@" + domain));
        message.setSubject("via James");
        message.setText("hello\r\n");
        return message;
    }

    /**
     * {@code MailDelivrer}'s walk around {@code MailDelivrerToHost.tryDeliveryToHost}, with the MTA-STS
     * hooks: a policy per domain, an attempt per MX address, settings put after every borrow.
     */
    private String deliver(Session pooled, String domain, Consumer<Delivery> afterBorrow, boolean bindToThread)
            throws MessagingException {
        try (Delivery delivery = deliveryTls.start(mtaSts.policyFor(domain)); // hook (a)
                Delivery.Binding bound = bindToThread ? delivery.bindToCurrentThread() : () -> {}) {
            MessagingException last = null;
            for (HostAddress host : hostAddresses(domain)) {
                try {
                    tryDeliveryToHost(pooled, delivery, host, domain, afterBorrow);
                    return host.hostName();
                } catch (MessagingException e) {
                    if (!(e.getNextException() instanceof IOException)) {
                        throw e; // James aborts the walk
                    }
                    last = e;
                }
            }
            throw last != null ? last : new MessagingException("no MX host");
        }
    }

    private void tryDeliveryToHost(
            Session pooled, Delivery delivery, HostAddress host, String domain, Consumer<Delivery> afterBorrow)
            throws MessagingException {
        // hook (b): James's MX names end with a dot; getHost() is the address dialled
        String mxName = host.hostName().substring(0, host.hostName().length() - 1);
        MxAttempt attempt;
        try {
            attempt = delivery.attempt(mxName, InetAddress.getByName(host.url().getHost()));
        } catch (IOException e) {
            throw new MessagingException("bad address " + host.url(), e);
        }
        if (!attempt.allowed()) {
            throw new MessagingException(mxName + " is not in the policy", new IOException(mxName));
        }
        Session session = pooled; // borrowObject()
        session.getProperties().put("mail.smtp.from", "alice@sender.example");
        afterBorrow.accept(delivery);
        Transport transport = session.getTransport(host.url());
        try {
            transport.connect(); // by IP, as James does without connect-by-hostname
            try {
                attempt.connected(); // hook (c)
            } catch (DeliveryRefusedException e) {
                throw new MessagingException(e.getMessage(), new IOException(e));
            }
            MimeMessage message = message(session, domain);
            transport.sendMessage(message, message.getAllRecipients());
        } catch (MessagingException e) {
            attempt.failed(e); // hook (d)
            throw e;
        } finally {
            transport.close();
            session.getProperties().clear(); // passivateObject(): back to the pool
        }
    }

    private static TlsSessionOutcome.Failed failure(MxSession session) {
        assertThat(session.outcome()).isInstanceOf(TlsSessionOutcome.Failed.class);
        return (TlsSessionOutcome.Failed) session.outcome();
    }

    @Test
    void pooledSession_factoriesPutAfterEveryBorrow_namesCheckedAndOutcomesRecorded() throws Exception {
        // RFC 8461 §4.2, STS-CERT-4, STS-APP-1, STS-APP-3: dialled by IP, checked against the MX name
        Session pooled = Session.getInstance(new Properties(jamesDefaults()));
        Consumer<Delivery> putFactories = delivery -> {
            pooled.getProperties().put(SSL_FACTORY, delivery.socketFactory());
            pooled.getProperties().put(PLAIN_FACTORY, delivery.plainSocketFactory());
            pooled.getProperties().put("mail.smtp.socketFactory.fallback", "false");
        };

        assertThat(deliver(pooled, "enforce.example", putFactories, false)).isEqualTo("mx2.enforce.example.");
        // clear() dropped what was put and kept James's defaults
        assertThat(pooled.getProperties()).doesNotContainKey(SSL_FACTORY);
        assertThat(pooled.getProperties().getProperty("mail.smtp.starttls.enable"))
                .isEqualTo("true");
        assertThat(deliver(pooled, "testing.example", putFactories, false)).isEqualTo("mx.testing.example.");

        assertThat(world.smtp("mx1.enforce.example").sessions())
                .allSatisfy(s -> assertThat(s.message()).isEmpty());
        assertThat(world.smtp("mx2.enforce.example").takeSession().sniReceived())
                .contains("mx2.enforce.example");
        assertThat(world.smtp("mx.testing.example").takeSession().messageText()).isPresent();
        assertThat(recorded)
                .extracting(MxSession::mxHost)
                .containsExactly("mx1.enforce.example", "mx2.enforce.example", "mx.testing.example");
        assertThat(failure(recorded.get(0)).resultType()).isEqualTo(ResultType.CERTIFICATE_HOST_MISMATCH);
        assertThat(recorded.get(1).outcome()).isEqualTo(TlsSessionOutcome.success());
        assertThat(recorded.get(1).receivingIp()).contains(InetAddress.getLoopbackAddress());
        assertThat(failure(recorded.get(2)).resultType()).isEqualTo(ResultType.CERTIFICATE_EXPIRED);
    }

    @Test
    void factoryInstancesInTheDefaults_areNotSeenByAngus_soTheyMustBePutAfterEveryBorrow() throws Exception {
        // STS-CERT-4: Angus reads factory instances with Properties.get, which skips the defaults
        // chain; only String settings (read with getProperty) reach it from James's defaults.
        Properties defaults = jamesDefaults();
        defaults.put(SSL_FACTORY, deliveryTls.sharedSocketFactory());
        defaults.put(PLAIN_FACTORY, deliveryTls.sharedPlainSocketFactory());
        defaults.put("mail.smtp.socketFactory.fallback", "false");
        Session pooled = Session.getInstance(new Properties(defaults));

        try (Delivery delivery = deliveryTls.start(mtaSts.policyFor("enforce.example"));
                Delivery.Binding bound = delivery.bindToCurrentThread()) {
            HostAddress mx2 = hostAddresses("enforce.example").get(1);
            assertThatThrownBy(() -> tryDeliveryToHost(pooled, delivery, mx2, "enforce.example", d -> {}))
                    .isInstanceOf(MessagingException.class)
                    .hasStackTraceContaining("PKIX"); // the JDK's own trust store, not ours
        }
        // Our factories never made that connection, so the JDK-trust failure says nothing about the
        // domain: it is a local error, never recorded.
        assertThat(recorded).isEmpty();

        pooled.getProperties().put(SSL_FACTORY, deliveryTls.sharedSocketFactory());
        pooled.getProperties().put(PLAIN_FACTORY, deliveryTls.sharedPlainSocketFactory());
        pooled.getProperties().put("mail.smtp.socketFactory.fallback", "false");
        try (Delivery delivery = deliveryTls.start(mtaSts.policyFor("enforce.example"));
                Delivery.Binding bound = delivery.bindToCurrentThread()) {
            tryDeliveryToHost(pooled, delivery, hostAddresses("enforce.example").get(1), "enforce.example", d -> {});
        }
        assertThat(recorded).singleElement().satisfies(s -> {
            assertThat(s.mxHost()).isEqualTo("mx2.enforce.example");
            assertThat(s.outcome()).isEqualTo(TlsSessionOutcome.success());
        });
    }

    @Test
    void factoryClassNamesInTheDefaults_surviveClear_andActForTheBoundDelivery() throws Exception {
        // STS-CERT-4: String settings do reach Angus through the defaults chain, so James's
        // mail.* init parameters can name the factories; each delivery binds itself to its thread.
        JamesSocketFactories.install(deliveryTls);
        Properties defaults = jamesDefaults();
        defaults.put(SSL_FACTORY + ".class", JamesSocketFactories.Tls.class.getName());
        defaults.put(PLAIN_FACTORY + ".class", JamesSocketFactories.Plain.class.getName());
        defaults.put("mail.smtp.socketFactory.fallback", "false");
        Session pooled = Session.getInstance(new Properties(defaults));

        assertThat(deliver(pooled, "enforce.example", d -> {}, true)).isEqualTo("mx2.enforce.example.");
        assertThat(deliver(pooled, "testing.example", d -> {}, true)).isEqualTo("mx.testing.example.");
        assertThat(recorded)
                .extracting(s -> s.mxHost() + " " + s.outcome().getClass().getSimpleName())
                .containsExactly(
                        "mx1.enforce.example Failed", "mx2.enforce.example Succeeded", "mx.testing.example Failed");
        assertThat(recorded).allSatisfy(s -> assertThat(s.sendingIp()).isPresent());
    }

    @Test
    void tlsRefusal_isAMessagingExceptionWithANestedIOException_soJamesTriesTheNextMx() throws Exception {
        // RFC 8461 §5: a refused MX is a temporary failure of that MX, never the end of the walk
        Session pooled = Session.getInstance(new Properties(jamesDefaults()));
        try (Delivery delivery = deliveryTls.start(mtaSts.policyFor("enforce.example"))) {
            HostAddress mx1 = hostAddresses("enforce.example").get(0);
            assertThatThrownBy(() -> tryDeliveryToHost(pooled, delivery, mx1, "enforce.example", d -> {
                        pooled.getProperties().put(SSL_FACTORY, d.socketFactory());
                        pooled.getProperties().put(PLAIN_FACTORY, d.plainSocketFactory());
                        pooled.getProperties().put("mail.smtp.socketFactory.fallback", "false");
                    }))
                    .isInstanceOfSatisfying(
                            MessagingException.class,
                            e -> assertThat(e.getNextException()).isInstanceOf(IOException.class));
        }
    }
}
