package dev.mtasts.checker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.checker.ProbeResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The SMTP dialogue of the probe against scripted loopback servers, for answers the fake MX does not
 * give: multi-line greetings, lower-case keywords, refusals, silence.
 */
final class MxSmtpProbeTest {
    private final List<ScriptedServer> servers = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (ScriptedServer s : servers) {
            s.close();
        }
    }

    /**
     * Sends {@code greeting} ("" closes at once, "SILENT" sends nothing), then one scripted reply per
     * command line received ("" closes instead).
     */
    private static final class ScriptedServer implements AutoCloseable {
        final ServerSocket socket;
        final List<String> received = new CopyOnWriteArrayList<>();

        ScriptedServer(String greeting, String... replies) throws IOException {
            socket = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
            Thread t = new Thread(() -> serve(greeting, replies), "scripted-smtp");
            t.setDaemon(true);
            t.start();
        }

        private void serve(String greeting, String[] replies) {
            try (Socket client = socket.accept()) {
                OutputStream out = client.getOutputStream();
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
                if (greeting.isEmpty()) {
                    return; // close at once
                }
                if (!greeting.equals("SILENT")) {
                    out.write(greeting.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                for (String reply : replies) {
                    String line = in.readLine();
                    if (line == null) {
                        return;
                    }
                    received.add(line);
                    if (reply.isEmpty()) {
                        return; // close instead of answering
                    }
                    out.write(reply.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                String last;
                while ((last = in.readLine()) != null) {
                    received.add(last);
                }
            } catch (IOException e) {
                // the probe went away
            }
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private ScriptedServer server(String greeting, String... replies) throws IOException {
        ScriptedServer s = new ScriptedServer(greeting, replies);
        servers.add(s);
        return s;
    }

    private static SmtpProbe.Outcome probe(ScriptedServer server, Duration timeout) {
        return SmtpProbe.probe(
                InetAddress.getLoopbackAddress(), server.port(), "mx.example.com", RecordingTrust.context(), timeout);
    }

    @Test
    void multiLineGreetingAndLowerCaseKeyword_areUnderstood() throws IOException {
        // RFC 5321 §4.2.1 multi-line replies; §4.1.1.1 keywords are case-insensitive
        ScriptedServer s = server(
                "220-mx.example.com ESMTP\r\n220-more text\r\n220 ready\r\n",
                "250-mx.example.com hello\r\n250-size 1000\r\n250 starttls\r\n",
                "454 4.7.0 try later\r\n",
                "221 bye\r\n");

        SmtpProbe.Outcome outcome = probe(s, Duration.ofSeconds(5));

        assertThat(outcome.result()).isEqualTo(ProbeResult.NO_STARTTLS);
        assertThat(outcome.error()).hasValueSatisfying(e -> assertThat(e).contains("STARTTLS answered 454"));
        assertThat(s.received).contains("STARTTLS", "QUIT");
        assertThat(s.received.get(0)).startsWith("EHLO [");
    }

    @Test
    void ehloWithoutStartTls_isNoStartTls_andQuits() throws IOException {
        // RFC 3207 §4: STARTTLS must be listed in the EHLO reply
        ScriptedServer s = server("220 hi\r\n", "250-mx hello\r\n250 8BITMIME\r\n", "221 bye\r\n");

        SmtpProbe.Outcome outcome = probe(s, Duration.ofSeconds(5));

        assertThat(outcome.result()).isEqualTo(ProbeResult.NO_STARTTLS);
        assertThat(outcome.error()).hasValueSatisfying(e -> assertThat(e).contains("does not list STARTTLS"));
        assertThat(s.received).endsWith("QUIT");
    }

    @Test
    void ehloRefused_isNoStartTls() throws IOException {
        // RFC 3207 §4: STARTTLS is an EHLO extension; without EHLO there is none
        ScriptedServer s = server("220 hi\r\n", "502 5.5.2 EHLO not understood\r\n", "221 bye\r\n");

        SmtpProbe.Outcome outcome = probe(s, Duration.ofSeconds(5));

        assertThat(outcome.result()).isEqualTo(ProbeResult.NO_STARTTLS);
        assertThat(outcome.error()).hasValueSatisfying(e -> assertThat(e).contains("EHLO answered 502"));
    }

    @Test
    void closedAfterGreeting_isUnreachable_notNoStartTls() throws IOException {
        // the server is gone before it could answer EHLO: nothing is known about STARTTLS
        ScriptedServer s = server("220 hi\r\n", "");

        SmtpProbe.Outcome outcome = probe(s, Duration.ofSeconds(5));

        assertThat(outcome.result()).isEqualTo(ProbeResult.UNREACHABLE);
        assertThat(outcome.error()).hasValueSatisfying(e -> assertThat(e).contains("before STARTTLS"));
    }

    @Test
    void greetingThatRefusesUs_isUnreachable_notAServerFault() throws IOException {
        // a 554 greeting usually refuses this client's network (a block list), not every sender
        ScriptedServer s = server("554 5.7.1 your address is listed\r\n");

        SmtpProbe.Outcome outcome = probe(s, Duration.ofSeconds(5));

        assertThat(outcome.result()).isEqualTo(ProbeResult.UNREACHABLE);
        assertThat(outcome.error()).hasValueSatisfying(e -> assertThat(e).contains("554"));
    }

    @Test
    void closedBeforeGreeting_isUnreachable() throws IOException {
        // RFC 5321 §3.1: no greeting, no session: unknown from here
        ScriptedServer s = server("");

        SmtpProbe.Outcome outcome = probe(s, Duration.ofSeconds(5));

        assertThat(outcome.result()).isEqualTo(ProbeResult.UNREACHABLE);
        assertThat(outcome.error()).hasValueSatisfying(e -> assertThat(e).contains("no greeting"));
    }

    @Test
    void silentServer_timesOutAsUnreachable_withinTheProbeTimeout() throws IOException {
        // RFC 5321 §4.5.3.2: a client gives up waiting; the result is unknown
        ScriptedServer s = server("SILENT");

        long start = System.nanoTime();
        SmtpProbe.Outcome outcome = probe(s, Duration.ofMillis(400));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(outcome.result()).isEqualTo(ProbeResult.UNREACHABLE);
    }

    @Test
    void malformedReply_isNotMistakenForStartTls() throws IOException {
        // RFC 5321 §4.2: a reply starts with a three-digit code
        ScriptedServer s = server("220 hi\r\n", "hello there\r\n");

        SmtpProbe.Outcome outcome = probe(s, Duration.ofSeconds(5));

        assertThat(outcome.result()).isEqualTo(ProbeResult.UNREACHABLE);
        assertThat(outcome.error()).hasValueSatisfying(e -> assertThat(e).contains("not an SMTP reply"));
    }

    @Test
    void protocolRefusal_isToldFromOtherHandshakeFailures() {
        // RFC 8461 §7.2: only the protocol version makes sts.mx.tls-version
        assertThat(SmtpProbe.isProtocolRefusal("SSLHandshakeException: Received fatal alert: protocol_version"))
                .isTrue();
        assertThat(SmtpProbe.isProtocolRefusal("SSLHandshakeException: No appropriate protocol (protocol is"
                        + " disabled or cipher suites are inappropriate)"))
                .isTrue();
        assertThat(SmtpProbe.isProtocolRefusal("SSLHandshakeException: Received fatal alert: handshake_failure"))
                .isFalse();
    }

    @Test
    void ehloName_isAnAddressLiteral() throws IOException {
        // RFC 5321 §4.1.3 address literals
        assertThat(SmtpProbe.ehloName(InetAddress.getByName("192.0.2.7"))).isEqualTo("[192.0.2.7]");
        assertThat(SmtpProbe.ehloName(InetAddress.getByName("::1"))).isEqualTo("[IPv6:0:0:0:0:0:0:0:1]");
    }
}
