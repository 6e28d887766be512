package dev.mtasts.store.jdbc;

import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link FleetListener} that keeps what it heard, for assertions. Thread-safe. */
final class RecordingListener implements FleetListener {
    final AtomicLong flushedSessions = new AtomicLong();
    final AtomicLong droppedSessions = new AtomicLong();
    final AtomicLong lateSessions = new AtomicLong();
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void databaseDown(String operation, Throwable cause) {
        events.add("down");
    }

    @Override
    public void databaseUp(long downMillis) {
        events.add("up");
    }

    @Override
    public void countsFlushed(int rows, long sessions) {
        flushedSessions.addAndGet(sessions);
    }

    @Override
    public void countsDropped(long sessions) {
        droppedSessions.addAndGet(sessions);
    }

    @Override
    public void countsLate(String domain, LocalDate day, long sessions) {
        lateSessions.addAndGet(sessions);
        events.add("late " + domain + " " + day + " " + sessions);
    }

    @Override
    public void reportClaimed(String domain, LocalDate day, String reportId, boolean takeover) {
        events.add("claimed " + domain + " " + day + (takeover ? " takeover" : ""));
    }

    @Override
    public void reportFinished(String domain, LocalDate day, String reportId, String outcome) {
        events.add("finished " + domain + " " + day + " " + outcome);
    }
}
