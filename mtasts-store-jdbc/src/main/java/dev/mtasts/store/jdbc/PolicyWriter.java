package dev.mtasts.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes a {@link JdbcPolicyStore}'s changes, in the order they were made, so
 * that a lookup never waits for a write (FLEET-DOWN-1, FLEET-DOWN-3). Writes are keyed (one key per domain and
 * kind): a newer write replaces a pending one with the same key, and goes to the end of the queue.
 * At most {@code maxPending} writes wait; beyond that the oldest is dropped and counted. While the
 * database is down the head write waits and is retried at each probe; a write the database refuses
 * for another reason (a statement error) is logged and dropped, so one bad write never blocks the
 * others. Also deletes expired rows every {@code purgeNanos}. Thread-safe.
 */
final class PolicyWriter {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyWriter.class);

    /** How long the thread sleeps between tries while the database is down. */
    private static final long DOWN_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** One queued change, run in its own transaction. */
    interface Write {
        void run(Connection c) throws SQLException;
    }

    private record Pending(String operation, Write write) {}

    private final FleetDatabase database;
    private final int maxPending;
    private final long purgeNanos;
    private final Write purge;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final Thread thread;
    private boolean closing;
    private long nextPurge;

    PolicyWriter(FleetDatabase database, int maxPending, long purgeNanos, Write purge) {
        this.database = database;
        this.maxPending = maxPending;
        this.purgeNanos = purgeNanos;
        this.purge = purge;
        this.nextPurge = System.nanoTime() + purgeNanos;
        this.thread = new Thread(this::loop, "mtasts-fleet-policy-writer-" + database.nodeId());
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues {@code write} under {@code key}, replacing a pending write with the same key. */
    void enqueue(String key, String operation, Write write) {
        lock.lock();
        try {
            if (closing) {
                LOG.warn("policy store closed: dropping {} ({})", operation, key);
                dropped.incrementAndGet();
                return;
            }
            Pending old = pending.remove(key);
            pending.put(key, new Pending(operation, write));
            if (old == null) {
                database.pendingPolicyWrites.incrementAndGet();
            }
            if (pending.size() > maxPending) {
                Iterator<Map.Entry<String, Pending>> oldest = pending.entrySet().iterator();
                Map.Entry<String, Pending> first = oldest.next();
                oldest.remove();
                database.pendingPolicyWrites.decrementAndGet();
                long n = dropped.incrementAndGet();
                // Logged on the first and every 1000th: a long outage must not flood the log.
                if (n == 1 || n % 1000 == 0) {
                    LOG.warn(
                            "more than {} policy writes wait for the fleet database: dropped the oldest ({}), {} dropped"
                                    + " so far",
                            maxPending,
                            first.getKey(),
                            n);
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Writes dropped: overflow while the database was down, refused by it, or queued after close. */
    long dropped() {
        return dropped.get();
    }

    /** Writes done since start. */
    long written() {
        return written.get();
    }

    /** Writes waiting now. */
    int pending() {
        lock.lock();
        try {
            return pending.size();
        } finally {
            lock.unlock();
        }
    }

    /** Forces a purge of expired rows at the next chance (for tests and close). */
    void purgeSoon() {
        lock.lock();
        try {
            nextPurge = System.nanoTime();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes what is pending, waiting at most {@code waitNanos}, then stops the thread; returns how
     * many writes were left unwritten.
     */
    int close(long waitNanos) {
        lock.lock();
        try {
            closing = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
        lock.lock();
        try {
            int left = pending.size();
            database.pendingPolicyWrites.addAndGet(-left);
            dropped.addAndGet(left);
            pending.clear();
            if (left > 0) {
                LOG.warn("policy store closed with {} writes not written to the fleet database", left);
            }
            return left;
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        try {
            while (true) {
                Map.@Nullable Entry<String, Pending> head = next();
                if (head == null) {
                    return;
                }
                if (head.getValue() == PURGE) {
                    runPurge();
                } else if (head.getValue() == PROBE) {
                    probe();
                } else {
                    write(head.getKey(), head.getValue());
                }
            }
        } catch (InterruptedException e) {
            // close() gave up waiting: what is left is counted there.
        }
    }

    /** A marker for "purge now" among the entries {@link #next} returns. */
    private static final Pending PURGE = new Pending("purge", c -> {});

    /** A marker for "probe the down database now" (a probe slot was taken by {@link #next}). */
    private static final Pending PROBE = new Pending("probe", c -> {});

    /** Waits for work: the head write, the purge when due, or null once closing with nothing left. */
    private Map.@Nullable Entry<String, Pending> next() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (true) {
                long now = System.nanoTime();
                if (!closing && now - nextPurge >= 0) {
                    nextPurge = now + purgeNanos;
                    return Map.entry("", PURGE);
                }
                if (!pending.isEmpty()) {
                    return pending.entrySet().iterator().next();
                }
                if (closing) {
                    return null;
                }
                if (!database.health().up()) {
                    if (database.mayTry()) {
                        return Map.entry("", PROBE);
                    }
                    changed.awaitNanos(Math.min(DOWN_WAIT_NANOS, nextPurge - now));
                    continue;
                }
                changed.awaitNanos(nextPurge - now);
            }
        } finally {
            lock.unlock();
        }
    }

    private void write(String key, Pending head) throws InterruptedException {
        if (!database.mayTry()) {
            sleepWhileDown();
            return;
        }
        boolean done;
        try {
            database.runNow(head.operation(), c -> {
                head.write().run(c);
                return Boolean.TRUE;
            });
            written.incrementAndGet();
            done = true;
        } catch (FleetDatabase.Unavailable e) {
            if (database.health().up()) {
                // The database answers but refused this write: retrying would fail the same way.
                LOG.warn("policy store: dropping {} ({}): {}", head.operation(), key, e.getMessage());
                dropped.incrementAndGet();
                done = true;
            } else {
                done = false; // kept at the head; written on recovery (FLEET-DOWN-1)
            }
        }
        if (done) {
            lock.lock();
            try {
                // Only if not replaced meanwhile: a newer write under this key must still run.
                if (pending.get(key) == head) {
                    pending.remove(key);
                    database.pendingPolicyWrites.decrementAndGet();
                }
            } finally {
                lock.unlock();
            }
        } else {
            sleepWhileDown();
        }
    }

    /** Not on the condition: new writes must not wake a thread that cannot write them yet. */
    private static void sleepWhileDown() throws InterruptedException {
        TimeUnit.NANOSECONDS.sleep(DOWN_WAIT_NANOS);
    }

    /** Tells a down database that came back from one that did not, also when nothing is written. */
    private void probe() {
        try {
            database.runNow("probe", c -> {
                try (var s = c.createStatement()) {
                    s.execute("SELECT 1");
                }
                return Boolean.TRUE;
            });
        } catch (FleetDatabase.Unavailable e) {
            LOG.debug("fleet database still down: {}", e.getMessage());
        }
    }

    private void runPurge() {
        if (!database.health().up()) {
            return; // the next purge is due in purgeNanos; nothing to delete while nothing is read
        }
        try {
            database.runNow("purge expired policies", c -> {
                purge.run(c);
                return Boolean.TRUE;
            });
        } catch (FleetDatabase.Unavailable e) {
            LOG.debug("purge of expired policies failed: {}", e.getMessage());
        }
    }
}
