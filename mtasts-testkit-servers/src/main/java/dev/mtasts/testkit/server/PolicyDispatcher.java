package dev.mtasts.testkit.server;

/**
 * Chooses the {@link FakePolicyHost}'s answer to each request, instead of its queues and standing
 * responses. Handshake-time faults ({@link HttpFault#FAIL_HANDSHAKE}, {@link
 * HttpFault#WRONG_CERTIFICATE}) cannot come from here, since no request exists yet at the handshake;
 * returned here they reset the connection.
 *
 * <p>Called from server threads, possibly concurrently: implementations must be thread-safe.
 */
@FunctionalInterface
public interface PolicyDispatcher {
    /** The response to send for the request. */
    PolicyResponse dispatch(RecordedRequest request);
}
