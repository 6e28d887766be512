package dev.mtasts.postfix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtasts.core.Mode;
import dev.mtasts.core.Policy;
import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.core.dns.DnsResult;
import dev.mtasts.core.dns.MxRecord;
import dev.mtasts.core.resolve.MtaSts;
import dev.mtasts.core.time.Scheduler;
import dev.mtasts.postfix.AnswerListener.AnswerKind;
import dev.mtasts.testkit.MtaStsWorld;
import dev.mtasts.testkit.server.DnsFault;
import dev.mtasts.testkit.server.TestClock;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The answerer against a real loopback world (DNS server and HTTPS policy host): one domain per case,
 * a fresh {@link MtaSts} per test.
 */
final class PostfixPolicyAnswererTest {
    private static final String ENFORCE_POLICY = "version: STSv1\r\n"
            + "mode: enforce\r\n"
            + "mx: mx1.enforce.example\r\n"
            + "mx: *.enforce.example\r\n"
            + "mx: MX1.enforce.example\r\n"
            + "max_age: 86400\r\n";

    private static MtaStsWorld world;

    @BeforeAll
    static void startWorld() {
        world = MtaStsWorld.builder()
                .domain("enforce.example", d -> d.mx(10, "mx1.enforce.example").policy(Policy.parse(ENFORCE_POLICY)))
                .domain(
                        "testing.example",
                        d -> d.mx(10, "mx.testing.example").policy(Mode.TESTING, "mx.testing.example"))
                .domain("none.example", d -> d.mx(10, "mx.none.example").policy(Mode.NONE))
                .domain("nopolicy.example", d -> d.mx(10, "mx.nopolicy.example"))
                .domain(
                        "fetchfail.example",
                        d -> d.mx(10, "mx.fetchfail.example").policy(Mode.ENFORCE, "mx.fetchfail.example"))
                .domain(
                        "dnsfail.example",
                        d -> d.mx(10, "mx.dnsfail.example").policy(Mode.ENFORCE, "mx.dnsfail.example"))
                .domain("stale.example", d -> d.mx(10, "mx.stale.example").policy(Mode.ENFORCE, "*.stale.example"))
                .domain(
                        "xn--bcher-kva.example",
                        d -> d.mx(10, "mx.xn--bcher-kva.example").policy(Mode.ENFORCE, "mx.xn--bcher-kva.example"))
                .build()
                .start();
        world.removePolicy("fetchfail.example");
        world.dns().fault("_mta-sts.dnsfail.example", "TXT", DnsFault.SERVFAIL);
    }

    @AfterAll
    static void stopWorld() {
        world.close();
    }

    private static MtaSts.Builder mtaSts() {
        DnsResolver dns = DnsResolver.dnsjava(world.dnsAddress(), Duration.ofSeconds(2));
        return MtaSts.builder()
                .dns(dns)
                .fetcher(world.policyFetcher(dns).timeout(Duration.ofSeconds(5)).build());
    }

    private static String answer(SocketmapHandler answerer, String key) {
        return answerer.answer("postfix", key)
                .toCompletableFuture()
                .orTimeout(20, TimeUnit.SECONDS)
                .join();
    }

    private static PostfixPolicyAnswerer answerer(ZoneSettings zone) {
        return PostfixPolicyAnswerer.builder(mtaSts().build()).defaultZone(zone).build();
    }

    private static ZoneSettings zone(boolean strictTesting, boolean requireSni, boolean tlsrpt, boolean tempOnDns) {
        return new ZoneSettings(strictTesting, Duration.ofSeconds(10), requireSni, tlsrpt, tempOnDns);
    }

    @Test
    void enforce_answersSecureWithPatternsInPolicyOrder() {
        // PF-POL-1, PF-POL-4 (PF-BETTER-2): policy order, the repeated MX1 dropped; *. becomes "."
        PostfixPolicyAnswerer answerer = answerer(ZoneSettings.defaults());
        assertThat(answer(answerer, "enforce.example"))
                .isEqualTo("OK secure match=mx1.enforce.example:.enforce.example servername=hostname");
    }

