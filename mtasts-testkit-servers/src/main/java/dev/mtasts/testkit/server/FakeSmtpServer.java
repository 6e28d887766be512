package dev.mtasts.testkit.server;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * A fake MX: an ESMTP server on {@code 127.0.0.1} and an ephemeral port speaking enough of RFC 5321
 * and STARTTLS (RFC 3207) to receive a message over TLS: greeting, EHLO/HELO, STARTTLS, MAIL, RCPT,
 * DATA, RSET, NOOP, QUIT. Records every session: whether TLS was used, the SNI the client sent, the
 * protocol, the EHLO name, the envelope and the message bytes.
 *
 * <p>STARTTLS is offered when the server has a certificate or {@link SSLContext}; an {@link SmtpFault}
 * makes it fail in a chosen way. Several servers may run at once; each has its own port.
 *
 * <p>Thread-safe: the certificate and fault may change while running and apply to later commands.
 */
public final class FakeSmtpServer implements Closeable {
    private static final int MAX_LINE = 64 * 1024;

    private final String hostName;
    private final ServerSupport support;
    private final BlockingQueue<SmtpSession> sessionQueue = new LinkedBlockingQueue<>();
    private final List<SmtpSession> sessions = new CopyOnWriteArrayList<>();
    private final AtomicInteger connectionCount = new AtomicInteger();
    private final AtomicInteger queued = new AtomicInteger();
    private volatile @Nullable SSLContext tlsContext;
    private volatile @Nullable TestCertificate certificate;
    private volatile @Nullable SmtpFault fault;
    private volatile @Nullable ServerSocket server;

    /** A server that offers no STARTTLS (it has nothing to present) until given a certificate. */
    public FakeSmtpServer(String hostName) {
        this.hostName = requireNonNull(hostName, "hostName");
        this.support = new ServerSupport("fake-smtp-" + hostName);
    }

    /** A server presenting the certificate after STARTTLS. */
    public FakeSmtpServer(String hostName, TestCertificate certificate) {
        this(hostName);
        certificate(certificate);
    }

    /** A server using the given server-side context after STARTTLS. */
    public FakeSmtpServer(String hostName, SSLContext serverContext) {
        this(hostName);
        sslContext(serverContext);
    }

