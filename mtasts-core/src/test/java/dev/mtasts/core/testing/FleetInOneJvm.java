package dev.mtasts.core.testing;

import dev.mtasts.core.cache.CachedPolicy;
import dev.mtasts.core.cache.FetchClaim;
import dev.mtasts.core.cache.FetchTurn;
import dev.mtasts.core.cache.PolicyStore;
import dev.mtasts.core.cache.SharedFetches;
import dev.mtasts.core.fetch.FetchProblem;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A fleet in one JVM: the {@link PolicyStore} and {@link SharedFetches} that several {@code MtaSts}
 * instances share, as processes share a database, in memory. One fetch of a domain at a time (a
 * lease per domain: the others wait for its outcome without blocking a thread), a peer's unexpired
 * policy answers a turn when it is newer than the caller's, a failed fetch holds every instance back
 * until its {@code until}. Outcomes reach waiting instances on the fleet's own thread, as a database
 * poller's would. Records every turn and every claim's calls, so tests can assert the protocol.
 *
 * <p>{@link #notShared(Clock)} is the same store without {@code sharedFetches()}: a store of one
 * process, for comparison.
 */
public final class FleetInOneJvm implements AutoCloseable {
    private final Clock clock;
    private final boolean sharing;
    private final ExecutorService peers = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "fleet-in-one-jvm");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, CachedPolicy> rows = new ConcurrentHashMap<>();
    private final List<String> removed = new CopyOnWriteArrayList<>();
    private final List<Optional<Instant>> turns = new CopyOnWriteArrayList<>();
    private final List<Claim> claims = new CopyOnWriteArrayList<>();
    // Guarded by this.
    private final Map<String, FetchTurn.HeldBack> backoffs = new HashMap<>();
    private final Map<String, CompletableFuture<Void>> leases = new HashMap<>();
    private final Deque<Supplier<CompletionStage<FetchTurn>>> scripted = new ArrayDeque<>();
    private volatile boolean claimsThrow;
    private volatile boolean putsThrow;
    private final SharedFetches fetches = this::turn;
    private final PolicyStore store = new Store();

    private FleetInOneJvm(Clock clock, boolean sharing) {
        this.clock = clock;
        this.sharing = sharing;
    }

    /** A shared store: its {@code sharedFetches()} is this fleet's. */
    public static FleetInOneJvm shared(Clock clock) {
        return new FleetInOneJvm(clock, true);
    }

    /** The same store, not shared: {@code sharedFetches()} is empty. */
    public static FleetInOneJvm notShared(Clock clock) {
        return new FleetInOneJvm(clock, false);
    }

    /** The store every instance of the fleet uses. */
    public PolicyStore store() {
        return store;
    }

    /** The fleet's shared fetches, to call directly. */
    public SharedFetches fetches() {
        return fetches;
    }

    /** The next turn is {@code answer} instead of the fleet's decision (a broken or failing SPI). */
    public synchronized FleetInOneJvm script(Supplier<CompletionStage<FetchTurn>> answer) {
        scripted.add(answer);
        return this;
    }

    /** From now on every claim method records its call, then throws. */
    public FleetInOneJvm claimsThrow() {
        claimsThrow = true;
        return this;
    }

    /** From now on {@code put} throws (the database refused the write). */
    public FleetInOneJvm putsThrow() {
        putsThrow = true;
        return this;
    }

    /** Writes a row as a peer would. */
    public void put(CachedPolicy policy) {
        rows.put(policy.domain(), policy);
    }

    /** The stored row of {@code domain}, expired or not. */
    public Optional<CachedPolicy> row(String domain) {
        return Optional.ofNullable(rows.get(domain));
    }

    /** The domains removed from the store, in order. */
    public List<String> removed() {
        return List.copyOf(removed);
    }

    /** The {@code newerThan} of every turn asked, in order. */
    public List<Optional<Instant>> turns() {
        return List.copyOf(turns);
    }

    /** Every claim handed out, in order. */
    public List<Claim> claims() {
        return List.copyOf(claims);
    }

    @Override
    public void close() {
        peers.shutdownNow();
    }

    private CompletionStage<FetchTurn> turn(String domain, String id, Optional<Instant> newerThan) {
        turns.add(newerThan);
        Supplier<CompletionStage<FetchTurn>> answer;
        synchronized (this) {
            answer = scripted.poll();
        }
        return answer != null ? answer.get() : decide(domain, id, newerThan);
    }

    private synchronized CompletionStage<FetchTurn> decide(String domain, String id, Optional<Instant> newerThan) {
        Instant now = clock.instant();
        CachedPolicy row = rows.get(domain);
        if (row != null
                && row.id().equals(id)
                && row.isValidAt(now)
                && newerThan.map(t -> row.fetchedAt().isAfter(t)).orElse(true)) {
            return CompletableFuture.completedFuture(new FetchTurn.Shared(row));
        }
        FetchTurn.HeldBack held = backoffs.get(domain + " " + id);
        if (held != null && now.isBefore(held.until())) {
            return CompletableFuture.completedFuture(held);
        }
        CompletableFuture<Void> running = leases.get(domain);
        if (running != null) {
            // A peer fetches this domain: decide again once it reported, on the fleet's thread.
            return running.thenComposeAsync(done -> decide(domain, id, newerThan), peers);
        }
        CompletableFuture<Void> lease = new CompletableFuture<>();
        leases.put(domain, lease);
        Claim claim = new Claim(domain, id, lease);
        claims.add(claim);
        return CompletableFuture.completedFuture(new FetchTurn.Fetch(claim));
    }

    /** One instance's turn to fetch: records what it was told, and whether the policy was stored first. */
    public final class Claim implements FetchClaim {
        private final String domain;
        private final String id;
        private final CompletableFuture<Void> lease;
        private final List<String> calls = new CopyOnWriteArrayList<>();
        private final AtomicBoolean storedFirst = new AtomicBoolean();

        private Claim(String domain, String id, CompletableFuture<Void> lease) {
            this.domain = domain;
            this.id = id;
            this.lease = lease;
        }

        /** The calls made on this claim, e.g. {@code ["succeeded"]} or {@code ["failed <until>"]}. */
        public List<String> calls() {
            return List.copyOf(calls);
        }

        /** Whether the policy given to {@code succeeded} was already in the store then. */
        public boolean storedFirst() {
            return storedFirst.get();
        }

        /** The (domain, id) claimed. */
        public String key() {
            return domain + " " + id;
        }

        @Override
        public void succeeded(CachedPolicy policy) {
            storedFirst.set(policy.equals(rows.get(domain)));
            end("succeeded");
        }

        @Override
        public void failed(FetchProblem failure, Instant until) {
            synchronized (FleetInOneJvm.this) {
                backoffs.put(key(), new FetchTurn.HeldBack(failure, until));
            }
            end("failed " + until);
        }

        @Override
        public void released() {
            end("released");
        }

        private void end(String call) {
            calls.add(call);
            synchronized (FleetInOneJvm.this) {
                leases.remove(domain, lease);
            }
            peers.execute(() -> lease.complete(null));
            if (claimsThrow) {
                throw new IllegalStateException("scripted claim failure in " + call);
            }
        }
    }

    private final class Store implements PolicyStore {
        @Override
        public Optional<CachedPolicy> get(String domain) {
            return Optional.ofNullable(rows.get(domain));
        }

        @Override
        public void put(CachedPolicy policy) {
            if (putsThrow) {
                throw new IllegalStateException("scripted put failure");
            }
            rows.put(policy.domain(), policy);
        }

        @Override
        public void remove(String domain) {
            removed.add(domain);
            rows.remove(domain);
        }

        @Override
        public Collection<CachedPolicy> all() {
            return new ArrayList<>(rows.values());
        }

        @Override
        public Optional<SharedFetches> sharedFetches() {
            return sharing ? Optional.of(fetches) : Optional.empty();
        }
    }
}