    @Test
    void enforce_cachedAnswerCompletesSynchronouslyAndIsReused() {
        // The handler runs on an event loop: a cached domain must never wait (PF-NET-6: answer fast)
        PostfixPolicyAnswerer answerer = answerer(ZoneSettings.defaults());
        String first = answer(answerer, "enforce.example");
        CompletableFuture<String> second =
                answerer.answer("postfix", "enforce.example").toCompletableFuture();
        assertThat(second).isCompleted();
        assertThat(second.join()).isSameAs(first);
    }

    @Test
    void requireSniOff_dropsServername() {
        // PF-POL-1: Postfix before 3.4 rejects servername=
        PostfixPolicyAnswerer answerer = answerer(zone(false, false, false, true));
        assertThat(answer(answerer, "enforce.example"))
                .isEqualTo("OK secure match=mx1.enforce.example:.enforce.example");
    }

    @Test
    void testing_withoutStrict_isNotFound() {
        // PF-POL-2: testing mode never restricts delivery (RFC 8461 §5)
        assertThat(answer(answerer(ZoneSettings.defaults()), "testing.example")).isEqualTo("NOTFOUND ");
    }

    @Test
    void testing_withStrict_isSecure() {
        // PF-POL-1: strict_testing answers testing as enforce
        assertThat(answer(answerer(zone(true, true, false, true)), "testing.example"))
                .isEqualTo("OK secure match=mx.testing.example servername=hostname");
    }

    @Test
    void none_isNotFound() {
        // PF-POL-2
        assertThat(answer(answerer(zone(true, true, true, true)), "none.example"))
                .isEqualTo("NOTFOUND ");
    }

    @Test
    void noPolicy_isNotFound() {
        // PF-POL-2: no _mta-sts TXT record (RFC 8461 §3.3)
        assertThat(answer(answerer(ZoneSettings.defaults()), "nopolicy.example"))
                .isEqualTo("NOTFOUND ");
    }

    @Test
    void policyHostFailure_isNotFound_evenWithTempOnDnsError() {
        // RFC 8461 §3.3, PF-BETTER-1: a failed fetch with nothing cached delivers as without MTA-STS
        assertThat(answer(answerer(zone(false, true, true, true)), "fetchfail.example"))
                .isEqualTo("NOTFOUND ");
    }

    @Test
    void dnsFailure_nothingCached_isTemp() {
        // PF-BETTER-1, RFC 8461 §10.2: a DNS failure is never "no policy"
        assertThat(answer(answerer(ZoneSettings.defaults()), "dnsfail.example")).isEqualTo("TEMP dns lookup failed");
    }

    @Test
    void dnsFailure_nothingCached_withoutTempOnDnsError_isNotFound() {
        // PF-BETTER-1: temp_on_dns_error false gives postfix-mta-sts-resolver's answer
        assertThat(answer(answerer(zone(false, true, false, false)), "dnsfail.example"))
                .isEqualTo("NOTFOUND ");
    }

    @Test
    void dnsFailure_withCachedPolicy_answersTheCachedPolicy() {
        // RFC 8461 §5.1 / STS-CACHE-4: a cached unexpired policy outlives a failing TXT lookup
        TestClock clock = TestClock.create();
        PostfixPolicyAnswerer answerer =
                PostfixPolicyAnswerer.builder(mtaSts().clock(clock).build()).build();
        String cached = answer(answerer, "xn--bcher-kva.example");
        world.dns().fault("_mta-sts.xn--bcher-kva.example", "TXT", DnsFault.SERVFAIL);
        try {
            clock.advance(Duration.ofMinutes(2)); // past the TXT re-check interval
            assertThat(answer(answerer, "xn--bcher-kva.example")).isEqualTo(cached);
            assertThat(cached).startsWith("OK secure match=mx.xn--bcher-kva.example");
        } finally {
            world.dns().clearFaults("_mta-sts.xn--bcher-kva.example");
        }
    }

