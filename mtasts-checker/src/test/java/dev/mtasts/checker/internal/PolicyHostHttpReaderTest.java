package dev.mtasts.checker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The checker's HTTP/1.1 reader applies the sender's framing rules, so both judge a response alike. */
final class PolicyHostHttpReaderTest {
    private static HttpPolicyReader reader(String response) {
        return new HttpPolicyReader(new ByteArrayInputStream(response.getBytes(StandardCharsets.ISO_8859_1)), () -> {});
    }

    private static HttpPolicyReader.Problem problem(String response, int cap) {
        try {
            HttpPolicyReader reader = reader(response);
            reader.readBody(reader.readHead(), cap);
        } catch (HttpPolicyReader.ReadException e) {
            return e.problem;
        }
        throw new AssertionError("read without a problem: " + response);
    }

    @Test
    void contentLengthBody_isRead() throws Exception {
        HttpPolicyReader reader = reader("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nabc");
        HttpPolicyReader.Head head = reader.readHead();
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.first("content-type")).hasValue("text/plain");
        assertThat(reader.readBody(head, 64)).isEqualTo("abc".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void interimResponses_areSkipped() throws Exception {
        // RFC 9110 §15.2: 1xx answers are interim; the final one follows.
        HttpPolicyReader reader =
                reader("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        assertThat(reader.readHead().status()).isEqualTo(404);
    }

    @Test
    void chunkedBody_isReadAndCapped() throws Exception {
        String chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n";
        HttpPolicyReader reader = reader(chunked);
        assertThat(reader.readBody(reader.readHead(), 64)).isEqualTo("abcde".getBytes(StandardCharsets.US_ASCII));
        // RFC 8461 §3.3: over the cap is refused, never truncated.
        assertThat(problem(chunked, 4)).isEqualTo(HttpPolicyReader.Problem.TOO_LARGE);
    }

    @Test
    void contentLengthOverCap_isTooLargeWithTheAnnouncedSize() throws Exception {
        HttpPolicyReader reader = reader("HTTP/1.1 200 OK\r\nContent-Length: 70000\r\n\r\n");
        HttpPolicyReader.Head head = reader.readHead();
        assertThatThrownBy(() -> reader.readBody(head, 65536))
                .isInstanceOfSatisfying(HttpPolicyReader.ReadException.class, e -> {
                    assertThat(e.problem).isEqualTo(HttpPolicyReader.Problem.TOO_LARGE);
                    assertThat(e.size).isEqualTo(70000);
                });
    }

    @Test
    void closeDelimitedBody_isRefused() {
        // RFC 9112 §9.8: its end cannot be told from a cut connection.
        assertThat(problem("HTTP/1.1 200 OK\r\n\r\nversion: STSv1\r\n", 64))
                .isEqualTo(HttpPolicyReader.Problem.PROTOCOL);
    }

    @Test
    void bothFramings_areRefused() {
        // RFC 9112 §6.1: the request-smuggling shape.
        assertThat(problem(
                        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
                        64))
                .isEqualTo(HttpPolicyReader.Problem.PROTOCOL);
    }

    @Test
    void obsoleteLineFoldingAndMalformedStatus_areRefused() {
        // RFC 9112 §5.2 and §4.
        assertThat(problem("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n continued\r\n\r\n", 64))
                .isEqualTo(HttpPolicyReader.Problem.PROTOCOL);
        assertThat(problem("HTTP/1.1 2OO OK\r\n\r\n", 64)).isEqualTo(HttpPolicyReader.Problem.PROTOCOL);
        assertThat(problem("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", 64))
                .isEqualTo(HttpPolicyReader.Problem.PROTOCOL);
    }

    @Test
    void guardRunsBeforeReads_andItsTimeoutEndsTheRead() {
        HttpPolicyReader reader = new HttpPolicyReader(
                new ByteArrayInputStream("HTTP/1.1 200 OK\r\n\r\n".getBytes(StandardCharsets.US_ASCII)), () -> {
                    throw new HttpPolicyReader.ReadException(HttpPolicyReader.Problem.TIMEOUT, "deadline");
                });
        assertThatThrownBy(reader::readHead)
                .isInstanceOfSatisfying(
                        HttpPolicyReader.ReadException.class,
                        e -> assertThat(e.problem).isEqualTo(HttpPolicyReader.Problem.TIMEOUT));
    }
}