    /**
     * Binds {@code 127.0.0.1} on an ephemeral port and starts accepting sessions.
     *
     * @throws IllegalStateException if already started or closed
     */
    public FakeSmtpServer start() {
        synchronized (this) {
            if (server != null || support.isClosed()) {
                throw new IllegalStateException("the SMTP server " + hostName + " was already started or closed");
            }
            server = support.listen("the SMTP server", this::accept);
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
    public FakeSmtpServer start(InetSocketAddress address) throws IOException {
        requireNonNull(address, "address");
        synchronized (this) {
            if (server != null || support.isClosed()) {
                throw new IllegalStateException("the SMTP server " + hostName + " was already started or closed");
            }
            server = support.listen("the SMTP server", address, this::accept);
        }
        return this;
    }

    /** The host name in the greeting and EHLO reply. */
    public String hostName() {
        return hostName;
    }

    /**
     * The port bound.
     *
     * @throws IllegalStateException before {@link #start()}
     */
    public int port() {
        ServerSocket socket = server;
        if (socket == null) {
            throw new IllegalStateException("the SMTP server " + hostName + " is not started");
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

    /** Presents this certificate after later STARTTLS commands. */
    public FakeSmtpServer certificate(TestCertificate certificate) {
        requireNonNull(certificate, "certificate");
        this.tlsContext = null;
        this.certificate = certificate;
        return this;
    }

    /** Uses this server-side context after later STARTTLS commands. */
    public FakeSmtpServer sslContext(SSLContext serverContext) {
        this.tlsContext = requireNonNull(serverContext, "serverContext");
        this.certificate = null;
        return this;
    }

    /** The certificate presented, when one was given (rather than an {@link SSLContext}). */
    public Optional<TestCertificate> certificate() {
        return Optional.ofNullable(certificate);
    }

    /** Applies the fault to commands from now on (in open sessions too) until cleared. */
    public FakeSmtpServer fault(SmtpFault fault) {
        this.fault = requireNonNull(fault, "fault");
        return this;
    }

    /** Removes the fault. */
    public FakeSmtpServer clearFault() {
        this.fault = null;
        return this;
    }

    /** The current fault. */
    public Optional<SmtpFault> fault() {
        return Optional.ofNullable(fault);
    }

    /**
     * The next ended session not yet taken, waiting up to 10 seconds.
     *
     * @throws AssertionError if none ends in time
     */
    public SmtpSession takeSession() {
        return pollSession(Duration.ofSeconds(10))
                .orElseThrow(() -> new AssertionError("no SMTP session with " + hostName + " ended within 10 s"));
    }

    /** The next ended session not yet taken, waiting up to {@code timeout}. */
    public Optional<SmtpSession> pollSession(Duration timeout) {
        return ServerSupport.poll(sessionQueue, timeout);
    }

    /** Every ended session so far, in the order they ended. */
    public List<SmtpSession> sessions() {
        return List.copyOf(sessions);
    }

    /** How many TCP connections were accepted. */
    public int connectionCount() {
        return connectionCount.get();
    }

    /** Stops accepting, closes every session and releases the port and threads. Idempotent. */
    @Override
    public void close() {
        support.close();
    }

    @Override
    public String toString() {
        ServerSocket socket = server;
        return "FakeSmtpServer{" + hostName + " at "
                + (socket == null ? "not started" : "127.0.0.1:" + socket.getLocalPort()) + "}";
    }

    // ---------------------------------------------------------------- serving

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
            try {
                // Multi-line replies go out line by line: with Nagle a later line would wait for the
                // client's delayed ACK (~40 ms), a stall of the test server, not of the client under test.
                raw.setTcpNoDelay(true);
            } catch (IOException e) {
                // the connection is already broken: serving it ends at once
            }
            support.execute(() -> serve(raw));
        }
    }

    /** The state of one session. Confined to its thread. */
    private static final class Session {
        final List<String> commands = new ArrayList<>();
        final List<SmtpSession.Transaction> transactions = new ArrayList<>();
        boolean tls;

        @Nullable
        String sni;

        @Nullable
        String protocol;

        @Nullable
        String tlsFailure;

        @Nullable
        String ehlo;

        @Nullable
        String mailFrom;

        final List<String> recipients = new ArrayList<>();
        boolean quit;

        void resetTransaction() {
            if (mailFrom != null) {
                transactions.add(new SmtpSession.Transaction(mailFrom, recipients, Optional.empty(), tls));
            }
            mailFrom = null;
            recipients.clear();
        }

        SmtpSession record() {
            resetTransaction();
            return new SmtpSession(
                    commands,
                    tls,
                    Optional.ofNullable(sni),
                    Optional.ofNullable(protocol),
                    Optional.ofNullable(tlsFailure),
                    Optional.ofNullable(ehlo),
                    transactions,
                    quit);
        }
    }

    private void serve(Socket raw) {
        Session session = new Session();
        Socket current = raw;
        try {
            raw.setSoTimeout(60_000);
            LineReader reader = new LineReader(raw.getInputStream(), MAX_LINE);
            OutputStream out = raw.getOutputStream();
            reply(out, "220 " + hostName + " ESMTP mtasts-testkit");
            while (!support.isClosed()) {
                String line = reader.readLine();
                if (line == null) {
                    return;
                }
                session.commands.add(line);
                int space = line.indexOf(' ');
                String verb = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
                String argument = space < 0 ? "" : line.substring(space + 1).trim();
                SmtpFault currentFault = fault;
                TestCertificate currentCertificate = certificate;
                SSLContext givenContext = tlsContext;
                boolean offerTls = !session.tls
                        && (currentCertificate != null || givenContext != null)
                        && currentFault != SmtpFault.STARTTLS_NOT_OFFERED;
                switch (verb) {
                    case "EHLO" -> {
                        session.ehlo = argument;
                        session.resetTransaction();
                        List<String> lines = new ArrayList<>();
                        lines.add(hostName + " greets " + argument);
                        lines.add("8BITMIME");
                        lines.add("ENHANCEDSTATUSCODES");
                        lines.add("SIZE 52428800");
                        if (offerTls) {
                            lines.add("STARTTLS");
                        }
                        StringBuilder sb = new StringBuilder();
                        for (int i = 0; i < lines.size(); i++) {
                            sb.append("250")
                                    .append(i == lines.size() - 1 ? ' ' : '-')
                                    .append(lines.get(i));
                            if (i < lines.size() - 1) {
                                sb.append("\r\n");
                            }
                        }
                        reply(out, sb.toString());
                    }
                    case "HELO" -> {
                        session.ehlo = argument;
                        session.resetTransaction();
                        reply(out, "250 " + hostName);
                    }
                    case "STARTTLS" -> {
                        if (session.tls) {
                            reply(out, "503 5.5.1 TLS already active");
                        } else if (!offerTls) {
                            reply(out, "502 5.5.1 STARTTLS not supported");
                        } else if (currentFault == SmtpFault.STARTTLS_REFUSED) {
                            reply(out, "454 4.7.0 TLS not available due to temporary reason");
                        } else if (currentFault == SmtpFault.TLS_PROTOCOL_TOO_OLD) {
                            reply(out, "220 2.0.0 Ready to start TLS");
                            session.tlsFailure = refuseClientHello(reader, out);
                            return;
                        } else {
                            reply(out, "220 2.0.0 Ready to start TLS");
                            // A fresh context per session when we own the certificate: no TLS
                            // resumption, so each session's SNI is its own.
                            SSLContext handshakeContext = currentFault == SmtpFault.FAIL_HANDSHAKE
                                    ? failingContext()
                                    : currentCertificate != null
                                            ? currentCertificate.serverSslContext()
                                            : requireNonNull(givenContext, "context");
                            SSLSocket ssl = (SSLSocket) handshakeContext
                                    .getSocketFactory()
                                    .createSocket(raw, "127.0.0.1", raw.getPort(), true);
                            ssl.setUseClientMode(false);
                            support.track(ssl);
                            current = ssl;
                            try {
                                ssl.startHandshake();
                            } catch (SSLException e) {
                                session.tlsFailure = e.toString();
                                return;
                            }
                            session.tls = true;
                            session.sni = TestKeyManager.sni(ssl.getSession()).orElse(null);
                            session.protocol = ssl.getSession().getProtocol();
                            // RFC 3207 §4.2: forget everything learnt before TLS, including buffered input.
                            session.ehlo = null;
                            session.resetTransaction();
                            reader = new LineReader(ssl.getInputStream(), MAX_LINE);
                            out = ssl.getOutputStream();
                        }
                    }
                    case "MAIL" -> {
                        if (session.ehlo == null) {
                            reply(out, "503 5.5.1 Error: send HELO/EHLO first");
                        } else if (session.mailFrom != null) {
                            reply(out, "503 5.5.1 Error: nested MAIL command");
                        } else if (!argument.toUpperCase(Locale.ROOT).startsWith("FROM:")) {
                            reply(out, "501 5.5.4 Syntax: MAIL FROM:<address>");
                        } else {
                            session.mailFrom = path(argument.substring(5));
                            reply(out, "250 2.1.0 Ok");
                        }
                    }
                    case "RCPT" -> {
                        if (session.mailFrom == null) {
                            reply(out, "503 5.5.1 Error: need MAIL command");
                        } else if (!argument.toUpperCase(Locale.ROOT).startsWith("TO:")) {
                            reply(out, "501 5.5.4 Syntax: RCPT TO:<address>");
                        } else {
                            session.recipients.add(path(argument.substring(3)));
                            reply(out, "250 2.1.5 Ok");
                        }
                    }
                    case "DATA" -> {
                        if (session.mailFrom == null || session.recipients.isEmpty()) {
                            reply(out, "503 5.5.1 Error: need RCPT command");
                            break;
                        }
                        reply(out, "354 End data with <CR><LF>.<CR><LF>");
                        byte[] message = readData(reader);
                        if (message == null) {
                            return;
                        }
                        session.transactions.add(new SmtpSession.Transaction(
                                session.mailFrom, session.recipients, Optional.of(message), session.tls));
                        session.mailFrom = null;
                        session.recipients.clear();
                        reply(out, "250 2.0.0 Ok: queued as " + hostName + "-" + queued.incrementAndGet());
                    }
                    case "RSET" -> {
                        session.resetTransaction();
                        reply(out, "250 2.0.0 Ok");
                    }
                    case "NOOP" -> {
                        reply(out, "250 2.0.0 Ok");
                    }
                    case "QUIT" -> {
                        session.quit = true;
                        reply(out, "221 2.0.0 Bye");
                        return;
                    }
                    default -> {
                        reply(out, "502 5.5.2 Error: command not recognized");
                    }
                }
            }
        } catch (IOException e) {
            // the client went away, or the server closed
        } finally {
            SmtpSession recorded = session.record();
            sessions.add(recorded);
            sessionQueue.add(recorded);
            support.untrack(current);
            support.untrack(raw);
        }
    }

    /**
     * Reads the client's first TLS record (its ClientHello) and answers it with a fatal {@code
     * protocol_version} alert in a TLS 1.0 record, the way a server limited to older protocols ends
     * a handshake the client wants at TLS 1.2 or later.
     */
    private static String refuseClientHello(LineReader reader, OutputStream out) throws IOException {
        byte[] header = reader.readBody(5, 5);
        if (header.length == 5) {
            reader.skip(((header[3] & 0xff) << 8) | (header[4] & 0xff));
        }
        // content type alert (21), version 3.1, length 2: level fatal (2), description protocol_version (70)
        out.write(new byte[] {21, 3, 1, 0, 2, 2, 70});
        out.flush();
        return "sent a protocol_version alert: this server offers no TLS 1.2 or later";
    }

    private static void reply(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The address inside {@code <...>}, or the first word when there are no brackets. */
    private static String path(String argument) {
        String a = argument.trim();
        if (a.startsWith("<")) {
            int end = a.indexOf('>');
            return end < 0 ? a.substring(1) : a.substring(1, end);
        }
        int space = a.indexOf(' ');
        return space < 0 ? a : a.substring(0, space);
    }

    /** The DATA content up to the lone dot, dot-unstuffed (RFC 5321 §4.5.2), or null at end of stream. */
    private static byte @Nullable [] readData(LineReader reader) throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        while (true) {
            byte[] line = reader.readLineBytes();
            if (line == null) {
                return null;
            }
            if (line.length == 1 && line[0] == '.') {
                return message.toByteArray();
            }
            int from = line.length > 0 && line[0] == '.' ? 1 : 0;
            message.write(line, from, line.length - from);
            message.write('\r');
            message.write('\n');
        }
    }

    private static volatile @Nullable SSLContext failing;

    /** A server context with no certificate, so every handshake ends in a handshake_failure alert. */
    static SSLContext failingContext() {
        SSLContext context = failing;
        if (context == null) {
            try {
                context = SSLContext.getInstance("TLS");
                context.init(
                        new KeyManager[] {TestKeyManager.selecting((connection, sni) -> null)},
                        new TrustManager[] {new RejectingTrustManager()},
                        null);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot build the failing SSLContext", e);
            }
            failing = context;
        }
        return context;
    }

    /** Trusts no one: the failing context never asks for client certificates anyway. */
    private static final class RejectingTrustManager implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType)
                throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("mtasts-testkit trusts no client certificate here");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType)
                throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("mtasts-testkit trusts no server certificate here");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
