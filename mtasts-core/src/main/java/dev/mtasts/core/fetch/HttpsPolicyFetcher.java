package dev.mtasts.core.fetch;

import dev.mtasts.core.Policy;
import dev.mtasts.core.SyntaxException;
import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.core.dns.DnsResult;
import dev.mtasts.core.internal.HttpResponseReader;
import dev.mtasts.core.internal.HttpResponseReader.ReadException;
import dev.mtasts.core.internal.TlsFailures;
import dev.mtasts.core.time.Scheduler;
import dev.mtasts.core.time.Ticker;
import dev.mtasts.core.tls.CertificateNames;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * The default {@link PolicyFetcher}: one HTTPS/1.1 GET over an {@link SSLSocket}, because the JDK
 * {@code HttpClient} on Java 17 cannot resolve through our DNS, filter addresses before connecting,
 * or time out the body (docs/policy-fetching.md). Thread-safe and stateless between fetches; the
 * default executor is bounded in threads and queue (docs/policy-fetching.md, "Fetch bursts").
 */
final class HttpsPolicyFetcher implements PolicyFetcher {
    static final String PATH = "/.well-known/mta-sts.txt";
    private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2"); // STS-HTTP-2, §7.2
    /** The longest policy domain: {@code mta-sts.} plus it must fit the 253-octet host name limit. */
    private static final int MAX_DOMAIN_LENGTH = 253 - "mta-sts.".length();

    private final DnsResolver dns;
    /** Made once: the context's trust material is set up when the fetcher is built, not per fetch. */
    private final SSLSocketFactory socketFactory;

    private final Duration timeout;
    private final int port;
    private final AddressFilter addressFilter;
    private final boolean requireTextPlain;
    private final boolean resolveAhead;
    private final Executor executor;
    /** The default executor when the caller gave none; kept to report its peak size in tests. */
    private final @Nullable ThreadPoolExecutor ownPool;

    private final Ticker ticker;
    private final Scheduler scheduler;
    private final long minConnectShareNanos;

    HttpsPolicyFetcher(PolicyFetcher.Builder builder, DnsResolver dns, SSLContext sslContext) {
        this.dns = dns;
        this.socketFactory = sslContext.getSocketFactory();
        this.timeout = builder.timeout;
        this.port = builder.port;
        this.addressFilter = builder.addressFilter;
        this.requireTextPlain = builder.requireTextPlain;
        this.resolveAhead = builder.resolveAhead;
        Executor chosen = builder.executor;
        if (chosen == null) {
            this.ownPool = newPool(builder.maxConcurrentFetches, builder.maxPendingFetches);
            this.executor = ownPool;
        } else {
            this.ownPool = null;
            this.executor = chosen;
        }
        this.ticker = builder.ticker;
        Scheduler chosenScheduler = builder.scheduler;
        this.scheduler = chosenScheduler == null ? Watchdog.SCHEDULER : chosenScheduler;
        this.minConnectShareNanos = builder.minConnectShare.toNanos();
    }

    @Override
    public CompletionStage<FetchResult> fetch(String policyDomain) {
        return fetch(policyDomain, Optional.empty());
    }

    /**
     * Sends the A/AAAA queries of {@code mta-sts.<domain>} now; the fetch later uses their answer,
     * still through the address filter (STS-HTTP-11). Nothing else is started before the fetch.
     */
    @Override
    public Prepared prepare(String policyDomain) {
        if (!resolveAhead || !isDomainName(policyDomain)) {
            return () -> fetch(policyDomain);
        }
        Optional<CompletableFuture<DnsResult<InetAddress>>> addresses;
        try {
            addresses = Optional.of(startResolving(hostOf(policyDomain)));
        } catch (RuntimeException e) {
            // The fetch resolves again and reports the broken resolver as any fetch does.
            return () -> fetch(policyDomain);
        }
        return () -> fetch(policyDomain, addresses);
    }

