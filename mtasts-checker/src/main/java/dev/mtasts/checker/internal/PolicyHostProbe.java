package dev.mtasts.checker.internal;

import dev.mtasts.checker.internal.PolicyHostAnswer.Failure;
import dev.mtasts.checker.internal.PolicyHostAnswer.Stage;
import dev.mtasts.core.fetch.FetchProblem;
import dev.mtasts.core.internal.HttpResponseReader;
import dev.mtasts.core.internal.HttpResponseReader.ReadException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * One policy fetch from one address, with the sender's limits: TLS 1.2 or 1.3 with SNI {@code
 * mta-sts.<domain>}, one {@code GET /.well-known/mta-sts.txt}, redirects never followed, a 64 KiB
 * body cap and one deadline over connect, handshake, head and body (RFC 8461 §3.3). The handshake
 * accepts any certificate so the chain is recorded; it is judged afterwards.
 */
final class PolicyHostProbe {
    static final String PATH = "/.well-known/mta-sts.txt";
    private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** Closes sockets whose deadline passed: a peer dripping bytes cannot stretch a read. */
    private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

    private PolicyHostProbe() {}

    private static ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "mtasts-checker-policy-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /** What is gathered as the exchange goes on. */
    private static final class Record {
        final InetAddress address;

        @Nullable
        String tlsVersion;

        List<X509Certificate> chain = List.of();

        @Nullable
        CertificateVerdict verdict;

        OptionalInt status = OptionalInt.empty();

        @Nullable
        String contentType;

        @Nullable
        String contentEncoding;

        @Nullable
        String location;

        byte @Nullable [] body;
        OptionalLong bodySize = OptionalLong.empty();

        Record(InetAddress address) {
            this.address = address;
        }

        PolicyHostAnswer answer(@Nullable Failure failure) {
            return new PolicyHostAnswer(
                    address,
                    Optional.ofNullable(tlsVersion),
                    chain,
                    Optional.ofNullable(verdict),
                    status,
                    Optional.ofNullable(contentType),
                    Optional.ofNullable(contentEncoding),
                    Optional.ofNullable(location),
                    Optional.ofNullable(body),
                    bodySize,
                    Optional.ofNullable(failure));
        }
    }

    /** A probe failure on the way. */
    private static final class Stop extends Exception {
        private static final long serialVersionUID = 1L;
        final Stage stage;

        Stop(Stage stage, String detail) {
            super(detail);
            this.stage = stage;
        }
    }

    /** Fetches the policy of {@code host} from {@code address}. */
    static PolicyHostAnswer fetch(CheckContext ctx, InetAddress address, String host) {
        Duration timeout = ctx.options().httpTimeout();
        long deadline = System.nanoTime() + timeout.toNanos();
        Record record = new Record(address);
        Socket plain = new Socket();
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> watchdog = WATCHDOG.schedule(
                () -> {
                    expired.set(true);
                    closeQuietly(plain);
                },
                timeout.toNanos(),
                TimeUnit.NANOSECONDS);
        try {
            exchange(ctx, plain, record, host, deadline);
            return record.answer(null);
        } catch (Stop e) {
            if (expired.get() || e.stage == Stage.TIMEOUT) {
                return record.answer(new Failure(
                        Stage.TIMEOUT,
                        "no complete answer within " + timeout.toMillis() + " ms (" + e.getMessage() + ")"));
            }
            return record.answer(new Failure(e.stage, String.valueOf(e.getMessage())));
        } catch (RuntimeException e) {
            // Whatever the server sent, one address must not end the whole check.
            return record.answer(new Failure(Stage.PROTOCOL, "the exchange failed: " + e));
        } finally {
            watchdog.cancel(false);
            closeQuietly(plain);
        }
    }

