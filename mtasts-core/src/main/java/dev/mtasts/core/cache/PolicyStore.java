package dev.mtasts.core.cache;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where cached policies live, keyed by policy domain. A persistent store lets a restarted MTA keep
 * applying the policies it knew, which is what defends first contact after a restart against DNS
 * or HTTPS blocking (RFC 8461 §10.2, STS-CACHE-10).
 *
 * <p>Implementations must be thread-safe. The resolver keeps its own in-memory view and reads the
 * store only on a miss, through {@link #getAsync}, so a store need not be fast; one whose reads do
 * network I/O overrides {@link #getAsync} so that a miss never blocks the thread asking for a
 * policy (STS-CACHE-11).
 */
public interface PolicyStore extends AutoCloseable {

    /** The entry for {@code domain}, expired or not. */
    Optional<CachedPolicy> get(String domain);

    /**
     * The entry for {@code domain}, expired or not, as a stage that completes when it has been read:
     * what the resolver calls on a miss. The default reads {@link #get} on the calling thread, which
     * suits stores held in memory or on a local disk; a store that reads over the network answers
     * from its own threads instead, so the caller's thread (an event loop, say) never waits for it.
     * A stage that fails counts as an entry not found.
     */
    default CompletionStage<Optional<CachedPolicy>> getAsync(String domain) {
        return CompletableFuture.completedFuture(get(domain));
    }

    /** Adds or replaces the entry for the policy's domain. */
    void put(CachedPolicy policy);

    /** Removes the entry for {@code domain}, if any. */
    void remove(String domain);

    /** A snapshot of all entries. */
    Collection<CachedPolicy> all();

    /**
     * How fetches are shared with other processes using this store; empty (the default) for a store
     * of this process alone. Asked once, when the resolver is built (a store that throws here is a
     * configuration error).
     *
     * <p>A store that returns one is shared, and the resolver deletes from it only for reasons that
     * hold for every process (FLEET-FETCH-3):
     *
     * <ul>
     *   <li>kept in the store, forgotten from this process's memory only: an entry expired by this
     *       process's clock, an entry pushed out by its size bound, a domain this process stopped
     *       using (STS-CACHE-8), and the expired entries found at start-up or by maintenance (a
     *       peer may be storing a fresh copy of the domain at that moment, which a delete would
     *       lose). The store deletes entries once they expire, by its own clock;
     *   <li>removed from the store: a {@code mode: none} policy whose TXT record is gone (it protects
     *       nothing, so even one process's spoofed NXDOMAIN weakens no other) and a policy replaced by
     *       one with {@code max_age: 0} (the domain withdrew what every process cached).
     * </ul>
     *
     * <p>Policies a peer fetched and this process took ({@link FetchTurn.Shared}) are not written
     * back: they are already in the store, and a late write could replace a newer one.
     */
    default Optional<SharedFetches> sharedFetches() {
        return Optional.empty();
    }

    /**
     * Releases what the store holds (the file store: its directory lock). The opener closes the
     * store, after the {@code MtaSts} using it; the in-memory store has nothing to release.
     */
    @Override
    default void close() {}

    /** An in-memory store on Caffeine holding at most 1,000,000 entries. */
    static PolicyStore inMemory() {
        return inMemory(1_000_000);
    }

    /** An in-memory store on Caffeine holding at most {@code maximumSize} entries. */
    static PolicyStore inMemory(long maximumSize) {
        return new CaffeinePolicyStore(maximumSize);
    }

    /**
     * A store keeping one file per domain in {@code directory} (created if missing), written
     * durably and atomically (temporary file forced to disk, atomic rename, directory forced where
     * the platform allows) so a crash or power loss never leaves half a policy. Existing files are
     * loaded now; unreadable ones are skipped with a warning; temporary files left by a crash are
     * deleted, so the store takes an exclusive lock on the directory until {@link #close()}.
     *
     * @throws java.io.UncheckedIOException when the directory cannot be created, locked or listed
     * @throws IllegalStateException when another process, or another store in this JVM, holds the
     *     directory
     */
    static PolicyStore file(Path directory) {
        return FilePolicyStore.open(directory);
    }
}
