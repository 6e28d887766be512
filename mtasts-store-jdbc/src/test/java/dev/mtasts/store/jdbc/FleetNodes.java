package dev.mtasts.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.core.resolve.MtaSts;
import dev.mtasts.testkit.MtaStsWorld;
import dev.mtasts.testkit.server.PostgresCluster;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One MTA of a fleet in a test: its own pool, {@link FleetDatabase} and {@link JdbcPolicyStore} on
 * the shared database, and an {@link MtaSts} resolving in the loopback world.
 */
final class FleetNodes {
    private FleetNodes() {}

    /** A node and what its listener heard. */
    record Node(HikariDataSource pool, FleetDatabase db, JdbcPolicyStore store, MtaSts mtaSts, List<String> events)
            implements AutoCloseable {
        @Override
        public void close() {
            // The order a daemon closes in: the resolver, the store, the database, the pool.
            mtaSts.close();
            store.close();
            db.close();
            pool.close();
        }
    }

    static Node node(
            String name, PostgresCluster cluster, String database, MtaStsWorld world, Clock clock, Duration opTimeout) {
        List<String> events = new CopyOnWriteArrayList<>();
        FleetListener listener = new FleetListener() {
            @Override
            public void databaseDown(String operation, Throwable cause) {
                events.add("down");
            }

            @Override
            public void databaseUp(long downMillis) {
                events.add("up");
            }

            @Override
            public void fetchShared(String domain, String id) {
                events.add("shared " + domain);
            }

            @Override
            public void fetchHeldBack(String domain, String id) {
                events.add("held back " + domain);
            }
        };
        HikariDataSource pool = PgFixture.pool(cluster, database);
        FleetDatabase db = FleetDatabase.builder(pool)
                .nodeId(name)
                .clock(clock)
                .listener(listener)
                .operationTimeout(opTimeout)
                .retryInterval(Duration.ofMillis(200))
                .build();
        JdbcPolicyStore store = JdbcPolicyStore.builder(db)
                .fetchLease(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .build();
        DnsResolver dns = DnsResolver.dnsjava(world.dnsAddress(), Duration.ofSeconds(2));
        MtaSts mtaSts = MtaSts.builder()
                .clock(clock)
                .dns(dns)
                .store(store)
                .fetcher(world.policyFetcher(dns).build())
                .build();
        return new Node(pool, db, store, mtaSts, events);
    }
}
