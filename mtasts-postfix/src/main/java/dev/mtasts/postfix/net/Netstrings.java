package dev.mtasts.postfix.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

/** Writes reply netstrings ({@code <len>:<payload>,}, {@code len} in UTF-8 bytes). */
public final class Netstrings {

    private Netstrings() {}

    /** {@code payload} framed as a netstring in one buffer sized exactly. */
    public static ByteBuf encode(ByteBufAllocator alloc, String payload) {
        return encode(alloc, payload, ByteBufUtil.utf8Bytes(payload));
    }

    /** As {@link #encode(ByteBufAllocator, String)} when the caller already knows the UTF-8 length. */
    static ByteBuf encode(ByteBufAllocator alloc, String payload, int utf8Length) {
        int digits = digits(utf8Length);
        ByteBuf out = alloc.ioBuffer(digits + utf8Length + 2);
        int divisor = 1;
        for (int d = 1; d < digits; d++) {
            divisor *= 10;
        }
        for (; divisor > 0; divisor /= 10) {
            out.writeByte('0' + (utf8Length / divisor) % 10);
        }
        out.writeByte(':');
        ByteBufUtil.reserveAndWriteUtf8(out, payload, utf8Length);
        out.writeByte(',');
        return out;
    }

    private static int digits(int n) {
        int digits = 1;
        while (n >= 10) {
            n /= 10;
            digits++;
        }
        return digits;
    }
}
