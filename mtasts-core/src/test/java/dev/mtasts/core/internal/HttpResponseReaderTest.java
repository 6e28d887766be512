package dev.mtasts.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtasts.core.fetch.FetchProblem;
import dev.mtasts.core.internal.HttpResponseReader.ReadException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The strict HTTP/1.1 reader shared by the sender's policy fetch and the checker. */
final class HttpResponseReaderTest {

    private static HttpResponseReader reader(String response) {
        return new HttpResponseReader(
                new ByteArrayInputStream(response.getBytes(StandardCharsets.ISO_8859_1)), () -> {});
    }

    private static FetchProblem.Reason failureOf(ThrowingRead read) {
        try {
            read.run();
        } catch (ReadException e) {
            return e.reason();
        }
        throw new AssertionError("expected a ReadException");
    }

    @FunctionalInterface
    private interface ThrowingRead {
        void run() throws ReadException;
    }

    @Test
    void readHead_statusAndHeaders() throws Exception {
        HttpResponseReader.Head head = reader(
                        "HTTP/1.1 200 OK\r\nContent-Type:  text/plain \r\nX-A: 1\r\nx-a: 2\r\n\r\n")
                .readHead();
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.first("content-type")).contains("text/plain");
        assertThat(head.all("x-a")).containsExactly("1", "2");
        assertThat(head.first("missing")).isEmpty();
    }

    @Test
    void readHead_bareLfAndNoReasonPhrase() throws Exception {
        assertThat(reader("HTTP/1.0 404\n\n").readHead().status()).isEqualTo(404);
    }

    @Test
    void readHead_skipsInterimResponses() throws Exception {
        // RFC 9110 §15.2: 1xx answers are interim; the final one follows, whatever its status.
        assertThat(reader("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\n")
                        .readHead()
                        .status())
                .isEqualTo(200);
        assertThat(reader("HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 404 Not Found\r\n\r\n")
                        .readHead()
                        .headers())
                .doesNotContainKey("link");
        assertThat(reader("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\n\r\n")
                        .readHead()
                        .status())
                .isEqualTo(404);
    }

    @Test
    void readHead_malformedStatusLine() {
        assertThat(failureOf(() -> reader("HTTP/2 200 OK\r\n\r\n").readHead())).isEqualTo(FetchProblem.Reason.PROTOCOL);
        assertThat(failureOf(() -> reader("HTTP/1.1 2x0 OK\r\n\r\n").readHead()))
                .isEqualTo(FetchProblem.Reason.PROTOCOL);
        assertThat(failureOf(() -> reader("HTTP/1.1 2000 OK\r\n\r\n").readHead()))
                .isEqualTo(FetchProblem.Reason.PROTOCOL);
    }

    @Test
    void readHead_obsoleteFoldingRefused() {
        assertThat(failureOf(
                        () -> reader("HTTP/1.1 200 OK\r\nA: b\r\n c\r\n\r\n").readHead()))
                .isEqualTo(FetchProblem.Reason.PROTOCOL);
    }

    @Test
    void readHead_malformedField() {
        assertThat(failureOf(() -> reader("HTTP/1.1 200 OK\r\nno colon\r\n\r\n").readHead()))
                .isEqualTo(FetchProblem.Reason.PROTOCOL);
        assertThat(failureOf(() -> reader("HTTP/1.1 200 OK\r\nName : v\r\n\r\n").readHead()))
                .isEqualTo(FetchProblem.Reason.PROTOCOL);
    }

    @Test
    void readHead_tooLarge() {
        String huge = "HTTP/1.1 200 OK\r\nX: " + "a".repeat(HttpResponseReader.MAX_HEAD_BYTES) + "\r\n\r\n";
        assertThat(failureOf(() -> reader(huge).readHead())).isEqualTo(FetchProblem.Reason.PROTOCOL);
    }

    @Test
    void readHead_connectionClosed() {
        assertThat(failureOf(() -> reader("HTTP/1.1 200 OK\r\n").readHead())).isEqualTo(FetchProblem.Reason.PROTOCOL);
    }

    @Test
    void readBody_contentLength() throws Exception {
        HttpResponseReader reader = reader("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcdef");
        assertThat(reader.readBody(reader.readHead(), 10)).isEqualTo("abc".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void readBody_contentLengthOverCap() {
        // STS-HTTP-7: refused on Content-Length before reading
        HttpResponseReader reader = reader("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n");
        assertThat(failureOf(() -> reader.readBody(reader.readHead(), 10))).isEqualTo(FetchProblem.Reason.TOO_LARGE);
    }

    @Test
    void readBody_tooLargeReportsTheSizeSeen() throws Exception {
        // The checker reports how far over the cap a body is (sts.http.size): the announced length, or
        // for a chunked body the bytes up to and including the chunk that crossed the cap, unread.
        HttpResponseReader announced = reader("HTTP/1.1 200 OK\r\nContent-Length: 70000\r\n\r\n");
        HttpResponseReader.Head head = announced.readHead();
        assertThatThrownBy(() -> announced.readBody(head, 65536)).isInstanceOfSatisfying(ReadException.class, e -> {
            assertThat(e.reason()).isEqualTo(FetchProblem.Reason.TOO_LARGE);
            assertThat(e.size()).hasValue(70000);
        });
        HttpResponseReader chunked =
                reader("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\nghijkl\r\n0\r\n\r\n");
        HttpResponseReader.Head chunkedHead = chunked.readHead();
        assertThatThrownBy(() -> chunked.readBody(chunkedHead, 10))
                .isInstanceOfSatisfying(
                        ReadException.class, e -> assertThat(e.size()).hasValue(12));
        HttpResponseReader broken = reader("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab");
        HttpResponseReader.Head brokenHead = broken.readHead();
        assertThatThrownBy(() -> broken.readBody(brokenHead, 10))
                .isInstanceOfSatisfying(
                        ReadException.class, e -> assertThat(e.size()).isEmpty());
    }

    @Test
    void readBody_contentLengthExactlyCap() throws Exception {
        HttpResponseReader reader = reader("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789");
        assertThat(reader.readBody(reader.readHead(), 10)).hasSize(10);
    }

    @Test
    void readBody_conflictingContentLengths() {
        HttpResponseReader reader = reader("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd");
        assertThat(failureOf(() -> reader.readBody(reader.readHead(), 10))).isEqualTo(FetchProblem.Reason.PROTOCOL);
    }

    @Test
    void readBody_repeatedEqualContentLengths() throws Exception {
        HttpResponseReader reader = reader("HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\n\r\nabc");
        assertThat(reader.readBody(reader.readHead(), 10)).hasSize(3);
    }

    @Test
    void readBody_malformedContentLength() {
        HttpResponseReader reader = reader("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n");
        assertThat(failureOf(() -> reader.readBody(reader.readHead(), 10))).isEqualTo(FetchProblem.Reason.PROTOCOL);
    }

    @Test
    void readBody_closeDelimitedRefused() {
        // RFC 9112 §9.8: a body ended by the connection's close may be truncated; the JDK cannot tell a
        // TLS close_notify from a bare TCP FIN, so no close-delimited body is accepted.
        HttpResponseReader reader = reader("HTTP/1.1 200 OK\r\n\r\nhello");
        assertThatThrownBy(() -> reader.readBody(reader.readHead(), 10))
                .isInstanceOf(ReadException.class)
                .hasMessageContaining("RFC 9112 §9.8");
    }

    @Test
    void readBody_contentLengthAndChunkedRefused() {
        // RFC 9112 §6.1: Content-Length with Transfer-Encoding is the request-smuggling shape
        HttpResponseReader reader = reader(
                "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
        assertThatThrownBy(() -> reader.readBody(reader.readHead(), 10))
                .isInstanceOf(ReadException.class)
                .hasMessageContaining("RFC 9112 §6.1");
    }

    @Test
    void readBody_chunkedWithExtensionsAndTrailers() throws Exception {
        String head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n";
        String chunks = "3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nTrailer: 1\r\n\r\n";
        HttpResponseReader reader = reader(head + chunks);
        assertThat(reader.readBody(reader.readHead(), 10)).isEqualTo("abcde".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void readBody_chunkedOverCap() {
        HttpResponseReader reader =
                reader("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\nghijkl\r\n0\r\n\r\n");
        assertThat(failureOf(() -> reader.readBody(reader.readHead(), 10))).isEqualTo(FetchProblem.Reason.TOO_LARGE);
    }

    @Test
    void readBody_malformedChunks() {
        HttpResponseReader badSize = reader("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
        assertThat(failureOf(() -> badSize.readBody(badSize.readHead(), 10))).isEqualTo(FetchProblem.Reason.PROTOCOL);
        HttpResponseReader noCrlf =
                reader("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n");
        assertThat(failureOf(() -> noCrlf.readBody(noCrlf.readHead(), 10))).isEqualTo(FetchProblem.Reason.PROTOCOL);
    }

    @Test
    void readBody_signedChunkSizesRefused() {
        // RFC 9112 §7.1: chunk-size = 1*HEXDIG. "-1" once reached new byte[-1] (NegativeArraySizeException
        // escaping the fetcher), "+3" was taken by Long.parseLong.
        for (String size : new String[] {"-1", "+3", "-0", "0x3", "3 3", ""}) {
            HttpResponseReader reader =
                    reader("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + size + "\r\nabc\r\n0\r\n\r\n");
            assertThat(failureOf(() -> reader.readBody(reader.readHead(), 10)))
                    .as(size)
                    .isEqualTo(FetchProblem.Reason.PROTOCOL);
        }
    }

    @Test
    void readBody_upperCaseHexChunkSize() throws Exception {
        HttpResponseReader reader =
                reader("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0A\r\n0123456789\r\n0\r\n\r\n");
        assertThat(reader.readBody(reader.readHead(), 10)).hasSize(10);
    }

    @Test
    void readBody_manySmallChunksDoNotCountAgainstTheHeadLimit() throws Exception {
        // STS-HTTP-7, RFC 8461 §3.3: a valid body under 64 KiB is accepted however it is chunked;
        // 4000 one-byte chunks carry 20 KiB of framing, more than the 16 KiB head limit.
        StringBuilder response = new StringBuilder("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < 4000; i++) {
            response.append("1\r\nx\r\n");
        }
        response.append("0\r\n\r\n");
        HttpResponseReader reader = reader(response.toString());
        assertThat(reader.readBody(reader.readHead(), 64 * 1024)).hasSize(4000).containsOnly('x');
    }

    @Test
    void readBody_overlongChunkSizeLineRefused() {
        // Framing has its own limit: one chunk-size line may not be endless.
        String extension = ";x=" + "a".repeat(HttpResponseReader.MAX_CHUNK_LINE_BYTES);
        HttpResponseReader reader =
                reader("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3" + extension + "\r\nabc\r\n0\r\n\r\n");
        assertThatThrownBy(() -> reader.readBody(reader.readHead(), 10)).hasMessageContaining("chunk-size line");
    }

    @Test
    void readBody_overlongTrailerSectionRefused() {
        String trailers = ("T: " + "b".repeat(1000) + "\r\n").repeat(17);
        HttpResponseReader reader =
                reader("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n" + trailers + "\r\n");
        assertThatThrownBy(() -> reader.readBody(reader.readHead(), 10)).hasMessageContaining("trailer section");
    }

    @Test
    void readBody_connectionClosedInChunkFramingNamesTheSection() {
        HttpResponseReader reader = reader("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc");
        assertThatThrownBy(() -> reader.readBody(reader.readHead(), 10))
                .isInstanceOf(ReadException.class)
                .hasMessageContaining("connection closed in the chunk data CRLF");
    }

    @Test
    void abbreviate_replacesUnprintableBytesAndCutsLongValues() {
        // Header values end up in reports and terminals: control bytes and non-ASCII never pass through.
        assertThat(HttpResponseReader.abbreviate("text/html\u001b[31m\u00e9")).isEqualTo("text/html?[31m?");
        assertThat(HttpResponseReader.abbreviate("a".repeat(100))).isEqualTo("a".repeat(80) + "...");
    }

    @Test
    void head_isUnmodifiable() throws Exception {
        HttpResponseReader.Head head = reader("HTTP/1.1 200 OK\r\nA: 1\r\n\r\n").readHead();
        assertThatThrownBy(() -> head.headers().put("b", List.of())).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> head.all("a").add("2")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void readBody_unsupportedTransferEncoding() {
        HttpResponseReader reader = reader("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n");
        assertThat(failureOf(() -> reader.readBody(reader.readHead(), 10))).isEqualTo(FetchProblem.Reason.PROTOCOL);
    }

    @Test
    void readBody_prematureEnd() {
        HttpResponseReader reader = reader("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab");
        assertThat(failureOf(() -> reader.readBody(reader.readHead(), 10))).isEqualTo(FetchProblem.Reason.PROTOCOL);
    }

    @Test
    void guard_runsBeforeEveryRead() {
        // STS-HTTP-8: the deadline is checked before each read, so it covers the body too
        HttpResponseReader reader = new HttpResponseReader(
                new ByteArrayInputStream("HTTP/1.1 200 OK\r\n\r\n".getBytes(StandardCharsets.US_ASCII)), () -> {
                    throw new ReadException(FetchProblem.Reason.TIMEOUT, "deadline");
                });
        assertThat(failureOf(reader::readHead)).isEqualTo(FetchProblem.Reason.TIMEOUT);
    }

    @Test
    void socketTimeoutIsTimeout() {
        InputStream timingOut = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new SocketTimeoutException("read timed out");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                throw new SocketTimeoutException("read timed out");
            }
        };
        assertThat(failureOf(() -> new HttpResponseReader(timingOut, () -> {}).readHead()))
                .isEqualTo(FetchProblem.Reason.TIMEOUT);
    }

    @Test
    void ioErrorIsProtocol() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("reset");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                throw new IOException("reset");
            }
        };
        assertThat(failureOf(() -> new HttpResponseReader(broken, () -> {}).readHead()))
                .isEqualTo(FetchProblem.Reason.PROTOCOL);
        assertThatThrownBy(() -> new HttpResponseReader(broken, () -> {}).readHead())
                .hasMessageContaining("reset");
    }
}
