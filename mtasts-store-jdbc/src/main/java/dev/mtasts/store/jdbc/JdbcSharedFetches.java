package dev.mtasts.store.jdbc;

import dev.mtasts.core.cache.CachedPolicy;
import dev.mtasts.core.cache.FetchClaim;
import dev.mtasts.core.cache.FetchTurn;
import dev.mtasts.core.cache.SharedFetches;
import dev.mtasts.core.fetch.FetchProblem;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet's shared fetches on PostgreSQL (FLEET-FETCH-1, FLEET-FETCH-2, FLEET-FETCH-4): a turn takes a peer's
 * unexpired policy of the id, or the fleet's back-off of the id, or claims the domain's fetch lease
 * ({@code mtasts_fetch_lease}); a node that finds another's live lease polls, without holding a
 * thread, until the result or a back-off appears or the lease expires.
 *
 * <p>Clocks: the lease lives on the database's clock ({@code now()}), since it is both set and
 * checked by the database and node clocks differ; policy expiry and back-off ends are instants the
 * resolvers computed, compared with this node's clock (the resolver applies them with that clock
 * anyway). The database down or slow at any step makes the turn {@code Fetch(FetchClaim.NONE)} at
 * once: fetching locally is always safe (FLEET-DOWN-1). Thread-safe.
 */
