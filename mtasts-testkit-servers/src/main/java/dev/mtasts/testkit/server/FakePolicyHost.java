package dev.mtasts.testkit.server;

import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS policy host of any number of domains, on {@code 127.0.0.1} and one ephemeral port:
 * serves {@value #WELL_KNOWN_PATH} over HTTP/1.1 for each {@code mta-sts.<domain>}, choosing the
 * certificate by the SNI name the client sends (RFC 8461 §3.3), with scripted responses and faults,
 * recording every request. Modelled on OkHttp's MockWebServer.
 *
 * <h2>What is served</h2>
 *
 * For a request whose SNI (or, without SNI, {@code Host}) is {@code mta-sts.<domain>} of a known
 * domain and whose path is {@value #WELL_KNOWN_PATH}: the next {@linkplain #enqueue enqueued}
 * response of that domain, else its standing response ({@link #policy}, {@link #respond}), else
 * {@code 404}. Other paths, and unknown hosts, get {@code 404}. A {@link #dispatcher(PolicyDispatcher)}
 * replaces all of this. Every response closes the connection ({@code Connection: close}).
 *
 * <h2>Certificates</h2>
 *
 * Each domain gets a certificate for {@code mta-sts.<domain>} from the test CA unless one is given.
 * A handshake without SNI, or for an unknown name, gets a certificate for {@value #UNKNOWN_NAME}, so
 * a client that sends no SNI fails its host name check instead of passing by luck.
 *
 * <h2>Reaching it</h2>
 *
 * The code under test must connect to {@code 127.0.0.1:}{@link #port()} while sending SNI {@code
 * mta-sts.<domain>} and checking the certificate against that name; see {@code docs/testkit.md}.
 *
 * <p>Thread-safe: scripting may change while requests are served.
 */
public final class FakePolicyHost implements Closeable {
    /** The path of the policy (RFC 8461 §3.2). */
    public static final String WELL_KNOWN_PATH = "/.well-known/mta-sts.txt";

    /** The only name in the certificate of {@link HttpFault#WRONG_CERTIFICATE}. */
    public static final String WRONG_NAME = "wrong-name.mtasts-testkit.invalid";

    /** The only name in the certificate served without SNI or for an unknown host. */
    public static final String UNKNOWN_NAME = "unknown-host.mtasts-testkit.invalid";

    private final TestCertificateAuthority ca;
    private final ServerSupport support = new ServerSupport("fake-policy-host");
    private final ConcurrentHashMap<String, Host> hosts = new ConcurrentHashMap<>();
    private final BlockingQueue<RecordedRequest> requestQueue = new LinkedBlockingQueue<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger requestCount = new AtomicInteger();
    private final AtomicInteger connectionCount = new AtomicInteger();
    private volatile @Nullable PolicyDispatcher dispatcher;
    private volatile @Nullable ServerSocket server;
    private @Nullable TestCertificate wrongCertificate;
    private @Nullable TestCertificate unknownCertificate;

    private static final class Host {
        volatile TestCertificate certificate;
        final Deque<PolicyResponse> queue = new ArrayDeque<>();
        volatile @Nullable PolicyResponse standing;

        Host(TestCertificate certificate) {
            this.certificate = certificate;
        }
    }

    /** Per-connection handshake decision. */
    private static final class Connection {
        boolean decided;

        @Nullable
        TestCertificate certificate;
        /** A response consumed at the handshake, answered on the first request. */
        @Nullable
        PolicyResponse pending;

        /** The handshake fault this connection's handshake carried out, if any. */
        @Nullable
        HttpFault applied;
    }

    /** A policy host with its own new {@link TestCertificateAuthority}. */
    public FakePolicyHost() {
        this(TestCertificateAuthority.create());
    }

    /** A policy host whose certificates the given CA issues. */
    public FakePolicyHost(TestCertificateAuthority ca) {
        this.ca = requireNonNull(ca, "ca");
    }

    /**
     * A fresh context per connection, whose key manager decides for that connection only. Fresh also
     * means no TLS session to resume: a resumed handshake would skip certificate selection, and with
     * it the SNI routing and the handshake faults.
     */
    private SSLContext newConnectionContext(Connection connection) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(
                    new KeyManager[] {TestKeyManager.selecting((socket, sni) -> selectCertificate(connection, sni))},
                    new TrustManager[] {ca.trustManager()},
                    null);
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the policy host's SSLContext", e);
        }
    }

    /** The {@code mta-sts.<domain>} host name (RFC 8461 §3.3). */
    public static String hostName(String domain) {
        return "mta-sts." + normalize(domain);
    }

    /**
     * Binds {@code 127.0.0.1} on an ephemeral port and starts serving.
     *
     * @throws IllegalStateException if already started or closed
     */
    public FakePolicyHost start() {
        synchronized (this) {
            if (server != null || support.isClosed()) {
                throw new IllegalStateException("the policy host was already started or closed");
            }
            server = support.listen("the policy host", this::accept);
        }
        return this;
    }

    /**
     * Binds exactly {@code address} and starts accepting. On Linux any address of {@code 127.0.0.0/8}
     * can be bound, so several servers can share one port on different loopback addresses: the way
     * a client that cannot be told a port per host (a checker probing port 25 of every MX address)
     * is pointed at them.
     *
     * @throws IOException if the address cannot be bound (in use, or a privileged port)
     * @throws IllegalStateException if already started or closed
     */
    public FakePolicyHost start(InetSocketAddress address) throws IOException {
        requireNonNull(address, "address");
        synchronized (this) {
            if (server != null || support.isClosed()) {
                throw new IllegalStateException("the policy host was already started or closed");
            }
            server = support.listen("the policy host", address, this::accept);
        }
        return this;
    }

    /**
     * The port bound.
     *
     * @throws IllegalStateException before {@link #start()}
     */
    public int port() {
        ServerSocket socket = server;
        if (socket == null) {
            throw new IllegalStateException("the policy host is not started");
        }
        return socket.getLocalPort();
    }

    /** The address bound: {@code 127.0.0.1} and {@link #port()} unless started on another address. */
    public InetSocketAddress address() {
        ServerSocket socket = server;
        if (socket == null) {
            throw new IllegalStateException("not started");
        }
        return new InetSocketAddress(socket.getInetAddress(), socket.getLocalPort());
    }

    /** The CA issuing this host's certificates. */
    public TestCertificateAuthority certificateAuthority() {
        return ca;
    }

    /** A client context trusting the CA ({@link TestCertificateAuthority#clientSslContext()}). */
    public SSLContext clientSslContext() {
        return ca.clientSslContext();
    }

    // ---------------------------------------------------------------- hosts

    /** Serves {@code mta-sts.<domain>} (404 until a policy is set), with a certificate from the CA. */
    public FakePolicyHost addHost(String domain) {
        host(domain);
        return this;
    }

    /** Serves {@code mta-sts.<domain>} with the given certificate (e.g. an expired one). */
    public FakePolicyHost addHost(String domain, TestCertificate certificate) {
        return certificate(domain, certificate);
    }

    /** Replaces the certificate of {@code mta-sts.<domain>} for handshakes from now on. */
    public FakePolicyHost certificate(String domain, TestCertificate certificate) {
        requireNonNull(certificate, "certificate");
        String key = normalize(domain);
        hosts.compute(key, (k, existing) -> {
            if (existing == null) {
                return new Host(certificate);
            }
            existing.certificate = certificate;
            return existing;
        });
        return this;
    }

    /**
     * The certificate served for {@code mta-sts.<domain>}.
     *
     * @throws IllegalArgumentException for a domain never added
     */
    public TestCertificate certificate(String domain) {
        Host host = hosts.get(normalize(domain));
        if (host == null) {
            throw new IllegalArgumentException("no policy host for domain '" + domain + "'");
        }
        return host.certificate;
    }

    /** The domains served, lower case. */
    public List<String> domains() {
        return List.copyOf(hosts.keySet());
    }

    /** Serves the body (any text, valid or not) with status 200 and {@code text/plain} until changed. */
    public FakePolicyHost policy(String domain, String body) {
        return respond(domain, PolicyResponse.ok(body));
    }

    /** Serves this response for every request once the domain's queue is empty, until changed. */
    public FakePolicyHost respond(String domain, PolicyResponse response) {
        requireNonNull(response, "response");
        host(domain).standing = response;
        return this;
    }

    /** Serves 404 for the domain from now on (the host and its certificate stay). */
    public FakePolicyHost removePolicy(String domain) {
        host(domain).standing = null;
        return this;
    }

    /**
     * Adds a one-shot response for the domain: requests take queued responses in order before the
     * standing one. A queued handshake fault applies to the next TLS connection for the domain.
     */
    public FakePolicyHost enqueue(String domain, PolicyResponse response) {
        requireNonNull(response, "response");
        Host host = host(domain);
        synchronized (host) {
            host.queue.add(response);
        }
        return this;
    }

    /** Routes every request through the dispatcher instead of queues and standing responses. */
    public FakePolicyHost dispatcher(PolicyDispatcher dispatcher) {
        this.dispatcher = requireNonNull(dispatcher, "dispatcher");
        return this;
    }

    /** Goes back to queues and standing responses. */
    public FakePolicyHost clearDispatcher() {
        this.dispatcher = null;
        return this;
    }

    /** Forgets every domain, queue, dispatcher and recorded request. */
    public FakePolicyHost reset() {
        hosts.clear();
        dispatcher = null;
        requests.clear();
        requestQueue.clear();
        return this;
    }

    private Host host(String domain) {
        return hosts.computeIfAbsent(
                normalize(domain),
                d -> new Host(ca.issue().dnsNames("mta-sts." + d).build()));
    }

    // ---------------------------------------------------------------- recording

    /**
     * The next request not yet taken, waiting up to 10 seconds.
     *
     * @throws AssertionError if none arrives in time
     */
    public RecordedRequest takeRequest() {
        return pollRequest(Duration.ofSeconds(10))
                .orElseThrow(() -> new AssertionError("no request reached the policy host within 10 s"));
    }

    /** The next request not yet taken, waiting up to {@code timeout}. */
    public Optional<RecordedRequest> pollRequest(Duration timeout) {
        return ServerSupport.poll(requestQueue, timeout);
    }

    /** Every request so far, in arrival order. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** How many HTTP requests arrived (handshakes that failed are not requests). */
    public int requestCount() {
        return requestCount.get();
    }

    /** How many TCP connections were accepted. */
    public int connectionCount() {
        return connectionCount.get();
    }

    /** Stops serving, closes every connection and releases the port and threads. Idempotent. */
    @Override
    public void close() {
        support.close();
    }

    @Override
    public String toString() {
        ServerSocket socket = server;
        return "FakePolicyHost{" + (socket == null ? "not started" : "127.0.0.1:" + socket.getLocalPort())
                + ", domains=" + hosts.keySet() + "}";
    }

    // ---------------------------------------------------------------- serving

    static String normalize(String domain) {
        requireNonNull(domain, "domain");
        String d = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        if (d.isEmpty() || d.contains(" ") || d.contains("/")) {
            throw new IllegalArgumentException("not a domain name: '" + domain + "'");
        }
        return d.toLowerCase(Locale.ROOT);
    }

    private synchronized TestCertificate wrongCertificate() {
        if (wrongCertificate == null) {
            wrongCertificate = ca.issue().dnsNames(WRONG_NAME).build();
        }
        return wrongCertificate;
    }

    private synchronized TestCertificate unknownCertificate() {
        if (unknownCertificate == null) {
            unknownCertificate = ca.issue().dnsNames(UNKNOWN_NAME).build();
        }
        return unknownCertificate;
    }

    private @Nullable TestCertificate selectCertificate(Connection connection, Optional<String> sni) {
        synchronized (connection) {
            if (!connection.decided) {
                decide(connection, sni);
            }
            return connection.certificate;
        }
    }

    private void decide(Connection connection, Optional<String> sni) {
        connection.decided = true;
        String name = sni.orElse("");
        Host host = name.startsWith("mta-sts.") ? hosts.get(name.substring("mta-sts.".length())) : null;
        if (host == null) {
            connection.certificate = unknownCertificate();
            return;
        }
        HttpFault fault = null;
        synchronized (host) {
            PolicyResponse head = host.queue.peek();
            if (head != null && head.fault().filter(HttpFault::atHandshake).isPresent()) {
                host.queue.poll();
                connection.pending = head;
                fault = head.fault().orElse(null);
            }
        }
        PolicyResponse standing = host.standing;
        if (fault == null && standing != null) {
            fault = standing.fault().filter(HttpFault::atHandshake).orElse(null);
        }
        connection.applied = fault;
        if (fault == HttpFault.FAIL_HANDSHAKE) {
            connection.certificate = null;
        } else if (fault == HttpFault.WRONG_CERTIFICATE) {
            connection.certificate = wrongCertificate();
        } else {
            connection.certificate = host.certificate;
        }
    }

    private void accept(ServerSocket socket) {
        while (!support.isClosed()) {
            Socket raw;
            try {
                raw = socket.accept();
            } catch (IOException e) {
                return;
            }
            connectionCount.incrementAndGet();
            support.track(raw);
            support.execute(() -> serve(raw));
        }
    }

    private void serve(Socket raw) {
        SSLSocket ssl = null;
        Connection connection = new Connection();
        try {
            raw.setSoTimeout(60_000);
            // The head and the body go out as two writes: with Nagle the body would wait for the
            // client's delayed ACK (~40 ms), a stall of the test server, not of the client under test.
            raw.setTcpNoDelay(true);
            ssl = (SSLSocket) newConnectionContext(connection)
                    .getSocketFactory()
                    .createSocket(raw, "127.0.0.1", raw.getPort(), true);
            ssl.setUseClientMode(false);
            support.track(ssl);
            try {
                ssl.startHandshake();
            } catch (SSLException e) {
                return; // FAIL_HANDSHAKE, or the client rejected our certificate
            }
            handle(raw, ssl, connection);
        } catch (IOException e) {
            // the client went away, or the server closed
        } finally {
            if (ssl != null) {
                support.untrack(ssl);
            }
            support.untrack(raw);
        }
    }

    private void handle(Socket raw, SSLSocket ssl, Connection connection) throws IOException {
        LineReader reader = new LineReader(ssl.getInputStream(), 16 * 1024);
        String requestLine = reader.readLine();
        if (requestLine == null) {
            return;
        }
        String[] parts = requestLine.split(" ", -1);
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        long contentLength = 0;
        while (true) {
            String line = reader.readLine();
            if (line == null || line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            headers.add(Map.entry(name, value));
            if (name.equalsIgnoreCase("Content-Length")) {
                try {
                    contentLength = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    contentLength = 0;
                }
            }
        }
        byte[] body = reader.readBody(contentLength, RecordedRequest.MAX_BODY_BYTES);
        RecordedRequest request = new RecordedRequest(
                requestCount.getAndIncrement(),
                TestKeyManager.sni(ssl.getSession()),
                ssl.getSession().getProtocol(),
                parts.length > 0 ? parts[0] : "",
                parts.length > 1 ? parts[1] : "",
                parts.length > 2 ? parts[2] : "",
                headers,
                body);
        requests.add(request);
        requestQueue.add(request);

        PolicyResponse response;
        synchronized (connection) {
            response = connection.pending;
            connection.pending = null;
        }
        if (response == null) {
            PolicyDispatcher custom = dispatcher;
            try {
                response = custom != null ? custom.dispatch(request) : dispatch(request);
            } catch (RuntimeException e) {
                // A broken dispatcher is the test's bug: say so on the wire and in the log.
                LoggerFactory.getLogger(FakePolicyHost.class).warn("policy dispatcher failed for {}", request, e);
                response = PolicyResponse.builder()
                        .status(500)
                        .body("mtasts-testkit: the dispatcher threw " + e + "\n")
                        .build();
            }
        }
        HttpFault fault = response.fault().orElse(null);
        HttpFault applied;
        synchronized (connection) {
            applied = connection.applied;
        }
        if (fault != null && fault.atHandshake() && fault != applied) {
            // A handshake fault chosen after the handshake (by a dispatcher) can only break the connection.
            reset(raw);
            return;
        }
        respond(raw, ssl, request, response);
    }

    /** SO_LINGER 0 makes close() send RST; closing the plain socket skips TLS close_notify. */
    private static void reset(Socket raw) throws IOException {
        raw.setSoLinger(true, 0);
        raw.close();
    }

    private PolicyResponse dispatch(RecordedRequest request) {
        Host host = request.domain().map(hosts::get).orElse(null);
        String path = request.path();
        int query = path.indexOf('?');
        if (host == null || !(query < 0 ? path : path.substring(0, query)).equals(WELL_KNOWN_PATH)) {
            return PolicyResponse.notFound();
        }
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            return PolicyResponse.builder()
                    .status(405)
                    .header("Allow", "GET, HEAD")
                    .build();
        }
        synchronized (host) {
            PolicyResponse head = host.queue.peek();
            if (head != null && head.fault().filter(HttpFault::atHandshake).isEmpty()) {
                return host.queue.poll();
            }
        }
        PolicyResponse standing = host.standing;
        return standing != null ? standing : PolicyResponse.notFound();
    }

    private void respond(Socket raw, SSLSocket ssl, RecordedRequest request, PolicyResponse response)
            throws IOException {
        HttpFault fault = response.fault().orElse(null);
        if (fault == HttpFault.CONNECTION_RESET) {
            reset(raw);
            return;
        }
        if (fault == HttpFault.SLOW_HEADERS && !support.pause(response.delay())) {
            return;
        }
        int status = response.statusCode();
        if (fault == HttpFault.REDIRECT && (status < 300 || status > 399)) {
            status = 301;
        }
        byte[] body = response.bodyBytes();
        if (fault == HttpFault.OVERSIZED_BODY) {
            body = oversized(body, response.oversizedLength());
        }
        StringBuilder head = new StringBuilder(256);
        head.append("HTTP/1.1 ")
                .append(status)
                .append(' ')
                .append(reason(status))
                .append("\r\n");
        String contentType = response.contentType().orElse(null);
        if (fault == HttpFault.WRONG_CONTENT_TYPE) {
            contentType = "text/html; charset=utf-8";
        } else if (fault == HttpFault.MISSING_CONTENT_TYPE) {
            contentType = null;
        }
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (fault == HttpFault.REDIRECT) {
            head.append("Location: ")
                    .append(response.location().orElse(PolicyResponse.DEFAULT_REDIRECT_LOCATION))
                    .append("\r\n");
        }
        for (Map.Entry<String, String> header : response.headers()) {
            head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
        }
        boolean noBody = status < 200 || status == 204 || status == 304;
        if (noBody) {
            body = new byte[0]; // RFC 9110 §8.6: no Content-Length and no content for these
        } else if (fault == HttpFault.ENDLESS_BODY) {
            head.append("Transfer-Encoding: chunked\r\n");
        } else if (fault == HttpFault.CONTENT_LENGTH_AND_CHUNKED) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
            head.append("Transfer-Encoding: chunked\r\n");
        } else if (fault == HttpFault.CLOSE_DELIMITED_TRUNCATED || fault == HttpFault.CLOSE_DELIMITED_BODY) {
            // no framing header: the end of the connection ends the body
        } else {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        OutputStream out = ssl.getOutputStream();
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        if (request.method().equals("HEAD") || noBody) {
            ssl.close();
            return;
        }
        if (fault == HttpFault.ENDLESS_BODY) {
            writeChunk(out, body);
            byte[] padding = padding(8192);
            while (!support.isClosed()) {
                writeChunk(out, padding); // ends with an IOException when the client goes away
            }
        } else if (fault == HttpFault.TRICKLE_BODY) {
            for (int offset = 0; offset < body.length; offset += response.trickleBytes()) {
                out.write(body, offset, Math.min(response.trickleBytes(), body.length - offset));
                out.flush();
                if (offset + response.trickleBytes() < body.length && !support.pause(response.tricklePeriod())) {
                    return;
                }
            }
        } else if (fault == HttpFault.CONTENT_LENGTH_AND_CHUNKED) {
            writeChunk(out, body);
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        } else if (fault == HttpFault.CLOSE_DELIMITED_TRUNCATED) {
            out.write(body, 0, truncationPoint(body));
            out.flush();
            raw.close(); // TCP FIN without TLS close_notify
            return;
        } else {
            out.write(body);
            out.flush();
        }
        ssl.close();
    }

    /** Where {@link HttpFault#CLOSE_DELIMITED_TRUNCATED} cuts: inside the last {@code mx} value, else half way. */
    static int truncationPoint(byte[] body) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        int mx = text.lastIndexOf("mx:");
        if (mx < 0) {
            return body.length / 2;
        }
        int end = text.indexOf('\n', mx);
        String value = text.substring(mx + 3, end < 0 ? text.length() : end).strip();
        int valueStart = text.indexOf(value, mx + 3);
        return valueStart + Math.max(1, value.length() / 2);
    }

    private static void writeChunk(OutputStream out, byte[] chunk) throws IOException {
        if (chunk.length == 0) {
            return;
        }
        out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(chunk);
        out.write(new byte[] {'\r', '\n'});
        out.flush();
    }

    /** The body followed by extension lines, {@code length} bytes in all (or the body if already longer). */
    static byte[] oversized(byte[] body, int length) {
        byte[] base = body;
        if (base.length > 0 && base[base.length - 1] != '\n') {
            base = (new String(base, StandardCharsets.UTF_8) + "\r\n").getBytes(StandardCharsets.UTF_8);
        }
        if (base.length >= length) {
            return base;
        }
        byte[] pad = padding(length - base.length);
        byte[] out = new byte[length];
        System.arraycopy(base, 0, out, 0, base.length);
        System.arraycopy(pad, 0, out, base.length, pad.length);
        return out;
    }

    /**
     * Exactly {@code n} bytes of padding: one long {@code x-testkit-padding: xxx...} extension line
     * ended by LF (valid RFC 8461 §3.2 syntax), so a reader that truncates the body anywhere inside
     * the value still sees a valid policy instead of failing.
     */
    static byte[] padding(int n) {
        String prefix = "x-testkit-padding: ";
        if (n < prefix.length() + 2) {
            return "x".repeat(n).getBytes(StandardCharsets.US_ASCII);
        }
        return (prefix + "x".repeat(n - prefix.length() - 1) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 204 -> "No Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 304 -> "Not Modified";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Status " + status;
        };
    }
}
