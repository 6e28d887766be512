package dev.mtasts.core.delivery;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A listener that keeps every session it is told about. */
final class RecordingSessions implements MxSessionListener {
    private final List<MxSession> sessions = new CopyOnWriteArrayList<>();

    @Override
    public void sessionEnded(MxSession session) {
        sessions.add(session);
    }

    List<MxSession> sessions() {
        return List.copyOf(sessions);
    }
}
