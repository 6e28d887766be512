package dev.mtasts.postfix.net;

import io.netty.buffer.ByteBuf;

/**
 * Finds one strict netstring ({@code <len>:<payload>,}) at a buffer's reader index without
 * consuming it or copying the payload. One instance per connection; {@link #read} overwrites the
 * positions of the previous frame, so a connection decodes with no allocation of its own.
 */
public final class NetstringReader {

    /** What {@link #read} found at the reader index. */
    public enum Status {
        /** A whole frame: see {@link #payloadIndex()}, {@link #payloadLength()}, {@link #frameLength()}. */
        FRAME,
        /** A valid prefix of a frame: wait for more bytes. */
        NEED_MORE,
        /** Not a netstring (PF-NET-2): the connection is closed without a reply. */
        MALFORMED,
        /** The declared length is over the limit (PF-NET-7): answered, then the connection is closed. */
        TOO_LARGE
    }

    private final int maxPayload;
    private int payloadIndex;
    private int payloadLength;
    private int frameLength;

    /**
     * A reader refusing payloads over {@code maxPayload} bytes; the limit also bounds the number of
     * length digits read before the reader decides.
     */
    public NetstringReader(int maxPayload) {
        if (maxPayload < 0) {
            throw new IllegalArgumentException("maxPayload must not be negative: " + maxPayload);
        }
        this.maxPayload = maxPayload;
    }

    /** Looks for a frame starting at {@code in}'s reader index; never moves the index. */
    public Status read(ByteBuf in) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        int i = start;
        long length = 0;
        // PF-NET-2: decimal digits without leading zeros ("0:," is the one frame starting with 0).
        while (true) {
            if (i == end) {
                return Status.NEED_MORE;
            }
            byte b = in.getByte(i);
            if (b == ':') {
                break;
            }
            if (b < '0' || b > '9' || (i > start && in.getByte(start) == '0')) {
                return Status.MALFORMED;
            }
            length = length * 10 + (b - '0');
            if (length > maxPayload) {
                // PF-NET-7: decided as soon as the digits say so, so a client cannot make us wait
                // for (or buffer) an endless length field.
                return Status.TOO_LARGE;
            }
            i++;
        }
        if (i == start) {
            return Status.MALFORMED; // ":" without a length
        }
        int payload = i + 1;
        int len = (int) length;
        if (end - payload < len + 1) {
            return Status.NEED_MORE;
        }
        if (in.getByte(payload + len) != ',') {
            return Status.MALFORMED; // PF-NET-2: exactly len bytes, then ','
        }
        payloadIndex = payload;
        payloadLength = len;
        frameLength = payload + len + 1 - start;
        return Status.FRAME;
    }

    /** Absolute index of the last {@link Status#FRAME}'s payload. */
    public int payloadIndex() {
        return payloadIndex;
    }

    /** Byte length of the last {@link Status#FRAME}'s payload. */
    public int payloadLength() {
        return payloadLength;
    }

    /** Bytes the last {@link Status#FRAME} takes, from its first digit to its ','. */
    public int frameLength() {
        return frameLength;
    }
}
