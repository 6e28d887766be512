package dev.mtasts.checker.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads one HTTP/1.1 response (RFC 9112) the way the sender's fetcher does, so the checker's verdict
 * is the sender's: interim 1xx answers skipped, no obsolete line folding, the body framed by {@code
 * Content-Length} or chunked coding only (a close-delimited body could be a cut one, RFC 9112 §9.8),
 * never both (RFC 9112 §6.1), and the body capped. The sender's own reader is not exported, so this
 * mirrors its rules. Not thread-safe: one per response.
 */
final class HttpPolicyReader {
    /** The sender's cap on the response head. */
    static final int MAX_HEAD_BYTES = 16 * 1024;

    private static final int MAX_CHUNK_LINE_BYTES = 1024;

    /** Why a response could not be read. */
    enum Problem {
        /** The deadline passed. */
        TIMEOUT,
        /** The body is over the cap. */
        TOO_LARGE,
        /** The bytes are not an acceptable HTTP/1.1 response. */
        PROTOCOL
    }

    /** A response that could not be read, and why. */
    static final class ReadException extends Exception {
        private static final long serialVersionUID = 1L;

        /** Why. */
        final Problem problem;

        /** For {@link Problem#TOO_LARGE}: the size seen or announced, at least the cap plus one. */
        final long size;

        ReadException(Problem problem, String detail) {
            this(problem, detail, 0);
        }

        ReadException(Problem problem, String detail, long size) {
            super(detail);
            this.problem = problem;
            this.size = size;
        }
    }

    /** Runs before every read: checks the deadline and arms the socket timeout. */
    @FunctionalInterface
    interface Guard {
        /** Throws a {@link Problem#TIMEOUT} once the deadline has passed. */
        void beforeRead() throws ReadException;
    }

    /**
     * The status and header fields of the final response.
     *
     * @param status the status code
     * @param headers the fields, names lower-cased, values in order
     */
    record Head(int status, Map<String, List<String>> headers) {
        /** The first value of {@code name} (lower case). */
        Optional<String> first(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }

        /** Every value of {@code name} (lower case). */
        List<String> all(String name) {
            return headers.getOrDefault(name, List.of());
        }
    }

    private final InputStream in;
    private final Guard guard;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;
    private int lineBudget;
    private String section = "response head";

    HttpPolicyReader(InputStream in, Guard guard) {
        this.in = in;
        this.guard = guard;
    }

    /** Reads the status line and header fields of the final (non-1xx) response. */
    Head readHead() throws ReadException {
        startSection("response head", MAX_HEAD_BYTES);
        while (true) {
            int status = parseStatus(readLine());
            Map<String, List<String>> headers = new LinkedHashMap<>();
            while (true) {
                String line = readLine();
                if (line.isEmpty()) {
                    break;
                }
                if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                    throw protocol("obsolete line folding in a header field (RFC 9112 §5.2)");
                }
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw protocol("malformed header field: " + abbreviate(line));
                }
                String name = line.substring(0, colon);
                if (!name.equals(name.strip())) {
                    throw protocol("whitespace before the colon in a header field (RFC 9112 §5.1)");
                }
                headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>(1))
                        .add(line.substring(colon + 1).strip());
            }
            if (status >= 100 && status < 200 && status != 101) {
                continue; // interim (RFC 9110 §15.2); the final response follows
            }
            return new Head(status, headers);
        }
    }

    /** Reads the body, refusing more than {@code cap} bytes. */
    byte[] readBody(Head head, int cap) throws ReadException {
        List<String> codings = head.all("transfer-encoding");
        List<String> lengths = head.all("content-length");
        if (!codings.isEmpty() && !lengths.isEmpty()) {
            throw protocol("both Transfer-Encoding and Content-Length (RFC 9112 §6.1)");
        }
        if (!codings.isEmpty()) {
            String joined = String.join(",", codings).toLowerCase(Locale.ROOT).strip();
            if (!joined.equals("chunked")) {
                throw protocol("unsupported Transfer-Encoding: " + abbreviate(joined));
            }
            return readChunked(cap);
        }
        if (!lengths.isEmpty()) {
            long length = parseContentLength(lengths);
            if (length > cap) {
                throw new ReadException(
                        Problem.TOO_LARGE, "Content-Length " + length + " is over the " + cap + " byte limit", length);
            }
            return readExactly((int) length);
        }
        throw protocol("the body has neither Content-Length nor chunked framing, so a cut connection "
                + "cannot be told from its end (RFC 9112 §9.8)");
    }

    private byte[] readChunked(int cap) throws ReadException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            startSection("chunk-size line", MAX_CHUNK_LINE_BYTES);
            String sizeLine = readLine();
            int semicolon = sizeLine.indexOf(';');
            String hex = (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).strip();
            if (hex.isEmpty() || hex.length() > 8 || !hex.chars().allMatch(HttpPolicyReader::isHexDigit)) {
                throw protocol("malformed chunk size: " + abbreviate(sizeLine));
            }
            long size = Long.parseLong(hex, 16);
            if (size == 0) {
                startSection("trailer section", MAX_HEAD_BYTES);
                while (!readLine().isEmpty()) {
                    // trailer fields carry nothing used here
                }
                return body.toByteArray();
            }
            if (body.size() + size > cap) {
                throw new ReadException(
                        Problem.TOO_LARGE, "the chunked body is over the " + cap + " byte limit", body.size() + size);
            }
            body.writeBytes(readExactly((int) size));
            startSection("chunk data CRLF", MAX_CHUNK_LINE_BYTES);
            if (!readLine().isEmpty()) {
                throw protocol("chunk data not followed by CRLF");
            }
        }
    }

    private static boolean isHexDigit(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
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

    private void startSection(String name, int budget) {
        section = name;
        lineBudget = budget;
    }

    private byte[] readExactly(int length) throws ReadException {
        byte[] out = new byte[length];
        int at = 0;
        while (at < length) {
            if (position == limit && !fill()) {
                throw protocol("the connection closed after " + at + " of " + length + " body bytes");
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
                throw protocol("the connection closed in the " + section);
            }
            byte b = buffer[position++];
            if (--lineBudget < 0) {
                throw protocol("the " + section + " is too long");
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
            throw new ReadException(Problem.TIMEOUT, "the deadline passed while reading the response");
        } catch (IOException e) {
            throw protocol("read failed: " + e.getMessage());
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

    static String abbreviate(String s) {
        String printable = new String(s.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.US_ASCII)
                .replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 80 ? printable.substring(0, 80) + "..." : printable;
    }

    private static ReadException protocol(String detail) {
        return new ReadException(Problem.PROTOCOL, detail);
    }
}
