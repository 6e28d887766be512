package dev.mtasts.store.jdbc;

import static java.util.Objects.requireNonNull;

import dev.mtasts.tlsrpt.DailyReportAssembler;
import dev.mtasts.tlsrpt.TlsRptDeliverer;
import dev.mtasts.tlsrpt.TxtLookup;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Builds and delivers the fleet's daily TLSRPT reports: exactly one report per policy domain and
 * UTC day, over every node's flushed counts, built and delivered by one node (FLEET-RPT-1). A node
 * claims a report with an expiring lease, renewed while it works; when it dies, the lease runs out
 * and the next node to run {@link #runDue()} takes the report over with the same {@code report-id}
 * and {@code rua} set (FLEET-RPT-2, RPT-AGG-8). The {@code _smtp._tls} record is read once, at the
 * first claim, and the report goes to that {@code rua} set (RPT-AGG-1). Run {@link #runDue()} on
 * every node, for instance hourly; a report is due once its day has ended and {@link
 * Builder#closeDelay} has passed, so late flushes are in it. Thread-safe.
 */
public final class FleetReports implements AutoCloseable {

    private FleetReports(Builder b) {
        throw new UnsupportedOperationException("TODO");
    }

    /** A builder; the assembler must not set a node id (one report for the whole fleet). */
    public static Builder builder(
            FleetDatabase database, DailyReportAssembler assembler, TlsRptDeliverer deliverer, TxtLookup lookup) {
        return new Builder(database, assembler, deliverer, lookup);
    }

    /**
     * Claims every due report no live node holds, builds each from the shared counts and starts its
     * delivery; each future completes when that delivery ends (never exceptionally). Reports another
     * node holds are left to it.
     */
    public List<CompletableFuture<FleetReport>> runDue() {
        throw new UnsupportedOperationException("TODO");
    }

    /** Stops renewing leases: reports still being delivered are taken over by another node later. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("TODO");
    }

    /** Configures {@link FleetReports}; not thread-safe. */
    public static final class Builder {
        final FleetDatabase database;
        final DailyReportAssembler assembler;
        final TlsRptDeliverer deliverer;
        final TxtLookup lookup;
        Duration lease = Duration.ofMinutes(5);
        Duration closeDelay = Duration.ofHours(1);

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

        /** The report runner. */
        public FleetReports build() {
            return new FleetReports(this);
        }
    }
}
