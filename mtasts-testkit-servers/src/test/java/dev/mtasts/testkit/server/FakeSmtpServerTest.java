package dev.mtasts.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.MessagingException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fake MX as a real SMTP client (Angus Mail) sees it: delivery over STARTTLS and each fault. */
final class FakeSmtpServerTest {
    private static final String MX = "mx1.example.com";
    private static TestCertificateAuthority ca;
    private static TestCertificate certificate;
    private final java.util.List<FakeSmtpServer> servers = new java.util.ArrayList<>();

    @BeforeAll
    static void issue() {
        ca = TestCertificateAuthority.create();
        certificate = ca.issue().dnsNames(MX).build();
    }

    @AfterEach
    void stop() {
        servers.forEach(FakeSmtpServer::close);
    }

    private FakeSmtpServer start(TestCertificate cert) {
        return track(new FakeSmtpServer(MX, cert).start());
    }

    private FakeSmtpServer track(FakeSmtpServer server) {
        servers.add(server);
        return server;
    }

    @Test
    void deliversOverStartTls_recordingSniProtocolEnvelopeAndMessage() throws MessagingException {
        FakeSmtpServer server = start(certificate);
        SmtpClients.send(server.port(), ca, MX, true);
        SmtpSession session = server.takeSession();
        assertThat(session.tlsUsed()).isTrue();
        assertThat(session.sniReceived()).hasValue(MX); // RFC 8461 §7.1: SNI is the MX name
        assertThat(session.tlsProtocol()).hasValueSatisfying(p -> assertThat(p).startsWith("TLSv1."));
        assertThat(session.ehloName()).hasValue("client.example.org");
        assertThat(session.mailFrom()).hasValue("sender@example.org");
        assertThat(session.recipients()).containsExactly("rcpt@example.com");
        assertThat(session.messageText())
                .hasValueSatisfying(text ->
                        assertThat(text).contains("Subject: MTA-STS test").contains("\r\n.leading dot line\r\n"));
        assertThat(session.transactions())
                .singleElement()
                .satisfies(t -> assertThat(t.tls()).isTrue());
        assertThat(session.quit()).isTrue();
        // EHLO again after STARTTLS (RFC 3207 §4.2), MAIL only inside TLS
        assertThat(session.commands())
                .containsSubsequence("EHLO client.example.org", "STARTTLS", "EHLO client.example.org", "QUIT");
    }

    @Test
    void startTlsNotOffered_clientRequiringTlsRefusesToSend() {
        FakeSmtpServer server = start(certificate).fault(SmtpFault.STARTTLS_NOT_OFFERED);
        assertThatThrownBy(() -> SmtpClients.send(server.port(), ca, MX, true))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("STARTTLS");
        SmtpSession session = server.takeSession();
        assertThat(session.tlsUsed()).isFalse();
        assertThat(session.commands()).noneMatch(c -> c.startsWith("MAIL"));
    }

    @Test
    void noCertificate_meansNoStartTls_plainDeliveryStillWorks() throws MessagingException {
        FakeSmtpServer server = track(new FakeSmtpServer(MX).start());
        SmtpClients.send(SmtpClients.properties(server.port(), false));
        SmtpSession session = server.takeSession();
        assertThat(session.tlsUsed()).isFalse();
        assertThat(session.commands()).doesNotContain("STARTTLS");
        assertThat(session.message()).isPresent();
    }

    @Test
    void startTlsRefused_is454() {
        FakeSmtpServer server = start(certificate).fault(SmtpFault.STARTTLS_REFUSED);
        assertThatThrownBy(() -> SmtpClients.send(server.port(), ca, MX, true))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("454");
        assertThat(server.takeSession().commands()).contains("STARTTLS");
    }

    @Test
    void failHandshake_isAHandshakeFailureAlert() {
        FakeSmtpServer server = start(certificate).fault(SmtpFault.FAIL_HANDSHAKE);
        assertThatThrownBy(() -> SmtpClients.send(server.port(), ca, MX, true))
                .isInstanceOf(MessagingException.class)
                .hasRootCauseInstanceOf(SSLHandshakeException.class);
        SmtpSession session = server.takeSession();
        assertThat(session.tlsUsed()).isFalse();
        assertThat(session.tlsFailure()).isPresent();
    }

    @Test
    void tlsProtocolTooOld_isAProtocolVersionAlert() {
        FakeSmtpServer server = start(certificate).fault(SmtpFault.TLS_PROTOCOL_TOO_OLD);
        assertThatThrownBy(() -> SmtpClients.send(server.port(), ca, MX, true))
                .isInstanceOf(MessagingException.class)
                .hasRootCauseInstanceOf(SSLHandshakeException.class)
                .rootCause()
                .hasMessageContaining("protocol_version");
        SmtpSession session = server.takeSession();
        assertThat(session.tlsUsed()).isFalse();
        assertThat(session.tlsFailure()).hasValueSatisfying(f -> assertThat(f).contains("protocol_version"));
    }

