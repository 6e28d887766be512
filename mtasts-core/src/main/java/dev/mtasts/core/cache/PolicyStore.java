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
public interface PolicyStore {

    /** The entry for {@code domain}, expired or not. */
    Optional<CachedPolicy> get(String domain);

    /** Adds or replaces the entry for the policy's domain. */
    void put(CachedPolicy policy);

    /** Removes the entry for {@code domain}, if any. */
    void remove(String domain);

    /** A snapshot of all entries. */
    Collection<CachedPolicy> all();

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
     * deleted, so the directory must not be shared by two processes.
     *
     * @throws java.io.UncheckedIOException when the directory cannot be created or listed
     */
    static PolicyStore file(Path directory) {
        return FilePolicyStore.open(directory);
    }
}
