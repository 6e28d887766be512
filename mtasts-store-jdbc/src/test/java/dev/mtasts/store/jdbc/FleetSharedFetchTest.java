package dev.mtasts.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.core.Mode;
import dev.mtasts.core.resolve.PolicyResult;
import dev.mtasts.core.resolve.PolicySource;
import dev.mtasts.testkit.MtaStsWorld;
import dev.mtasts.testkit.server.PostgresCluster;
import dev.mtasts.testkit.server.TestClock;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two MTAs with their own resolver, FleetDatabase and store on one real PostgreSQL, resolving one
 * loopback world: the fleet fetches a policy once (FLEET-FETCH-1) and a failing policy host once per
 * back-off window (FLEET-FETCH-2).
 */
final class FleetSharedFetchTest {
    private static final String DOMAIN = "fleet.example";

    private final TestClock clock = TestClock.create();
    private PostgresCluster cluster;
    private String database;
    private MtaStsWorld world;
    private FleetNodes.Node a;
    private FleetNodes.Node b;

    @BeforeEach
    void start() {
        cluster = PgFixture.cluster();
        database = cluster.createDatabase("fleet_shared");
        world = MtaStsWorld.builder()
                .domain(DOMAIN, d -> d.mx(10, "mx.fleet.example").policy(Mode.ENFORCE, "mx.fleet.example"))
                .build()
                .start();
        a = FleetNodes.node("a", cluster, database, world, clock, Duration.ofSeconds(2));
        b = FleetNodes.node("b", cluster, database, world, clock, Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        world.close();
    }

    private int fetches() {
        return world.policyHost().requestCount();
    }

    /** Eight lookups of the domain at once, four on each node; their results. */
    private List<PolicyResult> concurrentLookups() throws Exception {
        List<CompletableFuture<PolicyResult>> lookups = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            lookups.add(CompletableFuture.supplyAsync(() -> a.mtaSts().policyFor(DOMAIN)));
            lookups.add(CompletableFuture.supplyAsync(() -> b.mtaSts().policyFor(DOMAIN)));
        }
        List<PolicyResult> results = new ArrayList<>();
        for (CompletableFuture<PolicyResult> lookup : lookups) {
            results.add(lookup.get(20, TimeUnit.SECONDS));
        }
        return results;
    }

    @Test
    void concurrentLookupsOnTwoNodes_oneHttpsFetch_bothApplyThePolicy() throws Exception {
        List<PolicyResult> results = concurrentLookups();

        assertThat(fetches()).isEqualTo(1);
        assertThat(results).allSatisfy(r -> {
            assertThat(r).isInstanceOf(PolicyResult.PolicyFound.class);
            assertThat(((PolicyResult.PolicyFound) r).mode()).isEqualTo(Mode.ENFORCE);
        });
        // One node fetched, the other took its policy from the database.
        assertThat(a.events().contains("shared " + DOMAIN) ^ b.events().contains("shared " + DOMAIN))
                .as("exactly one node took the other's policy: a %s, b %s", a.events(), b.events())
                .isTrue();
        // The policy is in the shared store for any node that starts later.
        JdbcPolicyStoreTest.await(
                "the writes", () -> a.store().pendingWrites() == 0 && b.store().pendingWrites() == 0);
        assertThat(a.store().get(DOMAIN)).isPresent();
    }

    @Test
    void policyAnotherNodeStored_readOnAMissWithoutBlockingTheAskingThread() throws Exception {
        // STS-CACHE-11, FLEET-PF-1, RFC 8461 §10.2: a miss reads the shared store on the database's threads, so the
        // caller (a daemon's event loop) gets its future back while the database is still answering.
        // Node c starts before the policy is stored, so only a read on the miss can find it.
        try (FleetNodes.Node c = FleetNodes.node("c", cluster, database, world, clock, Duration.ofMinutes(5));
                Connection locker = PgFixture.simple(cluster, database).getConnection()) {
            assertThat(a.mtaSts().policyFor(DOMAIN)).isInstanceOf(PolicyResult.PolicyFound.class);
            JdbcPolicyStoreTest.await("the writes", () -> a.store().pendingWrites() == 0);

            locker.setAutoCommit(false);
            try (Statement lock = locker.createStatement()) {
                lock.execute("LOCK TABLE mtasts_policy IN ACCESS EXCLUSIVE MODE");
            }
            CompletableFuture<CompletableFuture<PolicyResult>> asking = CompletableFuture.supplyAsync(
                    () -> c.mtaSts().policyForAsync(DOMAIN).toCompletableFuture());
            // The table stays locked until the commit below: a thread waiting for it would never return.
            CompletableFuture<PolicyResult> lookup = asking.get(20, TimeUnit.SECONDS);
            assertThat(lookup).as("answered while the policy table is locked").isNotDone();
            locker.commit();

            PolicyResult result = lookup.get(20, TimeUnit.SECONDS);
            assertThat(result).isInstanceOf(PolicyResult.PolicyFound.class);
            assertThat(((PolicyResult.PolicyFound) result).source()).isEqualTo(PolicySource.CACHED);
        }
        assertThat(fetches())
                .as("node c took the stored policy, no fetch of its own")
                .isEqualTo(1);
    }

    @Test
    void failingPolicyHost_oneFetchPerBackoffWindowAcrossTheFleet() throws Exception {
        world.removePolicy(DOMAIN); // the policy host answers 404

        List<PolicyResult> first = concurrentLookups();
        assertThat(first).allSatisfy(r -> assertThat(r).isNotInstanceOf(PolicyResult.PolicyFound.class));
        assertThat(fetches()).isEqualTo(1);

        // Within the window (and past the TXT check interval): still no fetch on either node.
        clock.advance(Duration.ofMinutes(2));
        concurrentLookups();
        assertThat(fetches()).isEqualTo(1);
        assertThat(a.events().contains("held back " + DOMAIN) || b.events().contains("held back " + DOMAIN))
                .as("a node was held back by the other's failure: a %s, b %s", a.events(), b.events())
                .isTrue();

        // After the 5 minute window: one new fetch for the whole fleet.
        clock.advance(Duration.ofMinutes(3).plusSeconds(5));
        concurrentLookups();
        assertThat(fetches()).isEqualTo(2);
        clock.advance(Duration.ofMinutes(1));
        concurrentLookups();
        assertThat(fetches()).isEqualTo(2);
    }
}
