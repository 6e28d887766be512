package dev.mtasts.checker;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the checker remembers, between runs, the SHA-256 of each policy body it saw under each
 * {@code id}: a body that changed while the id stayed the same is {@code sts.id.drift} (senders
 * that cached the old policy never fetch the new one). Implementations must be thread-safe.
 */
public interface PolicyHistory {

    /** The body hash remembered for {@code domain} and {@code id}. */
    Optional<String> bodyHash(String domain, String id);

    /** Remembers {@code bodySha256} (hex) for {@code domain} and {@code id}. */
    void remember(String domain, String id, String bodySha256);

    /** A history kept in memory, for one process. */
    static PolicyHistory inMemory() {
        throw new UnsupportedOperationException("not yet");
    }

    /** A history kept in one properties-style file, created when first written. */
    static PolicyHistory file(Path file) {
        throw new UnsupportedOperationException("not yet");
    }
}
