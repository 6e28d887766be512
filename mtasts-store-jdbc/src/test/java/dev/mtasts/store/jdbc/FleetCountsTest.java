package dev.mtasts.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mtasts.testkit.server.PostgresCluster;
import dev.mtasts.testkit.server.TestClock;
import dev.mtasts.tlsrpt.TlsRptRecorder;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TLSRPT counts of several nodes flushed into one real PostgreSQL database (FLEET-COUNT-1, FLEET-DOWN-2). */
final class FleetCountsTest {

    @BeforeAll
    static void database() {
        assumeTrue(PostgresCluster.shared().isPresent(), "PostgreSQL is not installed");
    }

    @Test
    void concurrentNodesAndThreads_totalsExact() throws Exception {
        // FLEET-COUNT-1: 4 nodes, 2 recording threads each, flushing every 10 ms into shared rows.
        DataSource ds = CountsFixture.dataSource(
                CountsFixture.newDatabase(PostgresCluster.shared().orElseThrow(), "fleet_concurrent"));
        int nodes = 4;
        int threadsPerNode = 2;
        int perThread = 50_000;
        List<FleetDatabase> dbs = new ArrayList<>();
        List<FleetRecorder> fleets = new ArrayList<>();
        List<TlsRptRecorder> recorders = new ArrayList<>();
        for (int n = 0; n < nodes; n++) {
            FleetDatabase db = FleetDatabase.builder(ds).nodeId("node-" + n).build();
            TlsRptRecorder r = TlsRptRecorder.builder().build();
            dbs.add(db);
            recorders.add(r);
            fleets.add(FleetRecorder.builder(db, r)
                    .flushInterval(Duration.ofMillis(10))
                    .build());
        }
        Map<String, Long> expected = new TreeMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(nodes * threadsPerNode);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int n = 0; n < nodes; n++) {
                for (int t = 0; t < threadsPerNode; t++) {
                    TlsRptRecorder r = recorders.get(n);
                    long from = (long) (n * threadsPerNode + t) * perThread;
                    CountsFixture.add(expected, CountsFixture.expected(from, from + perThread));
                    done.add(pool.submit(() -> {
                        for (long i = from; i < from + perThread; i++) {
                            CountsFixture.record(r, i);
                        }
                    }));
                }
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        fleets.forEach(FleetRecorder::close);
        dbs.forEach(FleetDatabase::close);

        assertThat(CountsFixture.totals(ds)).isEqualTo(expected);
        assertThat(CountsFixture.sessions(expected)).isEqualTo((long) nodes * threadsPerNode * perThread);
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(DISTINCT node), count(*) FROM mtasts_tlsrpt_flush")) {
            r.next();
            assertThat(r.getInt(1)).isEqualTo(nodes);
            assertThat(r.getInt(2)).as("batches").isGreaterThan(nodes);
        }
    }

    @Test
    void commitAcknowledgmentLost_batchRetried_countedOnce() throws Exception {
        // FLEET-COUNT-1: the commit reached the database but the node saw a broken connection; the
        // retry of the same batch is found in the flush log and skipped, later counts still go in.
        DataSource real = CountsFixture.dataSource(
                CountsFixture.newDatabase(PostgresCluster.shared().orElseThrow(), "fleet_ack"));
        FlakyDataSource flaky = new FlakyDataSource(real);
        RecordingListener listener = new RecordingListener();
        try (FleetDatabase db = FleetDatabase.builder(flaky.dataSource)
                .nodeId("ack")
                .listener(listener)
                .retryInterval(Duration.ZERO)
                .build()) {
            TlsRptRecorder r = TlsRptRecorder.builder().build();
            try (FleetRecorder fleet = FleetRecorder.builder(db, r)
                    .flushInterval(Duration.ofHours(1))
                    .build()) {
                for (long i = 0; i < 100; i++) {
                    CountsFixture.record(r, i);
                }
                flaky.loseNextCommitAck.set(true);
                assertThat(fleet.flush())
                        .as("flush whose acknowledgment was lost")
                        .isFalse();
                assertThat(CountsFixture.totals(real)).isEqualTo(CountsFixture.expected(0, 100));
                assertThat(db.health().bufferedRows()).isPositive();

                for (long i = 100; i < 150; i++) {
                    CountsFixture.record(r, i);
                }
                assertThat(fleet.flush()).isTrue();
                assertThat(db.health().bufferedRows()).isZero();
            }
        }
        assertThat(CountsFixture.totals(real)).isEqualTo(CountsFixture.expected(0, 150));
        assertThat(listener.flushedSessions.get())
                .as("sessions of batches applied by their own commit")
                .isEqualTo(50);
    }

    @Test
    void databaseDown_tinyBuffer_droppedCountsExactlyWhatDidNotFit() throws Exception {
        // FLEET-DOWN-2: one row of room; policy A's totals take it, so B's sessions are dropped and
        // counted, while more of A still merge into the row they share.
        DataSource real = CountsFixture.dataSource(
                CountsFixture.newDatabase(PostgresCluster.shared().orElseThrow(), "fleet_drop"));
        FlakyDataSource flaky = new FlakyDataSource(real);
        RecordingListener listener = new RecordingListener();
        TestClock clock = TestClock.at(Instant.parse("2026-03-01T12:00:00Z"));
        try (FleetDatabase db = FleetDatabase.builder(flaky.dataSource)
                .nodeId("drop")
                .listener(listener)
                .retryInterval(Duration.ZERO)
                .build()) {
            TlsRptRecorder r = TlsRptRecorder.builder().clock(clock).build();
            try (FleetRecorder fleet = FleetRecorder.builder(db, r)
                    .flushInterval(Duration.ofHours(1))
                    .maxBufferedRows(1)
                    .build()) {
                flaky.down.set(true);
                recordSuccesses(r, CountsFixture.A, 3);
                assertThat(fleet.flush()).isFalse();
                recordSuccesses(r, CountsFixture.B, 5);
                assertThat(fleet.flush()).isFalse();
                recordSuccesses(r, CountsFixture.A, 2);
                assertThat(fleet.flush()).isFalse();

                assertThat(db.health().up()).isFalse();
                assertThat(db.health().droppedSessions()).isEqualTo(5);
                assertThat(db.health().bufferedRows()).isEqualTo(1);
                assertThat(listener.droppedSessions.get()).isEqualTo(5);

                flaky.down.set(false);
                assertThat(fleet.flush()).isTrue();
                assertThat(db.health().up()).isTrue();
                assertThat(db.health().bufferedRows()).isZero();
            }
        }
        assertThat(CountsFixture.totals(real)).isEqualTo(Map.of("a.example successful", 5L));
        assertThat(listener.events).containsSubsequence("down", "up");
    }

    @Test
    void serverStopsAnswering_closeReturnsAfterTheAnswerTimeout_evenWithoutASocketTimeout() throws Exception {
        // FLEET-DOWN-2: a flush waits for each answer at most answerTimeout, whatever the data source
        // says; here the data source has no socket timeout and the count table is locked, so the
        // server never answers the flush until the lock is released.
        String url = CountsFixture.newDatabase(PostgresCluster.shared().orElseThrow(), "fleet_hang");
        org.postgresql.ds.PGSimpleDataSource noTimeout = new org.postgresql.ds.PGSimpleDataSource();
        noTimeout.setUrl(url);
        RecordingListener listener = new RecordingListener();
        try (FleetDatabase db = FleetDatabase.builder(noTimeout)
                        .nodeId("hang")
                        .listener(listener)
                        .build();
                Connection locker = noTimeout.getConnection()) {
            TlsRptRecorder r = TlsRptRecorder.builder().build();
            FleetRecorder fleet = FleetRecorder.builder(db, r)
                    .flushInterval(Duration.ofHours(1))
                    .answerTimeout(Duration.ofSeconds(1))
                    .build();
            recordSuccesses(r, CountsFixture.A, 3);
            locker.setAutoCommit(false);
            try (Statement lock = locker.createStatement()) {
                lock.execute("LOCK TABLE mtasts_tlsrpt_count IN ACCESS EXCLUSIVE MODE");
            }

            // The lock is held until after this wait: a close waiting for the server would never end.
            CompletableFuture<Void> closing = CompletableFuture.runAsync(fleet::close);
            closing.get(20, TimeUnit.SECONDS);

            assertThat(listener.events).contains("down");
            locker.rollback();
        }
        assertThat(CountsFixture.totals(noTimeout))
                .as("the flush never committed")
                .isEmpty();
    }

    @Test
    void builder_refusesAnAnswerTimeoutThatCannotEnd() throws Exception {
        // FLEET-DOWN-2: a flush must be able to give up on a server that stopped answering
        DataSource ds = CountsFixture.dataSource(
                CountsFixture.newDatabase(PostgresCluster.shared().orElseThrow(), "fleet_builder"));
        try (FleetDatabase db = FleetDatabase.builder(ds).nodeId("b").build()) {
            FleetRecorder.Builder b =
                    FleetRecorder.builder(db, TlsRptRecorder.builder().build());
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> b.answerTimeout(Duration.ZERO))
                    .withMessage("answerTimeout must be positive but was PT0S");
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> b.answerTimeout(Duration.ofSeconds(-1)))
                    .withMessage("answerTimeout must be positive but was PT-1S");
            assertThat(b.answerTimeout(Duration.ofSeconds(1))).isSameAs(b);
        }
    }

    private static void recordSuccesses(TlsRptRecorder r, dev.mtasts.tlsrpt.AppliedPolicy p, int n) {
        for (int i = 0; i < n; i++) {
            r.recordSuccess(p);
        }
    }
}