    @Test
    void keys_bracketsPortsCaseAndTrailingDotName_thePolicyDomain() {
        // PF-KEY-1, PF-KEY-2, RFC 8461 §3.4: [relay]:port is the relay's own policy
        PostfixPolicyAnswerer answerer = answerer(ZoneSettings.defaults());
        String expected = "OK secure match=mx1.enforce.example:.enforce.example servername=hostname";
        for (String key : List.of(
                "[enforce.example]",
                "[enforce.example]:587",
                "enforce.example:25",
                "ENFORCE.Example.",
                "[Enforce.example.]:smtp")) {
            assertThat(answer(answerer, key)).as(key).isEqualTo(expected);
        }
    }

    @Test
    void keys_idn_isLookedUpAsALabels() {
        // PF-KEY-2: U-labels to A-labels (RFC 8461 §4.1 names are A-labels)
        assertThat(answer(answerer(ZoneSettings.defaults()), "BÜCHER.example"))
                .isEqualTo("OK secure match=mx.xn--bcher-kva.example servername=hostname");
    }

    @Test
    void keys_neverPolicyDomains_areNotFoundAtOnceWithoutDns() {
        // PF-KEY-3: leading dot (RFC 8461 §3.4 no parent policies), IP literals, unix paths, empty, invalid
        List<AnswerKind> kinds = new CopyOnWriteArrayList<>();
        PostfixPolicyAnswerer answerer = PostfixPolicyAnswerer.builder(mtaSts().build())
                .listener(new AnswerListener() {
                    @Override
                    public void answered(String zone, AnswerKind kind, long nanos) {
                        kinds.add(kind);
                    }
                })
                .build();
        long queriesBefore = world.dns().queries().size();
        List<String> keys = List.of(
                ".enforce.example",
                ".example",
                "192.0.2.1",
                "[192.0.2.1]",
                "[192.0.2.1]:25",
                "[IPv6:2001:db8::1]",
                "2001:db8::1",
                "::1",
                "/var/run/socket",
                "",
                "a b.example",
                "-x.example",
                "[enforce.example",
                "enforce.example:",
                "enforce.example:2:5",
                "under_score.example");
        for (String key : keys) {
            CompletionStage<String> stage = answerer.answer("postfix", key);
            assertThat(stage.toCompletableFuture()).as(key).isCompletedWithValue("NOTFOUND ");
        }
        assertThat(kinds).hasSize(keys.size()).containsOnly(AnswerKind.NOTFOUND_KEY);
        assertThat(world.dns().queries().size()).isEqualTo(queriesBefore);
    }

    @Test
    void zones_selectedByMapName_unknownNameUsesDefaultZone() {
        // PF-NET-3
        List<String> zones = new CopyOnWriteArrayList<>();
        PostfixPolicyAnswerer answerer = PostfixPolicyAnswerer.builder(mtaSts().build())
                .zone("strict", zone(true, false, false, true))
                .listener(new AnswerListener() {
                    @Override
                    public void answered(String zone, AnswerKind kind, long nanos) {
                        zones.add(zone + ":" + kind);
                    }
                })
                .build();
        assertThat(answerer.answer("strict", "testing.example")
                        .toCompletableFuture()
                        .join())
                .isEqualTo("OK secure match=mx.testing.example");
        assertThat(answerer.answer("other", "testing.example")
                        .toCompletableFuture()
                        .join())
                .isEqualTo("NOTFOUND ");
        assertThat(zones).containsExactly("strict:SECURE", "default:NOTFOUND_TESTING");
    }

    @Test
    void listener_toldEveryAnswerWithItsKind() {
        List<AnswerKind> kinds = new CopyOnWriteArrayList<>();
        List<Long> nanos = new CopyOnWriteArrayList<>();
        PostfixPolicyAnswerer answerer = PostfixPolicyAnswerer.builder(mtaSts().build())
                .listener(new AnswerListener() {
                    @Override
                    public void answered(String zone, AnswerKind kind, long n) {
                        kinds.add(kind);
                        nanos.add(n);
                    }
                })
                .build();
        for (String key : List.of(
                "enforce.example",
                "testing.example",
                "none.example",
                "nopolicy.example",
                "dnsfail.example",
                ".x.example")) {
            answer(answerer, key);
        }
        assertThat(kinds)
                .containsExactly(
                        AnswerKind.SECURE,
                        AnswerKind.NOTFOUND_TESTING,
                        AnswerKind.NOTFOUND_NONE,
                        AnswerKind.NOTFOUND_NO_POLICY,
                        AnswerKind.TEMP,
                        AnswerKind.NOTFOUND_KEY);
        assertThat(nanos).allMatch(n -> n >= 0);
    }

