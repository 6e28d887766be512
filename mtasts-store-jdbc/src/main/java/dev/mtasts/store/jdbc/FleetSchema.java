package dev.mtasts.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet's tables, created or migrated in place (FLEET-SCHEMA-1). Each migration is a numbered
 * SQL script shipped in this module; {@code mtasts_schema_version} lists the ones applied. Migrating
 * is idempotent and safe when several nodes start at once: it runs in one transaction under a
 * transaction-scoped advisory lock, so one node applies the missing scripts and the others find
 * them applied.
 */
public final class FleetSchema {
    private static final Logger LOG = LoggerFactory.getLogger(FleetSchema.class);

    /** The advisory lock key of migrations: "mtasts" in ASCII. */
    private static final long LOCK_KEY = 0x6d7461737473L;

    /** The migrations, in order: version i+1 is {@code SCRIPTS.get(i)}. */
    private static final List<String> SCRIPTS = List.of("V1__policies.sql", "V2__tlsrpt.sql");

    /** The schema version this code needs. */
    public static final int LATEST = SCRIPTS.size();

    private FleetSchema() {}

    /** The schema could not be read, created or migrated; the message says which step and why. */
    public static final class SchemaException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SchemaException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Brings the schema of {@code dataSource}'s database to {@link #LATEST}; returns that version.
     *
     * @throws SchemaException when the database cannot be reached, a script fails, or the database
     *     holds a newer schema than this code knows
     */
    public static int migrate(DataSource dataSource) {
        try {
            return migrateOrThrow(dataSource);
        } catch (SQLException e) {
            throw new SchemaException("cannot create or migrate the fleet schema: " + e.getMessage(), e);
        }
    }

    /**
     * {@link #migrate}, but a failing connection or statement is thrown as it is, so that {@link
     * FleetDatabase} can tell an unreachable database (wait for it) from a broken schema (fail).
     *
     * @throws SchemaException when the database holds a newer schema than this code knows
     */
    static int migrateOrThrow(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                // Transaction-scoped: released by the commit or rollback, even when the node dies.
                s.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
                s.execute("CREATE TABLE IF NOT EXISTS mtasts_schema_version ("
                        + " version integer PRIMARY KEY,"
                        + " script text NOT NULL,"
                        + " applied_at timestamptz NOT NULL DEFAULT now())");
                int current = currentVersion(s);
                if (current > LATEST) {
                    throw new SchemaException(
                            "the database has fleet schema version " + current + " but this code knows only up to "
                                    + LATEST + "; upgrade mtasts-store-jdbc",
                            new SQLException("schema too new"));
                }
                for (int v = current + 1; v <= LATEST; v++) {
                    String script = SCRIPTS.get(v - 1);
                    try {
                        s.execute(read(script));
                    } catch (SQLException e) {
                        throw new SQLException(
                                "migration script " + script + " failed: " + e.getMessage(), e.getSQLState(), e);
                    }
                    s.execute(
                            "INSERT INTO mtasts_schema_version (version, script) VALUES (" + v + ", '" + script + "')");
                    LOG.info("fleet schema migrated to version {} ({})", v, script);
                }
                c.commit();
                return LATEST;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // The connection is broken; the pool discards it.
                }
                throw e;
            }
        }
    }

    /** The version recorded in {@code dataSource}'s database; 0 before the first migration. */
    public static int currentVersion(DataSource dataSource) {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT to_regclass('mtasts_schema_version') IS NOT NULL")) {
                r.next();
                if (!r.getBoolean(1)) {
                    return 0;
                }
            }
            return currentVersion(s);
        } catch (SQLException e) {
            throw new SchemaException("cannot read the fleet schema version: " + e.getMessage(), e);
        }
    }

    private static int currentVersion(Statement s) throws SQLException {
        try (ResultSet r = s.executeQuery("SELECT coalesce(max(version), 0) FROM mtasts_schema_version")) {
            r.next();
            return r.getInt(1);
        }
    }

    private static String read(String script) {
        try (InputStream in = FleetSchema.class.getResourceAsStream(script)) {
            if (in == null) {
                throw new IllegalStateException("migration script " + script + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read migration script " + script, e);
        }
    }
}
