package dev.mtasts.core.internal;

import dev.mtasts.core.fetch.FetchProblem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import javax.net.ssl.SSLException;

/**
 * Reads one HTTP/1.1 response (RFC 9112) from a stream: status line, header fields and a body
 * delimited by chunked transfer coding or {@code Content-Length}; a body delimited only by the end
 * of the connection is refused (docs/policy-fetching.md, "Truncated bodies"). Every
 * read is preceded by {@link ReadGuard#beforeRead()} so the caller's deadline covers the body too
 * (STS-HTTP-8), and the body cap is checked on {@code Content-Length} and while streaming
 * (STS-HTTP-7). The sender's policy fetcher and the checker both read with it, so they judge a
 * response alike. Not thread-safe: one per response.
 */
public final class HttpResponseReader {
    /** Limit of the response head (status line and header fields), and of the trailer section. */
    public static final int MAX_HEAD_BYTES = 16 * 1024;
    /**
     * Limit of one chunk-size line (with extensions) or chunk-ending CRLF line. Chunk framing has its
     * own limit, not the head's: a valid body of many small chunks carries more framing than 16 KiB,
     * and the body cap already bounds how many chunks there can be.
     */
    public static final int MAX_CHUNK_LINE_BYTES = 1024;

    /** Runs before each read from the stream: checks the deadline and arms the socket timeout. */
    @FunctionalInterface
    public interface ReadGuard {
        /** Throws to end the read, typically with {@link FetchProblem.Reason#TIMEOUT}. */
        void beforeRead() throws ReadException;
    }

    /**
     * A response that could not be read: its {@link FetchProblem.Reason} is one of {@code TIMEOUT},
     * {@code TOO_LARGE}, {@code PROTOCOL}, {@code CERTIFICATE}, or whatever the {@link ReadGuard}
     * threw.
     */
    public static final class ReadException extends Exception {
        private static final long serialVersionUID = 1L;

        private final FetchProblem.Reason reason;
        private final long size;

        /** A failure for {@code reason}, described by {@code detail}. */
        public ReadException(FetchProblem.Reason reason, String detail) {
            this(reason, detail, -1);
        }

        private ReadException(FetchProblem.Reason reason, String detail, long size) {
            super(detail, null, false, false);
            this.reason = reason;
            this.size = size;
        }

        /** Why the response could not be read. */
        public FetchProblem.Reason reason() {
            return reason;
        }

        /**
         * For {@code TOO_LARGE}: the size announced by {@code Content-Length}, or the bytes of a
         * chunked body seen so far including the chunk that went over the cap (so at least the cap
         * plus one); the rest of the body is never read.
         */
        public OptionalLong size() {
            return size < 0 ? OptionalLong.empty() : OptionalLong.of(size);
        }
    }

    /**
     * Status and header fields of the final response.
     *
     * @param status the status code
     * @param headers the header fields, names lower-cased, values in the order received
     */
    public record Head(int status, Map<String, List<String>> headers) {
        /** Copies {@code headers}, keeping their order. */
        public Head {
            Map<String, List<String>> copy = new LinkedHashMap<>();
            headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
            headers = Collections.unmodifiableMap(copy);
        }

        /** The first value of the field {@code name} (lower case). */
        public Optional<String> first(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }

        /** Every value of the field {@code name} (lower case), in order. */
        public List<String> all(String name) {
            return headers.getOrDefault(name, List.of());
        }
    }

    private final InputStream in;
    private final ReadGuard guard;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;
    /** Bytes the current section (head, one framing line, trailers) may still use. */
    private int lineBudget;

    private String section = "response head";
    private int sectionLimit = MAX_HEAD_BYTES;

    /** A reader of {@code in} that runs {@code guard} before every read. */
    public HttpResponseReader(InputStream in, ReadGuard guard) {
        this.in = in;
        this.guard = guard;
    }

