package dev.mtasts.postfix.realpostfix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.core.Mode;
import dev.mtasts.testkit.MtaStsWorld;
import dev.mtasts.testkit.server.DnsFault;
import dev.mtasts.testkit.server.FakeDnsServer;
import dev.mtasts.testkit.server.FakeSmtpServer;
import dev.mtasts.testkit.server.SmtpFault;
import dev.mtasts.testkit.server.SmtpSession;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end: Debian's Postfix, with {@code smtp_tls_policy_maps} pointing at the daemon, delivers
 * one message to a fake MX over STARTTLS. Postfix's log (status=sent / status=deferred and the TLS
 * lines of smtp(8)) and what the MX received are the evidence. One domain per case, one Postfix
 * instance per test (the MX's port is the instance's {@code smtp_tcp_port}).
 */
final class PostfixDeliveryTest {
    private static final Duration OUTCOME_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);
    private static final String SENDER = "sender@postfix.test.invalid";

    private static MtaStsWorld world;
    private static FakeDnsServer postfixDns;
    private static DaemonUnderTest daemon;

    @BeforeAll
    static void start() throws Exception {
        RealPostfix.assumeInstances();
        world = MtaStsWorld.builder()
                .domain("ok.example", d -> d.mx(10, "mx1.ok.example").policy(Mode.ENFORCE, "mx1.ok.example"))
                .domain(
                        "wildcard.example",
                        d -> d.mx(10, "mx1.wildcard.example").policy(Mode.ENFORCE, "*.wildcard.example"))
                .domain(
                        "wrongname.example",
                        d -> d.mx(10, "mx1.wrongname.example").policy(Mode.ENFORCE, "mx1.wrongname.example"))
                .domain(
                        "expired.example",
                        d -> d.mx(10, "mx1.expired.example").policy(Mode.ENFORCE, "mx1.expired.example"))
                .domain(
                        "nostarttls.example",
                        d -> d.mx(10, "mx1.nostarttls.example").policy(Mode.ENFORCE, "mx1.nostarttls.example"))
                .domain(
                        "testing.example",
                        d -> d.mx(10, "mx1.testing.example").policy(Mode.TESTING, "mx1.testing.example"))
                .domain(
                        "dnsfail.example",
                        d -> d.mx(10, "mx1.dnsfail.example").policy(Mode.ENFORCE, "mx1.dnsfail.example"))
                .build()
                .start();
        world.smtp("mx1.wrongname.example")
                .certificate(world.certificateAuthority()
                        .issue()
                        .dnsNames("mx9.elsewhere.example")
                        .build());
        world.smtp("mx1.expired.example")
                .certificate(world.certificateAuthority()
                        .issue()
                        .dnsNames("mx1.expired.example")
                        .expired()
                        .build());
        world.smtp("mx1.nostarttls.example").fault(SmtpFault.STARTTLS_NOT_OFFERED);
        world.smtp("mx1.testing.example")
                .certificate(world.certificateAuthority()
                        .issue()
                        .dnsNames("mx9.elsewhere.example")
                        .build());
        world.dns().fault("_mta-sts.dnsfail.example", "TXT", DnsFault.SERVFAIL);

        // Postfix's own view of DNS (MX and A through the C library, port 53); the daemon asks the world's
        postfixDns = RealPostfix.dnsOnPort53();
        for (String domain : world.domains()) {
            postfixDns.mx(domain, 10, "mx1." + domain).a("mx1." + domain, MtaStsWorld.LOOPBACK);
        }
        daemon = DaemonUnderTest.start(world);
    }

    @AfterAll
    static void stop() {
        try (MtaStsWorld w = world;
                FakeDnsServer d = postfixDns;
                DaemonUnderTest s = daemon) {
            // closes all three
        }
    }

    /** A Postfix instance whose smtp(8) reaches {@code mx} and asks the daemon for TLS policies. */
    private static PostfixInstance postfixFor(FakeSmtpServer mx) throws Exception {
        return PostfixInstance.start(new PostfixInstance.Settings(
                daemon.table("postfix"),
                mx.port(),
                world.certificateAuthority().certificatePem(),
                postfixDns.address().getAddress()));
    }

    // RFC 8461 §4.1, §5, PF-POL-1: enforce with a certificate for the MX name: verified TLS, delivered
    @Test
    void enforce_matchingCertificate_isDeliveredOverVerifiedTls() throws Exception {
        FakeSmtpServer mx = world.smtp("mx1.ok.example");
        try (PostfixInstance postfix = postfixFor(mx)) {
            postfix.send(SENDER, "user@ok.example", "enforce ok");

            PostfixInstance.Outcome outcome = postfix.awaitOutcome("user@ok.example", OUTCOME_TIMEOUT);

            assertThat(outcome.status()).as(postfix.diagnosis()).isEqualTo("sent");
            assertThat(outcome.line()).contains("relay=mx1.ok.example[127.0.0.1]:" + mx.port());
            assertThat(postfix.logOf("postfix/smtp"))
                    .anyMatch(l -> l.contains("Verified TLS connection established to mx1.ok.example"));
            SmtpSession session = mx.takeSession();
            assertThat(session.tlsUsed()).isTrue();
            // PF-POL-1, RFC 8461 §7.1: servername=hostname makes Postfix send the MX name as SNI
            assertThat(session.sniReceived()).hasValue("mx1.ok.example");
            assertThat(session.recipients()).containsExactly("user@ok.example");
            assertThat(session.messageText())
                    .hasValueSatisfying(m -> assertThat(m).contains("Subject: enforce ok"));
        }
    }

    // RFC 8461 §4.1, PF-POL-1: "*.d" (sent as match=.d) accepts the certificate of mx1.d
    @Test
    void enforce_wildcardPattern_isDelivered() throws Exception {
        FakeSmtpServer mx = world.smtp("mx1.wildcard.example");
        try (PostfixInstance postfix = postfixFor(mx)) {
            postfix.send(SENDER, "user@wildcard.example", "wildcard");

            PostfixInstance.Outcome outcome = postfix.awaitOutcome("user@wildcard.example", OUTCOME_TIMEOUT);

            assertThat(outcome.status()).as(postfix.diagnosis()).isEqualTo("sent");
            assertThat(postfix.logOf("postfix/smtp"))
                    .anyMatch(l -> l.contains("Verified TLS connection established to mx1.wildcard.example"));
            assertThat(mx.takeSession().tlsUsed()).isTrue();
        }
    }

    // RFC 8461 §4.2, §5: enforce with a certificate for another name: not delivered, deferred
    @Test
    void enforce_certificateForAnotherName_isDeferred() throws Exception {
        assertEnforceDefers("wrongname.example", "Server certificate not verified", postfix -> {});
    }

    // RFC 8461 §4.2, §5: enforce with an expired certificate: deferred
    @Test
    void enforce_expiredCertificate_isDeferred() throws Exception {
        assertEnforceDefers(
                "expired.example",
                "Server certificate not verified",
                postfix ->
                        assertThat(postfix.logOf("postfix/smtp")).anyMatch(l -> l.contains("certificate has expired")));
    }

    // RFC 8461 §5: enforce with an MX that offers no STARTTLS: nothing sent in plaintext, deferred
    @Test
    void enforce_noStarttls_isDeferred() throws Exception {
        assertEnforceDefers("nostarttls.example", "TLS is required, but was not offered", postfix -> {});
    }

    /**
     * Sends to {@code domain} (enforce, one MX {@code mx1.<domain>}) and checks that Postfix deferred
     * the mail with {@code reason} in its status line and that the MX received no message.
     */
    private static void assertEnforceDefers(String domain, String reason, Consumer<PostfixInstance> more)
            throws Exception {
        FakeSmtpServer mx = world.smtp("mx1." + domain);
        try (PostfixInstance postfix = postfixFor(mx)) {
            postfix.send(SENDER, "user@" + domain, domain);

            PostfixInstance.Outcome outcome = postfix.awaitOutcome("user@" + domain, OUTCOME_TIMEOUT);

            assertThat(outcome.status()).as(postfix.diagnosis()).isEqualTo("deferred");
            assertThat(outcome.line()).contains(reason);
            more.accept(postfix);
            assertThat(mx.pollSession(SESSION_TIMEOUT))
                    .hasValueSatisfying(s -> assertThat(s.message()).isEmpty());
        }
    }

    // RFC 8461 §5, PF-POL-2: testing never blocks delivery, even with a certificate for another name
    @Test
    void testing_certificateForAnotherName_isDelivered() throws Exception {
        FakeSmtpServer mx = world.smtp("mx1.testing.example");
        try (PostfixInstance postfix = postfixFor(mx)) {
            postfix.send(SENDER, "user@testing.example", "testing");

            PostfixInstance.Outcome outcome = postfix.awaitOutcome("user@testing.example", OUTCOME_TIMEOUT);

            assertThat(outcome.status()).as(postfix.diagnosis()).isEqualTo("sent");
            // smtp_tls_security_level = may: the chain is checked and logged ("Trusted"), the name is not
            assertThat(postfix.logOf("postfix/smtp"))
                    .anyMatch(l -> l.contains("Trusted TLS connection established to mx1.testing.example"))
                    .noneMatch(l -> l.contains("Verified TLS connection"));
            SmtpSession session = mx.takeSession();
            assertThat(session.tlsUsed()).isTrue();
            assertThat(session.recipients()).containsExactly("user@testing.example");
        }
    }

    // RFC 8461 §3.3, PF-BETTER-1: DNS failing with nothing cached answers TEMP: Postfix defers the mail
    @Test
    void dnsFailureWithoutCache_isDeferredByThePolicyLookupError() throws Exception {
        FakeSmtpServer mx = world.smtp("mx1.dnsfail.example");
        try (PostfixInstance postfix = postfixFor(mx)) {
            postfix.send(SENDER, "user@dnsfail.example", "dns failure");

            PostfixInstance.Outcome outcome = postfix.awaitOutcome("user@dnsfail.example", OUTCOME_TIMEOUT);

            assertThat(outcome.status()).as(postfix.diagnosis()).isEqualTo("deferred");
            assertThat(postfix.log()).contains("socketmap server temporary error: dns lookup failed");
            // the policy lookup comes before the connection: the MX is never reached
            assertThat(mx.connectionCount()).isZero();
        }
    }
}
