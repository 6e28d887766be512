package dev.mtasts.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtasts.core.Mode;
import dev.mtasts.core.ResultType;
import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.core.dns.DnsResult;
import dev.mtasts.core.dns.MxRecord;
import dev.mtasts.core.testing.FakeDns;
import dev.mtasts.testkit.server.FakePolicyHost;
import dev.mtasts.testkit.server.HttpFault;
import dev.mtasts.testkit.server.PolicyResponse;
import dev.mtasts.testkit.server.RecordedRequest;
import dev.mtasts.testkit.server.TestCertificate;
import dev.mtasts.testkit.server.TestCertificateAuthority;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class HttpsPolicyFetcherTest {
    private static final String HOST = "mta-sts.example.com";
    private static final String POLICY = "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmax_age: 86400\r\n";

    private static final String DOMAIN = "example.com";
    private static final TestCertificateAuthority CA = TestCertificateAuthority.create("Test CA");

    private final SSLContext clientContext = CA.clientSslContext();
    private final FakePolicyHost server = new FakePolicyHost(CA);
    private final FakeDns dns = new FakeDns().address(HOST, InetAddress.getLoopbackAddress());

    @BeforeEach
    void startServer() {
        server.addHost(DOMAIN).start();
    }

    @AfterEach
    void closeServer() {
        server.close();
    }

    /** The policy host serves {@code response} for every request from now on. */
    private FakePolicyHost serve(PolicyResponse response) {
        return server.respond(DOMAIN, response);
    }

    /** The policy host presents {@code certificate} and serves the policy. */
    private FakePolicyHost serve(TestCertificate certificate) {
        return server.certificate(DOMAIN, certificate).respond(DOMAIN, ok("text/plain", POLICY));
    }

    private PolicyFetcher.Builder fetcher(FakePolicyHost server) {
        return PolicyFetcher.https()
                .dns(dns)
                .sslContext(clientContext)
                .port(server.port())
                .allowLoopback()
                .timeout(Duration.ofSeconds(10));
    }

    private static FetchResult fetch(PolicyFetcher fetcher) {
        return fetcher.fetch("example.com").toCompletableFuture().join();
    }

    private static FetchProblem failure(FetchResult result) {
        assertThat(result).isInstanceOf(FetchResult.Failed.class);
        return ((FetchResult.Failed) result).failure();
    }

    private static PolicyResponse ok(String contentType, String body) {
        return PolicyResponse.builder().contentType(contentType).body(body).build();
    }

    @Test
    void fetch_validPolicy() throws Exception {
        // STS-HTTP-1, RFC 8461 §3.3: GET /.well-known/mta-sts.txt on mta-sts.<domain>
        serve(ok("text/plain", POLICY));
        FetchResult result = fetch(fetcher(server).build());
        assertThat(result).isInstanceOf(FetchResult.Fetched.class);
        assertThat(((FetchResult.Fetched) result).policy().mode()).isEqualTo(Mode.ENFORCE);
        RecordedRequest request = server.takeRequest();
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.path()).isEqualTo("/.well-known/mta-sts.txt");
        assertThat(request.httpVersion()).isEqualTo("HTTP/1.1");
        assertThat(request.sni()).hasValue(HOST);
        assertThat(request.header("Host")).hasValue("mta-sts.example.com:" + server.port());
        // STS-HTTP-5: no Accept-Encoding, no conditional request headers
        assertThat(request.header("Accept-Encoding")).isEmpty();
        assertThat(request.header("If-Modified-Since")).isEmpty();
        assertThat(request.header("If-None-Match")).isEmpty();
    }

    @Test
    void fetch_mediaTypeParametersIgnored() throws Exception {
        // STS-HTTP-6: case-insensitive, parameters ignored
        serve(ok("Text/Plain; charset=utf-8", POLICY));
        assertThat(fetch(fetcher(server).build())).isInstanceOf(FetchResult.Fetched.class);
    }

    @Test
    void fetch_wrongMediaType() throws Exception {
        // STS-HTTP-6, RFC 8461 §3.3: media type text/plain
        serve(ok("text/html", POLICY));
        FetchProblem failure = failure(fetch(fetcher(server).build()));
        assertThat(failure.reason()).isEqualTo(FetchProblem.Reason.CONTENT_TYPE);
        assertThat(failure.resultType()).contains(ResultType.STS_POLICY_FETCH_ERROR);
    }

    @Test
    void fetch_missingMediaType() throws Exception {
        // STS-HTTP-6: a missing header fails
        serve(PolicyResponse.builder().noContentType().body(POLICY).build());
        assertThat(failure(fetch(fetcher(server).build())).reason()).isEqualTo(FetchProblem.Reason.CONTENT_TYPE);
    }

    @Test
    void fetch_mediaTypeCheckSwitchedOff() throws Exception {
        // STS-HTTP-6: builder switch for tolerant fetchers
        serve(ok("application/octet-stream", POLICY));
        assertThat(fetch(fetcher(server).requireTextPlain(false).build())).isInstanceOf(FetchResult.Fetched.class);
    }

    @Test
    void fetch_redirectNotFollowed() throws Exception {
        // STS-HTTP-3, RFC 8461 §3.3: redirects MUST NOT be followed
        serve(PolicyResponse.builder()
                .status(301)
                .fault(HttpFault.REDIRECT)
                .location("https://elsewhere.example/")
                .build());
        FetchProblem failure = failure(fetch(fetcher(server).build()));
        assertThat(failure.reason()).isEqualTo(FetchProblem.Reason.REDIRECT);
        assertThat(failure.location()).contains("https://elsewhere.example/");
        assertThat(failure.status()).hasValue(301);
        assertThat(server.connectionCount()).isEqualTo(1);
    }

    @Test
    void fetch_notFoundDistinguished() throws Exception {
        // STS-HTTP-4: 404 stays distinguishable
        serve(PolicyResponse.notFound());
        FetchProblem failure = failure(fetch(fetcher(server).build()));
        assertThat(failure.reason()).isEqualTo(FetchProblem.Reason.NOT_FOUND);
        assertThat(failure.location()).isEmpty();
    }

    @Test
    void fetch_otherStatusFails() throws Exception {
        // STS-HTTP-4: only 200 yields a policy
        serve(PolicyResponse.status(204));
        FetchProblem failure = failure(fetch(fetcher(server).build()));
        assertThat(failure.reason()).isEqualTo(FetchProblem.Reason.HTTP_STATUS);
        assertThat(failure.status()).hasValue(204);
    }

    @Test
    void fetch_contentEncodingRefused() throws Exception {
        // STS-HTTP-5: a non-identity Content-Encoding fails
        serve(PolicyResponse.builder()
                .header("Content-Encoding", "gzip")
                .body("abc")
                .build());
        assertThat(failure(fetch(fetcher(server).build())).reason()).isEqualTo(FetchProblem.Reason.CONTENT_ENCODING);
    }

    @Test
    void fetch_identityContentEncodingAccepted() throws Exception {
        serve(PolicyResponse.builder()
                .header("Content-Encoding", "identity")
                .body(POLICY)
                .build());
        assertThat(fetch(fetcher(server).build())).isInstanceOf(FetchResult.Fetched.class);
    }

    @Test
    void fetch_contentLengthOverCap() throws Exception {
        // STS-HTTP-7: 64 KiB cap checked on Content-Length. The body would take hours to arrive, so
        // only a refusal on the header answers TOO_LARGE (reading on would end in TIMEOUT).
        serve(PolicyResponse.builder()
                .body(POLICY + "x".repeat(65537 - POLICY.length()))
                .fault(HttpFault.TRICKLE_BODY)
                .trickle(1, Duration.ofSeconds(10))
                .build());
        FetchProblem failure = failure(fetch(fetcher(server).build()));
        assertThat(failure.reason()).isEqualTo(FetchProblem.Reason.TOO_LARGE);
        assertThat(failure.resultType()).contains(ResultType.STS_POLICY_FETCH_ERROR);
    }

    @Test
    void fetch_streamedBodyOverCap() throws Exception {
        // STS-HTTP-7: counted while streaming, error never truncation; the chunked body never ends,
        // so only the cap stops it within the 10 s deadline
        serve(PolicyResponse.builder()
                .body(POLICY)
                .fault(HttpFault.ENDLESS_BODY)
                .build());
        assertThat(failure(fetch(fetcher(server).build())).reason()).isEqualTo(FetchProblem.Reason.TOO_LARGE);
    }

    @Test
    void fetch_invalidPolicy() throws Exception {
        // STS-HTTP-10: grammar -> sts-policy-invalid, with the lines received for the policy-string
        String body = "version: STSv1\nmode: sometimes\nmax_age: 1\n";
        serve(ok("text/plain", body));
        FetchProblem failure = failure(fetch(fetcher(server).build()));
        assertThat(failure.reason()).isEqualTo(FetchProblem.Reason.POLICY_INVALID);
        assertThat(failure.resultType()).contains(ResultType.STS_POLICY_INVALID);
        assertThat(failure.receivedLines()).containsExactly("version: STSv1", "mode: sometimes", "max_age: 1");
        assertThat(failure.syntaxError()).isPresent();
    }

    @Test
    void fetch_certificateForOtherName() throws Exception {
        // STS-HTTP-2, RFC 8461 §3.3: the certificate must name mta-sts.<domain> -> sts-webpki-invalid
        serve(CA.issue().dnsNames("www.example.com").build());
        FetchProblem failure = failure(fetch(fetcher(server).build()));
        assertThat(failure.reason()).isEqualTo(FetchProblem.Reason.CERTIFICATE);
        assertThat(failure.resultType()).contains(ResultType.STS_WEBPKI_INVALID);
    }

    @Test
    void fetch_expiredCertificate() throws Exception {
        // STS-HTTP-2: unexpired
        Instant now = Instant.now();
        serve(CA.issue()
                .dnsNames(HOST)
                .notBefore(now.minus(Duration.ofDays(20)))
                .notAfter(now.minus(Duration.ofDays(1)))
                .build());
        assertThat(failure(fetch(fetcher(server).build())).resultType()).contains(ResultType.STS_WEBPKI_INVALID);
    }

    @Test
    void fetch_untrustedIssuer() throws Exception {
        // STS-HTTP-2: PKIX to a trusted root
        serve(TestCertificateAuthority.create("Other CA").issue().dnsNames(HOST).build());
        assertThat(failure(fetch(fetcher(server).build())).reason()).isEqualTo(FetchProblem.Reason.CERTIFICATE);
    }

    @Test
    void fetch_tls12Accepted() throws Exception {
        // STS-HTTP-2 DECISION: TLS >= 1.2. The client offers nothing newer, so 1.2 is what is agreed.
        serve(ok("text/plain", POLICY));
        SSLContext tls12 = SSLContext.getInstance("TLSv1.2");
        tls12.init(null, new javax.net.ssl.TrustManager[] {CA.trustManager()}, null);
        assertThat(fetch(fetcher(server).sslContext(tls12).build())).isInstanceOf(FetchResult.Fetched.class);
        assertThat(server.takeRequest().tlsProtocol()).isEqualTo("TLSv1.2");
    }

    @Test
    void fetch_plainTcpServerIsTlsFailure() throws Exception {
        // Answers at once in plain text without reading: the client's TLS sees garbage.
        try (ServerSocket plain = new ServerSocket()) {
            plain.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread answer = new Thread(() -> answerInPlainText(plain), "plain-tcp");
            answer.setDaemon(true);
            answer.start();
            FetchProblem failure =
                    failure(fetch(fetcher(server).port(plain.getLocalPort()).build()));
            assertThat(failure.reason()).isIn(FetchProblem.Reason.TLS, FetchProblem.Reason.PROTOCOL);
            assertThat(failure.resultType()).contains(ResultType.STS_POLICY_FETCH_ERROR);
        }
    }

    private static void answerInPlainText(ServerSocket plain) {
        try (Socket socket = plain.accept()) {
            socket.getOutputStream()
                    .write("HTTP/1.1 200 OK\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // the client went away: the assertions are on its side
        }
    }

    @Test
    void fetch_deadlineCoversBody() throws Exception {
        // STS-HTTP-8: one deadline over connect+TLS+headers+body, not just headers
        // Headers at once, then the body a byte a second: only a deadline over the body ends it.
        serve(PolicyResponse.builder()
                .body(POLICY)
                .fault(HttpFault.TRICKLE_BODY)
                .trickle(1, Duration.ofSeconds(1))
                .build());
        long start = System.nanoTime();
        FetchProblem failure =
                failure(fetch(fetcher(server).timeout(Duration.ofMillis(700)).build()));
        assertThat(failure.reason()).isEqualTo(FetchProblem.Reason.TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void fetch_deadlineCoversHeaders() throws Exception {
        serve(PolicyResponse.builder()
                .fault(HttpFault.SLOW_HEADERS)
                .delay(Duration.ofSeconds(30))
                .build());
        assertThat(failure(fetch(fetcher(server).timeout(Duration.ofMillis(500)).build()))
                        .reason())
                .isEqualTo(FetchProblem.Reason.TIMEOUT);
    }

    @Test
    void fetch_loopbackRefusedByDefault() throws Exception {
        // STS-HTTP-11: address filter before connecting
        serve(ok("text/plain", POLICY));
        PolicyFetcher fetcher = PolicyFetcher.https()
                .dns(dns)
                .sslContext(clientContext)
                .port(server.port())
                .build();
        assertThat(failure(fetch(fetcher)).reason()).isEqualTo(FetchProblem.Reason.ADDRESS_REFUSED);
        assertThat(server.connectionCount()).isZero();
    }

    @Test
    void fetch_customAddressFilter() throws Exception {
        serve(ok("text/plain", POLICY));
        PolicyFetcher fetcher = fetcher(server).addressFilter(a -> false).build();
        assertThat(failure(fetch(fetcher)).reason()).isEqualTo(FetchProblem.Reason.ADDRESS_REFUSED);
    }

    @Test
    void fetch_noAddress() throws Exception {
        dns.address(HOST, DnsResult.noRecords(DnsResult.NoRecordsKind.NXDOMAIN));
        FetchProblem failure = failure(fetch(fetcher(server).build()));
        assertThat(failure.reason()).isEqualTo(FetchProblem.Reason.DNS_NO_ADDRESS);
        assertThat(failure.resultType()).contains(ResultType.STS_POLICY_FETCH_ERROR);
    }

    @Test
    void fetch_dnsTemporaryFailure() throws Exception {
        dns.address(HOST, DnsResult.temporaryFailure(DnsResult.FailureKind.SERVFAIL, "test"));
        assertThat(failure(fetch(fetcher(server).build())).reason()).isEqualTo(FetchProblem.Reason.DNS_TEMPORARY);
    }

    @Test
    void fetch_connectionRefused() throws Exception {
        // A bound but not listening socket holds the port (no other test can take it) and refuses.
        try (java.net.Socket holder = new java.net.Socket()) {
            holder.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            PolicyFetcher fetcher = PolicyFetcher.https()
                    .dns(dns)
                    .sslContext(clientContext)
                    .port(holder.getLocalPort())
                    .allowLoopback()
                    .build();
            assertThat(failure(fetch(fetcher)).reason()).isEqualTo(FetchProblem.Reason.CONNECT);
        }
    }

    @Test
    void fetch_deadlineOnInjectedTickerAndScheduler() throws Exception {
        // STS-HTTP-8: the watchdog runs on the given Scheduler, for the time left on the given Ticker;
        // this scheduler fires at once, as if the deadline had passed, so the fetch is a TIMEOUT.
        serve(ok("text/plain", POLICY));
        List<Duration> delays = new java.util.concurrent.CopyOnWriteArrayList<>();
        long[] now = {1_000_000_000L};
        PolicyFetcher fetcher = fetcher(server)
                .ticker(() -> now[0])
                .scheduler((delay, task) -> {
                    delays.add(delay);
                    task.run();
                    return () -> {};
                })
                .build();
        assertThat(failure(fetch(fetcher)).reason()).isEqualTo(FetchProblem.Reason.TIMEOUT);
        assertThat(delays).containsExactly(Duration.ofSeconds(10)); // the ticker never moved
    }

    @Test
    void fetch_executorRejecting_isLocalCapacity() {
        PolicyFetcher fetcher = PolicyFetcher.https()
                .dns(dns)
                .executor(r -> {
                    throw new java.util.concurrent.RejectedExecutionException("full");
                })
                .build();
        // a caller's executor that is full is our overload too: no TLSRPT result type, nothing sent
        FetchProblem failure = failure(fetch(fetcher));
        assertThat(failure.reason()).isEqualTo(FetchProblem.Reason.LOCAL_CAPACITY);
        assertThat(failure.resultType()).isEmpty();
    }

    @Test
    void fetch_cnOnlyCertificateRefused() throws Exception {
        // STS-HTTP-2, RFC 8461 §3.3 / RFC 6125 §6.4.4: subjectAltName dNSName only, no fallback to the CN
        serve(CA.issue().commonName(HOST).noSubjectAltNames().build());
        FetchProblem failure = failure(fetch(fetcher(server).build()));
        assertThat(failure.reason()).isEqualTo(FetchProblem.Reason.CERTIFICATE);
        assertThat(failure.resultType()).contains(ResultType.STS_WEBPKI_INVALID);
    }

    @Test
    void fetch_partialWildcardRefused() throws Exception {
        // STS-HTTP-2, RFC 8461 §3.3 / RFC 6125 §6.4.3: a wildcard only as the whole left-most label
        serve(CA.issue().dnsNames("m*.example.com").build());
        FetchProblem failure = failure(fetch(fetcher(server).build()));
        assertThat(failure.reason()).isEqualTo(FetchProblem.Reason.CERTIFICATE);
        assertThat(failure.detail()).contains("m*.example.com");
    }

    @Test
    void fetch_wholeLabelWildcardAccepted() throws Exception {
        // STS-HTTP-2: *.example.com covers mta-sts.example.com
        serve(CA.issue().dnsNames("*.example.com").build());
        assertThat(fetch(fetcher(server).build())).isInstanceOf(FetchResult.Fetched.class);
    }

    @Test
    void fetch_drippedHandshakeEndsAtTheDeadline() throws Exception {
        // STS-HTTP-8, RFC 8461 §3.3: one hard deadline. The server announces a 16 KiB TLS record and
        // sends it a byte every 50 ms: each socket read succeeds well within SO_TIMEOUT, so only a
        // watchdog closing the socket ends the handshake.
        try (ServerSocket dripper = new ServerSocket()) {
            dripper.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread drip = new Thread(() -> drip(dripper), "dripper");
            drip.setDaemon(true);
            drip.start();
            PolicyFetcher fetcher = PolicyFetcher.https()
                    .dns(dns)
                    .sslContext(clientContext)
                    .port(dripper.getLocalPort())
                    .allowLoopback()
                    .timeout(Duration.ofMillis(700))
                    .build();
            long start = System.nanoTime();
            FetchResult result =
                    fetcher.fetch("example.com").toCompletableFuture().get(30, TimeUnit.SECONDS);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(failure(result).reason()).isEqualTo(FetchProblem.Reason.TIMEOUT);
            assertThat(took).isLessThan(Duration.ofSeconds(3));
        }
    }

    private static void drip(ServerSocket dripper) {
        try (Socket socket = dripper.accept()) {
            OutputStream out = socket.getOutputStream();
            out.write(new byte[] {0x16, 0x03, 0x03, 0x40, 0x00}); // handshake record, 16384 bytes
            out.flush();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < end) {
                out.write(0);
                out.flush();
                // Pacing of the fake slow server, not test synchronisation: the fetcher's deadline is
                // what the test measures.
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        } catch (IOException e) {
            // the fetcher closed the connection: what the test expects
        }
    }

    @Test
    void fetch_connectTimeoutOnFirstAddressTriesTheNext() throws Exception {
        // STS-HTTP-8: a connect timeout on one address must leave time for the others. A listening socket
        // on 127.0.0.2 whose accept queue is full drops SYNs (Linux): a loopback-only black hole.
        serve(ok("text/plain", POLICY));
        InetAddress blackHole = InetAddress.getByAddress(new byte[] {127, 0, 0, 2});
        List<Socket> fillers = new ArrayList<>();
        try (ServerSocket full = new ServerSocket()) {
            try {
                full.bind(new InetSocketAddress(blackHole, server.port()), 1);
            } catch (IOException e) {
                // Linux routes all of 127/8 to loopback; other systems may only have 127.0.0.1.
                Assumptions.abort("127.0.0.2 is not a local address here: " + e);
            }
            for (int i = 0; i < 4; i++) {
                Socket filler = new Socket();
                fillers.add(filler);
                try {
                    filler.connect(full.getLocalSocketAddress(), 200);
                } catch (IOException e) {
                    // the queue is full: exactly what the test needs
                }
            }
            dns.address(HOST, blackHole, InetAddress.getLoopbackAddress());
            PolicyFetcher.Builder builder = fetcher(server).timeout(Duration.ofSeconds(2));
            builder.minConnectShare = Duration.ofMillis(100);
            assertThat(fetch(builder.build())).isInstanceOf(FetchResult.Fetched.class);
        } finally {
            for (Socket filler : fillers) {
                filler.close();
            }
        }
    }

    @Test
    void connectShare_splitsTheRemainingTime() throws Exception {
        // STS-HTTP-8: each address gets remaining / addresses left, at least the minimum, at most all left
        HttpsPolicyFetcher fetcher =
                (HttpsPolicyFetcher) PolicyFetcher.https().dns(dns).build();
        long second = TimeUnit.SECONDS.toNanos(1);
        assertThat(fetcher.connectShareMillis(60 * second, 3)).isEqualTo(20_000);
        assertThat(fetcher.connectShareMillis(60 * second, 30)).isEqualTo(5_000);
        assertThat(fetcher.connectShareMillis(3 * second, 2)).isEqualTo(3_000);
        assertThat(fetcher.connectShareMillis(60 * second, 1)).isEqualTo(60_000);
        assertThatThrownBy(() -> fetcher.connectShareMillis(0, 1)).isInstanceOf(FetchException.class);
    }

    @Test
    void fetch_invalidDomainIsAFailureNotAnException() throws Exception {
        // PolicyFetcher contract: every failed fetch completes with a FetchResult. SNIHostName threw
        // IllegalArgumentException for these; no DNS query is made for them.
        PolicyFetcher fetcher = PolicyFetcher.https().dns(dns).allowLoopback().build();
        for (String domain : new String[] {
            "",
            "exa mple.com",
            "a..b",
            "-a.com",
            "a-.com",
            "ex_ample.com",
            "example.com.",
            "b\u00fccher.de",
            "x".repeat(64) + ".com",
            ("abcdefghi.").repeat(25) + "com",
            "a\r\nHost: evil"
        }) {
            FetchResult result = fetcher.fetch(domain).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(failure(result).reason()).as(domain).isEqualTo(FetchProblem.Reason.DNS_NO_ADDRESS);
            assertThat(failure(result).detail()).as(domain).contains("not a valid host name");
        }
        assertThat(HttpsPolicyFetcher.isDomainName("Example.COM")).isTrue();
        assertThat(HttpsPolicyFetcher.isDomainName("xn--bcher-kva.de")).isTrue();
    }

    @Test
    void fetch_unexpectedRuntimeExceptionIsProtocolFailure() throws Exception {
        // PolicyFetcher contract: never exceptionally for a failed fetch
        DnsResolver throwing = new DnsResolver() {
            @Override
            public CompletionStage<DnsResult<String>> txtAsync(String name) {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletionStage<DnsResult<MxRecord>> mxAsync(String name) {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletionStage<DnsResult<InetAddress>> addressesAsync(String name) {
                throw new IllegalStateException("resolver bug");
            }
        };
        PolicyFetcher fetcher = PolicyFetcher.https().dns(throwing).build();
        FetchProblem failure = failure(fetch(fetcher));
        assertThat(failure.reason()).isEqualTo(FetchProblem.Reason.PROTOCOL);
        assertThat(failure.detail()).contains("resolver bug");
    }

    @Test
    void builder_rejectsBadValues() {
        PolicyFetcher.Builder builder = PolicyFetcher.https();
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> builder.port(0))
                .withMessageContaining("0");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> builder.timeout(Duration.ZERO))
                .withMessageContaining("PT0S");
    }

    @Test
    void lines_splitsOnLfAndCrlf() {
        assertThat(HttpsPolicyFetcher.lines("a\r\nb\nc".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .containsExactly("a", "b", "c");
        assertThat(HttpsPolicyFetcher.lines("a\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .containsExactly("a");
    }

    /** {@link #dns} with its A/AAAA queries counted. */
    private class CountingDns implements DnsResolver {
        final java.util.concurrent.atomic.AtomicInteger addressQueries =
                new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public CompletionStage<DnsResult<String>> txtAsync(String name) {
            return dns.txtAsync(name);
        }

        @Override
        public CompletionStage<DnsResult<MxRecord>> mxAsync(String name) {
            return dns.mxAsync(name);
        }

        @Override
        public CompletionStage<DnsResult<InetAddress>> addressesAsync(String name) {
            addressQueries.incrementAndGet();
            return dns.addressesAsync(name);
        }
    }

    @Test
    void prepare_resolvesAtOnceAndTheFetchUsesThatAnswer() throws Exception {
        // RFC 8461 §3.3: preparing sends the A/AAAA queries only, nothing to the policy host
        serve(ok("text/plain", POLICY));
        CountingDns counting = new CountingDns();
        PolicyFetcher fetcher = fetcher(server).dns(counting).build();
        PolicyFetcher.Prepared prepared = fetcher.prepare("example.com");
        assertThat(counting.addressQueries).hasValue(1);
        FetchResult result = prepared.fetch().toCompletableFuture().join();
        assertThat(result).isInstanceOf(FetchResult.Fetched.class);
        assertThat(counting.addressQueries).hasValue(1);
    }

    @Test
    void prepare_resolveAheadOff_queriesNothingUntilTheFetch() throws Exception {
        // Privacy switch: without resolving ahead, no mta-sts.<domain> query leaves before the TXT says so
        serve(ok("text/plain", POLICY));
        CountingDns counting = new CountingDns();
        PolicyFetcher fetcher =
                fetcher(server).dns(counting).resolveAhead(false).build();
        PolicyFetcher.Prepared prepared = fetcher.prepare("example.com");
        assertThat(counting.addressQueries).hasValue(0);
        FetchResult result = prepared.fetch().toCompletableFuture().join();
        assertThat(result).isInstanceOf(FetchResult.Fetched.class);
        assertThat(counting.addressQueries).hasValue(1);
    }

    @Test
    void prepare_addressesStillFiltered() throws Exception {
        // STS-HTTP-11: addresses resolved ahead pass the same filter before any connect
        serve(ok("text/plain", POLICY));
        PolicyFetcher fetcher = PolicyFetcher.https()
                .dns(dns)
                .sslContext(clientContext)
                .port(server.port())
                .timeout(Duration.ofSeconds(10))
                .build();
        FetchProblem failure = failure(
                fetcher.prepare("example.com").fetch().toCompletableFuture().join());
        assertThat(failure.reason()).isEqualTo(FetchProblem.Reason.ADDRESS_REFUSED);
    }

    @Test
    void prepare_invalidDomainResolvesNothing() {
        // STS-HTTP-1: a domain that is no host name is refused before DNS, prepared or not
        CountingDns counting = new CountingDns();
        PolicyFetcher fetcher = PolicyFetcher.https().dns(counting).build();
        PolicyFetcher.Prepared prepared = fetcher.prepare("bad domain");
        assertThat(counting.addressQueries).hasValue(0);
        assertThat(failure(prepared.fetch().toCompletableFuture().join()).reason())
                .isEqualTo(FetchProblem.Reason.DNS_NO_ADDRESS);
    }

    @Test
    void prepare_throwingResolverFailsTheFetchNotThePreparation() {
        // RFC 8461 §3.3: a resolver bug is a failed fetch (PROTOCOL), as without preparation
        DnsResolver throwing = new CountingDns() {
            @Override
            public CompletionStage<DnsResult<InetAddress>> addressesAsync(String name) {
                throw new IllegalStateException("resolver bug");
            }
        };
        PolicyFetcher fetcher = PolicyFetcher.https().dns(throwing).build();
        FetchProblem failure = failure(
                fetcher.prepare("example.com").fetch().toCompletableFuture().join());
        assertThat(failure.reason()).isEqualTo(FetchProblem.Reason.PROTOCOL);
        assertThat(failure.detail()).contains("resolver bug");
    }
}
