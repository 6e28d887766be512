package dev.mtasts.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.mtasts.core.cache.CachedPolicy;
import dev.mtasts.core.cache.FetchClaim;
import dev.mtasts.core.cache.FetchTurn;
import dev.mtasts.core.cache.SharedFetches;
import dev.mtasts.core.fetch.FetchProblem;
import dev.mtasts.testkit.server.PostgresCluster;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SharedFetches SPI of two nodes on one real PostgreSQL (FLEET-FETCH-1, FLEET-FETCH-2, FLEET-FETCH-4). */
final class JdbcSharedFetchesTest {
    private static final String DOMAIN = "shared.example";

    private PostgresCluster cluster;
    private String database;
    private HikariDataSource ds;
    private final List<String> events = new CopyOnWriteArrayList<>();
    private Node a;
    private Node b;

    /** One node: its FleetDatabase and store. */
    private record Node(FleetDatabase db, JdbcPolicyStore store) implements AutoCloseable {
        SharedFetches fetches() {
            return store.sharedFetches().orElseThrow();
        }

        CompletableFuture<FetchTurn> turn(String id) {
            return fetches().turn(DOMAIN, id, Optional.empty()).toCompletableFuture();
        }

        @Override
        public void close() {
            store.close();
            db.close();
        }
    }

    private Node node(String name, Duration lease) {
        FleetListener listener = new FleetListener() {
            @Override
            public void fetchShared(String domain, String id) {
                events.add(name + " shared " + domain + " " + id);
            }

            @Override
            public void fetchHeldBack(String domain, String id) {
                events.add(name + " held back " + domain + " " + id);
            }
        };
        FleetDatabase db = FleetDatabase.builder(ds)
                .nodeId(name)
                .listener(listener)
                .operationTimeout(Duration.ofSeconds(2))
                .build();
        return new Node(
                db,
                JdbcPolicyStore.builder(db)
                        .fetchLease(lease)
                        .pollInterval(Duration.ofMillis(20))
                        .build());
    }

    @BeforeEach
    void open() {
        cluster = PgFixture.cluster();
        database = cluster.createDatabase("shared_fetches");
        ds = PgFixture.pool(cluster, database);
        a = node("a", Duration.ofSeconds(10));
        b = node("b", Duration.ofSeconds(10));
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
        ds.close();
    }

    private static FetchClaim claim(CompletableFuture<FetchTurn> turn) throws Exception {
        FetchTurn t = turn.get(5, TimeUnit.SECONDS);
        assertThat(t).isInstanceOf(FetchTurn.Fetch.class);
        FetchClaim claim = ((FetchTurn.Fetch) t).claim();
        assertThat(claim).isNotSameAs(FetchClaim.NONE);
        return claim;
    }

    private static CachedPolicy fetched(String id) {
        return CachedPolicy.of(
                DOMAIN,
                id,
                JdbcPolicyStoreTest.policy("mx." + DOMAIN, Duration.ofDays(1)),
                Instant.now().truncatedTo(ChronoUnit.MICROS));
    }

    @Test
    void oneNodeFetches_theOtherWaitsAndTakesItsPolicy() throws Exception {
        FetchClaim claim = claim(a.turn("id1"));
        CompletableFuture<FetchTurn> bTurn = b.turn("id1");
        Thread.sleep(200); // b polls meanwhile: a holds the lease
        assertThat(bTurn).isNotDone();

        CachedPolicy policy = fetched("id1");
        a.store().put(policy); // the resolver stores first, then reports success
        claim.succeeded(policy);

        FetchTurn bGot = bTurn.get(5, TimeUnit.SECONDS);
        assertThat(bGot).isEqualTo(new FetchTurn.Shared(policy));
        assertThat(events).containsExactly("b shared shared.example id1");
        JdbcPolicyStoreTest.await("a's writes", () -> a.store().pendingWrites() == 0);
        assertThat(PgFixture.count(ds, "SELECT count(*) FROM mtasts_fetch_lease"))
                .isZero();

        // A later turn of any node for this id takes the stored policy at once.
        assertThat(a.turn("id1").get(5, TimeUnit.SECONDS)).isEqualTo(new FetchTurn.Shared(policy));
        // But not when the caller's own copy is as new (a proactive refresh): it fetches.
        FetchTurn refresh = b.fetches()
                .turn(DOMAIN, "id1", Optional.of(policy.fetchedAt()))
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        assertThat(refresh).isInstanceOf(FetchTurn.Fetch.class);
        ((FetchTurn.Fetch) refresh).claim().released();
        // A new id is fetched again.
        claim(b.turn("id2")).released();
    }

    @Test
    void failedFetch_holdsTheOtherNodeBackUntilTheBackoffEnds() throws Exception {
        FetchClaim claim = claim(a.turn("id1"));
        CompletableFuture<FetchTurn> bTurn = b.turn("id1");
        Instant until = Instant.now().plus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.MICROS);
        claim.failed(FetchProblem.of(FetchProblem.Reason.NOT_FOUND, "HTTP status 404"), until);

