package dev.mtasts.checker.internal;

import static java.util.Objects.requireNonNull;

import dev.mtasts.checker.ProbeResult;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * The SMTP probe of one MX address: connect, read the greeting, EHLO, STARTTLS when offered, the TLS
 * handshake with SNI set to the MX host name (RFC 8461 §7.1), then QUIT. Records what a sender would
 * meet; it judges nothing (the certificate is judged afterwards, {@link CertificateVerdict}).
 *
 * <p>A plain socket dialogue rather than a mail library: a probe needs the raw answers (which EHLO
 * keywords, which STARTTLS reply, which alert), and must never send mail.
 */
final class SmtpProbe {
    private static final int MAX_LINE = 4096;
    private static final int MAX_REPLY_LINES = 200;

    private SmtpProbe() {}

    /**
     * What one probe met.
     *
     * @param result how it ended
     * @param protocol the negotiated TLS protocol, when the handshake completed
     * @param chain the server's chain, leaf first, when the handshake completed
     * @param error what went wrong, in the server's or the TLS stack's words
     * @param protocolRefused whether the handshake failed over the protocol version (the server offers
     *     no TLS 1.2 or later)
     */
    record Outcome(
            ProbeResult result,
            Optional<String> protocol,
            List<X509Certificate> chain,
            Optional<String> error,
            boolean protocolRefused) {
        Outcome {
            requireNonNull(result, "result");
            requireNonNull(protocol, "protocol");
            chain = List.copyOf(chain);
            requireNonNull(error, "error");
        }

        static Outcome of(ProbeResult result, String error) {
            return new Outcome(result, Optional.empty(), List.of(), Optional.of(error), false);
        }
    }