    @Test
    void timeout_answersTempAndTheLookupGoesOnToFillTheCache() {
        // Zone timeout: the answer waits at most that long; the lookup is not abandoned
        List<Runnable> timers = new ArrayList<>();
        Scheduler manual = (delay, task) -> {
            timers.add(task);
            return () -> timers.remove(task);
        };
        MtaSts engine = mtaSts().build();
        PostfixPolicyAnswerer answerer = PostfixPolicyAnswerer.builder(engine)
                .defaultZone(new ZoneSettings(false, Duration.ofMillis(50), true, false, true))
                .scheduler(manual)
                .build();
        world.dns().delay("_mta-sts.enforce.example", "TXT", Duration.ofMillis(300));
        try {
            CompletableFuture<String> waiting =
                    answerer.answer("postfix", "[enforce.example]").toCompletableFuture();
            assertThat(waiting).isNotDone();
            assertThat(timers).hasSize(1);
            timers.get(0).run(); // the zone's timeout passes
            assertThat(waiting).isCompletedWithValue("TEMP policy lookup timed out");
            engine.policyForAsync("enforce.example").toCompletableFuture().join(); // the same lookup, still running
        } finally {
            world.dns().clearFaults("_mta-sts.enforce.example");
        }
        CompletableFuture<String> later =
                answerer.answer("postfix", "enforce.example").toCompletableFuture();
        assertThat(later)
                .isCompletedWithValue("OK secure match=mx1.enforce.example:.enforce.example servername=hostname");
    }

    @Test
    void timeout_withoutTempOnDnsError_isNotFound() {
        List<Runnable> timers = new ArrayList<>();
        Scheduler manual = (delay, task) -> {
            timers.add(task);
            return () -> timers.remove(task);
        };
        PostfixPolicyAnswerer answerer = PostfixPolicyAnswerer.builder(mtaSts().build())
                .defaultZone(new ZoneSettings(false, Duration.ofMillis(50), true, false, false))
                .scheduler(manual)
                .build();
        world.dns().delay("_mta-sts.none.example", "TXT", Duration.ofMillis(300));
        try {
            CompletableFuture<String> waiting =
                    answerer.answer("postfix", "none.example").toCompletableFuture();
            timers.get(0).run();
            assertThat(waiting).isCompletedWithValue("NOTFOUND ");
        } finally {
            world.dns().clearFaults("_mta-sts.none.example");
        }
    }

    @Test
    void lookupFinishingFirst_cancelsTheTimer() {
        List<Runnable> timers = new CopyOnWriteArrayList<>();
        Scheduler manual = (delay, task) -> {
            timers.add(task);
            return () -> timers.remove(task);
        };
        PostfixPolicyAnswerer answerer = PostfixPolicyAnswerer.builder(mtaSts().build())
                .scheduler(manual)
                .build();
        assertThat(answer(answerer, "nopolicy.example")).isEqualTo("NOTFOUND ");
        assertThat(timers).isEmpty();
    }

    @Test
    void tlsrpt_addsTheStsAttributes() {
        // PF-POL-5, PF-POL-6, PF-BETTER-3: the reply Postfix 3.10+ reads; mx_host_pattern keeps the *. form
        assertThat(answer(answerer(zone(false, true, true, true)), "enforce.example"))
                .isEqualTo("OK secure match=mx1.enforce.example:.enforce.example servername=hostname"
                        + " policy_type=sts policy_domain=enforce.example"
                        + " mx_host_pattern=mx1.enforce.example mx_host_pattern=*.enforce.example"
                        + " { policy_string = version: STSv1 } { policy_string = mode: enforce }"
                        + " { policy_string = mx: mx1.enforce.example } { policy_string = mx: *.enforce.example }"
                        + " { policy_string = mx: MX1.enforce.example } { policy_string = max_age: 86400 }");
    }

