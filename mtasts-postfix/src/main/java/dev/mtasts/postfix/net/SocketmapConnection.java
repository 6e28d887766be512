package dev.mtasts.postfix.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One socketmap connection: decodes netstrings straight from the socket's buffers, asks the handler,
 * and writes the replies strictly in request order (PF-NET-7), however the handler's stages
 * complete. Every field is touched on the channel's event loop only; stages completing elsewhere
 * hop to it.
 *
 * <p>Writes made while a read batch is being decoded are flushed once at the batch's end; replies
 * completing later are flushed once per drain of the queue head.
 */
public final class SocketmapConnection extends ChannelInboundHandlerAdapter {

    /** The user event that asks a connection to finish what it received and close (graceful stop). */
    public static final Object DRAIN = new Object() {
        @Override
        public String toString() {
            return "DRAIN";
        }
    };

    static final String INTERNAL_ERROR = "TEMP internal error";
    static final String MALFORMED_REQUEST = "PERM malformed request";
    static final String REQUEST_TOO_LARGE = "PERM request too large";
    static final String REPLY_TOO_LARGE = "TEMP reply too large";
    /** PF-NET-5: Postfix refuses longer reply payloads. */
    static final int MAX_REPLY_BYTES = 100_000;

    private static final Logger LOG = LoggerFactory.getLogger(SocketmapConnection.class);
    private static final byte[] NO_BYTES = new byte[0];

    private final ConnectionSettings settings;
    private final NetstringReader reader;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private @Nullable ChannelHandlerContext ctx;
    private @Nullable ByteBuf cumulation;
    private boolean inReadBatch;
    private boolean needsFlush;
    private boolean decoding;
    /** Reading stopped because maxPipelined requests are unanswered. */
    private boolean paused;
    /** The server is stopping: read no more, answer every whole request already received, close. */
    private boolean draining;
    /** No more requests are taken: answer what is queued, then close (request too large, or stop). */
    private boolean finishing;

    private boolean closed;
    // Postfix sends the same map name every time: keep its String instead of decoding it per request.
    private byte[] lastNameBytes = NO_BYTES;
    private String lastName = "";

