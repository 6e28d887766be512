package dev.mtasts.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.mtasts.core.Mode;
import dev.mtasts.core.Policy;
import dev.mtasts.core.cache.CachedPolicy;
import dev.mtasts.testkit.server.PostgresCluster;
import dev.mtasts.testkit.server.TestClock;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store's rows on a real PostgreSQL: round trip, expiry, bad rows, the latest fetch (FLEET-FETCH-5),
 * and the write queue (FLEET-DOWN-3).
 */
final class JdbcPolicyStoreTest {
    private final TestClock clock = TestClock.create();
    private PostgresCluster cluster;
    private String database;
    private HikariDataSource ds;
    private FleetDatabase db;
    private JdbcPolicyStore store;

    @BeforeEach
    void open() {
        cluster = PgFixture.cluster();
        database = cluster.createDatabase("policy_store");
        ds = PgFixture.pool(cluster, database);
        db = FleetDatabase.builder(ds)
                .nodeId("a")
                .clock(clock)
                .operationTimeout(Duration.ofSeconds(2))
                .build();
        store = JdbcPolicyStore.builder(db).build();
    }

    @AfterEach
    void close() {
        store.close();
        db.close();
        ds.close();
    }

    static Policy policy(String mx, Duration maxAge) {
        return Policy.builder().mode(Mode.ENFORCE).maxAge(maxAge).addMx(mx).build();
    }

