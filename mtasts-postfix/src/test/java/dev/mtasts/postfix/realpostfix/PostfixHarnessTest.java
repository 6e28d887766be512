package dev.mtasts.postfix.realpostfix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.testkit.server.FakeDnsServer;
import dev.mtasts.testkit.server.FakeSmtpServer;
import dev.mtasts.testkit.server.SmtpSession;
import dev.mtasts.testkit.server.TestCertificateAuthority;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Postfix instance harness on its own, with a fixed socketmap responder instead of the daemon:
 * Postfix starts, looks up its TLS policy in the map, delivers over STARTTLS, logs, and stops. It
 * also records what Postfix's smtp(8) sends: the map name and the recipient domain (PF-NET-3,
 * PF-KEY-1).
 */
final class PostfixHarnessTest {
    private final TestCertificateAuthority ca = TestCertificateAuthority.create();
    private FakeDnsServer dns;
    private FakeSmtpServer mx;

    @BeforeEach
    void start() throws Exception {
        RealPostfix.assumeInstances();
        dns = RealPostfix.dnsOnPort53().mx("example.com", 10, "mx1.example.com").a("mx1.example.com", "127.0.0.1");
        mx = new FakeSmtpServer(
                        "mx1.example.com",
                        ca.issue().dnsNames("mx1.example.com").build())
                .start();
    }

    @AfterEach
    void stop() {
        if (mx != null) {
            mx.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    private PostfixInstance instance(FixedSocketmap map) throws Exception {
        return PostfixInstance.start(new PostfixInstance.Settings(
                "socketmap:inet:127.0.0.1:" + map.port() + ":postfix",
                mx.port(),
                ca.certificatePem(),
                dns.address().getAddress()));
    }

    @Test
    void secureMatch_deliversOverTls_andAsksTheMapForTheRecipientDomain() throws Exception {
        try (FixedSocketmap map = new FixedSocketmap(key -> "OK secure match=mx1.example.com servername=hostname");
                PostfixInstance postfix = instance(map)) {
            postfix.send("sender@postfix.test.invalid", "user@example.com", "secure");

            PostfixInstance.Outcome outcome = postfix.awaitOutcome("user@example.com", Duration.ofSeconds(20));

            assertThat(outcome.status()).as(postfix.diagnosis()).isEqualTo("sent");
            // PF-NET-3, PF-KEY-1: "name key", the key being the recipient domain (the next hop)
            assertThat(map.requests()).contains("postfix example.com");
            SmtpSession session = mx.takeSession();
            assertThat(session.tlsUsed()).isTrue();
            assertThat(session.sniReceived()).hasValue("mx1.example.com");
            assertThat(session.recipients()).containsExactly("user@example.com");
            assertThat(postfix.logOf("postfix/smtp"))
                    .anyMatch(l -> l.contains("Verified TLS connection established to mx1.example.com"));
        }
    }
}
