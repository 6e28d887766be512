package dev.mtasts.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mtasts.testkit.server.PostgresCluster;
import dev.mtasts.tlsrpt.DeliveryResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fleet nodes as separate JVMs on one real PostgreSQL: counts add up exactly (FLEET-COUNT-2), a
 * killed node loses at most its last flush interval (FLEET-COUNT-3), and a node killed while it
 * holds a report leaves it to another node, which sends the same report once (FLEET-RPT-2).
 */
final class FleetProcessesTest {
    @BeforeAll
    static void postgres() {
        assumeTrue(PostgresCluster.shared().isPresent(), "PostgreSQL is not installed");
    }

    @Test
    void threeNodeProcesses_totalsExact() throws Exception {
        String url = CountsFixture.newDatabase(PostgresCluster.shared().orElseThrow(), "fleet_procs");
        DataSource ds = CountsFixture.dataSource(url);
        try (FleetDatabase schema = FleetDatabase.builder(ds).nodeId("parent").build()) {
            assertThat(schema.schemaVersion()).isEqualTo(FleetSchema.LATEST);
        }
        long perNode = 30_000;
        List<CountsFixture.Child> children = new ArrayList<>();
        try {
            for (int n = 1; n <= 3; n++) {
                children.add(CountsFixture.start("count", url, "proc-" + n, Long.toString(perNode)));
            }
            for (CountsFixture.Child child : children) {
                assertThat(child.await("done")).isEqualTo("done");
            }
        } finally {
            for (CountsFixture.Child child : children) {
                child.close();
            }
        }
        Map<String, Long> expected = new TreeMap<>();
        for (int n = 0; n < 3; n++) {
            CountsFixture.add(expected, CountsFixture.expected(0, perNode));
        }
        assertThat(CountsFixture.totals(ds)).isEqualTo(expected);
    }

    @Test
    void nodeKilledAfterFlushes_losesAtMostItsLastInterval() throws Exception {
        String url = CountsFixture.newDatabase(PostgresCluster.shared().orElseThrow(), "fleet_crash");
        DataSource ds = CountsFixture.dataSource(url);
        long flushedThrough;
        try (CountsFixture.Child child = CountsFixture.start("crash", url, "crasher")) {
            String line = "";
            for (int i = 0; i < 5; i++) {
                line = child.await("flushed ");
            }
            child.kill();
            flushedThrough = Long.parseLong(line.substring("flushed ".length()));
        }
        // Everything recorded before the last flush it reported is in; at most the one interval
        // after it (1000 sessions, flushed or not when the kill came) is missing.
        Map<String, Long> totals = CountsFixture.totals(ds);
        assertThat(flushedThrough).isGreaterThanOrEqualTo(5000);
        assertThat(totals)
                .isIn(CountsFixture.expected(0, flushedThrough), CountsFixture.expected(0, flushedThrough + 1000));
    }

    @Test
    void nodeKilledWhileHoldingTheReport_nextNodeSendsTheSameReportOnce() throws Exception {
        String url = CountsFixture.newDatabase(PostgresCluster.shared().orElseThrow(), "fleet_takeover");
        DataSource ds = CountsFixture.dataSource(url);
        FleetReportsTest fixture = new FleetReportsTest();
        fixture.start();
        try {
            // Only a.example has counts, so the child builds exactly one report and pauses.
            try (FleetDatabase db = FleetDatabase.builder(ds).nodeId("seed").build()) {
                dev.mtasts.tlsrpt.TlsRptRecorder r = dev.mtasts.tlsrpt.TlsRptRecorder.builder()
                        .clock(dev.mtasts.testkit.server.TestClock.at(
                                FleetReportsTest.yesterday().atTime(12, 0).toInstant(java.time.ZoneOffset.UTC)))
                        .build();
                try (FleetRecorder fleet = FleetRecorder.builder(db, r)
                        .flushInterval(java.time.Duration.ofHours(1))
                        .build()) {
                    for (int i = 0; i < 7; i++) {
                        r.recordSuccess(CountsFixture.A);
                    }
                    r.recordFailure(CountsFixture.A, CountsFixture.DETAILS.get(0));
                    assertThat(fleet.flush()).isTrue();
                }
            }
            String announced;
            try (CountsFixture.Child child = CountsFixture.start("report", url, "doomed", fixture.record())) {
                announced = child.await("building ").substring("building ".length());
                child.kill();
            }
            assertThat(fixture.collectorRequests()).isZero();
            FleetReportsTest.Stored built = FleetReportsTest.stored(ds, "a.example");
            assertThat(built.state()).isEqualTo("built");
            assertThat(built.reportId()).isEqualTo(announced);

            AtomicInteger lookups = new AtomicInteger();
            RecordingListener listener = new RecordingListener();
            try (FleetDatabase db = FleetDatabase.builder(ds)
                            .nodeId("survivor")
                            .listener(listener)
                            .build();
                    FleetReports reports = fixture.reports(db, name -> {
                        lookups.incrementAndGet();
                        return List.of(fixture.record());
                    })) {
                List<FleetReport> done = new ArrayList<>();
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (done.isEmpty() && System.nanoTime() < deadline) {
                    // The child's 2 s lease has to run out first; until then the report is not ours.
                    done.addAll(FleetReportsTest.join(reports.runDue()));
                    Thread.sleep(200);
                }
                assertThat(done).singleElement().satisfies(rep -> {
                    assertThat(rep.takeover()).isTrue();
                    assertThat(rep.reportId()).isEqualTo(announced);
                    assertThat(rep.result()).isInstanceOf(DeliveryResult.Delivered.class);
                });
                assertThat(reports.runDue()).isEmpty();
            }
            assertThat(lookups.get())
                    .as("the record is read once, by the first claimant")
                    .isZero();
            assertThat(fixture.collectorBodies())
                    .singleElement()
                    .satisfies(body -> assertThat(FleetReportsTest.gunzip(body)).isEqualTo(built.json()));
            FleetReportsTest.Stored finished = FleetReportsTest.stored(ds, "a.example");
            assertThat(finished.state()).isEqualTo("finished");
            assertThat(finished.claims()).isEqualTo(2);
            assertThat(listener.events).contains("claimed a.example " + FleetReportsTest.yesterday() + " takeover");
        } finally {
            fixture.stop();
        }
    }
}
