package dev.mtasts.tlsrpt;

import dev.mtasts.tlsrpt.internal.FileStore;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a {@link TlsRptRecorder} keeps its counts so they survive a restart. A shared database
 * implements the same two calls. Implementations must be thread-safe; the recorder calls {@link
 * #save} from one thread at a time.
 */
public interface TlsRptStore extends AutoCloseable {
    /** Replaces the stored state with {@code aggregates} (all days not yet reported). */
    void save(List<DailyAggregate> aggregates);

    /** The stored state; empty when nothing was saved. */
    List<DailyAggregate> load();

    /** Releases what the store holds (the file store's lock); the default does nothing. */
    @Override
    default void close() {}

    /** A store that keeps the last saved state in memory only (the default). */
    static TlsRptStore inMemory() {
        return new TlsRptStore() {
            private volatile List<DailyAggregate> state = List.of();

            @Override
            public void save(List<DailyAggregate> aggregates) {
                state = List.copyOf(aggregates);
            }

            @Override
            public List<DailyAggregate> load() {
                return state;
            }
        };
    }

    /**
     * A store writing JSON to {@code file}, replaced atomically and fsynced on each save so a crash
     * or power loss leaves the previous or the new state. A file that cannot be read back (torn,
     * empty) is moved aside to {@code <file>.corrupt-<UTC time>} with a logged warning, and counting
     * restarts from zero. The store locks {@code <file>.lock} until {@link #close()}.
     *
     * @throws IllegalStateException when another process, or another open store in this JVM, uses
     *     {@code file}
     */
    static TlsRptStore file(Path file) {
        return new FileStore(file);
    }
}
