package dev.mtasts.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.core.ResultType;
import dev.mtasts.core.testing.FakeDns;
import dev.mtasts.testkit.server.TestCertificate;
import dev.mtasts.testkit.server.TestCertificateAuthority;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A TLS 1.2 policy host that renegotiates after reading the GET: the certificate of the second
 * handshake must meet the same rules as the first (STS-HTTP-2, RFC 8461 §3.3), so the fetcher refuses
 * a policy from a connection whose session changed (docs/policy-fetching.md, "Renegotiation").
 */
final class HttpsPolicyFetcherRenegotiationTest {
    private static final String HOST = "mta-sts.example.com";
    private static final String POLICY = "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmax_age: 86400\r\n";
    private static final String RESPONSE = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
            + POLICY.length() + "\r\nConnection: close\r\n\r\n" + POLICY;

    private static TestCertificateAuthority ca;
    private static SSLContext clientContext;
    private static TestCertificate good;

    private final List<RenegotiatingHttpsServer> servers = new ArrayList<>();

    @BeforeAll
    static void certificates() throws Exception {
        ca = TestCertificateAuthority.create("Test CA");
        clientContext = ca.clientSslContext();
        good = ca.issue().dnsNames(HOST).build();
    }

    @AfterEach
    void closeServers() throws Exception {
        for (RenegotiatingHttpsServer server : servers) {
            server.close();
        }
    }

    private FetchResult fetchRenegotiatingTo(TestCertificate second) throws Exception {
        RenegotiatingHttpsServer server = new RenegotiatingHttpsServer(good, second, RESPONSE);
        servers.add(server);
        PolicyFetcher fetcher = PolicyFetcher.https()
                .dns(new FakeDns().address(HOST, InetAddress.getLoopbackAddress()))
                .sslContext(clientContext)
                .port(server.port())
                .allowLoopback()
                .timeout(Duration.ofSeconds(10))
                .build();
        return fetcher.fetch("example.com").toCompletableFuture().join();
    }

    private static FetchProblem failure(FetchResult result) {
        assertThat(result).isInstanceOf(FetchResult.Failed.class);
        return ((FetchResult.Failed) result).failure();
    }

    @Test
    void renegotiation_toCnOnlyCertificateRefusedAsCertificate() throws Exception {
        // STS-HTTP-2, RFC 8461 §3.3 / RFC 6125 §6.4.4: the JDK's "HTTPS" check takes a CN-only
        // certificate; ours must judge the renegotiated certificate as strictly as the first one.
        Instant now = Instant.now();
        TestCertificate cnOnly = ca.issue()
                .commonName(HOST)
                .noSubjectAltNames()
                .notBefore(now.minus(Duration.ofDays(1)))
                .notAfter(now.plus(Duration.ofDays(1)))
                .build();
        FetchProblem failure = failure(fetchRenegotiatingTo(cnOnly));
        assertThat(failure.reason()).isEqualTo(FetchProblem.Reason.CERTIFICATE);
        assertThat(failure.resultType()).contains(ResultType.STS_WEBPKI_INVALID);
        assertThat(failure.detail()).contains("STS-HTTP-2");
    }

    @Test
    void renegotiation_toUntrustedIssuerRefusedAsCertificate() throws Exception {
        // STS-HTTP-2, RFC 8461 §3.3: a certificate the JDK refuses in the second handshake fails the
        // response read; that is a certificate failure (sts-webpki-invalid), not a protocol error.
        TestCertificate untrusted = TestCertificateAuthority.create("Other CA")
                .issue()
                .dnsNames(HOST)
                .build();
        FetchProblem failure = failure(fetchRenegotiatingTo(untrusted));
        assertThat(failure.reason()).isEqualTo(FetchProblem.Reason.CERTIFICATE);
        assertThat(failure.resultType()).contains(ResultType.STS_WEBPKI_INVALID);
    }

    @Test
    void renegotiation_toSameGoodCertificateRefusedAsTls() throws Exception {
        // STS-HTTP-2, RFC 8461 §3.3: any full renegotiation is refused, even to an acceptable
        // certificate; this also shows the JDK gives a new session object after one.
        FetchProblem failure = failure(fetchRenegotiatingTo(good));
        assertThat(failure.reason()).isEqualTo(FetchProblem.Reason.TLS);
        assertThat(failure.detail()).contains("renegotiated");
    }
}
