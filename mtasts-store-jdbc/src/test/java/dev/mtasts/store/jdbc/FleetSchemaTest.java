package dev.mtasts.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtasts.testkit.server.PostgresCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * FLEET-SCHEMA-1: versioned migrations, idempotent and safe from several nodes at once; FLEET-DOWN-4: a
 * node starts without its database.
 */
final class FleetSchemaTest {
    private PostgresCluster cluster;

    @BeforeEach
    void cluster() {
        cluster = PgFixture.cluster();
    }

    @Test
    void migrate_twice_sameVersionAndNoError() throws Exception {
        var ds = PgFixture.simple(cluster, cluster.createDatabase("schema_twice"));
        assertThat(FleetSchema.currentVersion(ds)).isZero();

        assertThat(FleetSchema.migrate(ds)).isEqualTo(FleetSchema.LATEST);
        assertThat(FleetSchema.migrate(ds)).isEqualTo(FleetSchema.LATEST);

        assertThat(FleetSchema.currentVersion(ds)).isEqualTo(FleetSchema.LATEST);
        assertThat(PgFixture.count(ds, "SELECT count(*) FROM mtasts_schema_version"))
                .isEqualTo(FleetSchema.LATEST);
        assertThat(PgFixture.count(ds, "SELECT count(*) FROM mtasts_policy")).isZero();
    }

    @Test
    void migrate_fourNodesAtOnceOnAFreshDatabase_allSucceedAndOneSetOfRows() throws Exception {
        var ds = PgFixture.simple(cluster, cluster.createDatabase("schema_race"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Callable<Integer> migrate = () -> {
                    go.await();
                    return FleetSchema.migrate(ds);
                };
                results.add(pool.submit(migrate));
            }
            go.countDown();
            for (Future<Integer> result : results) {
                assertThat(result.get()).isEqualTo(FleetSchema.LATEST);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(PgFixture.count(ds, "SELECT count(*) FROM mtasts_schema_version"))
                .isEqualTo(FleetSchema.LATEST);
        assertThat(PgFixture.count(ds, "SELECT count(DISTINCT version) FROM mtasts_schema_version"))
                .isEqualTo(FleetSchema.LATEST);
    }

    @Test
    void migrate_databaseWithANewerSchema_throwsSchemaExceptionNamingTheVersion() throws Exception {
        var ds = PgFixture.simple(cluster, cluster.createDatabase("schema_newer"));
        FleetSchema.migrate(ds);
        int newer = FleetSchema.LATEST + 1;
        PgFixture.execute(
                ds, "INSERT INTO mtasts_schema_version (version, script) VALUES (" + newer + ", 'V99__future.sql')");

        assertThatThrownBy(() -> FleetSchema.migrate(ds))
                .isInstanceOf(FleetSchema.SchemaException.class)
                .hasMessageContaining("version " + newer)
                .hasMessageContaining("only up to " + FleetSchema.LATEST);
        // Building a node on it fails too: the database answers, its schema is not ours.
        assertThatThrownBy(() -> FleetDatabase.builder(ds).nodeId("a").build())
                .isInstanceOf(FleetSchema.SchemaException.class)
                .hasMessageContaining("version " + newer);
    }

    @Test
    void build_databaseAnswersButRefusesTheMigration_throwsAtBuild() throws Exception {
        var ds = PgFixture.simple(cluster, cluster.createDatabase("schema_broken"));
        // A table in the way of V1: the script fails with a statement error, not a connection error.
        PgFixture.execute(ds, "CREATE TABLE mtasts_policy (x int)");

        assertThatThrownBy(() -> FleetDatabase.builder(ds).nodeId("a").build())
                .isInstanceOf(FleetSchema.SchemaException.class)
                .hasMessageContaining("V1__policies.sql");
        assertThat(FleetSchema.currentVersion(ds)).isZero();
    }

    @Test
    void build_databaseUnreachable_startsDownAndMigratesAtTheFirstProbe() throws Exception {
        var ds = new PgFixture.Switchable(cluster, cluster.createDatabase("schema_late"), false);
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        FleetListener listener = new FleetListener() {
            @Override
            public void databaseDown(String operation, Throwable cause) {
                events.add("down " + operation);
            }

            @Override
            public void databaseUp(long downMillis) {
                events.add("up");
            }
        };
        try (FleetDatabase db = FleetDatabase.builder(ds)
                .nodeId("late")
                .listener(listener)
                .retryInterval(java.time.Duration.ZERO)
                // What is tested is the migration at the first probe, not its speed on a busy machine.
                .operationTimeout(java.time.Duration.ofSeconds(10))
                .build()) {
            assertThat(db.health().up()).isFalse();
            assertThat(db.health().downSince()).isPresent();
            assertThat(db.schemaVersion()).isZero();
            assertThat(events).containsExactly("down schema migration");
            // Operations before the schema exists fail as unavailable, never with a raw error.
            assertThatThrownBy(() -> db.call("probe", c -> 1)).isInstanceOf(FleetDatabase.Unavailable.class);

            ds.reachable(true);
            long policies = db.call("count policies", c -> {
                try (var s = c.createStatement();
                        var r = s.executeQuery("SELECT count(*) FROM mtasts_policy")) {
                    r.next();
                    return r.getLong(1);
                }
            });
            assertThat(policies).isZero();
            assertThat(db.schemaVersion()).isEqualTo(FleetSchema.LATEST);
            assertThat(db.health().up()).isTrue();
            assertThat(events).containsExactly("down schema migration", "up");
        }
    }
}
