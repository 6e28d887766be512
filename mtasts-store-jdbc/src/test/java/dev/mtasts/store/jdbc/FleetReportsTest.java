package dev.mtasts.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mtasts.core.time.Scheduler;
import dev.mtasts.testkit.server.FakePolicyHost;
import dev.mtasts.testkit.server.PolicyResponse;
import dev.mtasts.testkit.server.PostgresCluster;
import dev.mtasts.testkit.server.RecordedRequest;
import dev.mtasts.testkit.server.TestClock;
import dev.mtasts.tlsrpt.DailyReportAssembler;
import dev.mtasts.tlsrpt.DeliveryResult;
import dev.mtasts.tlsrpt.TlsRptDeliverer;
import dev.mtasts.tlsrpt.TlsRptRecorder;
import dev.mtasts.tlsrpt.TxtLookup;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One TLSRPT report per domain and day across the fleet, on a real PostgreSQL (FLEET-RPT-1). */
final class FleetReportsTest {
    static final DailyReportAssembler ASSEMBLER = DailyReportAssembler.builder()
            .organizationName("mtasts fleet test")
            .contactInfo("tlsrpt@sender.example")
            .build();
    static final String COLLECTOR = "collector.example";

    private FakePolicyHost collector;
    private ExecutorService scheduler;

    @BeforeEach
    void start() {
        assumeTrue(PostgresCluster.shared().isPresent(), "PostgreSQL is not installed");
        collector = new FakePolicyHost().addHost(COLLECTOR).start();
        collector.dispatcher(request -> PolicyResponse.status(200));
        scheduler = Executors.newScheduledThreadPool(2);
    }

    @AfterEach
    void stop() {
        if (collector != null) {
            collector.close();
            scheduler.shutdownNow();
        }
    }

    int collectorRequests() {
        return collector.requests().size();
    }

    List<byte[]> collectorBodies() {
        List<byte[]> out = new ArrayList<>();
        collector.requests().forEach(r -> out.add(r.body()));
        return out;
    }

    static LocalDate yesterday() {
        return LocalDate.now(ZoneOffset.UTC).minusDays(1);
    }

    /** Flushes sessions 0..n-1 of the pattern, dated yesterday, as node {@code node}. */
    static void flushYesterday(DataSource ds, String node, long n) {
        flushOn(ds, node, yesterday(), n);
    }

    /** Flushes sessions 0..n-1 of the pattern, dated {@code day}, as node {@code node}. */
    static void flushOn(DataSource ds, String node, LocalDate day, long n) {
        TestClock clock = TestClock.at(day.atTime(12, 0).toInstant(ZoneOffset.UTC));
        try (FleetDatabase db = FleetDatabase.builder(ds).nodeId(node).build()) {
            TlsRptRecorder r = TlsRptRecorder.builder().clock(clock).build();
            try (FleetRecorder fleet = FleetRecorder.builder(db, r)
                    .flushInterval(Duration.ofHours(1))
                    .build()) {
                for (long i = 0; i < n; i++) {
                    CountsFixture.record(r, i);
                }
                assertThat(fleet.flush()).isTrue();
            }
        }
    }

    /** The record text pointing at the collector. */
    String record() {
        return "v=TLSRPTv1; rua=https://127.0.0.1:" + collector.port() + "/tlsrpt";
    }

    TlsRptDeliverer deliverer() {
        SSLParameters sni = collector.clientSslContext().getDefaultSSLParameters();
        sni.setServerNames(List.of(new SNIHostName(FakePolicyHost.hostName(COLLECTOR))));
        return TlsRptDeliverer.builder()
                .scheduler(Scheduler.of(Executors.newSingleThreadScheduledExecutor()))
                .sslContext(collector.clientSslContext())
                .sslParameters(sni)
                .maxInitialDelay(Duration.ZERO)
                .totalTimeout(Duration.ofSeconds(20))
                .build();
    }

