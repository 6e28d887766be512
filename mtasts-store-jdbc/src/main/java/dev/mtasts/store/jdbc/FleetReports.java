package dev.mtasts.store.jdbc;

import static java.util.Objects.requireNonNull;

import dev.mtasts.tlsrpt.AppliedPolicy;
import dev.mtasts.tlsrpt.DailyAggregate;
import dev.mtasts.tlsrpt.DailyReport;
import dev.mtasts.tlsrpt.DailyReportAssembler;
import dev.mtasts.tlsrpt.DeliveryResult;
import dev.mtasts.tlsrpt.ReadMode;
import dev.mtasts.tlsrpt.SessionFailure;
import dev.mtasts.tlsrpt.TlsRptDeliverer;
import dev.mtasts.tlsrpt.TlsRptRecord;
import dev.mtasts.tlsrpt.TlsRptReport;
import dev.mtasts.tlsrpt.TlsRptReportReader;
import dev.mtasts.tlsrpt.TxtLookup;
import dev.mtasts.tlsrpt.internal.AggregateJson;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds and delivers the fleet's daily TLSRPT reports: exactly one report per policy domain and
 * UTC day, over every node's flushed counts, built and delivered by one node (FLEET-RPT-1). A node
 * claims a report with an expiring lease, renewed while it works; when it dies, the lease runs out
 * and the next node to run {@link #runDue()} takes the report over with the same {@code report-id}
 * and {@code rua} set (FLEET-RPT-2, RPT-AGG-8). The {@code _smtp._tls} record is read once, at the
 * first claim, and the report goes to that {@code rua} set (RPT-AGG-1). Run {@link #runDue()} on
 * every node, for instance hourly; a report is due once its day has ended and {@link
 * Builder#closeDelay} has passed, so late flushes are in it. Thread-safe.
 *
 * <p>The report is built once, from the sum of every node's rows, and stored with its {@code
 * report-id} before it is delivered; a takeover delivers the stored bytes again, never a rebuilt
 * report. A node that dies while delivering may leave a report delivered but not marked finished:
 * the takeover then delivers it a second time, with the same {@code report-id}, which receivers
 * treat as one report (RPT-AGG-8). Counts flushed after a day's report was built are in no report;
 * they are counted as late ({@link FleetListener#countsLate}, FLEET-RPT-3). Days more than a week before the
 * last due day are not reported any more, and the count and report rows of days older than {@link
 * Builder#keepHistory} are deleted by {@link #runDue()} (FLEET-RPT-4).
 */
public final class FleetReports implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FleetReports.class);

    /**
     * Test hook: when set (milliseconds), a node announces {@code building <report-id>} on stdout
     * once it has built and stored a report, then sleeps that long before delivering, so a test can
     * kill it while it holds the report.
     */
    static final String PAUSE_AFTER_BUILD = "dev.mtasts.store.jdbc.FleetReports.pauseAfterBuildMillis";

    /** Due days further back than this are left alone: a report weeks late helps nobody. */
    private static final int REPORT_WINDOW_DAYS = 7;

    /** Flush log rows older than this are deleted (a retried batch is minutes old, not days). */
    private static final Duration FLUSH_LOG_RETENTION = Duration.ofDays(3);

    private static final String FIND_DUE = "SELECT DISTINCT c.day, c.policy_domain FROM mtasts_tlsrpt_count c"
            + " LEFT JOIN mtasts_tlsrpt_report r ON r.day = c.day AND r.policy_domain = c.policy_domain"
            + " WHERE c.day BETWEEN ? AND ?"
            + " AND (r.day IS NULL OR (r.state <> 'finished' AND r.lease_until <= now()))"
            + " ORDER BY c.day, c.policy_domain";

    /** The end of a lease starting now on the database's clock; binds the lease in milliseconds. */
    private static final String LEASE_END = "now() + ? * interval '1 millisecond'";

    /**
     * Claims a free or expired report: exactly one node gets the row back (FLEET-RPT-1). Leases are
     * set and compared on the database's clock ({@code now()}), so nodes whose clocks disagree still
     * agree on when a lease ran out (FLEET-RPT-2).
     */
    private static final String CLAIM = "INSERT INTO mtasts_tlsrpt_report AS r"
            + " (day, policy_domain, state, holder, lease_until, claimed_at) VALUES (?, ?, 'claimed', ?, " + LEASE_END
            + ", ?)"
            + " ON CONFLICT (day, policy_domain) DO UPDATE SET holder = EXCLUDED.holder,"
            + " lease_until = EXCLUDED.lease_until,"
            + " claims = CASE WHEN r.holder = EXCLUDED.holder THEN r.claims ELSE r.claims + 1 END"
            + " WHERE r.state <> 'finished' AND r.lease_until <= now()"
            + " RETURNING r.claims, r.rua, r.report_id, r.report_json";

    private static final String OURS = " WHERE day = ? AND policy_domain = ? AND holder = ? AND state <> 'finished'";

    private final FleetDatabase database;
    private final DailyReportAssembler assembler;
    private final TlsRptDeliverer deliverer;
    private final TxtLookup lookup;
    private final Duration lease;
    private final Duration closeDelay;
    private final int keepDays;
    /**
     * Reads stored reports back. Lenient: a session with several failures counts once in the total
     * and once per detail (RPT-AGG-4), which strict reading calls a mismatch.
     */
    private final TlsRptReportReader reader =
            TlsRptReportReader.builder().mode(ReadMode.LENIENT).build();

    private final ScheduledExecutorService renewer;

    private FleetReports(Builder b) {
        this.database = b.database;
        this.assembler = b.assembler;
        this.deliverer = b.deliverer;
        this.lookup = b.lookup;
        this.lease = b.lease;
        this.closeDelay = b.closeDelay;
        this.keepDays = b.keepDays;
        this.renewer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "mtasts-fleet-report-lease");
            t.setDaemon(true);
            return t;
        });
    }

    /** A builder; the assembler must not set a node id (one report for the whole fleet). */
    public static Builder builder(
            FleetDatabase database, DailyReportAssembler assembler, TlsRptDeliverer deliverer, TxtLookup lookup) {
        return new Builder(database, assembler, deliverer, lookup);
    }

    /** A report this node holds: what the claim returned. */
    private record Claim(
            LocalDate day,
            String domain,
            boolean takeover,
            @Nullable String rua,
            @Nullable String reportId,
            byte @Nullable [] json) {}

    /**
     * Claims every due report no live node holds, builds each from the shared counts and starts its
     * delivery; each future completes when that delivery ends (never exceptionally). Reports another
     * node holds are left to it, and so is a report whose {@code _smtp._tls} record cannot be read
     * now (a temporary DNS failure): the next run tries it again.
     */
    public List<CompletableFuture<FleetReport>> runDue() {
        Instant now = database.clock().instant();
        LocalDate lastDue =
                LocalDate.ofInstant(now.minus(closeDelay), ZoneOffset.UTC).minusDays(1);
        List<Map.Entry<LocalDate, String>> due;
        try {
            due = database.runNow("find due TLSRPT reports", c -> findDue(c, lastDue, now));
        } catch (FleetDatabase.Unavailable e) {
            LOG.warn("cannot look for due TLSRPT reports: {}", e.getMessage());
            return List.of();
        }
        List<CompletableFuture<FleetReport>> out = new ArrayList<>();
        for (Map.Entry<LocalDate, String> d : due) {
            try {
                Optional<Claim> claim = claim(d.getKey(), d.getValue());
                if (claim.isPresent()) {
                    process(claim.get()).ifPresent(out::add);
                }
            } catch (FleetDatabase.Unavailable e) {
                LOG.warn("TLSRPT report of {} on {} not handled now: {}", d.getValue(), d.getKey(), e.getMessage());
            } catch (RuntimeException e) {
                // One report's failure (a TxtLookup or deliverer that throws) must not stop the others,
                // nor end a periodic task that runs this method.
                LOG.warn("TLSRPT report of {} on {} failed; left for the next run", d.getValue(), d.getKey(), e);
            }
        }
        return out;
    }

    private List<Map.Entry<LocalDate, String>> findDue(Connection c, LocalDate lastDue, Instant now)
            throws SQLException {
        try (PreparedStatement purge = c.prepareStatement("DELETE FROM mtasts_tlsrpt_flush WHERE flushed_at < ?")) {
            purge.setObject(1, at(now.minus(FLUSH_LOG_RETENTION)));
            purge.executeUpdate();
        }
        // FLEET-RPT-4: history older than keepHistory goes; it is older than any day still reported.
        // The cut is on the database's clock, so a node whose clock runs ahead deletes nothing early.
        for (String table : List.of("mtasts_tlsrpt_count", "mtasts_tlsrpt_report")) {
            try (PreparedStatement purge = c.prepareStatement("DELETE FROM " + table + " WHERE day < "
                    + "((now() AT TIME ZONE 'UTC') - ? * interval '1 millisecond')::date - ?")) {
                purge.setLong(1, closeDelay.toMillis());
                purge.setInt(2, keepDays);
                purge.executeUpdate();
            }
        }
        List<Map.Entry<LocalDate, String>> due = new ArrayList<>();
        try (PreparedStatement find = c.prepareStatement(FIND_DUE)) {
            find.setObject(1, lastDue.minusDays(REPORT_WINDOW_DAYS));
            find.setObject(2, lastDue);
            try (ResultSet r = find.executeQuery()) {
                while (r.next()) {
                    due.add(Map.entry(r.getObject(1, LocalDate.class), r.getString(2)));
                }
            }
        }
        return due;
    }

    private Optional<Claim> claim(LocalDate day, String domain) throws FleetDatabase.Unavailable {
        Instant now = database.clock().instant();
        Optional<Claim> claim = database.runNow("claim TLSRPT report", c -> {
            try (PreparedStatement s = c.prepareStatement(CLAIM)) {
                s.setObject(1, day);
                s.setString(2, domain);
                s.setString(3, database.nodeId());
                s.setLong(4, lease.toMillis());
                s.setObject(5, at(now));
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(
                            new Claim(day, domain, r.getInt(1) > 1, r.getString(2), r.getString(3), r.getBytes(4)));
                }
            }
        });
        claim.ifPresent(cl -> {
            LOG.info(
                    "claimed the TLSRPT report of {} on {}{}",
                    domain,
                    day,
                    cl.takeover() ? " (taken over from a node whose lease ran out)" : "");
            notify(l -> l.reportClaimed(domain, day, cl.reportId() == null ? "" : cl.reportId(), cl.takeover()));
        });
        return claim;
    }

    /** Reads the record if needed, builds if needed, and starts the delivery of a claimed report. */
    private Optional<CompletableFuture<FleetReport>> process(Claim claim) throws FleetDatabase.Unavailable {
        String rua = claim.rua();
        if (rua == null) {
            Optional<String> read = readRecord(claim);
            if (read.isEmpty()) {
                return Optional.empty();
            }
            rua = read.get();
        }
        String reportId = claim.reportId();
        byte[] json = claim.json();
        if (json == null || reportId == null) {
            Optional<DailyReport> built = build(claim);
            if (built.isEmpty()) {
                return Optional.empty();
            }
            reportId = built.get().report().reportId();
            json = built.get().report().toJson();
            pauseForTests(reportId);
        }
        String id = reportId;
        if (rua.isEmpty()) {
            // RPT-TXT-7: no TLSRPT record, no report; the built report stays stored for the record.
            DeliveryResult none =
                    new DeliveryResult.NoEndpoint("_smtp._tls." + claim.domain() + " has no TLSRPT record");
            return Optional.of(CompletableFuture.completedFuture(finish(claim, id, rua, none)));
        }
        DailyReport report;
        TlsRptRecord record;
        try {
            TlsRptReport stored = reader.read(json).report();
            report = new DailyReport(claim.day(), claim.domain(), stored);
            record = TlsRptRecord.parse(rua);
        } catch (RuntimeException e) {
            // Only a damaged row gets here: say so once, and do not retry it on every node forever.
            DeliveryResult none =
                    new DeliveryResult.NoEndpoint("stored report or record unreadable: " + e.getMessage());
            return Optional.of(CompletableFuture.completedFuture(finish(claim, id, rua, none)));
        }
        String recordText = rua;
        long every = Math.max(1, lease.toMillis() / 3);
        ScheduledFuture<?> renewal =
                renewer.scheduleWithFixedDelay(() -> renew(claim), every, every, TimeUnit.MILLISECONDS);
        CompletableFuture<DeliveryResult> delivering;
        try {
            delivering = deliverer.deliver(report, record);
        } catch (RuntimeException e) {
            // A deliverer that throws (its scheduler shut down) must not leave the lease renewed forever.
            renewal.cancel(false);
            releaseQuietly(claim);
            throw e;
        }
        return Optional.of(delivering.handle((result, error) -> {
            renewal.cancel(false);
            DeliveryResult r = result != null ? result : new DeliveryResult.GaveUp(0, List.of(String.valueOf(error)));
            return finish(claim, id, recordText, r);
        }));
    }

    /** The record text of the first claim, stored; empty when the look-up must be retried later. */
    private Optional<String> readRecord(Claim claim) throws FleetDatabase.Unavailable {
        String name = "_smtp._tls." + claim.domain();
        List<String> rrset;
        try {
            rrset = lookup.txt(name);
        } catch (RuntimeException e) {
            releaseQuietly(claim);
            throw e;
        } catch (IOException e) {
            LOG.info("cannot look up {} now ({}); the report of {} is left for the next run", name, e, claim.day());
            release(claim);
            return Optional.empty();
        }
        // RPT-TXT-2: exactly one valid record, or none at all ('' is stored: no endpoint).
        String text = TlsRptRecord.select(rrset).map(TlsRptRecord::text).orElse("");
        return database.runNow("store TLSRPT record", c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE mtasts_tlsrpt_report SET rua = coalesce(rua, ?)" + OURS + " RETURNING rua")) {
                s.setString(1, text);
                bindOurs(s, 2, claim);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.ofNullable(r.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    /**
     * Builds the report from every node's rows and stores it, in one transaction that holds the
     * count table in SHARE mode: flushes wait for it, so each flushed batch is either in the report
     * or flushed after it and counted late, never lost between the two.
     */
    private Optional<DailyReport> build(Claim claim) throws FleetDatabase.Unavailable {
        Instant now = database.clock().instant();
        Optional<DailyReport> built = database.runNow("build TLSRPT report", c -> {
            try (Statement s = c.createStatement()) {
                s.execute("LOCK TABLE mtasts_tlsrpt_count IN SHARE MODE");
            }
            List<DailyAggregate> aggregates = readCounts(c, claim.day(), claim.domain());
            List<DailyReport> reports = assembler.assemble(aggregates);
            if (reports.isEmpty()) {
                try (PreparedStatement s = c.prepareStatement("UPDATE mtasts_tlsrpt_report SET state = 'finished',"
                        + " outcome = 'skipped', outcome_detail = 'no failures to report', finished_at = ?"
                        + OURS)) {
                    s.setObject(1, at(now));
                    bindOurs(s, 2, claim);
                    s.executeUpdate();
                }
                return Optional.<DailyReport>empty();
            }
            DailyReport report = reports.get(0);
            try (PreparedStatement s = c.prepareStatement("UPDATE mtasts_tlsrpt_report SET state = 'built',"
                    + " report_id = ?, report_json = ?, built_at = ?, lease_until = " + LEASE_END + OURS)) {
                s.setString(1, report.report().reportId());
                s.setBytes(2, report.report().toJson());
                s.setObject(3, at(now));
                s.setLong(4, lease.toMillis());
                bindOurs(s, 5, claim);
                if (s.executeUpdate() == 0) {
                    // Our lease ran out and another node holds the report now: it builds it.
                    c.rollback();
                    return Optional.<DailyReport>empty();
                }
            }
            return Optional.of(report);
        });
        if (built.isEmpty()) {
            LOG.info("TLSRPT report of {} on {}: nothing to send, or no longer ours", claim.domain(), claim.day());
        }
        return built;
    }

    /** One policy's sums while reading the rows of a day and domain. */
    private static final class PolicySums {
        final AppliedPolicy policy;
        long successful;
        long failed;
        long overflow;
        final Map<SessionFailure, Long> details = new LinkedHashMap<>();

        PolicySums(AppliedPolicy policy) {
            this.policy = policy;
        }
    }

    /** The fleet's summed counts of one day and domain, as the aggregates the assembler takes. */
    private static List<DailyAggregate> readCounts(Connection c, LocalDate day, String domain) throws SQLException {
        Map<String, PolicySums> sums = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT policy_key, policy_json, detail_key, detail_json,"
                + " successful, failed, overflow, detail_count FROM mtasts_tlsrpt_count"
                + " WHERE day = ? AND policy_domain = ? ORDER BY policy_key, detail_key")) {
            s.setObject(1, day);
            s.setString(2, domain);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String policyJson = r.getString(2);
                    PolicySums p = sums.computeIfAbsent(
                            r.getString(1), k -> new PolicySums(AggregateJson.parsePolicy(policyJson)));
                    if (r.getString(3).isEmpty()) {
                        p.successful += r.getLong(5);
                        p.failed += r.getLong(6);
                        p.overflow += r.getLong(7);
                    } else {
                        p.details.merge(AggregateJson.parseFailure(r.getString(4)), r.getLong(8), Long::sum);
                    }
                }
            }
        }
        List<DailyAggregate> out = new ArrayList<>();
        for (PolicySums p : sums.values()) {
            out.add(new DailyAggregate(day, p.policy, p.successful, p.failed, p.details, p.overflow));
        }
        return out;
    }

    private static void pauseForTests(String reportId) {
        String pause = System.getProperty(PAUSE_AFTER_BUILD);
        if (pause == null) {
            return;
        }
        System.out.println("building " + reportId);
        System.out.flush();
        try {
            Thread.sleep(Long.parseLong(pause));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void renew(Claim claim) {
        try {
            int renewed = database.runNow("renew TLSRPT report lease", c -> {
                try (PreparedStatement s =
                        c.prepareStatement("UPDATE mtasts_tlsrpt_report SET lease_until = " + LEASE_END + OURS)) {
                    s.setLong(1, lease.toMillis());
                    bindOurs(s, 2, claim);
                    return s.executeUpdate();
                }
            });
            if (renewed == 0) {
                LOG.warn("lost the lease of the TLSRPT report of {} on {}", claim.domain(), claim.day());
            }
        } catch (FleetDatabase.Unavailable e) {
            LOG.warn("cannot renew the lease of the TLSRPT report of {}: {}", claim.domain(), e.getMessage());
        }
    }

    /** Gives a claim back at once (lease ended now), so the next run may claim it again. */
    private void releaseQuietly(Claim claim) {
        try {
            release(claim);
        } catch (FleetDatabase.Unavailable | RuntimeException e) {
            LOG.warn(
                    "cannot release the TLSRPT report claim of {} on {}; its lease runs out",
                    claim.domain(),
                    claim.day());
        }
    }

    private void release(Claim claim) throws FleetDatabase.Unavailable {
        database.runNow("release TLSRPT report", c -> {
            try (PreparedStatement s =
                    c.prepareStatement("UPDATE mtasts_tlsrpt_report SET lease_until = now()" + OURS)) {
                bindOurs(s, 1, claim);
                return s.executeUpdate();
            }
        });
    }

    /** Marks the report finished with its outcome, when this node still holds it. */
    private FleetReport finish(Claim claim, String reportId, String rua, DeliveryResult result) {
        String outcome = outcome(result);
        String detail = detail(result);
        try {
            database.runNow("finish TLSRPT report", c -> {
                try (PreparedStatement s = c.prepareStatement("UPDATE mtasts_tlsrpt_report SET state = 'finished',"
                        + " outcome = ?, outcome_detail = ?, finished_at = ?" + OURS)) {
                    s.setString(1, outcome);
                    s.setString(2, detail);
                    s.setObject(3, at(database.clock().instant()));
                    bindOurs(s, 4, claim);
                    return s.executeUpdate();
                }
            });
        } catch (FleetDatabase.Unavailable e) {
            // The lease runs out and another node delivers the same report again, same report-id.
            LOG.warn("cannot mark the TLSRPT report {} finished ({}): {}", reportId, outcome, e.getMessage());
        }
        LOG.info("TLSRPT report {} of {} on {}: {} {}", reportId, claim.domain(), claim.day(), outcome, detail);
        notify(l -> l.reportFinished(claim.domain(), claim.day(), reportId, outcome));
        return new FleetReport(claim.day(), claim.domain(), reportId, rua, result, claim.takeover());
    }

    private static String outcome(DeliveryResult result) {
        if (result instanceof DeliveryResult.Delivered) {
            return "delivered";
        }
        if (result instanceof DeliveryResult.GaveUp) {
            return "gave-up";
        }
        return "no-endpoint";
    }

    private static String detail(DeliveryResult result) {
        if (result instanceof DeliveryResult.Delivered d) {
            return "accepted by " + d.acceptedBy() + " after " + d.attempts() + " attempt(s)";
        }
        if (result instanceof DeliveryResult.GaveUp g) {
            return g.attempts() + " attempt(s): " + g.errors();
        }
        return ((DeliveryResult.NoEndpoint) result).reason();
    }

    private void bindOurs(PreparedStatement s, int first, Claim claim) throws SQLException {
        s.setObject(first, claim.day());
        s.setString(first + 1, claim.domain());
        s.setString(first + 2, database.nodeId());
    }

    private static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private void notify(java.util.function.Consumer<FleetListener> event) {
        try {
            event.accept(database.listener());
        } catch (RuntimeException e) {
            LOG.warn("fleet listener failed", e);
        }
    }

    /** Stops renewing leases: reports still being delivered are taken over by another node later. */
    @Override
    public void close() {
        renewer.shutdownNow();
    }

    /** Configures {@link FleetReports}; not thread-safe. */
    public static final class Builder {
        final FleetDatabase database;
        final DailyReportAssembler assembler;
        final TlsRptDeliverer deliverer;
        final TxtLookup lookup;
        Duration lease = Duration.ofMinutes(5);
        Duration closeDelay = Duration.ofHours(1);
        int keepDays = 30;

        private Builder(
                FleetDatabase database, DailyReportAssembler assembler, TlsRptDeliverer deliverer, TxtLookup lookup) {
            this.database = requireNonNull(database, "database");
            this.assembler = requireNonNull(assembler, "assembler");
            this.deliverer = requireNonNull(deliverer, "deliverer");
            this.lookup = requireNonNull(lookup, "lookup");
        }

        /** How long a claim lasts without renewal (default 5 min; renewed at a third of it). */
        public Builder lease(Duration lease) {
            if (lease.isNegative() || lease.isZero()) {
                throw new IllegalArgumentException("lease must be positive but was " + lease);
            }
            this.lease = lease;
            return this;
        }

        /**
         * How long after a UTC day ends its reports are built (default 1 h): longer than the nodes'
         * flush interval, so every node's last counts of the day are in (FLEET-COUNT-3).
         */
        public Builder closeDelay(Duration delay) {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("closeDelay must not be negative but was " + delay);
            }
            this.closeDelay = delay;
            return this;
        }

        /**
         * How many UTC days of counts and reports the fleet keeps, counting back from the last day
         * due for its report (default 30): {@link #runDue()} deletes older days' rows. At least 8, so
         * no day that may still be reported (the last due day and the seven before it) is ever
         * deleted (FLEET-RPT-4).
         */
        public Builder keepHistory(int days) {
            if (days < REPORT_WINDOW_DAYS + 1) {
                throw new IllegalArgumentException(
                        "keepHistory must be at least " + (REPORT_WINDOW_DAYS + 1) + " days but was " + days);
            }
            this.keepDays = days;
            return this;
        }

        /** The report runner. */
        public FleetReports build() {
            return new FleetReports(this);
        }
    }
}
