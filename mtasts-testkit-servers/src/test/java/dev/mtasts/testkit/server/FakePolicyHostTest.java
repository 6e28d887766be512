package dev.mtasts.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every response and fault as the JDK {@code HttpClient} sees it over real TLS on loopback. */
final class FakePolicyHostTest {
    private static final String POLICY =
            "version: STSv1\nmode: enforce\nmx: mx1.example.com\nmx: *.example.com\nmax_age: 86400\n";

    /**
     * A policy extension line (RFC 8461 §3.2: {@code sts-policy-extension}); the padding is made of
     * these so a parser ignores it. Checked here by pattern: this module cannot use core's parser.
     */
    private static final Pattern EXTENSION_LINE =
            Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}:[ \\t]*[\\x21-\\x3A\\x3C\\x3E-\\x7E]*");

    private FakePolicyHost host;

    @BeforeEach
    void start() {
        host = new FakePolicyHost().start();
    }

    @AfterEach
    void stop() {
        host.close();
    }

    private HttpResponse<String> get(String domain) throws IOException {
        return PolicyClients.get(PolicyClients.freshContext(host.certificateAuthority()), domain, host.port());
    }

    @Test
    void policy_isServedWithTextPlainOverTls_andRequestIsRecorded() throws IOException {
        host.policy("example.com", POLICY);
        HttpResponse<String> response = get("example.com");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(response.body()).isEqualTo(POLICY);
        RecordedRequest request = host.takeRequest();
        assertThat(request.sni()).hasValue("mta-sts.example.com");
        assertThat(request.domain()).hasValue("example.com");
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.path()).isEqualTo("/.well-known/mta-sts.txt");
        assertThat(request.tlsProtocol()).startsWith("TLSv1.");
        assertThat(request.header("user-agent")).isPresent();
    }

    @Test
    void manyDomains_eachGetsItsOwnCertificateBySni() throws IOException {
        host.policy("example.com", POLICY).policy("example.net", "version: STSv1\nmode: none\nmax_age: 60\n");
        assertThat(get("example.com").body()).isEqualTo(POLICY);
        assertThat(get("example.net").body()).contains("mode: none");
        assertThat(host.requests())
                .extracting(r -> r.sni().orElseThrow())
                .containsExactly("mta-sts.example.com", "mta-sts.example.net");
        assertThat(host.certificate("example.net").dnsNames()).containsExactly("mta-sts.example.net");
        assertThat(host.domains()).containsExactlyInAnyOrder("example.com", "example.net");
    }

    @Test
    void sharedClientContext_jdkResumptionResendsTheFirstSni() throws IOException {
        // The pitfall docs/testkit.md warns about: the JDK keys its client session cache by peer
        // address, and a resumed session re-sends its own SNI. The host routes by the SNI it receives.
        host.policy("example.com", POLICY).policy("example.net", "version: STSv1\nmode: none\nmax_age: 60\n");
        javax.net.ssl.SSLContext shared = PolicyClients.freshContext(host.certificateAuthority());
        PolicyClients.get(shared, "example.com", host.port());
        PolicyClients.get(shared, "example.net", host.port());
        assertThat(host.requests())
                .extracting(r -> r.sni().orElseThrow())
                .containsExactly("mta-sts.example.com", "mta-sts.example.com");
    }

    @Test
    void unknownDomain_getsACertificateForAnotherName() {
        host.policy("example.com", POLICY);
        assertThatThrownBy(() -> get("example.org")).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void hostWithoutPolicy_is404_andOtherPathsToo() throws IOException, InterruptedException {
        host.addHost("example.com");
        assertThat(get("example.com").statusCode()).isEqualTo(404);
        host.policy("example.com", POLICY);
        HttpResponse<String> otherPath = PolicyClients.client(
                        PolicyClients.freshContext(host.certificateAuthority()), "example.com")
                .send(
                        PolicyClients.request(host.port(), "/mta-sts.txt", Duration.ofSeconds(5)),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(otherPath.statusCode()).isEqualTo(404);
        host.removePolicy("example.com");
        assertThat(get("example.com").statusCode()).isEqualTo(404);
    }

    @Test
    void enqueue_isServedOnce_thenTheStandingResponse() throws IOException {
        host.policy("example.com", POLICY).enqueue("example.com", PolicyResponse.status(503));
        assertThat(get("example.com").statusCode()).isEqualTo(503);
        assertThat(get("example.com").statusCode()).isEqualTo(200);
        assertThat(host.requestCount()).isEqualTo(2);
    }

    @Test
    void anyStatus() throws IOException {
        // STS-HTTP-4: only 200 yields a policy
        for (int status : new int[] {204, 304, 404, 500}) {
            host.enqueue(
                    "example.com",
                    PolicyResponse.builder().status(status).body(POLICY).build());
            assertThat(get("example.com").statusCode()).isEqualTo(status);
        }
    }

    @Test
    void redirect_hasLocation_andIsNotFollowed() throws IOException {
        // STS-HTTP-3
        host.policy("example.com", POLICY)
                .enqueue("example.com", PolicyResponse.redirect("https://elsewhere.example/.well-known/mta-sts.txt"))
                .enqueue("example.com", PolicyResponse.fault(HttpFault.REDIRECT));
        HttpResponse<String> first = get("example.com");
        assertThat(first.statusCode()).isEqualTo(301);
        assertThat(first.headers().firstValue("Location"))
                .hasValue("https://elsewhere.example/.well-known/mta-sts.txt");
        HttpResponse<String> second = get("example.com");
        assertThat(second.headers().firstValue("Location")).hasValue(PolicyResponse.DEFAULT_REDIRECT_LOCATION);
    }

    @Test
    void redirect_keepsAChosen3xxStatus() throws IOException {
        host.enqueue(
                "example.com",
                PolicyResponse.builder().status(307).fault(HttpFault.REDIRECT).build());
        assertThat(get("example.com").statusCode()).isEqualTo(307);
    }

    @Test
    void wrongAndMissingContentType() throws IOException {
        // STS-HTTP-6
        host.enqueue(
                "example.com",
                PolicyResponse.builder()
                        .body(POLICY)
                        .fault(HttpFault.WRONG_CONTENT_TYPE)
                        .build());
        host.enqueue(
                "example.com",
                PolicyResponse.builder()
                        .body(POLICY)
                        .fault(HttpFault.MISSING_CONTENT_TYPE)
                        .build());
        host.enqueue(
                "example.com",
                PolicyResponse.builder()
                        .body(POLICY)
                        .contentType("text/plain; charset=utf-8")
                        .build());
        assertThat(get("example.com").headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(get("example.com").headers().firstValue("Content-Type")).isEmpty();
        assertThat(get("example.com").headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    }

    @Test
    void oversizedBody_is64KiBPlusOne_andStillLooksLikeAPolicy() throws IOException, InterruptedException {
        // STS-HTTP-7: a truncating fetcher would accept the first 64 KiB as a valid policy
        host.enqueue(
                "example.com",
                PolicyResponse.builder()
                        .body(POLICY)
                        .fault(HttpFault.OVERSIZED_BODY)
                        .build());
        HttpResponse<byte[]> response = PolicyClients.client(host.clientSslContext(), "example.com")
                .send(
                        PolicyClients.request(host.port(), Duration.ofSeconds(10)),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.body()).hasSize(64 * 1024 + 1);
        assertThat(response.headers().firstValue("Content-Length")).hasValue("65537");
        String head = new String(java.util.Arrays.copyOf(response.body(), 64 * 1024), StandardCharsets.US_ASCII);
        assertThat(head).startsWith(POLICY);
        assertPaddingLines(head.substring(POLICY.length()), true);
    }

    @Test
    void endlessBody_neverEnds() throws IOException, InterruptedException {
        // STS-HTTP-7/8: only a cap or a deadline stops it
        host.enqueue(
                "example.com",
                PolicyResponse.builder()
                        .body(POLICY)
                        .fault(HttpFault.ENDLESS_BODY)
                        .build());
        HttpResponse<InputStream> response = PolicyClients.client(host.clientSslContext(), "example.com")
                .send(
                        PolicyClients.request(host.port(), Duration.ofSeconds(10)),
                        HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.headers().firstValue("Content-Length")).isEmpty();
        try (InputStream body = response.body()) {
            byte[] buffer = new byte[8192];
            long total = 0;
            while (total < 1024 * 1024) {
                int n = body.read(buffer);
                assertThat(n).as("the body ended after %d bytes", total).isPositive();
                total += n;
            }
            assertThat(total).isGreaterThanOrEqualTo(1024 * 1024);
        }
    }

    @Test
    void slowHeaders_triggerTheClientsHeaderTimeout() {
        // STS-HTTP-8
        host.enqueue(
                "example.com",
                PolicyResponse.builder()
                        .body(POLICY)
                        .fault(HttpFault.SLOW_HEADERS)
                        .delay(Duration.ofSeconds(30))
                        .build());
        HttpClient client = PolicyClients.client(host.clientSslContext(), "example.com");
        assertThatThrownBy(() -> client.send(
                        PolicyClients.request(host.port(), Duration.ofMillis(300)),
                        HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void trickleBody_headersComeAtOnce_bodyComesSlowly() throws IOException, InterruptedException {
        // STS-HTTP-8: a header timeout does not catch a slow body (JDK HttpClient on 17)
        byte[] body = "version: STSv1\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        host.enqueue(
                "example.com",
                PolicyResponse.builder()
                        .body(body)
                        .fault(HttpFault.TRICKLE_BODY)
                        .trickle(1, Duration.ofMillis(30))
                        .build());
        long start = System.nanoTime();
        HttpResponse<String> response = PolicyClients.client(host.clientSslContext(), "example.com")
                .send(PolicyClients.request(host.port(), Duration.ofMillis(300)), HttpResponse.BodyHandlers.ofString());
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(response.body()).isEqualTo("version: STSv1\n");
        // 15 bytes, 14 pauses of 30 ms: the whole body took far longer than the 300 ms header timeout allowed
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(14 * 30);
    }

    @Test
    void connectionReset() {
        // standing, not enqueued: HttpClient retries an idempotent GET once after a reset
        host.respond("example.com", PolicyResponse.fault(HttpFault.CONNECTION_RESET));
        assertThatThrownBy(() -> get("example.com")).isInstanceOf(IOException.class);
        assertThat(host.takeRequest().path()).isEqualTo(FakePolicyHost.WELL_KNOWN_PATH);
    }

    @Test
    void closeDelimitedBody_noFramingHeaders() throws IOException {
        host.respond("example.com", PolicyResponse.fault(HttpFault.CLOSE_DELIMITED_BODY));
        HttpResponse<String> response = get("example.com");
        assertThat(response.headers().firstValue("Content-Length")).isEmpty();
        assertThat(response.headers().firstValue("Transfer-Encoding")).isEmpty();
        assertThat(response.body()).endsWith("max_age: 86400\r\n");
    }

    @Test
    void closeDelimitedTruncated_cutsInsideTheLastMxValue() throws IOException {
        host.respond("example.com", PolicyResponse.fault(HttpFault.CLOSE_DELIMITED_TRUNCATED));
        HttpResponse<String> response = get("example.com");
        assertThat(response.headers().firstValue("Content-Length")).isEmpty();
        // a client that takes a bare FIN for the end of the body sees a shortened mx pattern
        assertThat(response.body()).endsWith("mx: mx.exam");
    }

    @Test
    void truncationPoint_halfWayWithoutMx() {
        byte[] body = "abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(FakePolicyHost.truncationPoint(body)).isEqualTo(3);
    }

    @Test
    void contentLengthAndChunked_sendsBothHeaders() throws Exception {
        host.respond("example.com", PolicyResponse.fault(HttpFault.CONTENT_LENGTH_AND_CHUNKED));
        String head = PolicyClients.rawHead(host, "example.com");
        assertThat(head).containsIgnoringCase("Content-Length: ").containsIgnoringCase("Transfer-Encoding: chunked");
    }

    @Test
    void failHandshake_thenNextConnectionWorks() throws IOException {
        host.policy("example.com", POLICY).enqueue("example.com", PolicyResponse.fault(HttpFault.FAIL_HANDSHAKE));
        assertThatThrownBy(() -> get("example.com"))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("handshake_failure");
        assertThat(host.requestCount()).isZero();
        assertThat(get("example.com").statusCode()).isEqualTo(200);
    }

    @Test
    void wrongCertificate_failsHostNameVerification() throws IOException {
        // STS-HTTP-2: PKIX passes, the name does not
        host.policy("example.com", POLICY).enqueue("example.com", PolicyResponse.fault(HttpFault.WRONG_CERTIFICATE));
        assertThatThrownBy(() -> get("example.com"))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("No subject alternative");
        assertThat(get("example.com").statusCode()).isEqualTo(200);
    }

    @Test
    void standingHandshakeFault_appliesToEveryConnection() {
        host.respond("example.com", PolicyResponse.fault(HttpFault.FAIL_HANDSHAKE));
        assertThatThrownBy(() -> get("example.com")).isInstanceOf(SSLHandshakeException.class);
        assertThatThrownBy(() -> get("example.com")).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void wrongCertificate_isForTheWrongName_andAClientIgnoringNamesGetsTheBody() throws Exception {
        host.respond(
                "example.com",
                PolicyResponse.builder()
                        .body(POLICY)
                        .fault(HttpFault.WRONG_CERTIFICATE)
                        .build());
        javax.net.ssl.SSLContext context = PolicyClients.freshContext(host.certificateAuthority());
        try (javax.net.ssl.SSLSocket socket =
                (javax.net.ssl.SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", host.port())) {
            javax.net.ssl.SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(java.util.List.of(new javax.net.ssl.SNIHostName("mta-sts.example.com")));
            socket.setSSLParameters(parameters); // no endpoint identification: a careless client
            socket.startHandshake();
            java.security.cert.X509Certificate peer =
                    (java.security.cert.X509Certificate) socket.getSession().getPeerCertificates()[0];
            assertThat(peer.getSubjectAlternativeNames())
                    .singleElement()
                    .satisfies(name -> assertThat(name.get(1)).isEqualTo(FakePolicyHost.WRONG_NAME));
            socket.getOutputStream()
                    .write("GET /.well-known/mta-sts.txt HTTP/1.1\r\nHost: mta-sts.example.com\r\n\r\n"
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String response =
                    new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 200 OK").endsWith(POLICY);
        }
    }

    @Test
    void handshakeFaultFromADispatcher_resetsTheConnection() {
        host.addHost("example.com").dispatcher(request -> PolicyResponse.fault(HttpFault.WRONG_CERTIFICATE));
        assertThatThrownBy(() -> get("example.com")).isInstanceOf(IOException.class);
        assertThat(host.requestCount()).isPositive();
    }

    @Test
    void givenCertificate_isServed_expiredOneFailsPkix() {
        TestCertificate expired = host.certificateAuthority()
                .issue()
                .dnsNames("mta-sts.example.com")
                .expired()
                .build();
        host.addHost("example.com", expired).policy("example.com", POLICY);
        assertThatThrownBy(() -> get("example.com"))
                .isInstanceOf(SSLHandshakeException.class)
                .hasStackTraceContaining("CertificateExpiredException");
    }

    @Test
    void dispatcher_answersEveryRequest() throws IOException {
        host.addHost("example.com")
                .dispatcher(request -> PolicyResponse.builder()
                        .status(418)
                        .header("X-Sni", request.sni().orElse("none"))
                        .build());
        HttpResponse<String> response = get("example.com");
        assertThat(response.statusCode()).isEqualTo(418);
        assertThat(response.headers().firstValue("X-Sni")).hasValue("mta-sts.example.com");
        host.clearDispatcher().policy("example.com", POLICY);
        assertThat(get("example.com").statusCode()).isEqualTo(200);
    }

    @Test
    void throwingDispatcher_isA500NamingTheException() throws IOException {
        host.addHost("example.com").dispatcher(request -> {
            throw new IllegalStateException("boom");
        });
        HttpResponse<String> response = get("example.com");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains("boom");
    }

    private int post(byte[] body) throws IOException, InterruptedException {
        HttpClient client =
                PolicyClients.client(PolicyClients.freshContext(host.certificateAuthority()), "example.com");
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("https://127.0.0.1:" + host.port() + "/tlsrpt"))
                .timeout(Duration.ofSeconds(20))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void postedBody_isRecorded() throws IOException, InterruptedException {
        // a TLSRPT endpoint (RFC 8460 §5.4) is tested by reading what was POSTed
        host.addHost("example.com").dispatcher(request -> PolicyResponse.status(200));
        byte[] report = "{\"report-id\":\"r1\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(post(report)).isEqualTo(200);
        RecordedRequest request = host.takeRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.body()).isEqualTo(report);
        host.clearDispatcher();
        assertThat(get("example.com").statusCode()).isEqualTo(404);
        assertThat(host.takeRequest().body()).isEmpty();
    }

    @Test
    void postedBody_overTheCap_isKeptUpToTheCap_andTheRequestStillAnswered() throws IOException, InterruptedException {
        host.addHost("example.com").dispatcher(request -> PolicyResponse.status(200));
        byte[] huge = new byte[RecordedRequest.MAX_BODY_BYTES + 4096];
        java.util.Arrays.fill(huge, (byte) 'x');
        huge[RecordedRequest.MAX_BODY_BYTES - 1] = 'y';
        assertThat(post(huge)).isEqualTo(200);
        byte[] kept = host.takeRequest().body();
        assertThat(kept).hasSize(RecordedRequest.MAX_BODY_BYTES);
        assertThat(kept[RecordedRequest.MAX_BODY_BYTES - 1]).isEqualTo((byte) 'y');
    }

    @Test
    void connectionsAreCounted() throws IOException {
        host.policy("example.com", POLICY);
        get("example.com");
        get("example.com");
        assertThat(host.connectionCount()).isEqualTo(2);
        assertThat(host.requests()).hasSize(2);
    }

    @Test
    void close_isIdempotent_andStopsServing() {
        int port = host.port();
        host.policy("example.com", POLICY);
        host.close();
        host.close();
        assertThatThrownBy(() -> PolicyClients.get(host.clientSslContext(), "example.com", port))
                .isInstanceOf(IOException.class);
    }

    @Test
    void padding_hasExactLength_andValidSyntax() {
        for (int n : new int[] {22, 23, 999, 1000, 1001, 65537 - 80}) {
            byte[] padding = FakePolicyHost.padding(n);
            assertThat(padding).hasSize(n);
            assertPaddingLines(new String(padding, StandardCharsets.US_ASCII), false);
        }
    }

    /** Every line is a policy extension; the last may be cut short (no line end) when {@code truncated}. */
    private static void assertPaddingLines(String text, boolean truncated) {
        if (!truncated) {
            assertThat(text).endsWith("\n");
        }
        String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        assertThat(body.split("\n", -1))
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line).matches(EXTENSION_LINE));
    }
}
