package dev.mtasts.store.jdbc;

import dev.mtasts.core.Policy;
import dev.mtasts.core.cache.CachedPolicy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The SQL of {@code mtasts_policy} rows: reading them back into policies, and the upsert (FLEET-FETCH-5). */
final class PolicyRows {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyRows.class);

    /** The columns {@link #read} takes, in order. */
    static final String COLUMNS = "domain, txt_id, policy_text, fetched_at, expires_at";

    /**
     * Keeps the row of the latest fetch: a write replaces the row only when its fetch is newer, so a
     * node writing what it queued while the database was down never overwrites a newer fetch of
     * another node, and a node storing a peer's policy (same id and fetch time) writes nothing. The
     * same fetch with a later expiry (a resolver extending expiry on an unchanged id) replaces it.
     */
    private static final String UPSERT = "INSERT INTO mtasts_policy"
            + " (domain, txt_id, policy_text, fetched_at, expires_at, written_by, written_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, now())"
            + " ON CONFLICT (domain) DO UPDATE SET txt_id = excluded.txt_id, policy_text = excluded.policy_text,"
            + " fetched_at = excluded.fetched_at, expires_at = excluded.expires_at,"
            + " written_by = excluded.written_by, written_at = excluded.written_at"
            + " WHERE mtasts_policy.fetched_at < excluded.fetched_at"
            + " OR (mtasts_policy.fetched_at = excluded.fetched_at AND mtasts_policy.txt_id = excluded.txt_id"
            + " AND mtasts_policy.expires_at < excluded.expires_at)";

    private PolicyRows() {}

    /**
     * An instant as PostgreSQL stores it. Truncated, not rounded (as the server would): a stored
     * fetch time never lies after the fetch, so a node's own row never looks newer than its own
     * copy to {@code newerThan}.
     */
    static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    static Instant instant(ResultSet r, int column) throws SQLException {
        OffsetDateTime t = r.getObject(column, OffsetDateTime.class);
        if (t == null) {
            throw new SQLException("column " + column + " is null", "22004");
        }
        return t.toInstant();
    }

    /**
     * The policy of the current row (columns {@link #COLUMNS} from {@code first}); empty, with a
     * warning, when the stored text no longer parses or the times are inconsistent: a bad row must
     * never break a lookup, the domain is simply fetched again.
     */
    static Optional<CachedPolicy> read(ResultSet r) throws SQLException {
        String domain = r.getString(1);
        String id = r.getString(2);
        String text = r.getString(3);
        Instant fetchedAt = instant(r, 4);
        Instant expiresAt = instant(r, 5);
        try {
            return Optional.of(new CachedPolicy(domain, id, Policy.parse(text), fetchedAt, expiresAt));
        } catch (IllegalArgumentException e) {
            LOG.warn("skipping the stored policy of {} (id {}): {}", domain, id, e.getMessage());
            return Optional.empty();
        }
    }

    /** Writes {@code policy} unless the row already holds the same or a newer fetch. */
    static void upsert(Connection c, CachedPolicy policy, String nodeId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(UPSERT)) {
            s.setString(1, policy.domain());
            s.setString(2, policy.id());
            s.setString(3, policy.policy().text());
            s.setObject(4, timestamp(policy.fetchedAt()));
            s.setObject(5, timestamp(policy.expiresAt()));
            s.setString(6, nodeId);
            s.executeUpdate();
        }
    }
}
