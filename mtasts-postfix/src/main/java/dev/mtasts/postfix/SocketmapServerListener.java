package dev.mtasts.postfix;

/**
 * Told what a {@link SocketmapServer} does, for metrics and logs. Every method has a no-op default.
 * Called on network threads: must be fast and must not throw (a throwing listener is logged and
 * ignored).
 */
public interface SocketmapServerListener {

    /** A connection was accepted; {@code open} connections are now open. */
    default void connectionOpened(int open) {}

    /** A connection was closed; {@code open} connections are still open. */
    default void connectionClosed(int open) {}

    /** A connection was refused because {@code maxConnections} were open. */
    default void connectionRefused() {}

    /** A connection was closed for breaking the protocol or a limit; {@code why} names the rule. */
    default void protocolError(String why) {}

    /** A request was answered: the reply payload and the nanoseconds from the request's last byte. */
    default void answered(String reply, long nanos) {}
}