    /** Reads the status line and header fields of the final (non-1xx) response. */
    public Head readHead() throws ReadException {
        startSection("response head", MAX_HEAD_BYTES);
        while (true) {
            String statusLine = readLine();
            int status = parseStatus(statusLine);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            while (true) {
                String line = readLine();
                if (line.isEmpty()) {
                    break;
                }
                if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                    throw protocol("obsolete line folding in a header field"); // RFC 9112 §5.2
                }
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw protocol("malformed header field: " + abbreviate(line));
                }
                String name = line.substring(0, colon);
                if (!name.equals(name.strip())) {
                    throw protocol("whitespace before the colon in a header field"); // RFC 9112 §5.1
                }
                String value = line.substring(colon + 1).strip();
                headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>(1))
                        .add(value);
            }
            // 1xx responses are interim (RFC 9110 §15.2); the final one follows.
            if (status >= 100 && status < 200 && status != 101) {
                continue;
            }
            return new Head(status, headers);
        }
    }

    /** Reads the body of a response, refusing more than {@code cap} bytes. */
    public byte[] readBody(Head head, int cap) throws ReadException {
        List<String> transferEncodings = head.all("transfer-encoding");
        List<String> lengths = head.all("content-length");
        if (!transferEncodings.isEmpty() && !lengths.isEmpty()) {
            // RFC 9112 §6.1: both framings at once is the request-smuggling shape; an intermediary may
            // have framed the body differently from us, so neither framing can be trusted.
            throw protocol("both Transfer-Encoding and Content-Length (RFC 9112 §6.1)");
        }
        if (!transferEncodings.isEmpty()) {
            String codings = String.join(",", transferEncodings).toLowerCase(Locale.ROOT);
            if (!codings.strip().equals("chunked")) {
                throw protocol("unsupported Transfer-Encoding: " + codings);
            }
            return readChunked(cap);
        }
        if (!lengths.isEmpty()) {
            long length = parseContentLength(lengths);
            if (length > cap) {
                throw tooLarge("Content-Length " + length + " exceeds the " + cap + " byte limit", length);
            }
            return readExactly((int) length);
        }
        // RFC 9112 §9.8: a close-delimited body is complete only if TLS close_notify ended it, and the
        // JDK's SSLSocket reports a bare TCP FIN exactly like a close_notify unless a JVM-wide system
        // property says otherwise. An attacker on the path could then cut the body inside an mx line
        // and leave a shorter pattern, so such bodies are refused.
        throw protocol("the body has neither Content-Length nor chunked framing; a body ended by the "
                + "connection's close could be truncated (RFC 9112 §9.8)");
    }

    private byte[] readChunked(int cap) throws ReadException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            startSection("chunk-size line", MAX_CHUNK_LINE_BYTES);
            String sizeLine = readLine();
            long size = parseChunkSize(sizeLine);
            if (size == 0) {
                startSection("trailer section", MAX_HEAD_BYTES);
                while (!readLine().isEmpty()) {
                    // trailer fields carry nothing we use
                }
                return body.toByteArray();
            }
            if (body.size() + size > cap) {
                throw tooLarge("chunked body exceeds the " + cap + " byte limit", body.size() + size);
            }
            body.writeBytes(readExactly((int) size));
            startSection("chunk data CRLF", MAX_CHUNK_LINE_BYTES);
            if (!readLine().isEmpty()) {
                throw protocol("chunk data not followed by CRLF");
            }
        }
    }

    /**
     * chunk-size = 1*HEXDIG, optionally followed by chunk extensions (RFC 9112 §7.1). At most 8 digits
     * (anything larger is over the body cap anyway), and only digits: {@code Long.parseLong} would
     * also take a sign, and "-1" must not reach the array allocation.
     */
    private static long parseChunkSize(String sizeLine) throws ReadException {
        int semicolon = sizeLine.indexOf(';');
        String hex = (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).strip();
        if (hex.isEmpty() || hex.length() > 8 || !hex.chars().allMatch(HttpResponseReader::isHexDigit)) {
            throw protocol("malformed chunk size: " + abbreviate(sizeLine));
        }
        return Long.parseLong(hex, 16);
    }

    private static boolean isHexDigit(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private void startSection(String name, int limit) {
        section = name;
        sectionLimit = limit;
        lineBudget = limit;
    }

    private static long parseContentLength(List<String> values) throws ReadException {
        long length = -1;
        for (String value : values) {
            for (String part : value.split(",", -1)) {
                String digits = part.strip();
                if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    throw protocol("malformed Content-Length: " + abbreviate(value));
                }
                long parsed = Long.parseLong(digits);
                if (length >= 0 && parsed != length) {
                    throw protocol("conflicting Content-Length values");
                }
                length = parsed;
            }
        }
        return length;
    }

    private byte[] readExactly(int length) throws ReadException {
        byte[] out = new byte[length];
        int at = 0;
        while (at < length) {
            if (position == limit && !fill()) {
                throw protocol("connection closed after " + at + " of " + length + " body bytes");
            }
            int n = Math.min(length - at, limit - position);
            System.arraycopy(buffer, position, out, at, n);
            position += n;
            at += n;
        }
        return out;
    }

    private String readLine() throws ReadException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            if (position == limit && !fill()) {
                throw protocol("connection closed in the " + section);
            }
            byte b = buffer[position++];
            if (--lineBudget < 0) {
                throw protocol(section + " exceeds " + sectionLimit + " bytes");
            }
            if (b == '\n') {
                int len = line.length();
                if (len > 0 && line.charAt(len - 1) == '\r') {
                    line.setLength(len - 1);
                }
                return line.toString();
            }
            line.append((char) (b & 0xff));
        }
    }

    private boolean fill() throws ReadException {
        guard.beforeRead();
        int n;
        try {
            n = in.read(buffer, 0, buffer.length);
        } catch (SocketTimeoutException e) {
            throw new ReadException(FetchProblem.Reason.TIMEOUT, "the fetch deadline passed while reading");
        } catch (SSLException e) {
            // A certificate refused in a renegotiation the server started mid-response is a
            // certificate failure (sts-webpki-invalid, RFC 8461 §3.3), not a broken exchange.
            if (TlsFailures.causedByCertificate(e)) {
                throw new ReadException(
                        FetchProblem.Reason.CERTIFICATE,
                        "a certificate presented during the response was refused: " + e);
            }
            throw protocol("read failed: " + e);
        } catch (IOException e) {
            throw protocol("read failed: " + e);
        }
        if (n <= 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }

    private static int parseStatus(String line) throws ReadException {
        // status-line = HTTP-version SP status-code SP [ reason-phrase ]
        if (line.length() < 12
                || !line.startsWith("HTTP/1.")
                || line.charAt(8) != ' '
                || (line.length() > 12 && line.charAt(12) != ' ')) {
            throw protocol("malformed status line: " + abbreviate(line));
        }
        int status = 0;
        for (int i = 9; i < 12; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') {
                throw protocol("malformed status line: " + abbreviate(line));
            }
            status = status * 10 + (c - '0');
        }
        return status;
    }

    /**
     * {@code s} (a header value or line as received, one char per byte) safe to show in a message or a
     * report: every byte outside printable ASCII becomes {@code ?}, and more than 80 characters are cut.
     */
    public static String abbreviate(String s) {
        String printable = new String(s.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.US_ASCII)
                .replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 80 ? printable.substring(0, 80) + "..." : printable;
    }

    private static ReadException protocol(String detail) {
        return new ReadException(FetchProblem.Reason.PROTOCOL, detail);
    }

    private static ReadException tooLarge(String detail, long size) {
        return new ReadException(FetchProblem.Reason.TOO_LARGE, detail, size);
    }
}