    /** Micros, as PostgreSQL keeps them, so that read-back entries compare equal. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    private void written() throws InterruptedException {
        await("the writes", () -> store.pendingWrites() == 0);
    }

    @Test
    void putGetAllRemove_roundTrip() throws Exception {
        CachedPolicy a = CachedPolicy.of("a.example", "id1", policy("mx.a.example", Duration.ofDays(1)), now());
        CachedPolicy b = CachedPolicy.of("b.example", "id2", policy("*.b.example", Duration.ofDays(7)), now());
        store.put(a);
        store.put(b);
        written();

        assertThat(store.get("a.example")).contains(a);
        assertThat(store.get("b.example")).contains(b);
        assertThat(store.get("c.example")).isEmpty();
        assertThat(store.all()).containsExactlyInAnyOrder(a, b);
        assertThat(PgFixture.count(ds, "SELECT count(*) FROM mtasts_policy WHERE written_by = 'a'"))
                .isEqualTo(2);

        store.remove("a.example");
        written();
        assertThat(store.get("a.example")).isEmpty();
        assertThat(store.all()).containsExactly(b);
        assertThat(db.health().pendingPolicyWrites()).isZero();
        assertThat(store.droppedWrites()).isZero();
    }

    @Test
    void expiredRows_invisibleToGetAndAll_thenPurgedByTheStore() throws Exception {
        CachedPolicy shortLived =
                CachedPolicy.of("short.example", "id1", policy("mx.short.example", Duration.ofHours(1)), now());
        CachedPolicy longLived =
                CachedPolicy.of("long.example", "id1", policy("mx.long.example", Duration.ofDays(7)), now());
        store.put(shortLived);
        store.put(longLived);
        written();
        assertThat(store.all()).hasSize(2);

        clock.advance(Duration.ofHours(2));
        assertThat(store.get("short.example")).isEmpty();
        assertThat(store.all()).containsExactly(longLived);
        // Still there until the store's purge deletes it.
        assertThat(PgFixture.count(ds, "SELECT count(*) FROM mtasts_policy")).isEqualTo(2);

        store.purgeSoon();
        await("the purge", () -> {
            try {
                return PgFixture.count(ds, "SELECT count(*) FROM mtasts_policy") == 1;
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(store.get("long.example")).contains(longLived);
    }

    @Test
    void unparsableRow_skippedNotThrown() throws Exception {
        CachedPolicy good =
                CachedPolicy.of("good.example", "id1", policy("mx.good.example", Duration.ofDays(1)), now());
        store.put(good);
        written();
        try (var c = ds.getConnection();
                var s = c.prepareStatement("INSERT INTO mtasts_policy"
                        + " (domain, txt_id, policy_text, fetched_at, expires_at, written_by)"
                        + " VALUES ('bad.example', 'id1', 'version: STSv2\r\nmode: bogus\r\n', ?, ?, 'z')")) {
            s.setTimestamp(1, Timestamp.from(clock.instant()));
            s.setTimestamp(2, Timestamp.from(clock.instant().plus(Duration.ofDays(1))));
            s.executeUpdate();
        }

        assertThat(store.get("bad.example")).isEmpty();
        assertThat(store.all()).containsExactly(good);
    }

    @Test
    void put_keepsTheLatestFetch_sameFetchSkipped_extendedExpiryWritten() throws Exception {
        Instant t0 = now();
        CachedPolicy newer = CachedPolicy.of("d.example", "id2", policy("mx2.d.example", Duration.ofDays(1)), t0);
        CachedPolicy older = CachedPolicy.of(
                "d.example", "id1", policy("mx1.d.example", Duration.ofDays(1)), t0.minus(Duration.ofMinutes(5)));
        store.put(newer);
        written();
        store.put(older); // e.g. written late, after an outage
        written();
        assertThat(store.get("d.example")).contains(newer);

        // The same fetch stored again by another node (a shared result) writes nothing.
        try (FleetDatabase other =
                        FleetDatabase.builder(ds).nodeId("b").clock(clock).build();
                JdbcPolicyStore otherStore = JdbcPolicyStore.builder(other).build()) {
            otherStore.put(newer);
            await("b's write", () -> otherStore.pendingWrites() == 0);
        }
        assertThat(PgFixture.count(ds, "SELECT count(*) FROM mtasts_policy WHERE written_by = 'a'"))
                .isEqualTo(1);

        // The same fetch with a later expiry (expiry extended on an unchanged id) replaces it.
        CachedPolicy extended = new CachedPolicy(
                "d.example",
                "id2",
                newer.policy(),
                newer.fetchedAt(),
                newer.expiresAt().plus(Duration.ofHours(3)));
        store.put(extended);
        written();
        assertThat(store.get("d.example")).contains(extended);
    }

    @Test
    void writesWhileUnreachable_latestPerDomainKeptBounded_writtenOnRecovery() throws Exception {
        var switchable = new PgFixture.Switchable(cluster, database, false);
        try (FleetDatabase down = FleetDatabase.builder(switchable)
                        .nodeId("c")
                        .clock(clock)
                        .retryInterval(Duration.ofMillis(20))
                        .build();
                JdbcPolicyStore queued =
                        JdbcPolicyStore.builder(down).maxPendingWrites(2).build()) {
            Instant t = now();
            queued.put(CachedPolicy.of("x.example", "id1", policy("mx.x.example", Duration.ofDays(1)), t));
            queued.put(CachedPolicy.of("y.example", "id1", policy("mx.y.example", Duration.ofDays(1)), t));
            CachedPolicy y2 =
                    CachedPolicy.of("y.example", "id2", policy("mx2.y.example", Duration.ofDays(1)), t.plusSeconds(1));
            queued.put(y2); // replaces y's pending write: still two pending
            assertThat(queued.pendingWrites()).isEqualTo(2);
            assertThat(queued.droppedWrites()).isZero();
            CachedPolicy z = CachedPolicy.of("z.example", "id1", policy("mx.z.example", Duration.ofDays(1)), t);
            queued.put(z); // over the bound: the oldest (x) is dropped and counted
            assertThat(queued.pendingWrites()).isEqualTo(2);
            assertThat(queued.droppedWrites()).isEqualTo(1);
            assertThat(down.health().pendingPolicyWrites()).isEqualTo(2);
            assertThat(down.health().up()).isFalse();
            // Reads answer "not stored" at once while down.
            assertThat(queued.get("y.example")).isEmpty();
            assertThat(queued.getAsync("y.example").toCompletableFuture().get(10, TimeUnit.SECONDS))
                    .as("STS-CACHE-11: an unreadable store is a miss, never a failed stage")
                    .isEmpty();
            assertThat(queued.all()).isEmpty();

            switchable.reachable(true);
            await("the queued writes", () -> queued.pendingWrites() == 0);
            assertThat(down.health().up()).isTrue();
            assertThat(down.health().pendingPolicyWrites()).isZero();
            assertThat(store.all()).containsExactlyInAnyOrder(y2, z);
        }
    }

    @Test
    void getAsync_queuedBehindBusyDatabaseThreads_missAfterTheTimeout_databaseNotCountedDown() throws Exception {
        // STS-CACHE-11, FLEET-DOWN-1, RFC 8461 §10.2: a burst of misses that waits for a database thread longer than
        // the operation timeout is answered "not stored"; it says nothing about the database, which
        // stays up (only work that started and was slow marks it down)
        CachedPolicy a = CachedPolicy.of("a.example", "id1", policy("mx.a.example", Duration.ofDays(1)), now());
        store.put(a);
        written();
        try (FleetDatabase oneThread = FleetDatabase.builder(ds)
                        .nodeId("busy")
                        .clock(clock)
                        .threads(1)
                        .operationTimeout(Duration.ofMillis(300))
                        .build();
                JdbcPolicyStore busy = JdbcPolicyStore.builder(oneThread).build()) {
            CompletableFuture<Boolean> sleeping = oneThread.submit("hold the only thread", c -> {
                try (var s = c.createStatement()) {
                    return s.execute("SELECT pg_sleep(2)");
                }
            });
            assertThat(busy.getAsync("a.example").toCompletableFuture().get(10, TimeUnit.SECONDS))
                    .isEmpty();
            assertThat(oneThread.health().up()).isTrue();

            assertThat(sleeping.get(20, TimeUnit.SECONDS)).isTrue();
            // The skipped read left the database up, and the row is there for a read that gets a thread.
            assertThat(oneThread.health().up()).isTrue();
            assertThat(store.get("a.example")).contains(a);
        }
    }
}
