package dev.mtasts.core.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.mtasts.core.Mode;
import dev.mtasts.core.Policy;
import dev.mtasts.core.cache.CachedPolicy;
import dev.mtasts.core.cache.FetchTurn;
import dev.mtasts.core.cache.PolicyStore;
import dev.mtasts.core.cache.SharedFetches;
import dev.mtasts.core.dns.DnsResult;
import dev.mtasts.core.fetch.FetchProblem;
import dev.mtasts.core.fetch.PolicyFetcher;
import dev.mtasts.core.testing.FakeDns;
import dev.mtasts.core.testing.FakeFetcher;
import dev.mtasts.core.testing.FleetInOneJvm;
import dev.mtasts.core.testing.MutableClock;
import dev.mtasts.core.testing.RecordingListener;
import dev.mtasts.testkit.server.FakePolicyHost;
import dev.mtasts.testkit.server.PolicyResponse;
import dev.mtasts.testkit.server.TestCertificateAuthority;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several {@link MtaSts} instances sharing one store with {@link SharedFetches}, as the processes of
 * a fleet share a database ({@link FleetInOneJvm}), fetching from a real loopback HTTPS policy host.
 */
final class MtaStsFleetTest {
    private static final String DOMAIN = "example.com";
    private static final String TXT = "_mta-sts.example.com";
    private static final String HOST = "mta-sts.example.com";
    private static final String POLICY = "version: STSv1\nmode: enforce\nmx: mx1.example.com\nmax_age: 86400\n";
    private static final String YEAR_POLICY = "version: STSv1\nmode: enforce\nmx: mx1.example.com\nmax_age: 31557600\n";
    private static final TestCertificateAuthority CA = TestCertificateAuthority.create("Fleet test CA");
    /** Jitter 0.5, i.e. a refresh factor of exactly 1.0: due at half of max_age. */
    private static final RandomGenerator HALF = () -> Long.MIN_VALUE;

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final FakeDns dns =
            new FakeDns().address(HOST, InetAddress.getLoopbackAddress()).txt(TXT, "v=STSv1; id=1");
    private final FakePolicyHost host = new FakePolicyHost(CA);
    private final FleetInOneJvm fleet = FleetInOneJvm.shared(clock);
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void startHost() {
        host.addHost(DOMAIN).policy(DOMAIN, POLICY).start();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        host.close();
        fleet.close();
    }

    private PolicyFetcher https() {
        return PolicyFetcher.https()
                .dns(dns)
                .sslContext(CA.clientSslContext())
                .port(host.port())
                .allowLoopback()
                .timeout(Duration.ofSeconds(10))
                .build();
    }

    /** One process of the fleet: its own resolver and HTTPS fetcher, the fleet's store. */
    private MtaSts node(RecordingListener events) {
        return node(fleet.store(), events, b -> b);
    }

    private MtaSts node(PolicyStore store, RecordingListener events, UnaryOperator<MtaSts.Builder> options) {
        MtaSts sts = options.apply(MtaSts.builder()
                        .dns(dns)
                        .fetcher(https())
                        .store(store)
                        .clock(clock)
                        .listener(events)
                        .random(HALF))
                .build();
        toClose.add(sts);
        return sts;
    }

    private static PolicyResult.PolicyFound found(PolicyResult result) {
        assertThat(result).isInstanceOf(PolicyResult.PolicyFound.class);
        return (PolicyResult.PolicyFound) result;
    }