    @Test
    void tlsrpt_testingUnderStrict_isStsTooAndNeverFails() {
        // PF-POL-5, PF-POL-9: policy_failure is never sent, a testing policy must not fail a delivery
        assertThat(answer(answerer(zone(true, false, true, true)), "testing.example"))
                .startsWith("OK secure match=mx.testing.example policy_type=sts policy_domain=testing.example"
                        + " mx_host_pattern=mx.testing.example { policy_string = version: STSv1 }")
                .doesNotContain("policy_failure");
    }

    @Test
    void tlsrpt_noPolicyAndFailedFetch_stayNotFound() {
        // PF-POL-9 DECISION: no "OK <level> policy_type=no-policy-found", which would replace the
        // site's own default level (dane, may, encrypt); RFC 8461 §3.3 delivers as without MTA-STS
        PostfixPolicyAnswerer answerer = answerer(zone(true, true, true, true));
        assertThat(answer(answerer, "nopolicy.example")).isEqualTo("NOTFOUND ");
        assertThat(answer(answerer, "fetchfail.example")).isEqualTo("NOTFOUND ");
        assertThat(answer(answerer, "none.example")).isEqualTo("NOTFOUND ");
    }

    @Test
    void tlsrpt_cachedPolicyWhoseRefreshIsInvalid_isStillEnforcedWithoutPolicyFailure() {
        // PF-POL-9 DECISION, RFC 8461 §5.1 / STS-CACHE-4: the cached policy applies; no policy_failure
        TestClock clock = TestClock.create();
        PostfixPolicyAnswerer answerer = PostfixPolicyAnswerer.builder(
                        mtaSts().clock(clock).build())
                .defaultZone(zone(false, true, true, true))
                .build();
        String cached = answer(answerer, "stale.example");
        assertThat(cached).startsWith("OK secure match=.stale.example servername=hostname policy_type=sts");
        world.policyHost().policy("stale.example", "version: STSv1\r\nmode: bogus\r\n");
        world.stsId("stale.example", "2");
        clock.advance(Duration.ofMinutes(2));
        assertThat(answer(answerer, "stale.example")).isEqualTo(cached).doesNotContain("policy_failure");
    }

    @Test
    void resolverBug_isTempNeverNotFound() {
        // RFC 8461 §10.2: an internal failure is never "no policy"; SNA's NOTFOUND only when asked
        DnsResolver broken = new DnsResolver() {
            @Override
            public CompletionStage<DnsResult<String>> txtAsync(String name) {
                throw new IllegalStateException("bug");
            }

            @Override
            public CompletionStage<DnsResult<MxRecord>> mxAsync(String name) {
                throw new IllegalStateException("bug");
            }

            @Override
            public CompletionStage<DnsResult<InetAddress>> addressesAsync(String name) {
                throw new IllegalStateException("bug");
            }
        };
        MtaSts engine = MtaSts.builder().dns(broken).build();
        assertThat(answer(PostfixPolicyAnswerer.builder(engine).build(), "enforce.example"))
                .isEqualTo("TEMP policy lookup failed");
        assertThat(answer(
                        PostfixPolicyAnswerer.builder(engine)
                                .defaultZone(zone(false, true, false, false))
                                .build(),
                        "enforce.example"))
                .isEqualTo("NOTFOUND ");
    }

    @Test
    void listenerThrowing_doesNotBreakTheAnswer() {
        PostfixPolicyAnswerer answerer = PostfixPolicyAnswerer.builder(mtaSts().build())
                .listener(new AnswerListener() {
                    @Override
                    public void answered(String zone, AnswerKind kind, long nanos) {
                        throw new IllegalStateException("listener bug");
                    }
                })
                .build();
        assertThat(answer(answerer, ".example")).isEqualTo("NOTFOUND ");
        assertThat(answer(answerer, "none.example")).isEqualTo("NOTFOUND ");
    }

    @Test
    void zoneSettings_timeoutMustBePositive() {
        assertThatThrownBy(() -> new ZoneSettings(false, Duration.ZERO, true, false, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout");
        assertThatThrownBy(() -> PostfixPolicyAnswerer.builder(mtaSts().build()).replyCacheSize(0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