    /** Probes {@code address}:{@code port} as the MX {@code mxHost}, within {@code timeout} in all. */
    static Outcome probe(InetAddress address, int port, String mxHost, SSLContext context, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket socket = new Socket()) {
            // Each command is one small write and waits for its reply: with Nagle, a write after
            // another could sit behind the server's delayed ACK (~40 ms) for nothing.
            socket.setTcpNoDelay(true);
            try {
                socket.connect(new InetSocketAddress(address, port), remainingMillis(deadline));
            } catch (IOException e) {
                return Outcome.of(ProbeResult.UNREACHABLE, "cannot connect to port " + port + ": " + describe(e));
            }
            Dialogue smtp = new Dialogue(socket.getInputStream(), socket.getOutputStream(), socket, deadline);
            Reply greeting;
            try {
                greeting = smtp.read();
            } catch (IOException e) {
                return Outcome.of(ProbeResult.UNREACHABLE, "no greeting: " + describe(e));
            }
            if (greeting.code() != 220) {
                // Often a refusal of this client (a block list of dial-up ranges), not of senders at large.
                return Outcome.of(ProbeResult.UNREACHABLE, "the greeting refuses this client: " + greeting.text());
            }
            return afterGreeting(smtp, socket, port, mxHost, context, deadline);
        } catch (IOException e) {
            return Outcome.of(ProbeResult.UNREACHABLE, "connection lost: " + describe(e));
        }
    }

    private static Outcome afterGreeting(
            Dialogue smtp, Socket socket, int port, String mxHost, SSLContext context, long deadline)
            throws IOException {
        Reply ehlo;
        Reply starttls;
        try {
            ehlo = smtp.command("EHLO " + ehloName(socket.getLocalAddress()));
            if (ehlo.code() != 250) {
                smtp.quietQuit();
                return Outcome.of(ProbeResult.NO_STARTTLS, "EHLO answered " + ehlo.text());
            }
            if (!ehlo.hasKeyword("STARTTLS")) {
                smtp.quietQuit();
                return Outcome.of(ProbeResult.NO_STARTTLS, "the EHLO reply does not list STARTTLS: " + ehlo.text());
            }
            starttls = smtp.command("STARTTLS");
        } catch (IOException e) {
            return Outcome.of(ProbeResult.UNREACHABLE, "connection lost before STARTTLS: " + describe(e));
        }
        if (starttls.code() != 220) {
            smtp.quietQuit();
            return Outcome.of(ProbeResult.NO_STARTTLS, "STARTTLS answered " + starttls.text());
        }
        // The client session cache is keyed by this peer name: the address keeps one address's session
        // from ever standing in for another's certificate. SNI carries the MX name (set below).
        String peer = socket.getInetAddress().getHostAddress();
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, peer, port, true);
        tls.setUseClientMode(true);
        SSLParameters parameters = tls.getSSLParameters();
        sni(mxHost).ifPresent(name -> parameters.setServerNames(List.of(name)));
        tls.setSSLParameters(parameters);
        try {
            tls.setSoTimeout(remainingMillis(deadline));
            tls.startHandshake();
        } catch (SSLException e) {
            String why = describe(e);
            return new Outcome(
                    ProbeResult.TLS_FAILED, Optional.empty(), List.of(), Optional.of(why), isProtocolRefusal(why));
        } catch (IOException e) {
            return Outcome.of(ProbeResult.TLS_FAILED, "the TLS handshake broke off: " + describe(e));
        }
        SSLSession session = tls.getSession();
        List<X509Certificate> chain = new ArrayList<>();
        try {
            for (Certificate c : session.getPeerCertificates()) {
                if (c instanceof X509Certificate x) {
                    chain.add(x);
                }
            }
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            // anonymous suites are off by default; an empty chain is judged as "no certificate"
        }
        new Dialogue(tls.getInputStream(), tls.getOutputStream(), tls, deadline).quietQuit();
        session.invalidate(); // never resumed by a later probe
        tls.close();
        return new Outcome(ProbeResult.TLS_OK, Optional.of(session.getProtocol()), chain, Optional.empty(), false);
    }

    /** Whether the handshake failure is about the protocol version rather than trust or ciphers. */
    static boolean isProtocolRefusal(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        return m.contains("protocol_version")
                || m.contains("no appropriate protocol")
                || m.contains("unsupported protocol")
                || m.contains("protocol version");
    }

    /**
     * The EHLO argument: this end's address literal (RFC 5321 §4.1.3), which needs no DNS and is never
     * a name the probe does not own.
     */
    static String ehloName(InetAddress local) {
        String text = local.getHostAddress();
        int scope = text.indexOf('%');
        if (scope >= 0) {
            text = text.substring(0, scope);
        }
        return local instanceof Inet6Address ? "[IPv6:" + text + "]" : "[" + text + "]";
    }

    private static Optional<SNIHostName> sni(String host) {
        try {
            return Optional.of(new SNIHostName(host));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // not a name SNI can carry; the name check will say why
        }
    }

    private static int remainingMillis(long deadline) throws SocketTimeoutException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("the probe's time ran out");
        }
        return (int) Math.min(left, Integer.MAX_VALUE);
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank()
                ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + message;
    }

    /** One SMTP reply: its code and its lines without the code. */
    record Reply(int code, List<String> lines) {
        Reply {
            lines = List.copyOf(lines);
        }

        boolean hasKeyword(String keyword) {
            // the first line greets; every later line starts with an EHLO keyword (RFC 5321 §4.1.1.1)
            for (int i = 1; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                int space = line.indexOf(' ');
                String word = space < 0 ? line : line.substring(0, space);
                if (word.equalsIgnoreCase(keyword)) {
                    return true;
                }
            }
            return false;
        }

        String text() {
            return code + " " + String.join(" / ", lines).strip();
        }
    }

    /** Commands and replies over one stream, each read bounded by the probe's deadline. */
    private static final class Dialogue {
        private final InputStream in;
        private final OutputStream out;
        private final Socket socket;
        private final long deadline;

        Dialogue(InputStream in, OutputStream out, Socket socket, long deadline) {
            this.in = new BufferedInputStream(in);
            this.out = out;
            this.socket = socket;
            this.deadline = deadline;
        }

        Reply command(String command) throws IOException {
            out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return read();
        }

        /** QUIT, politely, ignoring whatever happens. */
        void quietQuit() {
            try {
                command("QUIT");
            } catch (IOException e) {
                // the probe has what it came for
            }
        }

        Reply read() throws IOException {
            List<String> lines = new ArrayList<>();
            int code = -1;
            while (lines.size() < MAX_REPLY_LINES) {
                socket.setSoTimeout(remainingMillis(deadline));
                String line = readLine();
                if (line.length() < 3 || !isDigits(line.substring(0, 3))) {
                    throw new IOException("not an SMTP reply: \"" + line + "\"");
                }
                int lineCode = Integer.parseInt(line.substring(0, 3));
                if (code >= 0 && lineCode != code) {
                    throw new IOException("reply codes differ within one reply: \"" + line + "\"");
                }
                code = lineCode;
                boolean more = line.length() > 3 && line.charAt(3) == '-';
                lines.add(line.length() > 4 ? line.substring(4) : "");
                if (!more) {
                    return new Reply(code, lines);
                }
            }
            throw new IOException("a reply of more than " + MAX_REPLY_LINES + " lines");
        }

        private String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream(128);
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the server closed the connection");
                }
                if (b == '\n') {
                    String text = line.toString(StandardCharsets.ISO_8859_1);
                    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
                }
                if (line.size() >= MAX_LINE) {
                    throw new IOException("a reply line longer than " + MAX_LINE + " bytes");
                }
                line.write(b);
            }
        }

        private static boolean isDigits(String s) {
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                    return false;
                }
            }
            return true;
        }
    }
}
