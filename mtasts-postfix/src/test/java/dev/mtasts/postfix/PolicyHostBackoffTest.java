package dev.mtasts.postfix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.core.Mode;
import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.core.resolve.MtaSts;
import dev.mtasts.testkit.MtaStsWorld;
import dev.mtasts.testkit.server.TestClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PF-BETTER-5, RFC 8461 §3.3 (STS-HTTP-9): a domain whose policy host fails costs one fetch per 5
 * minutes per policy id, and is answered from memory in between.
 */
final class PolicyHostBackoffTest {
    private static final String DOMAIN = "broken.example";
    private static final String TXT = "_mta-sts." + DOMAIN;
    private static final int QUERIES = 500;

    private MtaStsWorld world;
    private final TestClock clock = TestClock.create();

    @BeforeEach
    void start() {
        world = MtaStsWorld.builder()
                .domain(DOMAIN, d -> d.mx(10, "mx.broken.example").policy(Mode.ENFORCE, "mx.broken.example"))
                .build()
                .start();
        world.removePolicy(DOMAIN); // the policy host answers 404
    }

    @AfterEach
    void stop() {
        world.close();
    }

    private MtaSts.Builder engine() {
        DnsResolver dns = DnsResolver.dnsjava(world.dnsAddress(), Duration.ofSeconds(2));
        return MtaSts.builder()
                .clock(clock) // intervals follow the test clock too
                .dns(dns)
                .fetcher(world.policyFetcher(dns).build());
    }

    private int fetches() {
        return world.policyHost().requestCount();
    }

    private long txtQueries() {
        return world.dns().queryCount(TXT, "TXT");
    }

    private static String slow(PostfixPolicyAnswerer answerer) {
        return answerer.answer("postfix", DOMAIN)
                .toCompletableFuture()
                .orTimeout(20, TimeUnit.SECONDS)
                .join();
    }

    /** Asks {@link #QUERIES} times and checks each answer was complete on return: served from memory. */
    private static void manyFromMemory(PostfixPolicyAnswerer answerer) {
        for (int i = 0; i < QUERIES; i++) {
            CompletableFuture<String> answer =
                    answerer.answer("postfix", DOMAIN).toCompletableFuture();
            assertThat(answer).isCompletedWithValue("NOTFOUND ");
        }
    }

    @Test
    void failingPolicyHost_oneFetchPerBackoff_answeredFromMemoryWithinCacheGrace() {
        // As the daemon builds it: cache_grace (60 s) remembers "no policy" and the TXT check interval
        PostfixPolicyAnswerer answerer = PostfixPolicyAnswerer.builder(
                        engine().negativeCacheTtl(Duration.ofSeconds(60)).build())
                .build();

        assertThat(slow(answerer)).isEqualTo("NOTFOUND "); // RFC 8461 §3.3: deliver as without MTA-STS
        assertThat(fetches()).isEqualTo(1);
        long txtAfterFirst = txtQueries();
        assertThat(txtAfterFirst).isEqualTo(1);

        manyFromMemory(answerer);
        assertThat(fetches()).isEqualTo(1);
        assertThat(txtQueries()).isEqualTo(txtAfterFirst); // no DNS per request either

        // Each minute for the back-off's 5 minutes: one TXT check, no fetch, then memory again
        for (int minute = 1; minute < 5; minute++) {
            clock.advance(Duration.ofSeconds(61));
            assertThat(slow(answerer)).isEqualTo("NOTFOUND ");
            manyFromMemory(answerer);
            assertThat(fetches()).as("minute %d", minute).isEqualTo(1);
            assertThat(txtQueries()).as("minute %d", minute).isEqualTo(1 + minute);
        }

        clock.advance(Duration.ofSeconds(61)); // 5 min 5 s after the first fetch: the back-off is over
        assertThat(slow(answerer)).isEqualTo("NOTFOUND ");
        manyFromMemory(answerer);
        assertThat(fetches()).isEqualTo(2);
    }

    @Test
    void failingPolicyHost_withoutNegativeCaching_stillOneFetchPerBackoff() {
        // MtaSts's own default (no negative cache): one TXT query per request, but the fetch is held back
        PostfixPolicyAnswerer answerer =
                PostfixPolicyAnswerer.builder(engine().build()).build();
        for (int i = 0; i < 20; i++) {
            assertThat(slow(answerer)).isEqualTo("NOTFOUND ");
        }
        assertThat(fetches()).isEqualTo(1);
        assertThat(txtQueries()).isEqualTo(20);
    }
}