    /** A connection with the server's shared {@code settings}. */
    public SocketmapConnection(ConnectionSettings settings) {
        this.settings = settings;
        this.reader = new NetstringReader(settings.maxRequestBytes());
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (finishing || closed) {
            in.release();
            return;
        }
        inReadBatch = true;
        ByteBuf c = cumulation;
        cumulation = c == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), c, in);
        decodeFrames(ctx);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        inReadBatch = false;
        flushIfNeeded(ctx);
        ByteBuf c = cumulation;
        if (c != null) {
            c.discardSomeReadBytes();
        }
    }

    private void decodeFrames(ChannelHandlerContext ctx) {
        if (decoding) {
            return; // a stage completed inline while dispatching: the outer loop carries on
        }
        decoding = true;
        try {
            ByteBuf in = cumulation;
            while (in != null && !closed && !finishing && queue.size() < settings.maxPipelined() && in.isReadable()) {
                switch (reader.read(in)) {
                    case FRAME -> {
                        int frame = reader.frameLength();
                        dispatch(ctx, in, reader.payloadIndex(), reader.payloadLength());
                        in.skipBytes(frame);
                    }
                    case NEED_MORE -> {
                        releaseIfEmpty();
                        return;
                    }
                    case MALFORMED -> {
                        // PF-NET-2: not a netstring, so nothing later on this stream can be trusted.
                        settings.listener().protocolError("PF-NET-2 malformed netstring");
                        releaseCumulation();
                        closed = true;
                        ctx.close();
                        return;
                    }
                    case TOO_LARGE -> {
                        // PF-NET-7: say why, after the answers already owed, then close.
                        settings.listener().protocolError("PF-NET-7 request too large");
                        releaseCumulation();
                        finishing = true;
                        ctx.channel().config().setAutoRead(false);
                        enqueueAnswered(REQUEST_TOO_LARGE, settings.ticker().read());
                        drain(ctx);
                        return;
                    }
                }
                in = cumulation;
            }
            releaseIfEmpty();
            if (!closed && !finishing && queue.size() >= settings.maxPipelined() && !paused) {
                // PF-NET-7: stop reading until answers drain; the kernel's buffer then pushes back.
                paused = true;
                ctx.channel().config().setAutoRead(false);
            }
        } finally {
            decoding = false;
        }
    }

    private void dispatch(ChannelHandlerContext ctx, ByteBuf in, int index, int length) {
        long start = settings.ticker().read();
        int space = in.indexOf(index, index + length, (byte) ' ');
        if (space < 0) {
            // PF-NET-3 needs "name SP key"; a well-framed payload without it is answered, not fatal.
            answer(ctx, CompletableFuture.completedFuture(MALFORMED_REQUEST), start);
            return;
        }
        String name = name(in, index, space - index);
        String key = in.toString(space + 1, index + length - space - 1, StandardCharsets.UTF_8);
        CompletionStage<String> stage;
        try {
            stage = settings.handler().answer(name, key);
        } catch (RuntimeException e) {
            LOG.warn("socketmap handler threw on {} {}; answering TEMP", name, key, e);
            stage = CompletableFuture.completedFuture(INTERNAL_ERROR);
        }
        answer(ctx, stage, start);
    }

    private void answer(ChannelHandlerContext ctx, @Nullable CompletionStage<String> stage, long start) {
        if (stage == null) {
            LOG.warn("socketmap handler returned no stage; answering TEMP");
            stage = CompletableFuture.completedFuture(INTERNAL_ERROR);
        }
        // toCompletableFuture(), not a cast: a minimal stage (completedStage, minimalCompletionStage)
        // is a CompletableFuture whose isDone() throws.
        CompletableFuture<String> f = stage.toCompletableFuture();
        if (queue.isEmpty() && f.isDone()) {
            // A cached answer: reply inline, no queue entry, no executor hop.
            write(ctx, f.isCompletedExceptionally() ? failure(f) : replyOrError(f.getNow(null), null), start);
            return;
        }
        Pending pending = new Pending(this, start);
        queue.add(pending);
        stage.whenComplete(pending);
    }

    private static String failure(CompletableFuture<String> f) {
        try {
            f.join();
        } catch (RuntimeException e) {
            return replyOrError(null, e);
        }
        return INTERNAL_ERROR;
    }

    private static String replyOrError(@Nullable String reply, @Nullable Throwable error) {
        if (error != null) {
            LOG.warn("socketmap handler failed; answering TEMP", error);
            return INTERNAL_ERROR;
        }
        if (reply == null) {
            LOG.warn("socketmap handler completed without a reply; answering TEMP");
            return INTERNAL_ERROR;
        }
        return reply;
    }

    private String name(ByteBuf in, int index, int length) {
        byte[] last = lastNameBytes;
        if (length == last.length) {
            int i = 0;
            while (i < length && in.getByte(index + i) == last[i]) {
                i++;
            }
            if (i == length) {
                return lastName;
            }
        }
        byte[] bytes = new byte[length];
        in.getBytes(index, bytes);
        lastNameBytes = bytes;
        lastName = new String(bytes, StandardCharsets.UTF_8);
        return lastName;
    }

    private void enqueueAnswered(String reply, long start) {
        Pending pending = new Pending(this, start);
        pending.reply = reply;
        queue.add(pending);
    }

    /** On the event loop: a queued stage has completed. */
    void completed() {
        if (closed) {
            return;
        }
        ChannelHandlerContext ctx = this.ctx;
        if (ctx != null) {
            drain(ctx);
        }
    }

    private void drain(ChannelHandlerContext ctx) {
        Pending head;
        while ((head = queue.peek()) != null && head.reply != null) {
            queue.poll();
            write(ctx, head.reply, head.start);
        }
        if (!inReadBatch) {
            flushIfNeeded(ctx);
        }
        if (paused && queue.size() < settings.maxPipelined()) {
            paused = false;
            decodeFrames(ctx); // requests already buffered come first
            if (!paused && !finishing && !closed && !draining) {
                ctx.channel().config().setAutoRead(true);
            }
            if (!inReadBatch) {
                flushIfNeeded(ctx);
            }
        }
        if (draining && !paused && !finishing) {
            // Every whole request received is dispatched; what is left is a partial frame.
            finishing = true;
            releaseCumulation();
        }
        if (finishing && queue.isEmpty() && !closed) {
            closed = true;
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void write(ChannelHandlerContext ctx, String reply, long start) {
        int bytes = ByteBufUtil.utf8Bytes(reply);
        if (bytes > MAX_REPLY_BYTES) {
            // PF-NET-5: Postfix would refuse it; the answerer trims, this is the last guard.
            LOG.warn("socketmap reply of {} bytes is over {}; answering TEMP", bytes, MAX_REPLY_BYTES);
            reply = REPLY_TOO_LARGE;
            bytes = reply.length();
        }
        ctx.write(Netstrings.encode(ctx.alloc(), reply, bytes), ctx.voidPromise());
        needsFlush = true;
        settings.listener().answered(reply, settings.ticker().read() - start);
    }

    private void flushIfNeeded(ChannelHandlerContext ctx) {
        if (needsFlush) {
            needsFlush = false;
            ctx.flush();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == DRAIN) {
            if (!draining && !closed) {
                draining = true;
                ctx.channel().config().setAutoRead(false);
                decodeFrames(ctx); // whole requests already received are still answered
                drain(ctx);
            }
        } else if (evt instanceof IdleStateEvent) {
            // PF-NET-7: idle means nothing received and nothing owed; a slow answer keeps it open.
            if (queue.isEmpty() && !closed) {
                LOG.debug("closing idle socketmap connection {}", ctx.channel());
                closed = true;
                ctx.close();
            }
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        releaseCumulation();
        queue.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            // PF-NET-6: Postfix closes idle connections, and resets happen; nothing to warn about.
            LOG.debug("socketmap connection {} failed: {}", ctx.channel(), cause.toString());
        } else {
            LOG.warn("socketmap connection {} failed; closing it", ctx.channel(), cause);
        }
        closed = true;
        releaseCumulation();
        ctx.close();
    }

    private void releaseIfEmpty() {
        ByteBuf c = cumulation;
        if (c != null && !c.isReadable()) {
            cumulation = null;
            c.release();
        }
    }

    private void releaseCumulation() {
        ByteBuf c = cumulation;
        if (c != null) {
            cumulation = null;
            c.release();
        }
    }

    /**
     * A queued request: its reply once the stage completes. Is the stage's callback and, when that
     * runs off the event loop, the task that hops back, so completing costs no further allocation.
     */
    static final class Pending implements BiConsumer<String, Throwable>, Runnable {
        private final SocketmapConnection connection;
        final long start;

        @Nullable
        String reply;

        private @Nullable String result;
        private @Nullable Throwable error;

        Pending(SocketmapConnection connection, long start) {
            this.connection = connection;
            this.start = start;
        }

        @Override
        public void accept(@Nullable String result, @Nullable Throwable error) {
            ChannelHandlerContext ctx = connection.ctx;
            if (ctx == null) {
                return;
            }
            this.result = result;
            this.error = error;
            if (ctx.executor().inEventLoop()) {
                run();
            } else {
                try {
                    ctx.executor().execute(this);
                } catch (RejectedExecutionException e) {
                    // The event loop is shut down, so the connection was force-closed: nobody to answer.
                    LOG.debug("socketmap answer after shutdown dropped");
                }
            }
        }

        @Override
        public void run() {
            reply = replyOrError(result, error);
            connection.completed();
        }
    }
}
