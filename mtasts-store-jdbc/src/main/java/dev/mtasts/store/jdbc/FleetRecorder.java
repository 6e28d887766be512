package dev.mtasts.store.jdbc;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.mtasts.tlsrpt.DailyAggregate;
import dev.mtasts.tlsrpt.TlsRptRecorder;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flushes one node's TLSRPT counts into the fleet's database. The node records sessions in its own
 * {@link TlsRptRecorder} as usual (lock-free, no I/O on the mail path); every {@link
 * Builder#flushInterval} this takes the counts recorded since the last flush ({@link
 * TlsRptRecorder#takeCounts()}) and adds them to the shared rows with atomic upserts, in one
 * transaction tagged with this node's batch number, so a retried batch is never counted twice and
 * N nodes flushing at once lose nothing (FLEET-COUNT-1, FLEET-COUNT-2). A node that crashes loses at
 * most the sessions of one flush interval (FLEET-COUNT-3).
 *
 * <p>While the database is down, counts wait in a bounded buffer (merged by key); sessions that
 * do not fit are dropped and counted ({@link FleetHealth#droppedSessions()}, {@link
 * FleetListener#countsDropped}), and the buffer is flushed on recovery (FLEET-DOWN-2). The buffer
 * holds at most {@link Builder#maxBufferedRows} distinct rows (a policy's totals on a day, and each
 * of its distinct failure details); what one flush takes of a policy on a day is buffered whole or
 * dropped whole, so a report never has failure details without their sessions. Counts of a day
 * whose report the fleet has already built are still added to the shared rows but are not in that
 * report: they are logged and counted as late ({@link FleetListener#countsLate}).
 *
 * <p>A batch is identified by this node's id, a random epoch chosen when this object is built, and
 * a sequence number: a batch that failed is retried with the same number and the same content, and
 * the flush log in the database makes a retry of a batch that did commit a no-op. Thread-safe.
 *
 * <p>Give it a recorder with the default in-memory {@code TlsRptStore} and never call the
 * recorder's own {@code flush()} or {@code drainCompletedDays()}: the database holds the counts, and
 * counts a recorder also saved to a file would be loaded and flushed again after a restart.
 */
public final class FleetRecorder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FleetRecorder.class);

    private static final String LOG_BATCH = "INSERT INTO mtasts_tlsrpt_flush"
            + " (node, epoch, batch, row_count, sessions, flushed_at) VALUES (?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT DO NOTHING";

    /** One statement for the whole batch: arrays unnested, rows in the same order on every node. */
    private static final String UPSERT = "INSERT INTO mtasts_tlsrpt_count AS c"
            + " (day, policy_domain, policy_key, detail_key, policy_json, detail_json,"
            + " successful, failed, overflow, detail_count, updated_at)"
            + " SELECT u.day, u.policy_domain, u.policy_key, u.detail_key, u.policy_json, u.detail_json,"
            + " u.successful, u.failed, u.overflow, u.detail_count, ?"
            + " FROM unnest(?::date[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],"
            + " ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[])"
            + " AS u(day, policy_domain, policy_key, detail_key, policy_json, detail_json,"
            + " successful, failed, overflow, detail_count)"
            + " ORDER BY 1, 2, 3, 4"
            + " ON CONFLICT (day, policy_domain, policy_key, detail_key) DO UPDATE SET"
            + " successful = c.successful + EXCLUDED.successful,"
            + " failed = c.failed + EXCLUDED.failed,"
            + " overflow = c.overflow + EXCLUDED.overflow,"
            + " detail_count = c.detail_count + EXCLUDED.detail_count,"
            + " updated_at = EXCLUDED.updated_at";

    /**
     * Reports already built for a day and domain of the batch. Run after the upsert: the upsert's
     * lock on the count table orders this batch with the builder's (see {@code FleetReports}), so
     * a batch is either in a report or found late here, never neither.
     */
    private static final String LATE = "UPDATE mtasts_tlsrpt_report r SET late_sessions = r.late_sessions + u.sessions"
            + " FROM unnest(?::date[], ?::text[], ?::bigint[]) AS u(day, policy_domain, sessions)"
            + " WHERE r.day = u.day AND r.policy_domain = u.policy_domain"
            + " AND (r.report_json IS NOT NULL OR r.state = 'finished')"
            + " RETURNING r.day, r.policy_domain, u.sessions";

    private final FleetDatabase database;
    private final TlsRptRecorder recorder;
    private final int maxBufferedRows;
    private final Duration answerTimeout;
    private final String epoch = UUID.randomUUID().toString();
    private final ScheduledExecutorService flusher;

    /** The batch being written: frozen until it is known to be in the database. */
    @GuardedBy("this")
    private @Nullable CountRows pending;

    /** Counts taken while {@link #pending} waits, for the next batch. */
    @GuardedBy("this")
    private CountRows buffer = new CountRows();

    /** The sequence number of {@link #pending} (or of the next batch when none is pending). */
    @GuardedBy("this")
    private long batch = 1;

    /** Rows this recorder has added to {@link FleetDatabase#bufferedRows}. */
    @GuardedBy("this")
    private long reportedRows;

    @GuardedBy("this")
    private boolean closed;

    private FleetRecorder(Builder b) {
        this.database = b.database;
        this.recorder = b.recorder;
        this.maxBufferedRows = b.maxBufferedRows;
        this.answerTimeout = b.answerTimeout;
        this.flusher = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "mtasts-fleet-flush");
            t.setDaemon(true);
            return t;
        });
        long every = b.flushInterval.toNanos();
        flusher.scheduleWithFixedDelay(this::flushQuietly, every, every, TimeUnit.NANOSECONDS);
    }

    /** A builder flushing {@code recorder}'s counts into {@code database}. */
    public static Builder builder(FleetDatabase database, TlsRptRecorder recorder) {
        return new Builder(database, recorder);
    }

    /**
     * Takes the counts recorded so far and writes them with what is buffered, now, on the calling
     * thread; whether everything was written (false: it stays buffered for the next flush).
     */
    public synchronized boolean flush() {
        take();
        boolean written = write();
        publishBufferedRows();
        return written;
    }

    /** Distinct rows held: the pending batch's, and the buffer's that are not in it. */
    @GuardedBy("this")
    private int heldRows() {
        CountRows p = pending;
        return p == null ? buffer.size() : p.size() + buffer.countNotIn(p);
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            // The flusher must go on: a bad row or listener must not stop counting for good.
            LOG.warn("TLSRPT counts flush failed; retried at the next interval", e);
        }
    }

    /** Moves the recorder's counts into the buffer, dropping what does not fit (FLEET-DOWN-2). */
    @GuardedBy("this")
    private void take() {
        List<DailyAggregate> taken = recorder.takeCounts();
        long dropped = 0;
        int room = maxBufferedRows - heldRows();
        for (DailyAggregate a : taken) {
            int used = buffer.add(a, room, pending);
            if (used < 0) {
                dropped += a.successfulSessions() + a.failedSessions();
            } else {
                room -= used;
            }
        }
        if (dropped > 0) {
            database.droppedSessions.addAndGet(dropped);
            LOG.warn(
                    "TLSRPT count buffer full ({} rows): {} sessions dropped while the fleet database is away",
                    maxBufferedRows,
                    dropped);
            long n = dropped;
            notify(l -> l.countsDropped(n));
        }
    }

    /** What a batch transaction did, known as soon as it has decided (even if its commit then fails). */
    private static final class Attempt {
        /** The batch number whose content the transaction upserted, 0 before it decided. */
        long number;

        /** The rows it upserted. */
        @Nullable
        CountRows rows;
    }

    /**
     * Writes the pending batch and the buffer in one transaction; whether everything is in the
     * database now. The pending batch (number {@link #batch}) is one whose transaction failed, so it
     * may have committed: its flush-log row says. Not applied: it is written with the buffer merged
     * in, under its number. Applied: only the buffer is written, under the next number.
     */
    @GuardedBy("this")
    private boolean write() {
        if (pending == null && buffer.isEmpty()) {
            return true;
        }
        if (!database.mayTry()) {
            return false;
        }
        CountRows before = pending;
        CountRows fresh = buffer;
        long number = batch;
        Attempt attempt = new Attempt();
        boolean ok;
        try {
            database.runNow("flush TLSRPT counts", answerTimeout, c -> {
                writeBatch(c, before, fresh, number, attempt);
                return Boolean.TRUE;
            });
            ok = true;
        } catch (FleetDatabase.Unavailable e) {
            LOG.debug("TLSRPT counts batch {} not written, kept for the next flush: {}", number, e.getMessage());
            ok = false;
        }
        CountRows written = attempt.rows;
        if (written == null) {
            // Failed before it decided anything: nothing was committed, the state stays as it was.
            return false;
        }
        buffer = new CountRows();
        if (ok) {
            pending = null;
            batch = attempt.number + 1;
            if (!written.isEmpty()) {
                notify(l -> l.countsFlushed(written.size(), written.sessions()));
            }
            return true;
        }
        // Decided but not known to be committed: that exact content, under that number, is pending.
        pending = written;
        batch = attempt.number;
        return false;
    }

    /** The batch transaction (see {@link #write()}). */
    private void writeBatch(Connection c, @Nullable CountRows before, CountRows fresh, long number, Attempt attempt)
            throws SQLException {
        OffsetDateTime now = OffsetDateTime.ofInstant(database.clock().instant(), ZoneOffset.UTC);
        if (before == null) {
            // A number is only reused for a pending batch, so a fresh one is never in the log.
            if (!logBatch(c, number, fresh, now)) {
                throw new SQLException("TLSRPT batch " + number + " of epoch " + epoch + " exists already", "XX000");
            }
            attempt.number = number;
            attempt.rows = fresh;
        } else {
            CountRows merged = before.plus(fresh);
            if (logBatch(c, number, merged, now)) {
                attempt.number = number;
                attempt.rows = merged;
            } else {
                LOG.info("TLSRPT counts batch {} was already in the database (its acknowledgment was lost)", number);
                if (fresh.isEmpty()) {
                    attempt.number = number;
                    attempt.rows = fresh;
                    return;
                }
                if (!logBatch(c, number + 1, fresh, now)) {
                    throw new SQLException(
                            "TLSRPT batch " + (number + 1) + " of epoch " + epoch + " exists already", "XX000");
                }
                attempt.number = number + 1;
                attempt.rows = fresh;
            }
        }
        upsert(c, attempt.rows, now);
    }

    /** Adds the batch to the flush log; false when it is there already (applied before). */
    private boolean logBatch(Connection c, long number, CountRows rows, OffsetDateTime now) throws SQLException {
        try (PreparedStatement log = c.prepareStatement(LOG_BATCH)) {
            log.setString(1, database.nodeId());
            log.setString(2, epoch);
            log.setLong(3, number);
            log.setInt(4, rows.size());
            log.setLong(5, rows.sessions());
            log.setObject(6, now);
            return log.executeUpdate() == 1;
        }
    }

    private void upsert(Connection c, @Nullable CountRows rows, OffsetDateTime now) throws SQLException {
        if (rows == null || rows.isEmpty()) {
            return;
        }
        List<CountRows.Row> sorted = rows.sorted();
        int n = sorted.size();
        String[] day = new String[n];
        String[] domain = new String[n];
        String[] policyKey = new String[n];
        String[] detailKey = new String[n];
        String[] policyJson = new String[n];
        String[] detailJson = new String[n];
        Long[] successful = new Long[n];
        Long[] failed = new Long[n];
        Long[] overflow = new Long[n];
        Long[] detailCount = new Long[n];
        for (int i = 0; i < n; i++) {
            CountRows.Row r = sorted.get(i);
            day[i] = r.key.day().toString();
            domain[i] = r.key.policyDomain();
            policyKey[i] = r.key.policyKey();
            detailKey[i] = r.key.detailKey();
            policyJson[i] = r.policyJson;
            detailJson[i] = r.detailJson;
            successful[i] = r.successful;
            failed[i] = r.failed;
            overflow[i] = r.overflow;
            detailCount[i] = r.detailCount;
        }
        try (PreparedStatement upsert = c.prepareStatement(UPSERT)) {
            upsert.setObject(1, now);
            upsert.setArray(2, c.createArrayOf("text", day));
            upsert.setArray(3, c.createArrayOf("text", domain));
            upsert.setArray(4, c.createArrayOf("text", policyKey));
            upsert.setArray(5, c.createArrayOf("text", detailKey));
            upsert.setArray(6, c.createArrayOf("text", policyJson));
            upsert.setArray(7, c.createArrayOf("text", detailJson));
            upsert.setArray(8, c.createArrayOf("bigint", successful));
            upsert.setArray(9, c.createArrayOf("bigint", failed));
            upsert.setArray(10, c.createArrayOf("bigint", overflow));
            upsert.setArray(11, c.createArrayOf("bigint", detailCount));
            upsert.executeUpdate();
        }
        markLate(c, rows);
    }

    private void markLate(Connection c, CountRows rows) throws SQLException {
        Map<Map.Entry<LocalDate, String>, Long> byReport = rows.sessionsByReport();
        int n = byReport.size();
        String[] day = new String[n];
        String[] domain = new String[n];
        Long[] sessions = new Long[n];
        int i = 0;
        for (Map.Entry<Map.Entry<LocalDate, String>, Long> e : byReport.entrySet()) {
            day[i] = e.getKey().getKey().toString();
            domain[i] = e.getKey().getValue();
            sessions[i] = e.getValue();
            i++;
        }
        try (PreparedStatement late = c.prepareStatement(LATE)) {
            Array days = c.createArrayOf("text", day);
            late.setArray(1, days);
            late.setArray(2, c.createArrayOf("text", domain));
            late.setArray(3, c.createArrayOf("bigint", sessions));
            try (ResultSet r = late.executeQuery()) {
                while (r.next()) {
                    LocalDate d = r.getObject(1, LocalDate.class);
                    String policyDomain = r.getString(2);
                    long count = r.getLong(3);
                    LOG.warn(
                            "{} TLSRPT sessions of {} on {} arrived after its report was built; they are"
                                    + " kept in the counts but not reported (raise closeDelay above the flush interval)",
                            count,
                            policyDomain,
                            d);
                    notify(l -> l.countsLate(policyDomain, d, count));
                }
            }
        }
    }

    @GuardedBy("this")
    private void publishBufferedRows() {
        long held = heldRows();
        database.bufferedRows.addAndGet(held - reportedRows);
        reportedRows = held;
    }

    private void notify(java.util.function.Consumer<FleetListener> event) {
        try {
            event.accept(database.listener());
        } catch (RuntimeException e) {
            LOG.warn("fleet listener failed", e);
        }
    }

    /**
     * Stops the periodic flush, then flushes once more. A server that stopped answering holds it up
     * for about {@link Builder#answerTimeout} per unanswered request, not for ever; getting a
     * connection is bounded by the data source (use a pool with a connection timeout). What could
     * not be written is lost, and logged.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        flusher.shutdown();
        try {
            if (!flusher.awaitTermination(database.operationTimeout().toMillis() * 4 + 5000, TimeUnit.MILLISECONDS)) {
                flusher.shutdownNow();
            }
        } catch (InterruptedException e) {
            flusher.shutdownNow();
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (!flush()) {
                long rows = heldRows();
                LOG.warn("closing with {} TLSRPT count rows not written: the fleet database is away", rows);
            }
        }
    }

    /** Configures a {@link FleetRecorder}; not thread-safe. */
    public static final class Builder {
        final FleetDatabase database;
        final TlsRptRecorder recorder;
        Duration flushInterval = Duration.ofSeconds(10);
        Duration answerTimeout = Duration.ofSeconds(30);
        int maxBufferedRows = 100_000;

        private Builder(FleetDatabase database, TlsRptRecorder recorder) {
            this.database = requireNonNull(database, "database");
            this.recorder = requireNonNull(recorder, "recorder");
        }

        /** How often counts are flushed (default 10 s): what a node crash can lose (FLEET-COUNT-3). */
        public Builder flushInterval(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("flushInterval must be positive but was " + interval);
            }
            this.flushInterval = interval;
            return this;
        }

        /**
         * How long a flush waits at most for each answer of the server (default 30 s; a shorter socket
         * timeout of the data source stays): a server that stops answering fails the flush after that
         * long, the counts stay buffered, and {@link #close()} does not hang on it (FLEET-DOWN-2).
         * Keep it well above the time one batch takes to write.
         */
        public Builder answerTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("answerTimeout must be positive but was " + timeout);
            }
            this.answerTimeout = timeout;
            return this;
        }

        /** Most distinct count rows buffered while the database is down (default 100,000). */
        public Builder maxBufferedRows(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxBufferedRows must be at least 1 but was " + max);
            }
            this.maxBufferedRows = max;
            return this;
        }

        /** The recorder's flusher, started. */
        public FleetRecorder build() {
            return new FleetRecorder(this);
        }
    }
}
