package dev.mtasts.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.core.testing.FakeDns;
import dev.mtasts.testkit.server.TestCertificateAuthority;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How the fetcher finds the end of a body, over real loopback TLS: a server that ends the TCP
 * connection without TLS {@code close_notify} must not be able to truncate a policy.
 */
final class HttpsPolicyFetcherFramingTest {
    private static final String HOST = "mta-sts.example.com";
    private static final String POLICY =
            "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmx: backup.example.net\r\nmax_age: 86400\r\n";

    private static SSLContext serverContext;
    private static SSLContext clientContext;

    private @org.jspecify.annotations.Nullable ServerSocket listener;

    /** How the scripted server ends the connection after writing its response. */
    private enum Ending {
        /** TLS close_notify, then TCP FIN. */
        CLOSE_NOTIFY,
        /** TCP FIN only: what an attacker on the path can forge. */
        BARE_FIN
    }

    @BeforeAll
    static void certificates() throws Exception {
        TestCertificateAuthority ca = TestCertificateAuthority.create("Test CA");
        serverContext = ca.issue().dnsNames(HOST).build().serverSslContext();
        clientContext = ca.clientSslContext();
    }

    @AfterEach
    void close() throws IOException {
        if (listener != null) {
            listener.close();
        }
    }

    /** Serves one connection: handshake, read the request head, write {@code response}, end as told. */
    private int serveOnce(String response, Ending ending) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        listener = server;
        Thread thread = new Thread(
                () -> {
                    try (Socket raw = server.accept()) {
                        SSLSocket tls = (SSLSocket)
                                serverContext.getSocketFactory().createSocket(raw, null, raw.getPort(), true);
                        tls.setUseClientMode(false);
                        InputStream in = tls.getInputStream();
                        int last4 = 0;
                        int b;
                        while (last4 != 0x0d0a0d0a && (b = in.read()) >= 0) {
                            last4 = (last4 << 8) | b;
                        }
                        OutputStream out = tls.getOutputStream();
                        out.write(response.getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                        if (ending == Ending.CLOSE_NOTIFY) {
                            tls.close();
                        }
                        // BARE_FIN: try-with-resources closes only the TCP socket, no close_notify.
                    } catch (IOException e) {
                        // the client went away: the assertions are on its side
                    }
                },
                "framing-test-server");
        thread.setDaemon(true);
        thread.start();
        return server.getLocalPort();
    }

    private static FetchResult fetch(int port) {
        DnsResolver dns = new FakeDns().address(HOST, InetAddress.getLoopbackAddress());
        return PolicyFetcher.https()
                .dns(dns)
                .sslContext(clientContext)
                .port(port)
                .allowLoopback()
                .timeout(Duration.ofSeconds(10))
                .build()
                .fetch("example.com")
                .toCompletableFuture()
                .join();
    }

    private static FetchProblem failure(FetchResult result) {
        assertThat(result).isInstanceOf(FetchResult.Failed.class);
        return ((FetchResult.Failed) result).failure();
    }

    @Test
    void closeDelimitedBody_cutInsideAnMxLineByBareFin_refused() throws Exception {
        // RFC 9112 §9.8: without close_notify the body may have been cut; here it ends inside the second
        // mx line, which would leave the pattern "backup.exam" and a policy that still parses.
        String cut = POLICY.substring(0, POLICY.indexOf("backup.") + "backup.exam".length());
        int port = serveOnce(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n" + cut, Ending.BARE_FIN);
        FetchProblem failure = failure(fetch(port));
        assertThat(failure.reason()).isEqualTo(FetchProblem.Reason.PROTOCOL);
        assertThat(failure.detail()).contains("RFC 9112 §9.8");
    }

    @Test
    void closeDelimitedBody_endedByCloseNotify_refusedAsWell() throws Exception {
        // RFC 9112 §9.8 would accept this one, but the JDK reports it exactly like the bare FIN above, so
        // the two cannot be told apart and both are refused (docs/policy-fetching.md).
        int port = serveOnce(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n" + POLICY,
                Ending.CLOSE_NOTIFY);
        assertThat(failure(fetch(port)).reason()).isEqualTo(FetchProblem.Reason.PROTOCOL);
    }

    @Test
    void contentLengthAndChunked_refused() throws Exception {
        // RFC 9112 §6.1: both framings in one response is the request-smuggling shape
        String chunked = Integer.toHexString(POLICY.length()) + "\r\n" + POLICY + "\r\n0\r\n\r\n";
        int port = serveOnce(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + POLICY.length()
                        + "\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked,
                Ending.CLOSE_NOTIFY);
        FetchProblem failure = failure(fetch(port));
        assertThat(failure.reason()).isEqualTo(FetchProblem.Reason.PROTOCOL);
        assertThat(failure.detail()).contains("RFC 9112 §6.1");
    }

    @Test
    void contentLengthBody_endedByBareFin_accepted() throws Exception {
        // The length frames the body, so how the connection ends afterwards does not matter.
        int port = serveOnce(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + POLICY.length() + "\r\n\r\n"
                        + POLICY,
                Ending.BARE_FIN);
        assertThat(fetch(port)).isInstanceOf(FetchResult.Fetched.class);
    }

    @Test
    void chunkedBody_withAChunkExtension_accepted() throws Exception {
        // RFC 9112 §7.1: chunk sizes may carry extensions, which a client ignores
        String half1 = POLICY.substring(0, 20);
        String half2 = POLICY.substring(20);
        int port = serveOnce(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + Integer.toHexString(half1.length()) + "\r\n" + half1 + "\r\n"
                        + Integer.toHexString(half2.length()) + ";ext=1\r\n" + half2 + "\r\n0\r\n\r\n",
                Ending.CLOSE_NOTIFY);
        FetchResult result = fetch(port);
        assertThat(result).isInstanceOf(FetchResult.Fetched.class);
        assertThat(((FetchResult.Fetched) result).policy().mx()).hasSize(2);
    }

    @Test
    void contentLengthBody_shorterThanDeclared_refused() throws Exception {
        // RFC 9112 §8: a body that ends before its Content-Length is incomplete, never a policy
        int port = serveOnce(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 900\r\n\r\nversion",
                Ending.CLOSE_NOTIFY);
        assertThat(failure(fetch(port)).reason()).isEqualTo(FetchProblem.Reason.PROTOCOL);
    }
}
