package dev.mtasts.postfix.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.mtasts.postfix.net.NetstringReader.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

final class NetstringReaderTest {

    private static ByteBuf buf(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    private static Status read(String s) {
        return new NetstringReader(1024).read(buf(s));
    }

    @Test
    void wholeFrame_givesPayloadPositions_withoutConsuming() {
        // PF-NET-1: <len>:<payload>,
        NetstringReader reader = new NetstringReader(1024);
        ByteBuf in = buf("xx11:postfix a.b,rest");
        in.skipBytes(2);
        assertThat(reader.read(in)).isEqualTo(Status.FRAME);
        assertThat(in.readerIndex()).isEqualTo(2);
        assertThat(reader.payloadIndex()).isEqualTo(5);
        assertThat(reader.payloadLength()).isEqualTo(11);
        assertThat(reader.frameLength()).isEqualTo(15);
        assertThat(in.toString(reader.payloadIndex(), reader.payloadLength(), StandardCharsets.US_ASCII))
                .isEqualTo("postfix a.b");
    }

    @Test
    void emptyPayload_isAFrame() {
        // PF-NET-2: "0:," is the one length that starts with 0
        assertThat(read("0:,")).isEqualTo(Status.FRAME);
    }

    @Test
    void leadingZero_isMalformed() {
        // PF-NET-2: leading zeros refused (netstring definition; SNA accepts them)
        assertThat(read("01:x,")).isEqualTo(Status.MALFORMED);
        assertThat(read("00:,")).isEqualTo(Status.MALFORMED);
    }

    @Test
    void brokenFrames_areMalformed() {
        // PF-NET-2: non-digit, no length, missing ',' or wrong length
        assertThat(read("a:x,")).isEqualTo(Status.MALFORMED);
        assertThat(read("-1:x,")).isEqualTo(Status.MALFORMED);
        assertThat(read(" 1:x,")).isEqualTo(Status.MALFORMED);
        assertThat(read(":x,")).isEqualTo(Status.MALFORMED);
        assertThat(read("1:x;")).isEqualTo(Status.MALFORMED);
        assertThat(read("2:x,,")).isEqualTo(Status.FRAME); // payload "x," then nothing: fine
        assertThat(read("1:xy,")).isEqualTo(Status.MALFORMED);
        assertThat(read("1x:x,")).isEqualTo(Status.MALFORMED);
    }

    @Test
    void declaredLengthOverTheLimit_isTooLarge_beforeItsColonArrives() {
        // PF-NET-7: decided from the digits alone, bounding the length field
        NetstringReader reader = new NetstringReader(1024);
        assertThat(reader.read(buf("1024:"))).isEqualTo(Status.NEED_MORE);
        assertThat(reader.read(buf("1025"))).isEqualTo(Status.TOO_LARGE);
        assertThat(reader.read(buf("99999999999999999999"))).isEqualTo(Status.TOO_LARGE);
    }

    @Test
    void everyFramedPayload_isFoundExactly() {
        // PF-NET-2: any byte string up to the limit frames and reads back to itself
        qt().forAll(lists().of(integers().between(0, 255)).ofSizeBetween(0, 1024))
                .checkAssert(bytes -> {
                    ByteBuf in = frame(bytes);
                    NetstringReader reader = new NetstringReader(1024);
                    assertThat(reader.read(in)).isEqualTo(Status.FRAME);
                    assertThat(reader.payloadLength()).isEqualTo(bytes.size());
                    assertThat(reader.frameLength()).isEqualTo(in.readableBytes());
                    for (int i = 0; i < bytes.size(); i++) {
                        assertThat(in.getUnsignedByte(reader.payloadIndex() + i))
                                .isEqualTo(bytes.get(i).shortValue());
                    }
                });
    }

    @Test
    void everyProperPrefixOfAFrame_needsMore() {
        // PF-NET-2: a frame split anywhere is waited for, never refused
        qt().forAll(
                        lists().of(integers().between(0, 255)).ofSizeBetween(0, 40),
                        integers().between(0, 1000))
                .checkAssert((bytes, cut) -> {
                    ByteBuf in = frame(bytes);
                    ByteBuf prefix = in.slice(0, cut % in.readableBytes());
                    assertThat(new NetstringReader(1024).read(prefix)).isEqualTo(Status.NEED_MORE);
                });
    }

    private static ByteBuf frame(List<Integer> bytes) {
        ByteBuf in = Unpooled.buffer();
        in.writeCharSequence(bytes.size() + ":", StandardCharsets.US_ASCII);
        bytes.forEach(in::writeByte);
        in.writeByte(',');
        return in;
    }
}
