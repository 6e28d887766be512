package dev.mtasts.core.delivery;

/**
 * Told how each SMTP session of a delivery ended, for TLS reporting. Called on the delivery thread,
 * so an implementation must be quick, must not block on I/O and must not throw: a recorder that
 * fails must never fail the delivery it records.
 */
@FunctionalInterface
public interface MxSessionListener {
    /** A listener that ignores every session. */
    static MxSessionListener ignoring() {
        return session -> {};
    }

    /** One session ended. */
    void sessionEnded(MxSession session);
}
