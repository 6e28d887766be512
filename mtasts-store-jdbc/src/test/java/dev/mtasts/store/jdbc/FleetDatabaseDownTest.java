package dev.mtasts.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.core.Mode;
import dev.mtasts.core.resolve.PolicyResult;
import dev.mtasts.testkit.MtaStsWorld;
import dev.mtasts.testkit.server.PostgresCluster;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * FLEET-DOWN-1 and FLEET-DOWN-3 with the real server stopped and restarted: mail keeps being answered, within a
 * bound, and what was written meanwhile lands when the database is back. These tests stop the
 * JVM's shared PostgreSQL, so they run alone ({@link Isolated}) and always start it again.
 */
@Isolated("stops and starts the shared PostgreSQL server")
final class FleetDatabaseDownTest {
    private static final Duration OPERATION_TIMEOUT = Duration.ofMillis(250);
    /** How long a lookup may take with the database gone: a few database steps and a real fetch. */
    private static final long LOOKUP_BOUND_MILLIS = 5_000;

    private PostgresCluster cluster;
    private String database;
    private MtaStsWorld world;
    private FleetNodes.Node node;

    @BeforeEach
    void start() {
        cluster = PgFixture.cluster();
        database = cluster.createDatabase("fleet_down");
        world = MtaStsWorld.builder()
                .domain("one.example", d -> d.mx(10, "mx.one.example").policy(Mode.ENFORCE))
                .domain("two.example", d -> d.mx(10, "mx.two.example").policy(Mode.ENFORCE))
                .domain("three.example", d -> d.mx(10, "mx.three.example").policy(Mode.TESTING))
                .build()
                .start();
        node = FleetNodes.node("a", cluster, database, world, Clock.systemUTC(), OPERATION_TIMEOUT);
    }

    @AfterEach
    void stop() {
        node.close();
        world.close();
    }

    private long rows(String domain) throws Exception {
        return PgFixture.count(
                PgFixture.simple(cluster, database),
                "SELECT count(*) FROM mtasts_policy WHERE domain = '" + domain + "'");
    }

    @Test
    void databaseStopped_lookupsStillAnswered_writesQueued_andWrittenWhenItIsBack() throws Exception {
        assertThat(node.mtaSts().policyFor("one.example")).isInstanceOf(PolicyResult.PolicyFound.class);
        JdbcPolicyStoreTest.await("the first write", () -> node.store().pendingWrites() == 0);
        assertThat(node.db().health().up()).isTrue();

        cluster.stop();
        try {
            long start = System.nanoTime();
            PolicyResult two = node.mtaSts().policyFor("two.example");
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(two).isInstanceOf(PolicyResult.PolicyFound.class);
            assertThat(tookMillis).isLessThan(LOOKUP_BOUND_MILLIS);
            // Already known: answered from memory, the database is not asked.
            assertThat(node.mtaSts().policyFor("one.example")).isInstanceOf(PolicyResult.PolicyFound.class);

            // A database call waits about the operation timeout at most, however often it is tried.
            for (int i = 0; i < 5; i++) {
                long callStart = System.nanoTime();
                assertThat(node.store().get("one.example")).isEmpty();
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - callStart))
                        .isLessThan(OPERATION_TIMEOUT.toMillis() + 500);
                Thread.sleep(100);
            }

            FleetHealth down = node.db().health();
            assertThat(down.up()).isFalse();
            assertThat(down.downSince()).isPresent();
            assertThat(down.pendingPolicyWrites()).isGreaterThanOrEqualTo(1);
            assertThat(node.store().pendingWrites()).isGreaterThanOrEqualTo(1);
            assertThat(node.events()).contains("down");
        } finally {
            PgFixture.ensureStarted(cluster);
        }

        JdbcPolicyStoreTest.await("the queued writes", () -> node.store().pendingWrites() == 0);
        assertThat(rows("two.example")).isEqualTo(1);
        assertThat(node.db().health().up()).isTrue();
        assertThat(node.db().health().pendingPolicyWrites()).isZero();
        assertThat(node.events()).containsSubsequence("down", "up");
        assertThat(node.store().droppedWrites()).isZero();
    }

    @Test
    void databaseRestartedMidRun_lookupsFromSeveralThreads_noneBlockedBeyondABound_noneFails() throws Exception {
        List<String> domains = world.domains();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        List<Future<Long>> workers = new ArrayList<>();
        try {
            for (int t = 0; t < 4; t++) {
                String domain = domains.get(t % domains.size());
                boolean forced = t % 2 == 0;
                workers.add(threads.submit(() -> {
                    long slowest = 0;
                    int lookups = 0;
                    while (running.get() || lookups < 3) {
                        long start = System.nanoTime();
                        // Forced lookups reach the database every time (turn, put); the others mostly
                        // memory. Either must answer with the policy: the world serves it throughout.
                        PolicyResult result = forced
                                ? node.mtaSts().refresh(domain)
                                : node.mtaSts().policyFor(domain);
                        node.store().get(domain); // a read on the mail path, whatever it answers
                        slowest = Math.max(slowest, System.nanoTime() - start);
                        if (!(result instanceof PolicyResult.PolicyFound)) {
                            throw new AssertionError(domain + ": " + result);
                        }
                        lookups++;
                    }
                    return TimeUnit.NANOSECONDS.toMillis(slowest);
                }));
            }
            Thread.sleep(500);
            cluster.restart();
            Thread.sleep(1500);
        } finally {
            running.set(false);
            try {
                for (Future<Long> worker : workers) {
                    assertThat(worker.get(30, TimeUnit.SECONDS)).isLessThan(LOOKUP_BOUND_MILLIS);
                }
            } finally {
                threads.shutdownNow();
                PgFixture.ensureStarted(cluster);
            }
        }
        JdbcPolicyStoreTest.await("the queued writes", () -> node.store().pendingWrites() == 0);
        for (String domain : domains) {
            assertThat(rows(domain)).isEqualTo(1);
        }
        assertThat(node.db().health().up()).isTrue();
        // The restart was seen (the lookups really met a dead database) and got over.
        assertThat(node.events()).containsSubsequence("down", "up");
    }
}
