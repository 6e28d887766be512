package dev.mtasts.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.core.Mode;
import dev.mtasts.core.ResultType;
import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.core.fetch.FetchProblem;
import dev.mtasts.core.fetch.FetchResult;
import dev.mtasts.core.fetch.PolicyFetcher;
import dev.mtasts.testkit.MtaStsWorld;
import dev.mtasts.testkit.server.HttpFault;
import dev.mtasts.testkit.server.PolicyResponse;
import dev.mtasts.testkit.server.RecordedRequest;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The default HTTPS fetcher against the testkit's real policy host and DNS server (RFC 8461 §3.3). */
final class PolicyFetcherIntegrationTest {
    private static final String DOMAIN = "example.com";

    private MtaStsWorld world;
    private DnsResolver dns;

    @BeforeEach
    void start() {
        world = MtaStsWorld.builder()
                .domain(
                        DOMAIN,
                        d -> d.mx(10, "mx1.example.com")
                                .policy(Mode.ENFORCE, "mx1.example.com")
                                .stsId("1"))
                .build()
                .start();
        dns = DnsResolver.dnsjava(world.dnsAddress(), Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() {
        world.close();
    }

    private PolicyFetcher.Builder fetcher() {
        return world.policyFetcher(dns).timeout(Duration.ofSeconds(5));
    }

    private FetchResult fetch(PolicyFetcher fetcher) {
        return fetcher.fetch(DOMAIN).toCompletableFuture().join();
    }

    private FetchProblem failure(PolicyFetcher fetcher) {
        FetchResult result = fetch(fetcher);
        assertThat(result).isInstanceOf(FetchResult.Failed.class);
        return ((FetchResult.Failed) result).failure();
    }

    private void respond(PolicyResponse response) {
        world.policyHost().enqueue(DOMAIN, response);
    }

    @Test
    void fetch_sendsSniHostAndPlainGet() {
        // STS-HTTP-1, STS-HTTP-2, STS-HTTP-5: SNI = policy host, GET of the well-known path, no Accept-Encoding
        FetchResult result = fetch(fetcher().build());
        assertThat(result).isInstanceOf(FetchResult.Fetched.class);
        assertThat(((FetchResult.Fetched) result).policy().mode()).isEqualTo(Mode.ENFORCE);
        RecordedRequest request = world.policyHost().takeRequest();
        assertThat(request.sni()).contains("mta-sts.example.com");
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.path()).isEqualTo("/.well-known/mta-sts.txt");
        assertThat(request.header("Accept-Encoding")).isEmpty();
        assertThat(request.header("If-Modified-Since")).isEmpty();
        assertThat(request.tlsProtocol()).isIn("TLSv1.2", "TLSv1.3");
    }

    @Test
    void fetch_redirectIsNotFollowed() {
        // STS-HTTP-3, RFC 8461 §3.3
        respond(PolicyResponse.redirect("https://mta-sts.example.net/.well-known/mta-sts.txt"));
        FetchProblem failure = failure(fetcher().build());
        assertThat(failure.reason()).isEqualTo(FetchProblem.Reason.REDIRECT);
        assertThat(failure.location()).contains("https://mta-sts.example.net/.well-known/mta-sts.txt");
        assertThat(failure.resultType()).contains(ResultType.STS_POLICY_FETCH_ERROR);
        assertThat(world.policyHost().requestCount()).isEqualTo(1);
    }

    @Test
    void fetch_notFound() {
        // STS-HTTP-4
        respond(PolicyResponse.notFound());
        assertThat(failure(fetcher().build()).reason()).isEqualTo(FetchProblem.Reason.NOT_FOUND);
    }

    @Test
    void fetch_otherStatus() {
        // STS-HTTP-4: only 200
        respond(PolicyResponse.status(204));
        assertThat(failure(fetcher().build()).status()).hasValue(204);
    }

    @Test
    void fetch_oversizedBody() {
        // STS-HTTP-7: 64 KiB + 1 is an error, never a truncated policy
        respond(PolicyResponse.fault(HttpFault.OVERSIZED_BODY));
        FetchProblem failure = failure(fetcher().build());
        assertThat(failure.reason()).isEqualTo(FetchProblem.Reason.TOO_LARGE);
    }

    @Test
    void fetch_endlessBody() {
        // STS-HTTP-7: the cap stops an endless chunked body
        respond(PolicyResponse.fault(HttpFault.ENDLESS_BODY));
        assertThat(failure(fetcher().build()).reason()).isEqualTo(FetchProblem.Reason.TOO_LARGE);
    }

    @Test
    void fetch_wrongContentType() {
        // STS-HTTP-6
        respond(PolicyResponse.fault(HttpFault.WRONG_CONTENT_TYPE));
        assertThat(failure(fetcher().build()).reason()).isEqualTo(FetchProblem.Reason.CONTENT_TYPE);
    }

    @Test
    void fetch_missingContentType() {
        // STS-HTTP-6
        respond(PolicyResponse.fault(HttpFault.MISSING_CONTENT_TYPE));
        assertThat(failure(fetcher().build()).reason()).isEqualTo(FetchProblem.Reason.CONTENT_TYPE);
    }

    @Test
    void fetch_trickledBodyHitsTheDeadline() {
        // STS-HTTP-8: one deadline over the whole body, not just the headers
        respond(PolicyResponse.builder()
                .body("version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmax_age: 86400\r\n")
                .fault(HttpFault.TRICKLE_BODY)
                .trickle(1, Duration.ofMillis(100))
                .build());
        long start = System.nanoTime();
        FetchProblem failure = failure(fetcher().timeout(Duration.ofSeconds(1)).build());
        assertThat(failure.reason()).isEqualTo(FetchProblem.Reason.TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void fetch_slowHeadersHitTheDeadline() {
        // STS-HTTP-8
        respond(PolicyResponse.builder()
                .body("x")
                .fault(HttpFault.SLOW_HEADERS)
                .delay(Duration.ofSeconds(10))
                .build());
        assertThat(failure(fetcher().timeout(Duration.ofMillis(800)).build()).reason())
                .isEqualTo(FetchProblem.Reason.TIMEOUT);
    }

    @Test
    void fetch_certificateForAnotherName() {
        // STS-HTTP-2, STS-HTTP-10: host name mismatch -> sts-webpki-invalid
        respond(PolicyResponse.fault(HttpFault.WRONG_CERTIFICATE));
        FetchProblem failure = failure(fetcher().build());
        assertThat(failure.reason()).isEqualTo(FetchProblem.Reason.CERTIFICATE);
        assertThat(failure.resultType()).contains(ResultType.STS_WEBPKI_INVALID);
    }

    @Test
    void fetch_expiredCertificate() {
        // STS-HTTP-2: unexpired -> sts-webpki-invalid
        world.policyHost()
                .certificate(
                        DOMAIN,
                        world.certificateAuthority()
                                .issue()
                                .dnsNames("mta-sts.example.com")
                                .expired()
                                .build());
        FetchProblem failure = failure(fetcher().build());
        assertThat(failure.resultType()).contains(ResultType.STS_WEBPKI_INVALID);
    }

    @Test
    void fetch_untrustedCertificate() {
        // STS-HTTP-2: PKIX to a trusted root
        world.policyHost()
                .certificate(
                        DOMAIN,
                        world.certificateAuthority()
                                .issue()
                                .dnsNames("mta-sts.example.com")
                                .selfSigned()
                                .build());
        assertThat(failure(fetcher().build()).resultType()).contains(ResultType.STS_WEBPKI_INVALID);
    }

    @Test
    void fetch_cnOnlyCertificateIsWebpkiInvalid() {
        // STS-HTTP-2, RFC 8461 §3.3 / RFC 6125 §6.4.4: subjectAltName dNSName only, never the subject CN
        world.policyHost()
                .certificate(
                        DOMAIN,
                        world.certificateAuthority()
                                .issue()
                                .commonName("mta-sts.example.com")
                                .noSubjectAltNames()
                                .build());
        FetchProblem failure = failure(fetcher().build());
        assertThat(failure.reason()).isEqualTo(FetchProblem.Reason.CERTIFICATE);
        assertThat(failure.resultType()).contains(ResultType.STS_WEBPKI_INVALID);
        assertThat(world.policyHost().requestCount()).isZero(); // refused before the request
    }

    @Test
    void fetch_partialWildcardIsWebpkiInvalid() {
        // STS-HTTP-2, RFC 6125 §6.4.3: a wildcard only as the whole left-most label
        world.policyHost()
                .certificate(
                        DOMAIN,
                        world.certificateAuthority()
                                .issue()
                                .dnsNames("m*.example.com")
                                .build());
        FetchProblem failure = failure(fetcher().build());
        assertThat(failure.reason()).isEqualTo(FetchProblem.Reason.CERTIFICATE);
        assertThat(failure.resultType()).contains(ResultType.STS_WEBPKI_INVALID);
        assertThat(world.policyHost().requestCount()).isZero();
    }

    @Test
    void fetch_wholeLabelWildcardIsAccepted() {
        // STS-HTTP-2: *.example.com covers mta-sts.example.com
        world.policyHost()
                .certificate(
                        DOMAIN,
                        world.certificateAuthority()
                                .issue()
                                .dnsNames("*.example.com")
                                .build());
        FetchResult result = fetch(fetcher().build());
        assertThat(result).isInstanceOf(FetchResult.Fetched.class);
        assertThat(((FetchResult.Fetched) result).policy().mx()).hasSize(1);
    }

    @Test
    void fetch_failedHandshakeIsFetchError() {
        respond(PolicyResponse.fault(HttpFault.FAIL_HANDSHAKE));
        FetchProblem failure = failure(fetcher().build());
        assertThat(failure.reason()).isEqualTo(FetchProblem.Reason.TLS);
        assertThat(failure.resultType()).contains(ResultType.STS_POLICY_FETCH_ERROR);
    }

    @Test
    void fetch_connectionReset() {
        respond(PolicyResponse.fault(HttpFault.CONNECTION_RESET));
        assertThat(failure(fetcher().build()).resultType()).contains(ResultType.STS_POLICY_FETCH_ERROR);
    }

    @Test
    void fetch_closeDelimitedBodyCutByBareFin_refused() {
        // RFC 9112 §9.8: a body cut inside an mx line by a FIN without close_notify must not be a policy
        respond(PolicyResponse.fault(HttpFault.CLOSE_DELIMITED_TRUNCATED));
        FetchProblem failure = failure(fetcher().build());
        assertThat(failure.reason()).isEqualTo(FetchProblem.Reason.PROTOCOL);
        assertThat(failure.detail()).contains("RFC 9112 §9.8");
    }

    @Test
    void fetch_closeDelimitedBodyEndedByCloseNotify_refused() {
        // RFC 9112 §9.8: the JDK cannot tell this clean end from the cut above, so it is refused too
        respond(PolicyResponse.fault(HttpFault.CLOSE_DELIMITED_BODY));
        assertThat(failure(fetcher().build()).reason()).isEqualTo(FetchProblem.Reason.PROTOCOL);
    }

    @Test
    void fetch_contentLengthAndChunked_refused() {
        // RFC 9112 §6.1: the request-smuggling shape
        respond(PolicyResponse.fault(HttpFault.CONTENT_LENGTH_AND_CHUNKED));
        FetchProblem failure = failure(fetcher().build());
        assertThat(failure.reason()).isEqualTo(FetchProblem.Reason.PROTOCOL);
        assertThat(failure.detail()).contains("RFC 9112 §6.1");
    }

    @Test
    void fetch_invalidPolicy() {
        // STS-HTTP-10: grammar -> sts-policy-invalid with the lines received
        respond(PolicyResponse.ok("version: STSv1\nmode: enforce\nmax_age: 86400\n"));
        FetchProblem failure = failure(fetcher().build());
        assertThat(failure.resultType()).contains(ResultType.STS_POLICY_INVALID);
        assertThat(failure.receivedLines()).containsExactly("version: STSv1", "mode: enforce", "max_age: 86400");
    }

    @Test
    void fetch_loopbackRefusedByDefault() {
        // STS-HTTP-11: the address filter runs before connecting
        PolicyFetcher fetcher = PolicyFetcher.https()
                .dns(dns)
                .sslContext(world.clientSslContext())
                .port(world.policyHostPort())
                .build();
        assertThat(failure(fetcher).reason()).isEqualTo(FetchProblem.Reason.ADDRESS_REFUSED);
        assertThat(world.policyHost().connectionCount()).isZero();
    }

    @Test
    void fetch_policyHostWithoutAddress() {
        world.dns().remove("mta-sts.example.com");
        assertThat(failure(fetcher().build()).reason()).isEqualTo(FetchProblem.Reason.DNS_NO_ADDRESS);
    }
}
