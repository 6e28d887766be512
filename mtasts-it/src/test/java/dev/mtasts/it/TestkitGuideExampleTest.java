package dev.mtasts.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.core.Mode;
import dev.mtasts.core.ResultType;
import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.core.fetch.PolicyFetcher;
import dev.mtasts.core.resolve.MtaSts;
import dev.mtasts.core.resolve.PolicyProblem;
import dev.mtasts.core.resolve.PolicyResult;
import dev.mtasts.testkit.MtaStsTest;
import dev.mtasts.testkit.MtaStsWorld;
import dev.mtasts.testkit.server.DnsFault;
import dev.mtasts.testkit.server.PolicyResponse;
import org.junit.jupiter.api.Test;

/**
 * The declarative example of docs/testkit.md, compiled and run so the guide cannot drift from the
 * API: a whole MTA-STS world per test, the SDK pointed at it through its DNS and port seams.
 */
@MtaStsTest(
        domain = "example.com",
        mx = {"mx1.example.com", "mx2.example.com"},
        mode = Mode.ENFORCE)
final class TestkitGuideExampleTest {

    /** The SDK under test, reaching the world's DNS and policy host (docs/testkit.md, "the seam"). */
    private static MtaSts mtaStsFor(MtaStsWorld world) {
        DnsResolver dns = DnsResolver.dnsjava(world.dnsAddress());
        PolicyFetcher fetcher = PolicyFetcher.https()
                .dns(dns)
                .sslContext(world.clientSslContext())
                .port(world.policyHostPort())
                .allowLoopback()
                .build();
        return MtaSts.builder().dns(dns).fetcher(fetcher).build();
    }

    @Test
    void fetchesThePolicy(MtaStsWorld world) {
        // RFC 8461 §3.3: the policy is fetched over HTTPS with SNI mta-sts.<domain>
        try (MtaSts mtaSts = mtaStsFor(world)) {
            PolicyResult result = mtaSts.policyFor("example.com");
            assertThat(result).isInstanceOf(PolicyResult.PolicyFound.class);
            assertThat(((PolicyResult.PolicyFound) result).policy())
                    .isEqualTo(world.policy("example.com").orElseThrow());
            assertThat(world.policyHost().takeRequest().sni()).hasValue("mta-sts.example.com");
        }
    }

    @Test
    void redirectIsAFetchError(MtaStsWorld world) {
        // STS-HTTP-3: a redirect is never followed; with nothing cached the domain has no usable policy
        world.policyHost().enqueue("example.com", PolicyResponse.redirect("https://evil.example/"));
        try (MtaSts mtaSts = mtaStsFor(world)) {
            PolicyResult.NoPolicy none = (PolicyResult.NoPolicy) mtaSts.policyFor("example.com");
            assertThat(none.problem()).isInstanceOf(PolicyProblem.FetchFailed.class);
            assertThat(none.problem().resultType()).contains(ResultType.STS_POLICY_FETCH_ERROR);
        }
    }

    @Test
    void servfailIsTemporary(MtaStsWorld world) {
        // STS-TXT-9, RFC 8461 §10.2: a DNS failure is never "no policy"
        world.dns().fault("_mta-sts.example.com", "TXT", DnsFault.SERVFAIL);
        try (MtaSts mtaSts = mtaStsFor(world)) {
            assertThat(mtaSts.policyFor("example.com")).isInstanceOf(PolicyResult.Unavailable.class);
        }
    }
}