final class JdbcSharedFetches implements SharedFetches {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcSharedFetches.class);

    private static final String SELECT_POLICY = "SELECT " + PolicyRows.COLUMNS
            + " FROM mtasts_policy WHERE domain = ? AND txt_id = ? AND expires_at > ? AND fetched_at > ?";
    private static final String SELECT_BACKOFF =
            "SELECT until, reason, detail FROM mtasts_fetch_backoff WHERE domain = ? AND txt_id = ? AND until > ?";

    /** Takes a free or expired lease; returns nothing while another claim's lease is live. */
    private static final String CLAIM = "INSERT INTO mtasts_fetch_lease (domain, txt_id, holder, claim_id, until)"
            + " VALUES (?, ?, ?, ?, now() + ? * interval '1 millisecond')"
            + " ON CONFLICT (domain) DO UPDATE SET txt_id = excluded.txt_id, holder = excluded.holder,"
            + " claim_id = excluded.claim_id, until = excluded.until"
            + " WHERE mtasts_fetch_lease.until <= now()"
            + " RETURNING claim_id";

    private static final String DELETE_LEASE = "DELETE FROM mtasts_fetch_lease WHERE domain = ? AND claim_id = ?";
    private static final String DELETE_BACKOFF = "DELETE FROM mtasts_fetch_backoff WHERE domain = ? AND txt_id = ?";
    private static final String UPSERT_BACKOFF =
            "INSERT INTO mtasts_fetch_backoff (domain, txt_id, until, reason, detail)"
                    + " VALUES (?, ?, ?, ?, ?)"
                    + " ON CONFLICT (domain, txt_id) DO UPDATE SET until = excluded.until, reason = excluded.reason,"
                    + " detail = excluded.detail";

    private final FleetDatabase database;
    private final PolicyWriter writer;
    private final ScheduledExecutorService scheduler;
    private final long leaseMillis;
    private final long pollNanos;

    JdbcSharedFetches(
            FleetDatabase database,
            PolicyWriter writer,
            ScheduledExecutorService scheduler,
            long leaseMillis,
            long pollNanos) {
        this.database = database;
        this.writer = writer;
        this.scheduler = scheduler;
        this.leaseMillis = leaseMillis;
        this.pollNanos = pollNanos;
    }

    /** What one step of a turn found in the database. */
    private sealed interface Step {}

    private record Found(FetchTurn turn) implements Step {}

    private record Won(String claimId) implements Step {}

    private record Lost() implements Step {}

    @Override
    public CompletionStage<FetchTurn> turn(String domain, String id, Optional<Instant> newerThan) {
        CompletableFuture<FetchTurn> result = new CompletableFuture<>();
        // Waiting ends when the lease we found must have expired: it was taken at most fetchLease ago.
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(leaseMillis) + pollNanos;
        attempt(domain, id, newerThan, deadline, result);
        return result;
    }

    private void attempt(
            String domain, String id, Optional<Instant> newerThan, long deadline, CompletableFuture<FetchTurn> result) {
        CompletableFuture<Step> step;
        try {
            step = database.submitTimed("fetch turn of " + domain, c -> step(c, domain, id, newerThan), late -> {
                // The turn went on without us (a local fetch): a lease won meanwhile would hold the
                // other nodes back for a fetch whose outcome is never told. Give it back.
                if (late instanceof Won w) {
                    LOG.debug("fetch turn of {} won its lease after the timeout; releasing it", domain);
                    writer.enqueue(
                            "claim\u0000" + w.claimId(),
                            "late claim of " + domain + " released",
                            c -> deleteLease(c, domain, w.claimId()));
                }
            });
        } catch (RuntimeException e) {
            local(result, domain, e);
            return;
        }
        step.whenComplete((found, failure) -> {
            try {
                if (failure != null) {
                    local(result, domain, failure);
                } else if (found instanceof Found f) {
                    notifyListener(f.turn(), domain, id);
                    result.complete(f.turn());
                } else if (found instanceof Won w) {
                    result.complete(new FetchTurn.Fetch(new Claim(domain, id, w.claimId())));
                } else if (System.nanoTime() - deadline >= 0) {
                    // The lease seen must be over by now; someone else took it again. Fetch alone.
                    LOG.info("fetch of {} still claimed by another node after the lease; fetching here", domain);
                    result.complete(new FetchTurn.Fetch(FetchClaim.NONE));
                } else {
                    scheduler.schedule(
                            () -> attempt(domain, id, newerThan, deadline, result), pollNanos, TimeUnit.NANOSECONDS);
                }
            } catch (RuntimeException e) { // RejectedExecutionException after close, a listener bug
                local(result, domain, e);
            }
        });
    }

    private static void local(CompletableFuture<FetchTurn> result, String domain, Throwable why) {
        if (!(why instanceof RejectedExecutionException) && !(why instanceof FleetDatabase.Unavailable)) {
            LOG.warn("fetch turn of {} failed: {}; fetching here", domain, why.toString());
        } else {
            LOG.debug("fetch turn of {}: {}; fetching here", domain, why.toString());
        }
        result.complete(new FetchTurn.Fetch(FetchClaim.NONE));
    }

    private void notifyListener(FetchTurn turn, String domain, String id) {
        try {
            if (turn instanceof FetchTurn.Shared) {
                database.listener().fetchShared(domain, id);
            } else if (turn instanceof FetchTurn.HeldBack) {
                database.listener().fetchHeldBack(domain, id);
            }
        } catch (RuntimeException e) {
            LOG.warn("fleet listener failed", e);
        }
    }

    /**
     * One step, in one transaction. The lease is claimed FIRST and the result rows read after: a
     * peer writes its result and drops its lease in one transaction, so once our claim got past its
     * lease, its result is visible to the reads that follow (read committed takes a new snapshot per
     * statement). Reading first would leave a window where neither is seen and the domain is fetched
     * twice. A claim won together with a result found is undone with the transaction's other work.
     */
    private Step step(Connection c, String domain, String id, Optional<Instant> newerThan) throws SQLException {
        Instant now = database.clock().instant();
        String claimId = UUID.randomUUID().toString();
        boolean won;
        try (PreparedStatement s = c.prepareStatement(CLAIM)) {
            s.setString(1, domain);
            s.setString(2, id);
            s.setString(3, database.nodeId());
            s.setString(4, claimId);
            s.setLong(5, leaseMillis);
            try (ResultSet r = s.executeQuery()) {
                won = r.next();
            }
        }
        Optional<FetchTurn> found = peerResult(c, domain, id, newerThan, now);
        if (found.isPresent()) {
            if (won) {
                deleteLease(c, domain, claimId);
            }
            return new Found(found.get());
        }
        return won ? new Won(claimId) : new Lost();
    }

    private Optional<FetchTurn> peerResult(
            Connection c, String domain, String id, Optional<Instant> newerThan, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(SELECT_POLICY)) {
            s.setString(1, domain);
            s.setString(2, id);
            s.setObject(3, PolicyRows.timestamp(now));
            s.setObject(4, PolicyRows.timestamp(newerThan.orElse(Instant.EPOCH)));
            try (ResultSet r = s.executeQuery()) {
                if (r.next()) {
                    Optional<CachedPolicy> policy = PolicyRows.read(r);
                    if (policy.isPresent()) {
                        return Optional.of(new FetchTurn.Shared(policy.get()));
                    }
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement(SELECT_BACKOFF)) {
            s.setString(1, domain);
            s.setString(2, id);
            s.setObject(3, PolicyRows.timestamp(now));
            try (ResultSet r = s.executeQuery()) {
                if (r.next()) {
                    Instant until = PolicyRows.instant(r, 1);
                    String reason = r.getString(2);
                    String detail = r.getString(3);
                    try {
                        FetchProblem problem = FetchProblem.of(FetchProblem.Reason.valueOf(reason), detail);
                        return Optional.of(new FetchTurn.HeldBack(problem, until));
                    } catch (IllegalArgumentException e) {
                        // A reason this code does not know (a newer node wrote it): fetch instead.
                        LOG.warn("skipping the back-off of {} (id {}): unknown reason '{}'", domain, id, reason);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static void deleteLease(Connection c, String domain, String claimId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(DELETE_LEASE)) {
            s.setString(1, domain);
            s.setString(2, claimId);
            s.executeUpdate();
        }
    }

    /**
     * This node's claim on one fetch. Its outcome is written by the store's writer thread after the
     * writes queued before it (the resolver stores the policy before it reports success), and the
     * success writes the policy again itself, so a peer never sees the lease gone without the result.
     */
    private final class Claim implements FetchClaim {
        private final String domain;
        private final String id;
        private final String claimId;
        private final AtomicBoolean done = new AtomicBoolean();

        Claim(String domain, String id, String claimId) {
            this.domain = domain;
            this.id = id;
            this.claimId = claimId;
        }

        private boolean first(String what) {
            if (done.compareAndSet(false, true)) {
                return true;
            }
            LOG.warn("fetch claim of {} (id {}) completed twice; ignoring {}", domain, id, what);
            return false;
        }

        @Override
        public void succeeded(CachedPolicy policy) {
            if (!first("succeeded")) {
                return;
            }
            String node = database.nodeId();
            writer.enqueue(key(), "fetch of " + domain + " succeeded", c -> {
                PolicyRows.upsert(c, policy, node);
                try (PreparedStatement s = c.prepareStatement(DELETE_BACKOFF)) {
                    s.setString(1, domain);
                    s.setString(2, id);
                    s.executeUpdate();
                }
                deleteLease(c, domain, claimId);
            });
        }

        @Override
        public void failed(FetchProblem failure, Instant until) {
            if (!first("failed")) {
                return;
            }
            writer.enqueue(key(), "fetch of " + domain + " failed", c -> {
                try (PreparedStatement s = c.prepareStatement(UPSERT_BACKOFF)) {
                    s.setString(1, domain);
                    s.setString(2, id);
                    s.setObject(3, PolicyRows.timestamp(until));
                    s.setString(4, failure.reason().name());
                    s.setString(5, failure.detail());
                    s.executeUpdate();
                }
                deleteLease(c, domain, claimId);
            });
        }

        @Override
        public void released() {
            if (!first("released")) {
                return;
            }
            writer.enqueue(key(), "fetch of " + domain + " released", c -> deleteLease(c, domain, claimId));
        }

        /** Claims are never replaced by one another: each releases its own lease. */
        private String key() {
            return "claim\u0000" + claimId;
        }

        @Override
        public String toString() {
            return "FetchClaim{" + domain + ", id " + id + ", " + claimId + "}";
        }
    }
}
