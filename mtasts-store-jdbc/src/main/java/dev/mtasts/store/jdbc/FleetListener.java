package dev.mtasts.store.jdbc;

import java.time.LocalDate;

/**
 * Events of the fleet store, for metrics and logs. Every method has a no-op default. Called on the
 * store's own threads; must be fast and thread-safe, and should not throw (an exception is logged
 * and ignored).
 */
public interface FleetListener {
    /** A listener that ignores everything. */
    FleetListener NONE = new FleetListener() {};

    /** The database stopped answering; the store answers from memory and buffers (FLEET-DOWN-1). */
    default void databaseDown(String operation, Throwable cause) {}

    /** The database answers again after being down for {@code downMillis}. */
    default void databaseUp(long downMillis) {}

    /** A batch of session counts was written: {@code rows} upserted rows covering {@code sessions}. */
    default void countsFlushed(int rows, long sessions) {}

    /** Sessions whose counts were dropped because the buffer was full while the database was down. */
    default void countsDropped(long sessions) {}

    /**
     * Sessions of {@code domain} on {@code day} were flushed after the fleet had built that day's
     * report: they are kept in the counts but are in no report (raise the report close delay).
     */
    default void countsLate(String domain, LocalDate day, long sessions) {}

    /** A policy fetched by another node was used instead of fetching (FLEET-FETCH-1). */
    default void fetchShared(String domain, String id) {}

    /** A fetch was held back by another node's failed fetch (FLEET-FETCH-2). */
    default void fetchHeldBack(String domain, String id) {}

    /** This node claimed the report of {@code domain} for {@code day} (FLEET-RPT-1). */
    default void reportClaimed(String domain, LocalDate day, String reportId, boolean takeover) {}

    /** The report of {@code domain} for {@code day} is finished: {@code outcome} says how. */
    default void reportFinished(String domain, LocalDate day, String reportId, String outcome) {}
}
