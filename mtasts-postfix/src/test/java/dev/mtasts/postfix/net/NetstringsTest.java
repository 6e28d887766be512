package dev.mtasts.postfix.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

final class NetstringsTest {

    private static String encode(String payload) {
        ByteBuf out = Netstrings.encode(ByteBufAllocator.DEFAULT, payload);
        try {
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            out.release();
        }
    }

    @Test
    void reply_isFramedWithItsByteLength() {
        // PF-NET-1, PF-NET-4: "NOTFOUND " keeps its trailing space
        assertThat(encode("NOTFOUND ")).isEqualTo("9:NOTFOUND ,");
        assertThat(encode("")).isEqualTo("0:,");
        assertThat(encode("OK secure match=mx.example")).isEqualTo("26:OK secure match=mx.example,");
        assertThat(encode("x".repeat(100_000))).startsWith("100000:x").endsWith("x,");
    }

    @Test
    void utf8Reply_countsBytesNotChars() {
        // PF-NET-1: len is the payload's byte count
        assertThat(encode("OK ü")).isEqualTo("5:OK ü,");
    }
}
