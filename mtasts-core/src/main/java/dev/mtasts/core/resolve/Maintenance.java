package dev.mtasts.core.resolve;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.mtasts.core.time.Scheduler;
import dev.mtasts.core.time.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cache upkeep: proactive refresh of policies before they expire (STS-CACHE-6) and cleanup of
 * expired, unused and idle entries (STS-CACHE-8), once per {@link #run()} or periodically on a
 * {@link Scheduler}.
 */
final class Maintenance implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Maintenance.class);

    private final DomainTable table;
    private final LookupRunner lookups;
    private final Clock clock;
    private final Ticker ticker;
    private final Duration expireUnusedAfter;

    @GuardedBy("this")
    private Scheduler.@Nullable Cancellable next;

    @GuardedBy("this")
    private boolean closed;

    Maintenance(DomainTable table, LookupRunner lookups, Clock clock, Ticker ticker, Duration expireUnusedAfter) {
        this.table = table;
        this.lookups = lookups;
        this.clock = clock;
        this.ticker = ticker;
        this.expireUnusedAfter = expireUnusedAfter;
    }

    /**
     * One pass: forgets idle and unused domains, starts the refreshes that are due and deletes
     * expired stored policies.
     *
     * @return completes when the refreshes started here have completed (never exceptionally)
     */
    CompletionStage<Void> run() {
        Instant now = clock.instant();
        table.forgetIdle();
        List<CompletableFuture<PolicyResult>> refreshes = new ArrayList<>();
        for (DomainState state : table.withPolicy()) {
            if (table.forgetIfUnused(state, expireUnusedAfter)) {
                continue;
            }
            Optional<PolicyResult.PolicyFound> entry = table.liveEntry(state, now);
            // A failed id stays held back during its back-off, refresh or not (RFC 8461 §3.3).
            if (entry.isPresent()
                    && state.refreshDue(now)
                    && state.heldBack(entry.get().id(), ticker.read()).isEmpty()) {
                refreshes.add(lookups.lookup(state.domain, LookupKind.PROACTIVE));
            }
        }
        table.purgeExpiredStored();
        return CompletableFuture.allOf(refreshes.toArray(new CompletableFuture<?>[0]))
                .minimalCompletionStage();
    }

    /** Runs {@link #run()} every {@code period} on {@code scheduler} until {@link #close()}. */
    synchronized void every(Scheduler scheduler, Duration period) {
        if (!closed) {
            next = scheduler.schedule(period, () -> {
                runQuietly();
                every(scheduler, period);
            });
        }
    }

    /** Stops the periodic runs; a run already started completes. */
    @Override
    public synchronized void close() {
        closed = true;
        Scheduler.Cancellable task = next;
        if (task != null) {
            task.cancel();
            next = null;
        }
    }

    private void runQuietly() {
        try {
            CompletionStage<Void> unused = run(); // refreshes report through the listener
        } catch (RuntimeException e) {
            // A failing store must not end the periodic runs.
            LOG.warn("MTA-STS cache maintenance failed", e);
        }
    }
}