    FleetReports reports(FleetDatabase db, TxtLookup lookup) {
        return FleetReports.builder(db, ASSEMBLER, deliverer(), lookup)
                .lease(Duration.ofSeconds(2))
                .closeDelay(Duration.ZERO)
                .build();
    }

    static byte[] gunzip(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    /** The stored report row: state, outcome, report id, report JSON, claims. */
    record Stored(String state, String outcome, String reportId, byte[] json, int claims) {}

    static Stored stored(DataSource ds, String domain) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT state, coalesce(outcome, ''), coalesce(report_id, ''),"
                        + " report_json, claims FROM mtasts_tlsrpt_report WHERE policy_domain = ?")) {
            s.setString(1, domain);
            try (ResultSet r = s.executeQuery()) {
                assertThat(r.next()).as("report row of " + domain).isTrue();
                return new Stored(r.getString(1), r.getString(2), r.getString(3), r.getBytes(4), r.getInt(5));
            }
        }
    }

    static List<FleetReport> join(List<CompletableFuture<FleetReport>> futures) throws Exception {
        List<FleetReport> out = new ArrayList<>();
        for (CompletableFuture<FleetReport> f : futures) {
            out.add(f.get(60, TimeUnit.SECONDS));
        }
        return out;
    }

    @Test
    void twoNodesRunDueAtOnce_oneReportPerDomainDelivered() throws Exception {
        DataSource ds = CountsFixture.dataSource(
                CountsFixture.newDatabase(PostgresCluster.shared().orElseThrow(), "fleet_rpt1"));
        flushYesterday(ds, "n1", 1000);
        flushYesterday(ds, "n2", 500);
        AtomicInteger lookups = new AtomicInteger();
        TxtLookup lookup = name -> {
            lookups.incrementAndGet();
            return List.of(record());
        };
        RecordingListener listener = new RecordingListener();
        try (FleetDatabase db1 = FleetDatabase.builder(ds)
                        .nodeId("n1")
                        .listener(listener)
                        .build();
                FleetDatabase db2 = FleetDatabase.builder(ds)
                        .nodeId("n2")
                        .listener(listener)
                        .build();
                FleetReports r1 = reports(db1, lookup);
                FleetReports r2 = reports(db2, lookup)) {
            CyclicBarrier together = new CyclicBarrier(2);
            ExecutorService two = Executors.newFixedThreadPool(2);
            List<FleetReport> done = new ArrayList<>();
            try {
                Future<List<CompletableFuture<FleetReport>>> a = two.submit(() -> {
                    together.await();
                    return r1.runDue();
                });
                Future<List<CompletableFuture<FleetReport>>> b = two.submit(() -> {
                    together.await();
                    return r2.runDue();
                });
                done.addAll(join(a.get()));
                done.addAll(join(b.get()));
            } finally {
                two.shutdown();
            }

            // One report per policy domain (a.example and b.example), each claimed by one node.
            assertThat(done).extracting(FleetReport::policyDomain).containsExactlyInAnyOrder("a.example", "b.example");
            assertThat(done).allSatisfy(rep -> {
                assertThat(rep.result()).isInstanceOf(DeliveryResult.Delivered.class);
                assertThat(rep.takeover()).isFalse();
                assertThat(rep.rua()).isEqualTo(record());
                assertThat(rep.day()).isEqualTo(yesterday());
            });
            assertThat(collector.requests()).hasSize(2);
            assertThat(lookups.get())
                    .as("TXT look-ups: one per report, at its first claim")
                    .isEqualTo(2);
            for (FleetReport rep : done) {
                Stored s = stored(ds, rep.policyDomain());
                assertThat(s.state()).isEqualTo("finished");
                assertThat(s.outcome()).isEqualTo("delivered");
                assertThat(s.reportId()).isEqualTo(rep.reportId());
                assertThat(s.claims()).isEqualTo(1);
                assertThat(collector.requests())
                        .extracting(RecordedRequest::body)
                        .anySatisfy(body -> assertThat(gunzip(body)).isEqualTo(s.json()));
            }
            String aReport = new String(stored(ds, "a.example").json(), java.nio.charset.StandardCharsets.UTF_8);
            // Both nodes' sessions are in the one report: 1000 + 500 sessions of the pattern.
            long successes = CountsFixture.expected(0, 1000).getOrDefault("a.example successful", 0L)
                    + CountsFixture.expected(0, 500).getOrDefault("a.example successful", 0L);
            assertThat(aReport).contains("\"total-successful-session-count\":" + successes);

            // Nothing is due any more, on either node.
            assertThat(r1.runDue()).isEmpty();
            assertThat(r2.runDue()).isEmpty();
            assertThat(collector.requests()).hasSize(2);
        }
    }

    @Test
    void noTlsRptRecord_finishedWithoutDelivery() throws Exception {
        DataSource ds = CountsFixture.dataSource(
                CountsFixture.newDatabase(PostgresCluster.shared().orElseThrow(), "fleet_norec"));
        flushYesterday(ds, "n1", 10);
        try (FleetDatabase db = FleetDatabase.builder(ds).nodeId("n1").build();
                FleetReports r = reports(db, name -> List.of("v=spf1 -all"))) {
            List<FleetReport> done = join(r.runDue());
            assertThat(done).hasSize(2).allSatisfy(rep -> {
                assertThat(rep.result()).isInstanceOf(DeliveryResult.NoEndpoint.class);
                assertThat(rep.rua()).isEmpty();
            });
            assertThat(stored(ds, "a.example").outcome()).isEqualTo("no-endpoint");
            assertThat(r.runDue()).isEmpty();
        }
        assertThat(collector.requests()).isEmpty();
    }

    @Test
    void temporaryDnsFailure_reportLeftForTheNextRun() throws Exception {
        DataSource ds = CountsFixture.dataSource(
                CountsFixture.newDatabase(PostgresCluster.shared().orElseThrow(), "fleet_dns"));
        flushYesterday(ds, "n1", 4);
        AtomicInteger calls = new AtomicInteger();
        TxtLookup flaky = name -> {
            if (calls.getAndIncrement() < 2) {
                throw new IOException("SERVFAIL");
            }
            return List.of(record());
        };
        try (FleetDatabase db = FleetDatabase.builder(ds).nodeId("n1").build();
                FleetReports r = reports(db, flaky)) {
            assertThat(r.runDue()).isEmpty();
            assertThat(stored(ds, "a.example").state()).isEqualTo("claimed");
            List<FleetReport> done = join(r.runDue());
            assertThat(done)
                    .hasSize(2)
                    .allSatisfy(rep -> assertThat(rep.result()).isInstanceOf(DeliveryResult.Delivered.class));
        }
    }

    @Test
    void lookupThatThrows_otherReportsGoOn_andTheClaimIsReleasedForTheNextRun() throws Exception {
        // FLEET-RPT-1: one report's broken look-up neither stops the run nor holds its lease.
        DataSource ds = CountsFixture.dataSource(
                CountsFixture.newDatabase(PostgresCluster.shared().orElseThrow(), "fleet_throw"));
        flushYesterday(ds, "n1", 4);
        AtomicInteger calls = new AtomicInteger();
        TxtLookup broken = name -> {
            if (name.endsWith("a.example") && calls.getAndIncrement() == 0) {
                throw new IllegalStateException("resolver bug");
            }
            return List.of(record());
        };
        try (FleetDatabase db = FleetDatabase.builder(ds).nodeId("n1").build();
                FleetReports r = reports(db, broken)) {
            List<FleetReport> first = join(r.runDue());
            assertThat(first).extracting(FleetReport::policyDomain).doesNotContain("a.example");
            assertThat(first).isNotEmpty();
            assertThat(stored(ds, "a.example").state()).isEqualTo("claimed");
            List<FleetReport> second = join(r.runDue());
            assertThat(second).extracting(FleetReport::policyDomain).containsExactly("a.example");
        }
    }

    @Test
    void nodeWhoseClockRunsAhead_neverTakesOverALiveLease() throws Exception {
        // FLEET-RPT-2, RFC 8460 §4.1: leases live on the database's clock, so a node ten minutes ahead of the holder
        // does not see the holder's five-minute lease as run out.
        DataSource ds = CountsFixture.dataSource(
                CountsFixture.newDatabase(PostgresCluster.shared().orElseThrow(), "fleet_skew"));
        flushYesterday(ds, "n1", 4);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        TxtLookup slowForA = name -> {
            if (name.endsWith("a.example")) {
                holding.countDown();
                try {
                    letGo.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return List.of(record());
        };
        ExecutorService one = Executors.newSingleThreadExecutor();
        try (FleetDatabase db1 = FleetDatabase.builder(ds).nodeId("n1").build();
                FleetDatabase db2 = FleetDatabase.builder(ds)
                        .nodeId("n2")
                        .clock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10)))
                        .build();
                FleetReports holder = FleetReports.builder(db1, ASSEMBLER, deliverer(), slowForA)
                        .lease(Duration.ofMinutes(5))
                        .closeDelay(Duration.ZERO)
                        .build();
                FleetReports ahead = reports(db2, name -> List.of(record()))) {
            Future<List<CompletableFuture<FleetReport>>> first = one.submit(holder::runDue);
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();

            List<FleetReport> byAhead = join(ahead.runDue());
            assertThat(byAhead).extracting(FleetReport::policyDomain).containsExactly("b.example");
            assertThat(stored(ds, "a.example").claims()).isEqualTo(1);

            letGo.countDown();
            List<FleetReport> byHolder = join(first.get(60, TimeUnit.SECONDS));
            assertThat(byHolder).singleElement().satisfies(rep -> {
                assertThat(rep.policyDomain()).isEqualTo("a.example");
                assertThat(rep.takeover()).isFalse();
                assertThat(rep.result()).isInstanceOf(DeliveryResult.Delivered.class);
            });
        } finally {
            letGo.countDown();
            one.shutdownNow();
        }
        assertThat(collector.requests()).hasSize(2);
    }

    @Test
    void historyOlderThanKeepHistory_deletedByRunDue_recentDaysKept() throws Exception {
        // FLEET-RPT-4: with closeDelay 0 the last due day is yesterday; keeping 10 days keeps
        // yesterday - 9 and deletes yesterday - 10, counts and report rows alike.
        DataSource ds = CountsFixture.dataSource(
                CountsFixture.newDatabase(PostgresCluster.shared().orElseThrow(), "fleet_history"));
        LocalDate oldest = yesterday().minusDays(9);
        LocalDate gone = yesterday().minusDays(10);
        flushOn(ds, "n1", gone, 4);
        flushOn(ds, "n1", oldest, 4);
        flushYesterday(ds, "n1", 4);
        PgFixture.execute(
                ds,
                "INSERT INTO mtasts_tlsrpt_report (day, policy_domain, state, holder, lease_until,"
                        + " claimed_at) VALUES ('" + gone + "', 'a.example', 'finished', 'n0', now(), now()),"
                        + " ('" + oldest + "', 'a.example', 'finished', 'n0', now(), now())");
        try (FleetDatabase db = FleetDatabase.builder(ds).nodeId("n1").build();
                FleetReports r = FleetReports.builder(db, ASSEMBLER, deliverer(), name -> List.of(record()))
                        .closeDelay(Duration.ZERO)
                        .keepHistory(10)
                        .build()) {
            assertThat(join(r.runDue()))
                    .as("only the days of the report window are reported")
                    .extracting(FleetReport::day)
                    .containsOnly(yesterday());
        }
        assertThat(PgFixture.count(ds, "SELECT count(*) FROM mtasts_tlsrpt_count WHERE day = '" + gone + "'"))
                .isZero();
        assertThat(PgFixture.count(ds, "SELECT count(*) FROM mtasts_tlsrpt_report WHERE day = '" + gone + "'"))
                .isZero();
        assertThat(PgFixture.count(ds, "SELECT count(*) FROM mtasts_tlsrpt_count WHERE day = '" + oldest + "'"))
                .isPositive();
        assertThat(PgFixture.count(ds, "SELECT count(*) FROM mtasts_tlsrpt_report WHERE day = '" + oldest + "'"))
                .isEqualTo(1);
        assertThat(PgFixture.count(ds, "SELECT count(*) FROM mtasts_tlsrpt_count WHERE day = '" + yesterday() + "'"))
                .isPositive();
    }

    @Test
    void builder_refusesValuesThatWouldBreakItsPromises() {
        // FLEET-RPT-4: the last eight days may still be reported, so they are never deleted; leases
        // must be able to run out, and a day cannot close before it ends.
        DataSource ds = CountsFixture.dataSource(
                CountsFixture.newDatabase(PostgresCluster.shared().orElseThrow(), "fleet_builder"));
        try (FleetDatabase db = FleetDatabase.builder(ds).nodeId("n1").build()) {
            FleetReports.Builder b = FleetReports.builder(db, ASSEMBLER, deliverer(), name -> List.of());
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> b.keepHistory(7))
                    .withMessage("keepHistory must be at least 8 days but was 7");
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> b.lease(Duration.ZERO))
                    .withMessage("lease must be positive but was PT0S");
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> b.closeDelay(Duration.ofSeconds(-1)))
                    .withMessage("closeDelay must not be negative but was PT-1S");
            assertThat(b.keepHistory(8)).isSameAs(b);
        }
    }

    @Test
    void countsFlushedAfterTheReportWasBuilt_countedLate_notReported() throws Exception {
        // FLEET-RPT-3: a node's last flush of the day arrives after the report was built.
        DataSource ds = CountsFixture.dataSource(
                CountsFixture.newDatabase(PostgresCluster.shared().orElseThrow(), "fleet_late"));
        flushYesterday(ds, "n1", 8);
        RecordingListener listener = new RecordingListener();
        try (FleetDatabase db = FleetDatabase.builder(ds)
                        .nodeId("n1")
                        .listener(listener)
                        .build();
                FleetReports r = reports(db, name -> List.of(record()))) {
            assertThat(join(r.runDue())).hasSize(2);
            TestClock clock = TestClock.at(yesterday().atTime(23, 59).toInstant(ZoneOffset.UTC));
            TlsRptRecorder late = TlsRptRecorder.builder().clock(clock).build();
            try (FleetRecorder fleet = FleetRecorder.builder(db, late)
                    .flushInterval(Duration.ofHours(1))
                    .build()) {
                late.recordSuccess(CountsFixture.A);
                late.recordSuccess(CountsFixture.A);
                late.recordSuccess(CountsFixture.B);
                assertThat(fleet.flush()).isTrue();
            }
            assertThat(r.runDue()).isEmpty();
        }
        assertThat(listener.lateSessions.get()).isEqualTo(3);
        assertThat(listener.events)
                .contains("late a.example " + yesterday() + " 2", "late b.example " + yesterday() + " 1");
        assertThat(collector.requests()).hasSize(2);
    }

    @Test
    void dayNotOverYet_notDue() throws Exception {
        DataSource ds = CountsFixture.dataSource(
                CountsFixture.newDatabase(PostgresCluster.shared().orElseThrow(), "fleet_today"));
        try (FleetDatabase db = FleetDatabase.builder(ds).nodeId("n1").build()) {
            TlsRptRecorder r = TlsRptRecorder.builder().build();
            try (FleetRecorder fleet = FleetRecorder.builder(db, r).build()) {
                r.recordSuccess(CountsFixture.A);
            }
            try (FleetReports reports = reports(db, name -> List.of(record()))) {
                assertThat(reports.runDue()).isEmpty();
            }
        }
        assertThat(CountsFixture.totals(ds)).containsEntry("a.example successful", 1L);
    }
}
