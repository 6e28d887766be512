package dev.mtasts.core.cache;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;

/**
 * Where cached policies live, keyed by policy domain. A persistent store lets a restarted MTA keep
 * applying the policies it knew, which is what defends first contact after a restart against DNS
 * or HTTPS blocking (RFC 8461 §10.2, STS-CACHE-10).
 *
 * <p>Implementations must be thread-safe. The resolver keeps its own in-memory view and reads the
 * store only on a miss, so a store need not be fast.
 */
public interface PolicyStore extends AutoCloseable {

    /** The entry for {@code domain}, expired or not. */
    Optional<CachedPolicy> get(String domain);

    /** Adds or replaces the entry for the policy's domain. */
    void put(CachedPolicy policy);

    /** Removes the entry for {@code domain}, if any. */
    void remove(String domain);

    /** A snapshot of all entries. */
    Collection<CachedPolicy> all();

    /**
     * How fetches are shared with other processes using this store; empty (the default) for a store
     * of this process alone. A store that returns one is shared: the resolver then also leaves the
     * entries of domains this process stopped using in it, for the other processes (STS-CACHE-8
     * forgets them from memory only), and the store deletes entries once they expire.
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