        FetchTurn bGot = bTurn.get(5, TimeUnit.SECONDS);
        assertThat(bGot).isInstanceOf(FetchTurn.HeldBack.class);
        FetchTurn.HeldBack held = (FetchTurn.HeldBack) bGot;
        assertThat(held.until()).isEqualTo(until);
        assertThat(held.failure().reason()).isEqualTo(FetchProblem.Reason.NOT_FOUND);
        assertThat(held.failure().detail()).isEqualTo("HTTP status 404");
        assertThat(events).containsExactly("b held back shared.example id1");

        // A new id is not held back by the old one's failure.
        claim(b.turn("id2")).released();
        // Once the back-off ended, the id is fetched again.
        PgFixture.execute(ds, "UPDATE mtasts_fetch_backoff SET until = now() - interval '1 second'");
        claim(a.turn("id1")).released();
    }

    @Test
    void releasedClaim_letsTheOtherNodeFetch() throws Exception {
        FetchClaim claim = claim(a.turn("id1"));
        CompletableFuture<FetchTurn> bTurn = b.turn("id1");
        Thread.sleep(100);
        assertThat(bTurn).isNotDone();
        claim.released();
        claim(bTurn).released();
        assertThat(events).isEmpty();
    }

    @Test
    void claimNeverCompleted_otherNodeWaitsAtMostTheLeaseThenFetchesItself() throws Exception {
        try (Node c = node("c", Duration.ofMillis(1500));
                Node d = node("d", Duration.ofMillis(1500))) {
            claim(c.turn("id1")); // c "dies": never completes its claim
            long start = System.nanoTime();
            FetchClaim dClaim = claim(d.turn("id1"));
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(waitedMillis).isBetween(1000L, 4000L);
            dClaim.released();
        }
    }

    @Test
    void claimOutcome_reportedTwice_secondIgnored() throws Exception {
        FetchClaim claim = claim(a.turn("id1"));
        claim.released();
        claim.failed(
                FetchProblem.of(FetchProblem.Reason.CONNECT, "refused"),
                Instant.now().plusSeconds(300));
        JdbcPolicyStoreTest.await("a's writes", () -> a.store().pendingWrites() == 0);
        assertThat(PgFixture.count(ds, "SELECT count(*) FROM mtasts_fetch_backoff"))
                .isZero();
        claim(b.turn("id1")).released();
    }

    @Test
    void databaseUnreachable_turnIsALocalFetchAtOnce() throws Exception {
        var switchable = new PgFixture.Switchable(cluster, database, true);
        try (FleetDatabase db = FleetDatabase.builder(switchable)
                        .nodeId("e")
                        .retryInterval(Duration.ofSeconds(30))
                        .build();
                JdbcPolicyStore store = JdbcPolicyStore.builder(db).build()) {
            switchable.reachable(false);
            SharedFetches fetches = store.sharedFetches().orElseThrow();
            FetchTurn first = fetches.turn(DOMAIN, "id1", Optional.empty())
                    .toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
            assertThat(first).isEqualTo(new FetchTurn.Fetch(FetchClaim.NONE));
            assertThat(db.health().up()).isFalse();
            // Down: the next turn does not even try the database.
            CompletableFuture<FetchTurn> second =
                    fetches.turn(DOMAIN, "id1", Optional.empty()).toCompletableFuture();
            assertThat(second).isCompletedWithValue(new FetchTurn.Fetch(FetchClaim.NONE));
        }
    }

    @Test
    void turnSlowerThanTheTimeout_localFetch_andTheLeaseItWonLateIsGivenBack() throws Exception {
        try (FleetDatabase db = FleetDatabase.builder(ds)
                        .nodeId("slow")
                        .operationTimeout(Duration.ofMillis(300))
                        .retryInterval(Duration.ZERO)
                        .build();
                JdbcPolicyStore store = JdbcPolicyStore.builder(db)
                        .fetchLease(Duration.ofSeconds(60))
                        .build();
                var blocker = ds.getConnection()) {
            // Another session holds the lease table: the turn's claim waits behind it.
            blocker.setAutoCommit(false);
            try (var s = blocker.createStatement()) {
                s.execute("LOCK TABLE mtasts_fetch_lease IN ACCESS EXCLUSIVE MODE");
            }
            FetchTurn turn = store.sharedFetches()
                    .orElseThrow()
                    .turn(DOMAIN, "id1", Optional.empty())
                    .toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
            assertThat(turn).isEqualTo(new FetchTurn.Fetch(FetchClaim.NONE));

            blocker.rollback(); // the claim goes through now, after its caller stopped waiting
            Thread.sleep(500); // time for the late claim to commit (and, with its release, to be undone)
            // Nobody is held back by it: another node gets the lease well within its 60 s.
            FetchClaim other = claim(a.turn("id1"));
            assertThat(PgFixture.count(ds, "SELECT count(*) FROM mtasts_fetch_lease WHERE holder = 'a'"))
                    .isEqualTo(1);
            other.released();
        }
    }

    @Test
    void turnsAfterClose_areLocalFetches() throws Exception {
        FetchClaim claim = claim(a.turn("id1"));
        CompletableFuture<FetchTurn> bTurn = b.turn("id1");
        b.store().close(); // its poller stops: the waiting turn ends as a local fetch
        assertThat(bTurn.get(5, TimeUnit.SECONDS)).isEqualTo(new FetchTurn.Fetch(FetchClaim.NONE));
        claim.released();
    }
}
