package dev.mtasts.store.jdbc;

import static java.util.Objects.requireNonNull;

import dev.mtasts.tlsrpt.TlsRptRecorder;
import java.time.Duration;

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
 * FleetListener#countsDropped}), and the buffer is flushed on recovery (FLEET-DOWN-2). Thread-safe.
 */
public final class FleetRecorder implements AutoCloseable {

    private FleetRecorder(Builder b) {
        throw new UnsupportedOperationException("TODO");
    }

    /** A builder flushing {@code recorder}'s counts into {@code database}. */
    public static Builder builder(FleetDatabase database, TlsRptRecorder recorder) {
        return new Builder(database, recorder);
    }

    /**
     * Takes the counts recorded so far and writes them with what is buffered, now, on the calling
     * thread; whether everything was written (false: it stays buffered for the next flush).
     */
    public boolean flush() {
        throw new UnsupportedOperationException("TODO");
    }

    /** Stops the periodic flush, then flushes once more. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("TODO");
    }

    /** Configures a {@link FleetRecorder}; not thread-safe. */
    public static final class Builder {
        final FleetDatabase database;
        final TlsRptRecorder recorder;
        Duration flushInterval = Duration.ofSeconds(10);
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