    private CompletionStage<FetchResult> fetch(
            String policyDomain, Optional<CompletableFuture<DnsResult<InetAddress>>> addresses) {
        try {
            return CompletableFuture.supplyAsync(() -> fetchBlocking(policyDomain, addresses), executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(new FetchResult.Failed(FetchProblem.of(
                    FetchProblem.Reason.LOCAL_CAPACITY,
                    "too many fetches pending in this process; nothing was sent (" + e.getMessage() + ")")));
        }
    }

    /** The most threads the default executor ever ran at once; -1 with a caller's executor. */
    int largestPoolSize() {
        ThreadPoolExecutor pool = ownPool;
        return pool == null ? -1 : pool.getLargestPoolSize();
    }

    /**
     * {@code max} daemon threads, started on demand and ended after 30 s idle (so a forgotten fetcher
     * holds none), and a queue of {@code pending} fetches beyond them; anything more is refused.
     */
    private static ThreadPoolExecutor newPool(int max, int pending) {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                max,
                max,
                30,
                TimeUnit.SECONDS,
                pending == 0 ? new SynchronousQueue<>() : new LinkedBlockingQueue<>(pending),
                r -> {
                    Thread thread = new Thread(r, "mtasts-fetch-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                },
                new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    FetchResult fetchBlocking(String policyDomain) {
        return fetchBlocking(policyDomain, Optional.empty());
    }

    private FetchResult fetchBlocking(
            String policyDomain, Optional<CompletableFuture<DnsResult<InetAddress>>> addresses) {
        if (!isDomainName(policyDomain)) {
            // Checked up front: SNIHostName and the request line would otherwise meet it (STS-HTTP-1).
            return new FetchResult.Failed(FetchProblem.of(
                    FetchProblem.Reason.DNS_NO_ADDRESS,
                    "policy domain '" + abbreviate(policyDomain) + "' is not a valid host name"));
        }
        String host = hostOf(policyDomain);
        Deadline deadline = new Deadline(ticker, timeout.toNanos());
        try {
            return new FetchResult.Fetched(
                    fetchPolicy(host, addresses.orElseGet(() -> startResolving(host)), deadline));
        } catch (FetchException e) {
            return new FetchResult.Failed(e.failure());
        } catch (RuntimeException e) {
            // PolicyFetcher promises a FetchResult for every failed fetch, whatever the server sent.
            return new FetchResult.Failed(
                    FetchProblem.of(FetchProblem.Reason.PROTOCOL, "fetching from " + host + " failed: " + e));
        }
    }

    private static String hostOf(String policyDomain) {
        return "mta-sts." + policyDomain.toLowerCase(Locale.ROOT);
    }

    /** A host name of LDH labels (RFC 1123 §2.1), at most 63 octets each, no empty label. */
    static boolean isDomainName(String domain) {
        if (domain.isEmpty() || domain.length() > MAX_DOMAIN_LENGTH) {
            return false;
        }
        for (String label : domain.split("\\.", -1)) {
            if (label.isEmpty()
                    || label.length() > 63
                    || label.charAt(0) == '-'
                    || label.charAt(label.length() - 1) == '-'
                    || !label.chars().allMatch(HttpsPolicyFetcher::isLdh)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLdh(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    }

    private static String abbreviate(String s) {
        String shown = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return shown.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private Policy fetchPolicy(String host, CompletableFuture<DnsResult<InetAddress>> resolving, Deadline deadline)
            throws FetchException {
        List<InetAddress> addresses = resolve(host, resolving, deadline);
        Socket plain = connect(host, addresses, deadline);
        // SO_TIMEOUT bounds each read, not the fetch: inside a handshake or one TLS record the
        // SSLSocket reads many times, so a server dripping a byte before each timeout could hold the
        // fetch for hours. Closing the socket at the deadline makes it one hard limit (STS-HTTP-8).
        AtomicBoolean expired = new AtomicBoolean();
        Scheduler.Cancellable watchdog;
        try {
            watchdog = scheduler.schedule(Duration.ofNanos(deadline.remainingNanos()), () -> {
                expired.set(true);
                closeQuietly(plain);
            });
        } catch (RejectedExecutionException e) {
            closeQuietly(plain);
            throw new FetchException(FetchProblem.Reason.PROTOCOL, "cannot start the deadline watchdog: " + e);
        }
        try {
            return exchange(plain, host, deadline);
        } catch (FetchException e) {
            if (expired.get()) {
                // Whatever broke after the watchdog closed the socket broke because of the deadline.
                throw new FetchException(FetchProblem.Reason.TIMEOUT, "the fetch deadline passed talking to " + host);
            }
            throw e;
        } finally {
            watchdog.cancel();
            // A hard close of the TCP socket, no close_notify: closing the SSLSocket waits for the
            // peer's close_notify up to the read timeout, so a server that stops answering could hold
            // the thread until the deadline after we are done (the body is framed, nothing to lose).
            closeQuietly(plain);
        }
    }

    private Policy exchange(Socket plain, String host, Deadline deadline) throws FetchException {
        try {
            SSLSocket tls = handshake(plain, host, deadline);
            SSLSession checked = tls.getSession();
            OutputStream out = tls.getOutputStream();
            // No Accept-Encoding (STS-HTTP-5); no conditional or cache headers (§3.3).
            String request = "GET " + PATH + " HTTP/1.1\r\n"
                    + "Host: " + host + (port == 443 ? "" : ":" + port) + "\r\n"
                    + "User-Agent: mtasts-java\r\n"
                    + "Accept: text/plain\r\n"
                    + "Connection: close\r\n\r\n";
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // Checked before every read too: a read returns once it has application data, so data
            // sent under a renegotiated session is seen even if a later handshake restored this one.
            HttpResponseReader reader = new HttpResponseReader(tls.getInputStream(), () -> {
                try {
                    checkNotRenegotiated(tls, checked, host);
                    arm(tls, deadline);
                } catch (FetchException e) {
                    throw new ReadException(e.failure().reason(), e.failure().detail());
                }
            });
            HttpResponseReader.Head head = reader.readHead();
            checkNotRenegotiated(tls, checked, host);
            if (head.status() != 200) {
                throw new FetchException(FetchProblem.status(head.status(), head.first("location")));
            }
            checkEncoding(head);
            if (requireTextPlain) {
                checkMediaType(head);
            }
            byte[] body = reader.readBody(head, PolicyFetcher.Builder.MAX_BODY_BYTES);
            checkNotRenegotiated(tls, checked, host);
            try {
                return Policy.parse(body);
            } catch (SyntaxException e) {
                throw new FetchException(FetchProblem.invalidPolicy(e, lines(body)));
            }
        } catch (ReadException e) {
            throw new FetchException(e.reason(), String.valueOf(e.getMessage()));
        } catch (SocketTimeoutException e) {
            throw new FetchException(FetchProblem.Reason.TIMEOUT, "the fetch deadline passed: " + e.getMessage());
        } catch (IOException e) {
            throw new FetchException(FetchProblem.Reason.PROTOCOL, "I/O error talking to " + host + ": " + e);
        }
    }

    private CompletableFuture<DnsResult<InetAddress>> startResolving(String host) {
        return dns.addressesAsync(host).toCompletableFuture();
    }

    private List<InetAddress> resolve(
            String host, CompletableFuture<DnsResult<InetAddress>> resolving, Deadline deadline) throws FetchException {
        DnsResult<InetAddress> result;
        try {
            result = resolving.get(deadline.remainingMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new FetchException(FetchProblem.Reason.TIMEOUT, "the fetch deadline passed resolving " + host);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchException(FetchProblem.Reason.DNS_TEMPORARY, "interrupted resolving " + host);
        } catch (ExecutionException e) {
            throw new FetchException(
                    FetchProblem.Reason.DNS_TEMPORARY, "resolving " + host + " failed: " + e.getCause());
        }
        if (result instanceof DnsResult.NoRecords<InetAddress> none) {
            throw new FetchException(
                    FetchProblem.Reason.DNS_NO_ADDRESS, host + " has no A/AAAA records (" + none.kind() + ")");
        }
        if (result instanceof DnsResult.Unavailable<InetAddress> failure) {
            throw new FetchException(
                    FetchProblem.Reason.DNS_TEMPORARY,
                    "resolving " + host + " failed: " + failure.kind() + " " + failure.detail());
        }
        List<InetAddress> permitted = new ArrayList<>();
        List<InetAddress> refused = new ArrayList<>();
        for (InetAddress address : ((DnsResult.Records<InetAddress>) result).values()) {
            (addressFilter.permits(address) ? permitted : refused).add(address);
        }
        if (permitted.isEmpty()) {
            throw new FetchException(
                    FetchProblem.Reason.ADDRESS_REFUSED,
                    host + " resolves only to refused addresses " + refused + " (STS-HTTP-11)");
        }
        return permitted;
    }

    private Socket connect(String host, List<InetAddress> addresses, Deadline deadline) throws FetchException {
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < addresses.size(); i++) {
            InetAddress address = addresses.get(i);
            Socket socket = new Socket();
            long remaining = deadline.remainingNanos();
            try {
                // The client's TLS Finished and the request are two small writes in a row: with Nagle
                // the second waits for the server's (delayed, ~40 ms) ACK of the first.
                socket.setTcpNoDelay(true);
            } catch (IOException e) {
                // only a latency loss; connect() reports a socket that is really broken
            }
            int share = 0;
            try {
                share = connectShareMillis(remaining, addresses.size() - i);
                socket.connect(new InetSocketAddress(address, port), share);
                return socket;
            } catch (SocketTimeoutException e) {
                closeQuietly(socket);
                errors.add(address.getHostAddress() + ": connect timed out");
                if (share >= TimeUnit.NANOSECONDS.toMillis(remaining)) {
                    // This address had all the time left: the deadline has passed (STS-HTTP-8).
                    throw new FetchException(
                            FetchProblem.Reason.TIMEOUT,
                            "the fetch deadline passed connecting to " + host + " " + errors);
                }
                // Otherwise it had only its share: one unreachable address must not use up the
                // time of the others.
            } catch (IOException e) {
                closeQuietly(socket);
                errors.add(address.getHostAddress() + ": " + e.getMessage());
            } catch (FetchException e) {
                closeQuietly(socket);
                throw e;
            }
        }
        throw new FetchException(FetchProblem.Reason.CONNECT, "cannot connect to " + host + " " + errors);
    }

    /**
     * The connect timeout of one address: an equal share of the time left among the addresses not yet
     * tried, but at least {@code minConnectShare} (never more than what is left), so a long list does not
     * give each address too little time to answer.
     */
    int connectShareMillis(long remainingNanos, int addressesLeft) throws FetchException {
        if (remainingNanos <= 0) {
            throw new FetchException(FetchProblem.Reason.TIMEOUT, "the fetch deadline passed");
        }
        long share = Math.min(remainingNanos, Math.max(remainingNanos / addressesLeft, minConnectShareNanos));
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(share)));
    }

    private SSLSocket handshake(Socket plain, String host, Deadline deadline) throws FetchException {
        SSLSocket tls;
        try {
            tls = (SSLSocket) socketFactory.createSocket(plain, host, port, true);
        } catch (IOException e) {
            throw new FetchException(FetchProblem.Reason.TLS, "cannot start TLS with " + host + ": " + e);
        }
        try {
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(host))); // SNI = policy host (§7.1)
            parameters.setEndpointIdentificationAlgorithm("HTTPS"); // SAN dNSName vs the host (§3.3)
            List<String> supported = Arrays.asList(tls.getSupportedProtocols());
            String[] protocols = PROTOCOLS.stream().filter(supported::contains).toArray(String[]::new);
            if (protocols.length == 0) {
                throw new FetchException(FetchProblem.Reason.TLS, "neither TLSv1.3 nor TLSv1.2 is available");
            }
            parameters.setProtocols(protocols);
            tls.setSSLParameters(parameters);
            arm(tls, deadline);
            tls.startHandshake();
            checkIdentity(tls, host);
            return tls;
        } catch (SocketTimeoutException e) {
            throw new FetchException(FetchProblem.Reason.TIMEOUT, "the fetch deadline passed in the TLS handshake");
        } catch (SSLException e) {
            boolean certificate = e instanceof SSLPeerUnverifiedException || TlsFailures.causedByCertificate(e);
            throw new FetchException(
                    certificate ? FetchProblem.Reason.CERTIFICATE : FetchProblem.Reason.TLS,
                    "TLS handshake with " + host + " failed: " + e.getMessage());
        } catch (IOException e) {
            throw new FetchException(FetchProblem.Reason.TLS, "TLS handshake with " + host + " failed: " + e);
        }
    }

    /**
     * The JDK's "HTTPS" identification falls back to the subject CN when there is no dNSName and takes
     * partial wildcards ({@code m*.example.com}); STS-HTTP-2 (RFC 8461 §3.3, RFC 6125) wants SAN
     * dNSName only and a wildcard only as the whole left-most label. Checked before any request is sent.
     */
    private static void checkIdentity(SSLSocket tls, String host) throws FetchException {
        String problem;
        try {
            Certificate[] chain = tls.getSession().getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate leaf) {
                if (CertificateNames.matches(leaf, host)) {
                    return;
                }
                problem = "names " + CertificateNames.dnsNames(leaf) + " in its subjectAltName, none matching";
            } else {
                problem = "is not an X.509 certificate";
            }
        } catch (SSLPeerUnverifiedException | CertificateParsingException e) {
            problem = "cannot be read: " + e.getMessage();
        }
        throw new FetchException(
                FetchProblem.Reason.CERTIFICATE, "the certificate of " + host + " " + problem + " (STS-HTTP-2)");
    }

    /**
     * A TLS 1.2 server may renegotiate while we read the response and present another certificate,
     * which only the JDK's laxer "HTTPS" check would then judge: STS-HTTP-2 (RFC 8461 §3.3) holds for
     * every certificate the response is sent under, so a response read from any session other than
     * the one {@link #checkIdentity} accepted is refused (docs/policy-fetching.md, "Renegotiation").
     * A full renegotiation gives a new session object, whatever certificate it presents.
     */
    private static void checkNotRenegotiated(SSLSocket tls, SSLSession checked, String host) throws FetchException {
        if (tls.getSession() == checked) {
            return;
        }
        checkIdentity(tls, host); // the more telling failure when the new certificate is wrong too
        throw new FetchException(
                FetchProblem.Reason.TLS,
                "the policy host " + host + " renegotiated TLS during the response; refused (STS-HTTP-2)");
    }

    private static void arm(Socket socket, Deadline deadline) throws FetchException {
        int millis = deadline.remainingMillis();
        try {
            socket.setSoTimeout(millis);
        } catch (IOException e) {
            throw new FetchException(FetchProblem.Reason.PROTOCOL, "cannot set the socket timeout: " + e);
        }
    }

    static void checkEncoding(HttpResponseReader.Head head) throws FetchException {
        for (String value : head.all("content-encoding")) {
            for (String coding : value.split(",", -1)) {
                String c = coding.strip().toLowerCase(Locale.ROOT);
                if (!c.isEmpty() && !c.equals("identity")) {
                    throw new FetchException(
                            FetchProblem.Reason.CONTENT_ENCODING,
                            "Content-Encoding " + value + " is refused (STS-HTTP-5)");
                }
            }
        }
    }

    static void checkMediaType(HttpResponseReader.Head head) throws FetchException {
        String contentType = head.first("content-type").orElse(null);
        if (contentType == null) {
            throw new FetchException(FetchProblem.Reason.CONTENT_TYPE, "no Content-Type; text/plain is required");
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon >= 0 ? contentType.substring(0, semicolon) : contentType).strip();
        if (!mediaType.equalsIgnoreCase("text/plain")) {
            throw new FetchException(
                    FetchProblem.Reason.CONTENT_TYPE, "Content-Type " + contentType + " is not text/plain (§3.3)");
        }
    }

    /** The body's lines as received, for the TLSRPT policy-string of an invalid policy. */
    static List<String> lines(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\r?\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    private static void closeQuietly(@Nullable Socket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException e) {
            // nothing more to do with a socket we are abandoning
        }
    }

    /** One daemon thread closing sockets whose fetch deadline passed (STS-HTTP-8); tasks are tiny. */
    private static final class Watchdog {
        static final Scheduler SCHEDULER = Scheduler.of(newWatchdog());

        private static ScheduledThreadPoolExecutor newWatchdog() {
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
                Thread thread = new Thread(r, "mtasts-fetch-watchdog");
                thread.setDaemon(true);
                return thread;
            });
            // Cancelled watchdogs (the normal case) leave the queue at once instead of at their deadline.
            executor.setRemoveOnCancelPolicy(true);
            return executor;
        }
    }
}
