package dev.mtasts.store.jdbc;

import java.util.Map;

/**
 * A PostgreSQL connection string as postfix-mta-sts-resolver's {@code cache.options.dsn} takes it
 * (a libpq URI, {@code postgres://user:password@host:port/dbname?option=value}, or libpq's
 * {@code key=value} form), turned into the JDBC URL and properties the PostgreSQL driver takes
 * (FLEET-DSN-1). Immutable.
 *
 * @param jdbcUrl the {@code jdbc:postgresql://} URL, without user or password
 * @param properties connection properties: {@code user}, {@code password} and any others given
 */
public record PostgresDsn(String jdbcUrl, Map<String, String> properties) {
    /** Copies the map. */
    public PostgresDsn {
        properties = Map.copyOf(properties);
    }

    /**
     * Parses {@code dsn}.
     *
     * @throws IllegalArgumentException naming the part that is wrong and why
     */
    public static PostgresDsn parse(String dsn) {
        throw new UnsupportedOperationException("TODO");
    }

    /** The DSN with the password replaced by {@code ***}, for logs. */
    @Override
    public String toString() {
        throw new UnsupportedOperationException("TODO");
    }
}
