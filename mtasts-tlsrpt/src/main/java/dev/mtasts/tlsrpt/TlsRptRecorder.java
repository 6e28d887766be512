package dev.mtasts.tlsrpt;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.mtasts.core.tls.TlsSessionOutcome;
import java.net.InetAddress;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts TLS sessions for SMTP TLS reports (sender side, RFC 8460 §4): an MTA calls {@link
 * #recordSuccess} or {@link #recordFailure} once per session, keyed by the {@link AppliedPolicy}
 * it applied. Sessions are bucketed by their UTC day (RPT-DAY-1) from the injected clock. Sessions
 * that delivered TLS reports must not be recorded (RPT-AGG-5), nor connection failures before
 * STARTTLS (RPT-TYPE-3 DECISION).
 *
 * <p>Thread-safe and lock-free on the hot path (no I/O, RPT-AGG-9): a recorded success costs a clock
 * read, one hash lookup and three {@link LongAdder} updates (the count, and the in-flight mark a
 * drain waits for). Memory per policy and day is bounded:
 * at most {@code maxFailureDetails} distinct failure details are kept; further distinct ones are
 * counted in {@link DailyAggregate#overflowFailures()}.
 *
 * <p>Once a day has been drained, sessions dated on it (a clock read just before midnight, recorded
 * after the drain) count towards the oldest day not yet drained, so no second report with the same
 * {@code report-id} can be built for a drained day (RPT-AGG-8, RPT-READ-5). A session racing with
 * the drain of its own bucket is drained whole or counted in the next open day, never lost or split
 * (the drain waits for sessions in flight). Draining also forgets the per-policy slots of drained days, so memory is bounded by
 * the policies seen since the last drain (RPT-AGG-9).
 */
public final class TlsRptRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(TlsRptRecorder.class);
    private static final long DAY_MILLIS = 86_400_000L;

    private final Clock clock;
    private final int maxFailureDetails;
    private final TlsRptStore store;
    private final SessionRecording sessionRecording;
    private final ConcurrentHashMap<AppliedPolicy, Slot> slots = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<BucketKey, Bucket> buckets = new ConcurrentHashMap<>();
    /** Guards bucket creation against draining; the hot path with a cached bucket never takes it. */
    private final Object drainLock = new Object();
    /** Days before this one have been drained: no new bucket may be created for them. */
    @GuardedBy("drainLock")
    private long drainedBefore = Long.MIN_VALUE;

    private TlsRptRecorder(Builder b) {
        this.clock = b.clock;
        this.maxFailureDetails = b.maxFailureDetails;
        this.store = b.store;
        this.sessionRecording = new SessionRecording(this, b.appliedPolicies, b.defaultSendingIp);
        for (DailyAggregate a : loadOrNothing(store)) {
            Bucket bucket = bucket(a.day().toEpochDay(), a.policy());
            bucket.success.add(a.successfulSessions());
            bucket.failed.add(a.failedSessions());
            bucket.overflow.add(a.overflowFailures());
            a.failures().forEach((f, n) -> {
                LongAdder counter = bucket.detail(f);
                (counter == null ? bucket.overflow : counter).add(n);
            });
        }
    }

    /** A store that cannot load must not stop the MTA from counting: start from zero and say so. */
    private static List<DailyAggregate> loadOrNothing(TlsRptStore store) {
        try {
            return store.load();
        } catch (RuntimeException e) {
            LOG.warn("cannot load TLSRPT counts from {}; counting starts from zero", store, e);
            return List.of();
        }
    }

    /** A builder: system UTC clock, 1000 distinct failure details, in-memory store. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * This recorder as the listener a delivery reports each SMTP session to ({@code
     * dev.mtasts.core.delivery.MxSessionListener}): it works out the applied policy and the
     * session's failures and never throws or blocks. The same instance on every call.
     */
    public SessionRecording sessionListener() {
        return sessionRecording;
    }

    /** Records one policy-compliant TLS session (RPT-AGG-4). */
    public void recordSuccess(AppliedPolicy policy) {
        Bucket b = enter(policy);
        b.success.increment();
        b.inFlight.decrement();
    }

    /**
     * Records one failed session with one or more failures; the session counts once in the total and
     * once per distinct failure (RPT-AGG-4). Failures in {@code testing} mode count as failures.
     */
    public void recordFailure(AppliedPolicy policy, SessionFailure... failures) {
        recordFailure(policy, List.of(failures));
    }

    /** As {@link #recordFailure(AppliedPolicy, SessionFailure...)}. */
    public void recordFailure(AppliedPolicy policy, List<SessionFailure> failures) {
        if (failures.isEmpty()) {
            throw new IllegalArgumentException("a failed session needs at least one failure");
        }
        recordFailure(policy, failures, 0);
    }

    /**
     * Records one failed session with its detailed failures and {@code undetailed} more that cannot
     * be written as details (counted with {@link DailyAggregate#overflowFailures()}).
     */
    void recordFailure(AppliedPolicy policy, List<SessionFailure> failures, int undetailed) {
        Bucket b = enter(policy);
        try {
            b.failed.increment();
            if (undetailed > 0) {
                b.overflow.add(undetailed);
            }
            for (int i = 0; i < failures.size(); i++) {
                SessionFailure f = failures.get(i);
                if (failures.subList(0, i).contains(f)) {
                    continue;
                }
                LongAdder counter = b.details.get(f);
                if (counter == null) {
                    counter = b.detail(f);
                }
                (counter == null ? b.overflow : counter).increment();
            }
        } finally {
            b.inFlight.decrement();
        }
    }

    /**
     * The bucket for a session now, registered as in flight so a drain waits for the whole session
     * (its total and each detail) before summing: a session is drained whole or not at all
     * (RPT-AGG-4). Dekker-style: we register, then check {@code drained}; the drain sets {@code
     * drained}, then waits for the in-flight count; one of the two always sees the other.
     */
    private Bucket enter(AppliedPolicy policy) {
        while (true) {
            Bucket b = current(policy);
            b.inFlight.increment();
            if (!b.drained) {
                return b;
            }
            b.inFlight.decrement();
        }
    }

    /**
     * Records one session as classified by {@link dev.mtasts.core.tls.TlsFailureClassifier}: a
     * success, a failure at {@code mx} with its result type and reason code, or nothing for {@link
     * TlsSessionOutcome.NotReportable} (RPT-TYPE-3).
     *
     * @return whether the session was counted
     */
    public boolean record(AppliedPolicy policy, TlsSessionOutcome outcome, MxEndpoint mx) {
        if (outcome instanceof TlsSessionOutcome.Failed f) {
            recordFailure(policy, SessionFailure.at(f.resultType(), mx, f.reasonCode()));
            return true;
        }
        if (outcome instanceof TlsSessionOutcome.Succeeded) {
            recordSuccess(policy);
            return true;
        }
        return false;
    }

    private Bucket current(AppliedPolicy policy) {
        long day = Math.floorDiv(clock.millis(), DAY_MILLIS);
        Slot slot = slots.get(policy);
        if (slot == null) {
            slot = slots.computeIfAbsent(policy, p -> new Slot());
        }
        Bucket b = slot.current;
        if (b == null || b.day != day || b.drained) {
            synchronized (drainLock) {
                // A late session for a drained day joins the oldest open day (no duplicate report-id).
                b = bucket(Math.max(day, drainedBefore), policy);
                slot.current = b;
            }
        }
        return b;
    }

    private Bucket bucket(long day, AppliedPolicy policy) {
        return buckets.computeIfAbsent(new BucketKey(day, policy), k -> new Bucket(k.day, maxFailureDetails));
    }

    /** The counts of every day so far, completed or not, sorted by day (for monitoring and {@link #flush}). */
    public List<DailyAggregate> snapshot() {
        List<DailyAggregate> out = new ArrayList<>();
        buckets.forEach((k, b) -> out.add(b.toAggregate(k.policy)));
        out.sort(Comparator.comparing(DailyAggregate::day)
                .thenComparing(a -> a.policy().policyDomain()));
        return out;
    }

    /**
     * Removes and returns the counts of UTC days before today, ready for report building, and saves
     * the remaining state to the store. From here on the caller owns those counts: build and hand
     * the reports to a {@link TlsRptDeliverer} (or keep the aggregates) before a restart could lose
     * them.
     */
    public List<DailyAggregate> drainCompletedDays() {
        List<DailyAggregate> out = new ArrayList<>();
        synchronized (drainLock) {
            long today = Math.max(Math.floorDiv(clock.millis(), DAY_MILLIS), drainedBefore);
            drainedBefore = today;
            for (Map.Entry<BucketKey, Bucket> e : buckets.entrySet()) {
                Bucket bucket = e.getValue();
                if (e.getKey().day < today && buckets.remove(e.getKey(), bucket)) {
                    bucket.drained = true;
                    bucket.awaitQuiescence();
                    out.add(bucket.toAggregate(e.getKey().policy));
                    // RPT-AGG-9: a slot whose bucket is drained holds nothing; forget it.
                    slots.computeIfPresent(e.getKey().policy, (p, slot) -> slot.current == bucket ? null : slot);
                }
            }
        }
        out.sort(Comparator.comparing(DailyAggregate::day)
                .thenComparing(a -> a.policy().policyDomain()));
        flush();
        return out;
    }

    /**
     * Removes and returns every count recorded so far, today's included, for a caller that keeps the
     * totals elsewhere (a fleet's database, FLEET-COUNT-1). Sessions recorded meanwhile go to fresh
     * counters and are returned by the next call: each session is returned exactly once, whole
     * (RPT-AGG-4). Unlike {@link #drainCompletedDays()}, no day is closed: later sessions of the same
     * day are still counted under it. The recorder's own store is not written.
     */
    public List<DailyAggregate> takeCounts() {
        List<DailyAggregate> out = new ArrayList<>();
        synchronized (drainLock) {
            // drainedBefore stays: the same day goes on in a fresh bucket, the next take returns it.
            for (Map.Entry<BucketKey, Bucket> e : buckets.entrySet()) {
                Bucket bucket = e.getValue();
                if (buckets.remove(e.getKey(), bucket)) {
                    bucket.drained = true;
                    bucket.awaitQuiescence();
                    if (!bucket.isEmpty()) {
                        out.add(bucket.toAggregate(e.getKey().policy));
                    }
                    slots.computeIfPresent(e.getKey().policy, (p, slot) -> slot.current == bucket ? null : slot);
                }
            }
        }
        out.sort(Comparator.comparing(DailyAggregate::day)
                .thenComparing(a -> a.policy().policyDomain()));
        return out;
    }

    /** Saves every count not yet drained to the store, so a restart continues from here. */
    public synchronized void flush() {
        store.save(snapshot());
    }

    /** Policies with a cached slot (for tests of RPT-AGG-9). */
    int slotCount() {
        return slots.size();
    }

    private record BucketKey(long day, AppliedPolicy policy) {}

    /** The bucket a policy's sessions go to today, cached so the hot path skips the bucket map. */
    private static final class Slot {
        volatile @Nullable Bucket current;
    }

    private static final class Bucket {
        final long day;
        final LongAdder success = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder overflow = new LongAdder();
        final AtomicInteger distinct = new AtomicInteger();
        /** Sessions being counted into this bucket right now (see {@link TlsRptRecorder#enter}). */
        final LongAdder inFlight = new LongAdder();

        final ConcurrentHashMap<SessionFailure, LongAdder> details;
        final int maxDetails;
        volatile boolean drained;

        Bucket(long day, int maxDetails) {
            this.day = day;
            this.maxDetails = maxDetails;
            this.details = new ConcurrentHashMap<>(Math.min(maxDetails, 16));
        }

        /** The counter of {@code f}, or null when the cap of distinct details is reached. */
        @Nullable
        LongAdder detail(SessionFailure f) {
            return details.computeIfAbsent(f, k -> {
                // Reserve a place atomically: a check-then-act here let N threads overshoot by N.
                if (distinct.getAndIncrement() >= maxDetails) {
                    distinct.decrementAndGet();
                    return null;
                }
                return new LongAdder();
            });
        }

        /**
         * Waits, after {@code drained} was set, for the sessions already counting into this bucket:
         * a few increments each, so the wait is a short spin, never a sleep. A sum that misses a
         * decrement only spins longer; it cannot miss an increment made before {@code drained} was set.
         */
        void awaitQuiescence() {
            while (inFlight.sum() != 0) {
                Thread.onSpinWait();
            }
        }

        /**
         * Whether nothing was counted: a session that entered just as the bucket was taken left
         * again without counting (see {@link TlsRptRecorder#enter}).
         */
        boolean isEmpty() {
            return success.sum() == 0 && failed.sum() == 0 && overflow.sum() == 0 && details.isEmpty();
        }

        DailyAggregate toAggregate(AppliedPolicy policy) {
            Map<SessionFailure, Long> counts = new LinkedHashMap<>();
            details.forEach((f, n) -> counts.put(f, n.sum()));
            return new DailyAggregate(
                    LocalDate.ofEpochDay(day), policy, success.sum(), failed.sum(), counts, overflow.sum());
        }
    }

    /** Configures a {@link TlsRptRecorder}; not thread-safe. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private int maxFailureDetails = 1000;
        private TlsRptStore store = TlsRptStore.inMemory();
        private Optional<InetAddress> defaultSendingIp = Optional.empty();
        private AppliedPolicies appliedPolicies = AppliedPolicies.bounded(AppliedPolicies.DEFAULT_MAX_ENTRIES);

        private Builder() {}

        /** The clock sessions are dated by (default system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Cap on distinct failure details per policy and day (default 1000). */
        public Builder maxFailureDetails(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxFailureDetails must be at least 1 but was " + max);
            }
            this.maxFailureDetails = max;
            return this;
        }

        /** Where counts are saved and, at build time, loaded from (default in memory). */
        public Builder store(TlsRptStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * The {@code sending-mta-ip} of failures whose {@link dev.mtasts.core.delivery.MxSession}
         * has no sending address (default none: such failures are counted without it, RPT-JSON-4).
         */
        public Builder defaultSendingIp(InetAddress address) {
            this.defaultSendingIp = Optional.of(address);
            return this;
        }

        /**
         * The cache the {@link #sessionListener()} keys sessions with (default {@link
         * AppliedPolicies#DEFAULT_MAX_ENTRIES} entries); share one between recorders if you like.
         */
        public Builder appliedPolicies(AppliedPolicies appliedPolicies) {
            this.appliedPolicies = Objects.requireNonNull(appliedPolicies, "appliedPolicies");
            return this;
        }

        /** The recorder, seeded with the store's saved counts. */
        public TlsRptRecorder build() {
            return new TlsRptRecorder(this);
        }
    }
}
