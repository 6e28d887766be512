package dev.mtasts.checker;

import dev.mtasts.checker.internal.HistoryFile;
import dev.mtasts.checker.internal.HistoryInMemory;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the checker remembers, between runs, the SHA-256 of each policy body it saw under each
 * {@code id}: a body that changed while the id stayed the same is {@code sts.id.drift} (senders
 * that cached the old policy never fetch the new one). Implementations must be thread-safe. Domain
 * and id are single tokens (visible ASCII, no spaces); the hash is 64 hex digits.
 */
public interface PolicyHistory {

    /** The body hash remembered for {@code domain} and {@code id}. */
    Optional<String> bodyHash(String domain, String id);

    /** Remembers {@code bodySha256} (hex) for {@code domain} and {@code id}. */
    void remember(String domain, String id, String bodySha256);

    /** A history kept in memory, for one process. */
    static PolicyHistory inMemory() {
        return new HistoryInMemory();
    }

    /**
     * A history kept in a text file, one {@code domain id sha256} line per entry, created when first
     * written and replaced atomically on each change. Unreadable lines are skipped.
     *
     * @throws java.io.UncheckedIOException from {@link #bodyHash} and {@link #remember} when the file
     *     cannot be read or written
     */
    static PolicyHistory file(Path file) {
        return new HistoryFile(file);
    }
}
