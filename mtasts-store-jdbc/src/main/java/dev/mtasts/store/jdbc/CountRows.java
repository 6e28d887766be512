package dev.mtasts.store.jdbc;

import dev.mtasts.tlsrpt.AppliedPolicy;
import dev.mtasts.tlsrpt.DailyAggregate;
import dev.mtasts.tlsrpt.SessionFailure;
import dev.mtasts.tlsrpt.internal.AggregateJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Count rows of {@code mtasts_tlsrpt_count} merged by key, as a node buffers them between flushes:
 * a policy's totals row (detail key {@code ""}) and one row per failure detail. Not thread-safe.
 */
final class CountRows {
    /** A row's primary key in {@code mtasts_tlsrpt_count}. */
    record Key(LocalDate day, String policyDomain, String policyKey, String detailKey) {}

    /** One row: its key, the JSON the keys hash, and the counts to add. */
    static final class Row {
        final Key key;
        final String policyJson;
        final String detailJson;
        long successful;
        long failed;
        long overflow;
        long detailCount;

        Row(Key key, String policyJson, String detailJson) {
            this.key = key;
            this.policyJson = policyJson;
            this.detailJson = detailJson;
        }
    }

    /** The order rows are written in, the same on every node, so concurrent upserts cannot deadlock. */
    static final Comparator<Row> WRITE_ORDER = Comparator.comparing((Row r) -> r.key.day())
            .thenComparing(r -> r.key.policyDomain())
            .thenComparing(r -> r.key.policyKey())
            .thenComparing(r -> r.key.detailKey());

    private final Map<Key, Row> rows = new LinkedHashMap<>();
    private long sessions;

    /** Distinct rows held. */
    int size() {
        return rows.size();
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** Sessions counted in the held rows (successful plus failed). */
    long sessions() {
        return sessions;
    }

    Collection<Row> rows() {
        return rows.values();
    }

    /** The rows sorted in {@link #WRITE_ORDER}. */
    List<Row> sorted() {
        List<Row> out = new ArrayList<>(rows.values());
        out.sort(WRITE_ORDER);
        return out;
    }

    /** Sessions per (day, policy domain) in these rows, from the totals rows. */
    Map<Map.Entry<LocalDate, String>, Long> sessionsByReport() {
        Map<Map.Entry<LocalDate, String>, Long> out = new HashMap<>();
        for (Row r : rows.values()) {
            if (r.key.detailKey().isEmpty()) {
                out.merge(Map.entry(r.key.day(), r.key.policyDomain()), r.successful + r.failed, Long::sum);
            }
        }
        return out;
    }

    /**
     * Adds {@code a} when the new rows it needs (rows neither here nor in {@code alsoHeld}) number
     * at most {@code room}; otherwise adds nothing of it (its sessions are dropped whole, never
     * split between totals and details).
     *
     * @return the number of new rows it took, or -1 when it was not added
     */
    int add(DailyAggregate a, int room, @Nullable CountRows alsoHeld) {
        List<Row> needed = rowsOf(a);
        int fresh = 0;
        for (Row r : needed) {
            if (!rows.containsKey(r.key) && (alsoHeld == null || !alsoHeld.rows.containsKey(r.key))) {
                fresh++;
            }
        }
        if (fresh > room) {
            return -1;
        }
        for (Row r : needed) {
            Row mine = rows.putIfAbsent(r.key, r);
            if (mine != null) {
                mine.successful += r.successful;
                mine.failed += r.failed;
                mine.overflow += r.overflow;
                mine.detailCount += r.detailCount;
            }
        }
        sessions += a.successfulSessions() + a.failedSessions();
        return fresh;
    }

    /** Rows of this not in {@code other}. */
    int countNotIn(CountRows other) {
        int n = 0;
        for (Key k : rows.keySet()) {
            if (!other.rows.containsKey(k)) {
                n++;
            }
        }
        return n;
    }

    /** A new set holding this one's rows plus {@code other}'s, merged by key. */
    CountRows plus(CountRows other) {
        CountRows out = new CountRows();
        for (CountRows part : List.of(this, other)) {
            for (Row r : part.rows.values()) {
                Row copy = out.rows.computeIfAbsent(r.key, k -> new Row(k, r.policyJson, r.detailJson));
                copy.successful += r.successful;
                copy.failed += r.failed;
                copy.overflow += r.overflow;
                copy.detailCount += r.detailCount;
            }
            out.sessions += part.sessions;
        }
        return out;
    }

    /** The rows of one aggregate: its totals row first, then one per failure detail. */
    static List<Row> rowsOf(DailyAggregate a) {
        AppliedPolicy policy = a.policy();
        String policyJson = AggregateJson.policyText(policy);
        String policyKey = sha256(policyJson);
        List<Row> out = new ArrayList<>(1 + a.failures().size());
        Row totals = new Row(new Key(a.day(), policy.policyDomain(), policyKey, ""), policyJson, "");
        totals.successful = a.successfulSessions();
        totals.failed = a.failedSessions();
        totals.overflow = a.overflowFailures();
        out.add(totals);
        for (Map.Entry<SessionFailure, Long> e : a.failures().entrySet()) {
            String detailJson = AggregateJson.failureText(e.getKey());
            Row detail = new Row(
                    new Key(a.day(), policy.policyDomain(), policyKey, sha256(detailJson)), policyJson, detailJson);
            detail.detailCount = e.getValue();
            out.add(detail);
        }
        return out;
    }

    /** Lower-case hex SHA-256 of {@code text}'s UTF-8 bytes. */
    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            // Every JDK has SHA-256 (a required algorithm of java.security.MessageDigest).
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
