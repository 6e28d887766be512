package dev.mtasts.postfix.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * The {@code cache} key: where policies are kept. Only the types we can honour exist here; the
 * others ({@code redis}, {@code redis_sentinel}, {@code postgres}) stop start-up (PF-CONF-4).
 */
public sealed interface CacheConfig {

    /**
     * {@code type: internal}: in memory, lost on restart.
     *
     * @param cacheSize the most policies kept ({@code options.cache_size}, default 10000)
     */
    record Internal(long cacheSize) implements CacheConfig {
        /** Checks the size. */
        public Internal {
            if (cacheSize < 1) {
                throw new IllegalArgumentException("cacheSize must be positive but was " + cacheSize);
            }
        }
    }

    /**
     * {@code type: sqlite}: a durable store that survives restarts. We do not read or write SQLite:
     * the policies live in the core's file store, one file per domain, in a directory beside the
     * configured database file named after it with {@code .d} appended (PF-CONF-3), so a database left
     * by postfix-mta-sts-resolver is never touched.
     *
     * @param filename {@code options.filename}, as configured
     * @param directory the file store's directory: {@code filename + ".d"}
     */
    record Durable(Path filename, Path directory) implements CacheConfig {
        /** Checks the values. */
        public Durable {
            requireNonNull(filename, "filename");
            requireNonNull(directory, "directory");
        }

        /** The mapping for {@code filename}: the directory {@code <filename>.d} beside it. */
        public static Durable forSqliteFile(Path filename) {
            Path name = filename.getFileName();
            Path dir =
                    name == null ? filename.resolve("mtasts-cache.d") : filename.resolveSibling(name.toString() + ".d");
            return new Durable(filename, dir);
        }
    }
}