    private static PolicyProblem noPolicyProblem(PolicyResult result) {
        assertThat(result).isInstanceOf(PolicyResult.NoPolicy.class);
        return ((PolicyResult.NoPolicy) result).problem();
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    private void awaitTurns(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (fleet.turns().size() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(fleet.turns()).hasSize(count);
    }

    private static long total(String prefix, RecordingListener... listeners) {
        long sum = 0;
        for (RecordingListener listener : listeners) {
            sum += listener.count(prefix);
        }
        return sum;
    }

    private FetchTurn.Shared sharedRow(String id, Instant fetchedAt, String policy) {
        return new FetchTurn.Shared(CachedPolicy.of(DOMAIN, id, Policy.parse(policy), fetchedAt));
    }

    @Test
    void policyForAsync_concurrentFirstLookupsOnThreeInstancesFetchOnce() throws Exception {
        // FLEET-FETCH-1: one HTTPS fetch for the whole fleet; the others wait for it (no thread
        // blocked) and take its policy
        CountDownLatch gate = new CountDownLatch(1);
        host.dispatcher(request -> {
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return PolicyResponse.ok(POLICY);
        });
        RecordingListener[] events = {new RecordingListener(), new RecordingListener(), new RecordingListener()};
        List<CompletableFuture<PolicyResult>> lookups = new ArrayList<>();
        for (RecordingListener listener : events) {
            lookups.add(node(listener).policyForAsync(DOMAIN).toCompletableFuture());
        }
        awaitTurns(3);
        assertThat(lookups).noneMatch(CompletableFuture::isDone); // the two others wait for the fetch
        gate.countDown();

        List<PolicyResult.PolicyFound> results = new ArrayList<>();
        for (CompletableFuture<PolicyResult> lookup : lookups) {
            results.add(found(await(lookup)));
        }
        assertThat(host.requestCount()).isEqualTo(1);
        assertThat(results).allSatisfy(result -> {
            assertThat(result.mode()).isEqualTo(Mode.ENFORCE);
            assertThat(result.id()).isEqualTo("1");
            assertThat(result.source()).isEqualTo(PolicySource.FRESH);
            assertThat(result.fetchedAt()).isEqualTo(clock.instant());
            assertThat(result.expiresAt()).isEqualTo(clock.instant().plusSeconds(86400));
        });
        assertThat(total("fetchStarted", events)).isEqualTo(1);
        assertThat(total("fetchSucceeded", events)).isEqualTo(1);
        assertThat(total("fetchShared example.com 1", events)).isEqualTo(2);
        // The claim: told once, after the policy was in the store
        assertThat(fleet.claims()).singleElement().satisfies(claim -> {
            assertThat(claim.calls()).containsExactly("succeeded");
            assertThat(claim.storedFirst()).isTrue();
        });
        assertThat(fleet.row(DOMAIN).orElseThrow().id()).isEqualTo("1");
    }

    @Test
    void policyFor_failingHostIsFetchedOncePerBackoffAcrossInstances() {
        // FLEET-FETCH-2, RFC 8461 §3.3: a failed fetch holds every instance back until the same moment
        host.respond(DOMAIN, PolicyResponse.status(500));
        RecordingListener eventsA = new RecordingListener();
        RecordingListener eventsB = new RecordingListener();
        MtaSts a = node(eventsA);
        MtaSts b = node(eventsB);
        Instant start = clock.instant();

        PolicyProblem failure = noPolicyProblem(a.policyFor(DOMAIN));
        assertThat(failure).isInstanceOf(PolicyProblem.FetchFailed.class);
        assertThat(host.requestCount()).isEqualTo(1);
        assertThat(fleet.claims())
                .singleElement()
                .satisfies(claim ->
                        assertThat(claim.calls()).containsExactly("failed " + start.plus(Duration.ofMinutes(5))));

        // B has never fetched, yet does not fetch: the fleet holds the id back (and says why)
        assertThat(noPolicyProblem(b.policyFor(DOMAIN))).isEqualTo(failure);
        assertThat(eventsB.events())
                .contains("fetchHeldBack example.com 1")
                .doesNotContain("fetchStarted example.com 1");
        assertThat(host.requestCount()).isEqualTo(1);
        assertThat(fleet.turns()).hasSize(2);

        // Within the window both hold back on their own, without asking the fleet again
        clock.advance(Duration.ofMinutes(4));
        b.policyFor(DOMAIN);
        a.policyFor(DOMAIN);
        assertThat(fleet.turns()).hasSize(2);
        assertThat(host.requestCount()).isEqualTo(1);

        // After the window one instance fetches again, and its failure holds the other back anew
        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        assertThat(noPolicyProblem(b.policyFor(DOMAIN))).isInstanceOf(PolicyProblem.FetchFailed.class);
        assertThat(host.requestCount()).isEqualTo(2);
        assertThat(noPolicyProblem(a.policyFor(DOMAIN))).isInstanceOf(PolicyProblem.FetchFailed.class);
        assertThat(host.requestCount()).isEqualTo(2);
        assertThat(eventsA.count("fetchHeldBack example.com 1")).isEqualTo(1);
        assertThat(fleet.claims()).hasSize(2);
    }

    @Test
    void policyFor_peerHoldBackThatAlreadyEndedAnswersOnceAndHoldsNothing() {
        // FLEET-FETCH-2: the wall-clock end of a peer's back-off becomes this process's ticker time;
        // an end already past holds nothing back locally
        FetchProblem peerFailure = FetchProblem.of(FetchProblem.Reason.CONNECT, "peer could not connect");
        fleet.script(() -> CompletableFuture.completedFuture(
                new FetchTurn.HeldBack(peerFailure, clock.instant().minusSeconds(60))));
        RecordingListener events = new RecordingListener();
        MtaSts a = node(events);
        assertThat(noPolicyProblem(a.policyFor(DOMAIN))).isEqualTo(new PolicyProblem.FetchFailed(peerFailure));
        assertThat(events.events()).contains("fetchHeldBack example.com 1");
        assertThat(host.requestCount()).isZero();
        // Not held back by this process: the next lookup asks the fleet again, and fetches
        assertThat(found(a.policyFor(DOMAIN)).source()).isEqualTo(PolicySource.FRESH);
        assertThat(fleet.turns()).hasSize(2);
        assertThat(host.requestCount()).isEqualTo(1);
    }

    @Test
    void runMaintenance_proactiveRefreshTakesAPeersNewerFetch() throws Exception {
        // FLEET-FETCH-1, STS-CACHE-6: A refreshes first; B's refresh of the same id takes A's newer
        // fetch (with A's times) instead of fetching
        RecordingListener eventsA = new RecordingListener();
        RecordingListener eventsB = new RecordingListener();
        MtaSts a = node(eventsA);
        MtaSts b = node(eventsB);
        Instant t0 = clock.instant();
        found(a.policyFor(DOMAIN));
        assertThat(found(b.policyFor(DOMAIN)).source()).isEqualTo(PolicySource.CACHED); // read from the store
        assertThat(host.requestCount()).isEqualTo(1);

        clock.advance(Duration.ofHours(12).plusSeconds(1)); // half of max_age: both refreshes are due
        Instant t1 = clock.instant();
        await(a.runMaintenance().toCompletableFuture());
        assertThat(host.requestCount()).isEqualTo(2);
        // A's refresh was not answered by the policy it refreshes
        assertThat(fleet.turns()).last().isEqualTo(Optional.of(t0));
        assertThat(fleet.row(DOMAIN).orElseThrow().fetchedAt()).isEqualTo(t1);

        clock.advance(Duration.ofMinutes(1));
        await(b.runMaintenance().toCompletableFuture());
        assertThat(fleet.turns()).last().isEqualTo(Optional.of(t0));
        assertThat(host.requestCount()).isEqualTo(2);
        assertThat(eventsB.events()).contains("fetchShared example.com 1").doesNotContain("fetchStarted example.com 1");
        PolicyResult.PolicyFound refreshed = found(b.policyFor(DOMAIN));
        assertThat(refreshed.fetchedAt()).isEqualTo(t1);
        assertThat(refreshed.expiresAt()).isEqualTo(t1.plusSeconds(86400));
        assertThat(b.cachedDomains()).containsExactly(DOMAIN);
    }

    @Test
    void runMaintenance_proactiveRefreshNeverTakesARowNotNewerThanItsOwn() throws Exception {
        // FLEET-FETCH-1: B's copy is the row's; its refresh fetches, and a store offering the same
        // (or an older) row anyway is not believed: B fetches itself
        RecordingListener eventsB = new RecordingListener();
        MtaSts a = node(new RecordingListener());
        Instant t0 = clock.instant();
        found(a.policyFor(DOMAIN));
        MtaSts b = node(eventsB);
        assertThat(found(b.policyFor(DOMAIN)).fetchedAt()).isEqualTo(t0);

        clock.advance(Duration.ofHours(12).plusSeconds(1));
        await(b.runMaintenance().toCompletableFuture());
        assertThat(fleet.turns()).last().isEqualTo(Optional.of(t0));
        assertThat(host.requestCount()).isEqualTo(2);
        assertThat(eventsB.count("fetchStarted example.com 1")).isEqualTo(1);
        Instant t1 = fleet.row(DOMAIN).orElseThrow().fetchedAt();
        assertThat(t1).isAfter(t0);

        // A store breaking the contract: it offers B's own row to B's next refresh
        clock.advance(Duration.ofHours(12).plusSeconds(1));
        fleet.script(() -> CompletableFuture.completedFuture(sharedRow("1", t1, POLICY)));
        await(b.runMaintenance().toCompletableFuture());
        assertThat(host.requestCount()).isEqualTo(3);
        assertThat(eventsB.count("fetchStarted example.com 1")).isEqualTo(2);
        assertThat(eventsB.count("fetchShared")).isZero();
        assertThat(fleet.claims()).hasSize(2); // the local fetch had no claim
        assertThat(found(b.policyFor(DOMAIN)).fetchedAt()).isEqualTo(clock.instant());
    }

    @Test
    void policyFor_sharedPolicyOfAnotherIdOrExpiredIsNotTaken() {
        // FLEET-FETCH-1, STS-CACHE-2: a peer's policy answers only for this (domain, id), unexpired
        Instant now = clock.instant();
        fleet.script(() -> CompletableFuture.completedFuture(sharedRow("2", now, POLICY)));
        fleet.script(() -> CompletableFuture.completedFuture(
                sharedRow("1", now.minusSeconds(86400), POLICY))); // expires exactly now
        RecordingListener events = new RecordingListener();
        MtaSts a = node(events);
        assertThat(found(a.policyFor(DOMAIN)).source()).isEqualTo(PolicySource.FRESH);
        assertThat(found(a.refresh(DOMAIN)).source()).isEqualTo(PolicySource.FRESH);
        assertThat(host.requestCount()).isEqualTo(2);
        assertThat(events.count("fetchShared")).isZero();
        assertThat(fleet.claims()).isEmpty();
    }

    @Test
    void refresh_neverTakesAPeersFetchFromBeforeIt() {
        // STS-CACHE-9, FLEET-FETCH-1: a forced lookup is answered only by a fetch made after it was asked
        MtaSts a = node(new RecordingListener());
        found(a.policyFor(DOMAIN));
        clock.advance(Duration.ofSeconds(10));
        RecordingListener eventsB = new RecordingListener();
        MtaSts b = node(eventsB);
        PolicyResult.PolicyFound refreshed = found(b.refresh(DOMAIN));
        assertThat(fleet.turns()).last().isEqualTo(Optional.of(clock.instant()));
        assertThat(refreshed.source()).isEqualTo(PolicySource.FRESH);
        assertThat(refreshed.fetchedAt()).isEqualTo(clock.instant());
        assertThat(host.requestCount()).isEqualTo(2);
        assertThat(eventsB.count("fetchShared")).isZero();
    }

    @Test
    void policyFor_turnThatThrowsOrFailsMeansALocalFetch() throws Exception {
        // FLEET-DOWN-1: not knowing the fleet's state never stops a fetch
        fleet.script(() -> {
            throw new IllegalStateException("scripted: turn() throws");
        });
        fleet.script(() -> CompletableFuture.supplyAsync(() -> {
            throw new IllegalStateException("scripted: the database is down");
        }));
        RecordingListener events = new RecordingListener();
        MtaSts a = node(events);
        assertThat(found(a.policyFor(DOMAIN)).source()).isEqualTo(PolicySource.FRESH);
        assertThat(host.requestCount()).isEqualTo(1);
        assertThat(fleet.row(DOMAIN)).isPresent(); // still stored for the fleet

        PolicyResult.PolicyFound forced = found(await(a.refreshAsync(DOMAIN).toCompletableFuture()));
        assertThat(forced.source()).isEqualTo(PolicySource.FRESH);
        assertThat(host.requestCount()).isEqualTo(2);
        assertThat(events.count("fetchSucceeded")).isEqualTo(2);
        assertThat(fleet.claims()).isEmpty();
    }

    @Test
    void policyFor_localCapacityReleasesTheClaim() {
        // FLEET-FETCH-2: a failure of this process only is not shared as a back-off
        RecordingListener events = new RecordingListener();
        MtaSts a = MtaSts.builder()
                .dns(dns)
                .fetcher(new FakeFetcher().fail(FetchProblem.Reason.LOCAL_CAPACITY))
                .store(fleet.store())
                .clock(clock)
                .listener(events)
                .build();
        toClose.add(a);
        PolicyResult result = a.policyFor(DOMAIN);
        assertThat(result).isInstanceOf(PolicyResult.Unavailable.class);
        assertThat(fleet.claims())
                .singleElement()
                .satisfies(claim -> assertThat(claim.calls()).containsExactly("released"));
        // Not held back: the next lookup asks for a turn again
        a.policyFor(DOMAIN);
        assertThat(fleet.turns()).hasSize(2);
    }

    @Test
    void policyFor_maxAgeZeroReleasesTheClaimAndRemovesTheReplacedPolicyForTheFleet() {
        // FLEET-FETCH-3, STS-POL-8: max_age 0 is never cached, so nothing is shared; the policy it
        // replaces is withdrawn by the domain, for every process
        MtaSts a = node(new RecordingListener());
        found(a.policyFor(DOMAIN));
        dns.txt(TXT, "v=STSv1; id=2");
        host.policy(DOMAIN, POLICY.replace("86400", "0"));
        clock.advance(Duration.ofMinutes(2));
        PolicyResult.PolicyFound zero = found(a.policyFor(DOMAIN));
        assertThat(zero.id()).isEqualTo("2");
        assertThat(zero.source()).isEqualTo(PolicySource.FRESH);
        assertThat(fleet.claims())
                .extracting(FleetInOneJvm.Claim::calls)
                .containsExactly(List.of("succeeded"), List.of("released"));
        assertThat(fleet.removed()).containsExactly(DOMAIN);
        assertThat(fleet.row(DOMAIN)).isEmpty();
    }

    @Test
    void policyFor_claimThatThrowsIsToldOnceAndNeverBreaksTheLookup() {
        // FLEET-FETCH-1: the claim's failure is logged; the lookup answers, the claim is not told twice
        fleet.claimsThrow();
        MtaSts a = node(new RecordingListener());
        assertThat(found(a.policyFor(DOMAIN)).source()).isEqualTo(PolicySource.FRESH);
        assertThat(fleet.claims())
                .singleElement()
                .satisfies(claim -> assertThat(claim.calls()).containsExactly("succeeded"));
    }

    @Test
    void policyFor_storeThatRefusesThePolicyReleasesTheClaim() {
        // FLEET-FETCH-1: "succeeded" promises the policy is in the store; when the put failed, the
        // others fetch for themselves
        fleet.putsThrow();
        MtaSts a = node(new RecordingListener());
        assertThat(found(a.policyFor(DOMAIN)).source()).isEqualTo(PolicySource.FRESH);
        assertThat(fleet.claims())
                .singleElement()
                .satisfies(claim -> assertThat(claim.calls()).containsExactly("released"));
    }

    @Test
    void policyFor_foreverBackoffIsSharedAsTheLastInstant() {
        // FLEET-FETCH-2: a back-off beyond the representable (a "never again" setting) saturates
        host.respond(DOMAIN, PolicyResponse.status(503));
        MtaSts a =
                node(fleet.store(), new RecordingListener(), b -> b.fetchBackoff(Duration.ofSeconds(Long.MAX_VALUE)));
        noPolicyProblem(a.policyFor(DOMAIN));
        assertThat(fleet.claims())
                .singleElement()
                .satisfies(claim -> assertThat(claim.calls()).containsExactly("failed " + Instant.MAX));
    }

    @Test
    void runMaintenance_unusedDomainIsForgottenFromMemoryButNotFromASharedStore() throws Exception {
        // FLEET-FETCH-3, STS-CACHE-8: other processes may still deliver to the domain
        assertThat(forgetUnused(fleet)).isEmpty();
        assertThat(fleet.row(DOMAIN)).isPresent();
        try (FleetInOneJvm alone = FleetInOneJvm.notShared(clock)) {
            assertThat(forgetUnused(alone)).containsExactly(DOMAIN);
            assertThat(alone.row(DOMAIN)).isEmpty();
        }
    }

    /** A domain fetched, then unused past {@code expireUnusedAfter}: what maintenance removes from the store. */
    private List<String> forgetUnused(FleetInOneJvm store) throws Exception {
        host.policy(DOMAIN, YEAR_POLICY);
        RecordingListener events = new RecordingListener();
        MtaSts a = node(store.store(), events, b -> b.expireUnusedAfter(Duration.ofDays(30)));
        found(a.policyFor(DOMAIN));
        clock.advance(Duration.ofDays(31));
        await(a.runMaintenance().toCompletableFuture());
        assertThat(events.count("evicted example.com unused")).isEqualTo(1);
        assertThat(a.cachedDomains()).isEmpty();
        return store.removed();
    }

    @Test
    void expiry_isLeftToASharedStore() throws Exception {
        // FLEET-FETCH-3, STS-CACHE-2: an expired policy leaves this process's memory (lookup, maintenance,
        // start-up) but a shared store deletes expired rows itself; a store of one process loses it
        assertThat(expire(fleet)).isEmpty();
        assertThat(fleet.row(DOMAIN)).isPresent();
        try (FleetInOneJvm alone = FleetInOneJvm.notShared(clock)) {
            assertThat(expire(alone)).containsExactly(DOMAIN, "other.example");
            assertThat(alone.row(DOMAIN)).isEmpty();
        }
    }

    /** A policy fetched, then expired and met by a lookup, maintenance and a restart: what they remove. */
    private List<String> expire(FleetInOneJvm store) throws Exception {
        dns.txt(TXT, "v=STSv1; id=1");
        RecordingListener events = new RecordingListener();
        MtaSts a = node(store.store(), events, b -> b);
        found(a.policyFor(DOMAIN));
        dns.txt(TXT, DnsResult.temporaryFailure(DnsResult.FailureKind.SERVFAIL, "scripted"));
        clock.advance(Duration.ofDays(2));
        assertThat(a.policyFor(DOMAIN)).isInstanceOf(PolicyResult.Unavailable.class);
        assertThat(events.count("evicted example.com expired")).isEqualTo(1);
        await(a.runMaintenance().toCompletableFuture());
        MtaSts restarted = node(store.store(), new RecordingListener(), b -> b);
        assertThat(restarted.cachedDomains()).isEmpty();
        // A peer's expired row, met on a miss
        store.put(CachedPolicy.of(
                "other.example", "9", Policy.parse(POLICY), clock.instant().minus(Duration.ofDays(2))));
        noPolicyProblem(restarted.policyFor("other.example"));
        return store.removed();
    }

    @Test
    void policyFor_modeNoneWithTxtGoneIsRemovedFromASharedStore() {
        // FLEET-FETCH-3, STS-CACHE-8: a none policy protects nothing; its TXT record gone is a fact
        // about the domain, so the fleet forgets it too
        host.policy(DOMAIN, "version: STSv1\nmode: none\nmax_age: 86400\n");
        MtaSts a = node(new RecordingListener());
        assertThat(found(a.policyFor(DOMAIN)).mode()).isEqualTo(Mode.NONE);
        dns.nodata(TXT);
        clock.advance(Duration.ofMinutes(2));
        noPolicyProblem(a.policyFor(DOMAIN));
        assertThat(fleet.removed()).containsExactly(DOMAIN);
        assertThat(fleet.row(DOMAIN)).isEmpty();
    }

    @Test
    void build_storeThatCannotSayWhetherItIsSharedIsRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> MtaSts.builder()
                        .dns(dns)
                        .store(storeSharing(() -> {
                            throw new IllegalStateException("scripted: not configured");
                        }))
                        .build())
                .withMessageContaining("store")
                .withMessageContaining("sharedFetches");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> MtaSts.builder()
                        .dns(dns)
                        .store(storeSharing(() -> null))
                        .build())
                .withMessageContaining("store")
                .withMessageContaining("null");
    }

    /** A store without entries whose {@code sharedFetches()} is {@code answer}'s. */
    private static PolicyStore storeSharing(java.util.function.Supplier<Optional<SharedFetches>> answer) {
        return new PolicyStore() {
            @Override
            public Optional<CachedPolicy> get(String domain) {
                return Optional.empty();
            }

            @Override
            public void put(CachedPolicy policy) {}

            @Override
            public void remove(String domain) {}

            @Override
            public Collection<CachedPolicy> all() {
                return List.of();
            }

            @Override
            public Optional<SharedFetches> sharedFetches() {
                return answer.get();
            }
        };
    }
}
