package dev.mtasts.testkit.server;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request the {@link FakePolicyHost} received, with the TLS facts of its connection.
 *
 * <p>Immutable and thread-safe.
 */
public final class RecordedRequest {
    /** The most body bytes kept per request (1 MiB); the rest is read and dropped. */
    public static final int MAX_BODY_BYTES = 1 << 20;

    private final int sequenceNumber;
    private final Optional<String> sni;
    private final String tlsProtocol;
    private final String method;
    private final String path;
    private final String version;
    private final List<Map.Entry<String, String>> headers;
    private final byte[] body;

    RecordedRequest(
            int sequenceNumber,
            Optional<String> sni,
            String tlsProtocol,
            String method,
            String path,
            String version,
            List<Map.Entry<String, String>> headers) {
        this(sequenceNumber, sni, tlsProtocol, method, path, version, headers, new byte[0]);
    }

    RecordedRequest(
            int sequenceNumber,
            Optional<String> sni,
            String tlsProtocol,
            String method,
            String path,
            String version,
            List<Map.Entry<String, String>> headers,
            byte[] body) {
        this.sequenceNumber = sequenceNumber;
        this.sni = sni;
        this.tlsProtocol = tlsProtocol;
        this.method = method;
        this.path = path;
        this.version = version;
        this.headers = List.copyOf(headers);
        this.body = body.clone();
    }

    /** 0 for the first request the host received, then 1, 2, ... */
    public int sequenceNumber() {
        return sequenceNumber;
    }

    /** The SNI host name the client sent (lower case), empty if it sent none. */
    public Optional<String> sni() {
        return sni;
    }

    /** The negotiated protocol, e.g. {@code TLSv1.3}. */
    public String tlsProtocol() {
        return tlsProtocol;
    }

    /** The request method, e.g. {@code GET}. */
    public String method() {
        return method;
    }

    /** The request target as sent, e.g. {@code /.well-known/mta-sts.txt}. */
    public String path() {
        return path;
    }

    /** The HTTP version token, e.g. {@code HTTP/1.1}. */
    public String httpVersion() {
        return version;
    }

    /** All header fields, in order, names as sent. */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /** The first value of a header, name compared case-insensitively. */
    public Optional<String> header(String name) {
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return Optional.of(header.getValue());
            }
        }
        return Optional.empty();
    }

    /**
     * The request body as received ({@code Content-Length} framing), at most {@link #MAX_BODY_BYTES};
     * empty without one. A copy: a POSTed report, for example, to parse and check.
     */
    public byte[] body() {
        return body.clone();
    }

    /** The {@code Host} header without any port, lower case. */
    public Optional<String> host() {
        return header("Host").map(h -> {
            String host = h.trim().toLowerCase(Locale.ROOT);
            int colon = host.lastIndexOf(':');
            return colon > 0 && host.indexOf(']') < colon ? host.substring(0, colon) : host;
        });
    }

    /**
     * The policy domain the request was for: the SNI name (or else the {@code Host}) without its
     * {@code mta-sts.} label.
     */
    public Optional<String> domain() {
        return sni.or(this::host).filter(h -> h.startsWith("mta-sts.")).map(h -> h.substring("mta-sts.".length()));
    }

    @Override
    public String toString() {
        return "RecordedRequest{#" + sequenceNumber + " " + method + " " + path + ", sni=" + sni.orElse("-") + "}";
    }
}