    private static void exchange(CheckContext ctx, Socket plain, Record record, String host, long deadline)
            throws Stop {
        int port = ctx.options().policyHostPort();
        try {
            plain.setTcpNoDelay(true);
            plain.connect(new InetSocketAddress(record.address, port), remainingMillis(deadline));
        } catch (SocketTimeoutException e) {
            throw new Stop(Stage.TIMEOUT, "connecting to port " + port + " timed out");
        } catch (IOException e) {
            throw new Stop(Stage.CONNECT, "cannot connect to port " + port + ": " + e.getMessage());
        }
        SSLSocket tls = handshake(ctx.handshakeContext(), plain, record, host, port, deadline);
        X509Certificate[] chain = record.chain.toArray(new X509Certificate[0]);
        record.verdict = CertificateVerdict.judge(
                chain, host, ctx.pkix(), ctx.options().clock().instant());
        try {
            // The sender's request: no Accept-Encoding, no conditional or cache headers (§3.3).
            String request = "GET " + PATH + " HTTP/1.1\r\n"
                    + "Host: " + host + (port == 443 ? "" : ":" + port) + "\r\n"
                    + "User-Agent: mtasts-java-checker\r\n"
                    + "Accept: text/plain\r\n"
                    + "Connection: close\r\n\r\n";
            OutputStream out = tls.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            throw new Stop(Stage.PROTOCOL, "sending the request failed: " + e.getMessage());
        }
        // The sender's own reader, so both judge framing, caps and interim answers alike.
        HttpResponseReader reader;
        try {
            reader = new HttpResponseReader(tls.getInputStream(), () -> arm(tls, deadline));
        } catch (IOException e) {
            throw new Stop(Stage.PROTOCOL, "cannot read the response: " + e.getMessage());
        }
        try {
            HttpResponseReader.Head head = reader.readHead();
            record.status = OptionalInt.of(head.status());
            record.contentType = head.first("content-type").orElse(null);
            List<String> codings = head.all("content-encoding");
            record.contentEncoding = codings.isEmpty() ? null : String.join(", ", codings);
            record.location = head.first("location").orElse(null);
            if (head.status() != 200) {
                return; // the sender reads no further; a redirect is reported, never followed (§3.3)
            }
            byte[] body = reader.readBody(head, PolicyHostAnswer.MAX_BODY_BYTES);
            record.body = body;
            record.bodySize = OptionalLong.of(body.length);
        } catch (ReadException e) {
            if (e.reason() == FetchProblem.Reason.TOO_LARGE) {
                record.bodySize = e.size();
            }
            throw new Stop(stage(e.reason()), String.valueOf(e.getMessage()));
        }
    }

    private static Stage stage(FetchProblem.Reason reason) {
        return switch (reason) {
            case TIMEOUT -> Stage.TIMEOUT;
            case TOO_LARGE -> Stage.TOO_LARGE;
            // A certificate refused in a renegotiation mid-response: a TLS fault, as in the handshake.
            case CERTIFICATE, TLS -> Stage.TLS;
            default -> Stage.PROTOCOL;
        };
    }

    private static SSLSocket handshake(
            SSLContext context, Socket plain, Record record, String host, int port, long deadline) throws Stop {
        try {
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true);
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(host))); // SNI = policy host (§3.3)
            List<String> supported = Arrays.asList(tls.getSupportedProtocols());
            // Only what the sender offers: a host without TLS 1.2 or later fails here as it does there (§7.2).
            parameters.setProtocols(
                    PROTOCOLS.stream().filter(supported::contains).toArray(String[]::new));
            tls.setSSLParameters(parameters);
            tls.setSoTimeout(remainingMillis(deadline));
            tls.startHandshake();
            record.tlsVersion = tls.getSession().getProtocol();
            record.chain = x509(tls.getSession().getPeerCertificates());
            return tls;
        } catch (SocketTimeoutException e) {
            throw new Stop(Stage.TIMEOUT, "the TLS handshake timed out");
        } catch (IOException e) {
            throw new Stop(Stage.TLS, "the TLS handshake (TLS 1.2 or 1.3) failed: " + e.getMessage());
        }
    }

    private static List<X509Certificate> x509(Certificate[] certificates) throws SSLPeerUnverifiedException {
        List<X509Certificate> chain = new ArrayList<>(certificates.length);
        for (Certificate certificate : certificates) {
            if (certificate instanceof X509Certificate x) {
                chain.add(x);
            }
        }
        return chain;
    }

    private static void arm(Socket socket, long deadline) throws ReadException {
        try {
            socket.setSoTimeout(remainingMillis(deadline));
        } catch (Stop e) {
            throw new ReadException(FetchProblem.Reason.TIMEOUT, String.valueOf(e.getMessage()));
        } catch (IOException e) {
            throw new ReadException(FetchProblem.Reason.PROTOCOL, "cannot set the socket timeout: " + e.getMessage());
        }
    }

    private static int remainingMillis(long deadline) throws Stop {
        long millis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (millis <= 0) {
            throw new Stop(Stage.TIMEOUT, "the deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, millis);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing more to do with a socket being abandoned
        }
    }
}
