package dev.mtasts.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mtasts.testkit.server.PostgresCluster;
import dev.mtasts.tlsrpt.TlsRptRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The fleet's PostgreSQL server really stopped and started again while nodes record and flush
 * (FLEET-DOWN-2): recording goes on without it, the counts wait in the buffer and reach the
 * database exactly once after it is back. Restores the shared server in any case.
 */
final class FleetOutageTest {
    @Test
    void serverStoppedAndStartedWhileRecording_nothingBlocks_totalsExactAfterRecovery() throws Exception {
        assumeTrue(PostgresCluster.shared().isPresent(), "PostgreSQL is not installed");
        PostgresCluster cluster = PostgresCluster.shared().orElseThrow();
        DataSource ds = CountsFixture.dataSource(CountsFixture.newDatabase(cluster, "fleet_outage"));
        int nodes = 2;
        int perPhase = 20_000;
        List<FleetDatabase> dbs = new ArrayList<>();
        List<TlsRptRecorder> recorders = new ArrayList<>();
        List<FleetRecorder> fleets = new ArrayList<>();
        RecordingListener listener = new RecordingListener();
        for (int n = 0; n < nodes; n++) {
            FleetDatabase db = FleetDatabase.builder(ds)
                    .nodeId("outage-" + n)
                    .listener(listener)
                    .retryInterval(Duration.ofMillis(50))
                    .build();
            TlsRptRecorder r = TlsRptRecorder.builder().build();
            dbs.add(db);
            recorders.add(r);
            fleets.add(FleetRecorder.builder(db, r)
                    .flushInterval(Duration.ofMillis(20))
                    .build());
        }
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        Map<String, Long> expected = new TreeMap<>();
        boolean stopped = false;
        try {
            record(pool, recorders, 0, perPhase, expected);
            Thread.sleep(200); // a few flushes with the server up
            cluster.stop();
            stopped = true;
            // Recording while the server is down: it must finish without it.
            record(pool, recorders, perPhase, 2 * perPhase, expected);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (dbs.stream().anyMatch(db -> db.health().up()) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(dbs).allSatisfy(db -> assertThat(db.health().up()).isFalse());
            assertThat(dbs)
                    .anySatisfy(db -> assertThat(db.health().bufferedRows()).isPositive());
        } finally {
            pool.shutdown();
            if (stopped) {
                cluster.start();
            }
        }
        record(Executors.newSingleThreadExecutor(), recorders, 2 * perPhase, 3 * perPhase, expected);
        fleets.forEach(FleetRecorder::close);
        assertThat(dbs).allSatisfy(db -> {
            assertThat(db.health().up()).isTrue();
            assertThat(db.health().bufferedRows()).isZero();
            assertThat(db.health().droppedSessions()).isZero();
        });
        dbs.forEach(FleetDatabase::close);
        assertThat(CountsFixture.totals(ds)).isEqualTo(expected);
        assertThat(listener.events).contains("down", "up");
    }

    /** Records sessions from..to on every node, one thread per node, and waits for them. */
    private static void record(
            ExecutorService pool, List<TlsRptRecorder> recorders, long from, long to, Map<String, Long> expected)
            throws Exception {
        List<Future<?>> done = new ArrayList<>();
        for (TlsRptRecorder r : recorders) {
            CountsFixture.add(expected, CountsFixture.expected(from, to));
            done.add(pool.submit(() -> {
                for (long i = from; i < to; i++) {
                    CountsFixture.record(r, i);
                }
            }));
        }
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
    }
}