    @Test
    void clearFault_restoresStartTls() throws MessagingException {
        FakeSmtpServer server =
                start(certificate).fault(SmtpFault.STARTTLS_REFUSED).clearFault();
        SmtpClients.send(server.port(), ca, MX, true);
        assertThat(server.takeSession().tlsUsed()).isTrue();
    }

    @Test
    void certificateForAnotherName_failsTheClientsNameCheck() {
        // STS-CERT-2: identity is checked against the MX name
        FakeSmtpServer server = start(ca.issue().dnsNames("mx9.other.example").build());
        assertThatThrownBy(() -> SmtpClients.send(server.port(), ca, MX, true))
                .isInstanceOf(MessagingException.class)
                .hasRootCauseInstanceOf(java.security.cert.CertificateException.class)
                .hasStackTraceContaining("mx1.example.com");
        assertThat(server.takeSession().tlsUsed()).isFalse();
    }

    @Test
    void certificateCanChangeWhileRunning() throws MessagingException {
        FakeSmtpServer server =
                start(ca.issue().dnsNames("mx9.other.example").build()).certificate(certificate);
        SmtpClients.send(server.port(), ca, MX, true);
        assertThat(server.takeSession().tlsUsed()).isTrue();
        assertThat(server.certificate()).contains(certificate);
    }

    @Test
    void givenSslContext_isUsed() throws MessagingException {
        FakeSmtpServer server = track(new FakeSmtpServer(MX, certificate.serverSslContext()).start());
        SmtpClients.send(server.port(), ca, MX, true);
        assertThat(server.takeSession().tlsUsed()).isTrue();
    }

    @Test
    void severalMxAtOnce_eachRecordsItsOwnSessions() throws MessagingException {
        FakeSmtpServer server = start(certificate);
        try (FakeSmtpServer second = new FakeSmtpServer(
                        "mx2.example.com",
                        ca.issue().dnsNames("mx2.example.com").build())
                .start()) {
            assertThat(second.port()).isNotEqualTo(server.port());
            SmtpClients.send(second.port(), ca, "mx2.example.com", true);
            SmtpClients.send(server.port(), ca, MX, true);
            assertThat(second.takeSession().sniReceived()).hasValue("mx2.example.com");
            assertThat(server.takeSession().sniReceived()).hasValue(MX);
            assertThat(second.pollSession(Duration.ZERO)).isEmpty();
        }
    }

    @Test
    void rawDialogue_rsetNoopHeloAndOrderingErrors() throws IOException {
        FakeSmtpServer server = start(certificate);
        try (Socket socket = new Socket(server.address().getAddress(), server.port())) {
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = socket.getOutputStream();
            assertThat(in.readLine()).startsWith("220 " + MX);
            assertThat(command(out, in, "MAIL FROM:<a@b>")).startsWith("503");
            assertThat(command(out, in, "HELO client")).isEqualTo("250 " + MX);
            assertThat(command(out, in, "RCPT TO:<c@d>")).startsWith("503");
            assertThat(command(out, in, "MAIL FROM:<a@b>")).startsWith("250");
            assertThat(command(out, in, "RSET")).startsWith("250");
            assertThat(command(out, in, "DATA")).startsWith("503");
            assertThat(command(out, in, "NOOP")).startsWith("250");
            assertThat(command(out, in, "VRFY x")).startsWith("502");
            assertThat(command(out, in, "QUIT")).startsWith("221");
        }
        SmtpSession session = server.takeSession();
        assertThat(session.transactions()).singleElement().satisfies(t -> {
            assertThat(t.mailFrom()).isEqualTo("a@b");
            assertThat(t.message()).isEmpty();
        });
    }

    @Test
    void connectionWithoutSni_isRecordedAsSuch() throws MessagingException {
        // an MTA connecting by IP without the MX-name seam sends no SNI (the mistake the MX-name socket factory guards
        // against)
        FakeSmtpServer server = start(certificate);
        Properties props = SmtpClients.properties(server.port(), true);
        props.put("mail.smtp.ssl.trust", "*");
        props.put("mail.smtp.ssl.checkserveridentity", "false");
        props.put("mail.smtp.ssl.socketFactory", ca.clientSslContext().getSocketFactory());
        SmtpClients.send(props);
        SmtpSession session = server.takeSession();
        assertThat(session.tlsUsed()).isTrue();
        assertThat(session.sniReceived()).isEmpty();
    }

    @Test
    void close_isIdempotent_andStartTwiceFails() {
        FakeSmtpServer server = start(certificate);
        assertThatThrownBy(() -> server.start()).isInstanceOf(IllegalStateException.class);
        server.close();
        server.close();
        assertThatThrownBy(() -> new Socket(server.address().getAddress(), server.port()).close())
                .isInstanceOf(IOException.class);
    }

    private static String command(OutputStream out, BufferedReader in, String command) throws IOException {
        out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return in.readLine();
    }
}
