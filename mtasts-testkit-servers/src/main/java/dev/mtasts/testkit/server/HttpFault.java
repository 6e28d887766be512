package dev.mtasts.testkit.server;

/**
 * What the {@link FakePolicyHost} does wrong when serving a {@link PolicyResponse}: each one a way a
 * policy fetch must fail (RFC 8461 §3.3, spec STS-HTTP-3 to STS-HTTP-8). Any other status code needs
 * no fault: {@code PolicyResponse.builder().status(404)}.
 */
public enum HttpFault {
    /**
     * Answers with a redirect ({@code 301} unless the response's status is another 3xx) and a {@code
     * Location} header ({@link PolicyResponse.Builder#location(String)}, or a default one): a fetcher
     * must not follow it (STS-HTTP-3).
     */
    REDIRECT,
    /** Sends {@code Content-Type: text/html; charset=utf-8} instead of {@code text/plain} (STS-HTTP-6). */
    WRONG_CONTENT_TYPE,
    /** Sends no {@code Content-Type} header at all (STS-HTTP-6). */
    MISSING_CONTENT_TYPE,
    /**
     * Sends a body of {@link PolicyResponse#OVERSIZED_LENGTH} bytes (64 KiB + 1, or {@link
     * PolicyResponse.Builder#oversizedLength(int)}) with a matching {@code Content-Length}: the
     * response's body (a valid policy) padded with extension lines, so a fetcher that truncates
     * instead of failing would accept it (STS-HTTP-7).
     */
    OVERSIZED_BODY,
    /**
     * Sends the headers, then a chunked body that never ends (the response's body, then padding
     * lines, until the client disconnects or the server closes): only a body cap or an overall
     * deadline stops it (STS-HTTP-7, STS-HTTP-8).
     */
    ENDLESS_BODY,
    /**
     * Reads the request, then waits {@link PolicyResponse.Builder#delay(Duration)} (default 10 s)
     * before sending the status line: a header timeout or overall deadline must fire (STS-HTTP-8).
     */
    SLOW_HEADERS,
    /**
     * Sends the headers at once, then the body a few bytes at a time ({@link
     * PolicyResponse.Builder#trickle(int, Duration)}, default 1 byte every 100 ms): only a deadline
     * over the whole body catches it, not a header timeout (STS-HTTP-8).
     */
    TRICKLE_BODY,
    /** Reads the request, then resets the TCP connection (RST, no TLS close_notify, no response). */
    CONNECTION_RESET,
    /**
     * Sends the body with neither {@code Content-Length} nor chunked coding, cut in the middle of its
     * last {@code mx} line (or in half if it has none), then closes the TCP connection without TLS
     * {@code close_notify}: what an attacker on the path can do to a close-delimited body. The cut
     * body usually still parses, with a shorter pattern (RFC 9112 §9.8).
     */
    CLOSE_DELIMITED_TRUNCATED,
    /**
     * Sends the whole body with neither {@code Content-Length} nor chunked coding and ends it with TLS
     * {@code close_notify}: a complete close-delimited body (RFC 9112 §6.3, §9.8).
     */
    CLOSE_DELIMITED_BODY,
    /**
     * Sends both {@code Content-Length} and {@code Transfer-Encoding: chunked}, the body chunked: the
     * request-smuggling shape a client must refuse (RFC 9112 §6.1).
     */
    CONTENT_LENGTH_AND_CHUNKED,
    /**
     * Fails the TLS handshake: the server has no certificate for it and sends a {@code
     * handshake_failure} alert. Acts at the handshake, so it works from {@code enqueue}/{@code
     * respond} only, not from a dispatcher.
     */
    FAIL_HANDSHAKE,
    /**
     * Completes the TLS handshake with a certificate from the trusted CA but for another name ({@code
     * wrong-name.mtasts-testkit.invalid}): PKIX passes, the host name check must fail (STS-HTTP-2,
     * TLSRPT {@code sts-webpki-invalid}). Acts at the handshake, like {@link #FAIL_HANDSHAKE}.
     */
    WRONG_CERTIFICATE;

    boolean atHandshake() {
        return this == FAIL_HANDSHAKE || this == WRONG_CERTIFICATE;
    }
}
