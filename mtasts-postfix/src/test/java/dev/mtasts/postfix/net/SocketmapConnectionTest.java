package dev.mtasts.postfix.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.postfix.SocketmapServerListener;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The connection's queue and flow control, driven deterministically on an embedded channel. */
final class SocketmapConnectionTest {

    private final List<String> keys = new ArrayList<>();
    private final List<CompletableFuture<String>> stages = new ArrayList<>();
    private final List<String> answered = new CopyOnWriteArrayList<>();
    private final List<Long> nanos = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final AtomicLong now = new AtomicLong();

    private EmbeddedChannel channel(int maxPipelined) {
        SocketmapServerListener listener = new SocketmapServerListener() {
            @Override
            public void answered(String reply, long n) {
                answered.add(reply);
                nanos.add(n);
            }

            @Override
            public void protocolError(String why) {
                errors.add(why);
            }
        };
        ConnectionSettings settings = new ConnectionSettings(
                (name, key) -> {
                    keys.add(key);
                    CompletableFuture<String> stage = new CompletableFuture<>();
                    stages.add(stage);
                    return stage;
                },
                listener,
                16,
                maxPipelined,
                now::get);
        return new EmbeddedChannel(new SocketmapConnection(settings));
    }

    private static ByteBuf frames(String... payloads) {
        StringBuilder sb = new StringBuilder();
        for (String p : payloads) {
            sb.append(p.length()).append(':').append(p).append(',');
        }
        return Unpooled.copiedBuffer(sb, StandardCharsets.UTF_8);
    }

    private static List<String> replies(EmbeddedChannel ch) {
        List<String> out = new ArrayList<>();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            if (b.isReadable()) {
                out.add(b.toString(StandardCharsets.UTF_8));
            }
            b.release();
        }
        return out;
    }

    @Test
    void pipelinedBeyondTheLimit_stopsReading_andResumesAsAnswersDrain() {
        // PF-NET-7: at most maxPipelined unanswered; beyond that stop reading
        EmbeddedChannel ch = channel(4);
        ch.writeInbound(frames("p 0", "p 1", "p 2", "p 3", "p 4", "p 5"));
        assertThat(keys).containsExactly("0", "1", "2", "3");
        assertThat(ch.config().isAutoRead()).isFalse();
        stages.get(1).complete("OK 1");
        assertThat(replies(ch)).isEmpty(); // the head is still owed
        assertThat(keys).hasSize(4);
        stages.get(0).complete("OK 0");
        assertThat(replies(ch)).containsExactly("4:OK 0,", "4:OK 1,");
        assertThat(keys).containsExactly("0", "1", "2", "3", "4", "5"); // buffered requests first
        assertThat(ch.config().isAutoRead()).isFalse(); // four owed again
        for (int i = 2; i < 6; i++) {
            stages.get(i).complete("OK " + i);
        }
        assertThat(replies(ch)).containsExactly("4:OK 2,", "4:OK 3,", "4:OK 4,", "4:OK 5,");
        assertThat(ch.config().isAutoRead()).isTrue();
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void answered_reportsReplyAndNanosFromTheLastByte() {
        EmbeddedChannel ch = channel(4);
        now.set(1_000);
        ch.writeInbound(frames("p a"));
        now.set(1_750);
        stages.get(0).complete("NOTFOUND ");
        assertThat(replies(ch)).containsExactly("9:NOTFOUND ,");
        assertThat(answered).containsExactly("NOTFOUND ");
        assertThat(nanos).containsExactly(750L);
    }

    @Test
    void idle_closesOnlyAConnectionThatIsOwedNothing() {
        // PF-NET-7: idle = nothing received and nothing unanswered
        EmbeddedChannel ch = channel(4);
        ch.writeInbound(frames("p slow"));
        ch.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
        assertThat(ch.isOpen()).isTrue();
        stages.get(0).complete("OK");
        assertThat(replies(ch)).containsExactly("2:OK,");
        ch.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void drain_answersWholeRequestsReceived_thenCloses() {
        EmbeddedChannel ch = channel(1);
        ch.writeInbound(frames("p a", "p b"));
        ch.writeInbound(Unpooled.copiedBuffer("3:p c", StandardCharsets.UTF_8)); // a partial frame
        assertThat(keys).containsExactly("a");
        ch.pipeline().fireUserEventTriggered(SocketmapConnection.DRAIN);
        assertThat(ch.config().isAutoRead()).isFalse();
        stages.get(0).complete("OK a");
        assertThat(keys).containsExactly("a", "b"); // received whole before the stop: still answered
        assertThat(ch.isOpen()).isTrue();
        stages.get(1).complete("OK b");
        assertThat(replies(ch)).containsExactly("4:OK a,", "4:OK b,");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void drain_withNothingOwed_closesAtOnce() {
        EmbeddedChannel ch = channel(4);
        ch.pipeline().fireUserEventTriggered(SocketmapConnection.DRAIN);
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void tooLargeAfterPipelinedRequests_isAnsweredAfterThem_thenCloses() {
        // PF-NET-7: PERM request too large, in order, then close
        EmbeddedChannel ch = channel(4);
        ch.writeInbound(Unpooled.copiedBuffer("3:p a,17:", StandardCharsets.UTF_8));
        assertThat(errors).containsExactly("PF-NET-7 request too large");
        assertThat(ch.isOpen()).isTrue();
        stages.get(0).complete("OK a");
        assertThat(replies(ch)).containsExactly("4:OK a,", "22:PERM request too large,");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void malformedFrameAfterAPendingRequest_closesWithoutReplying() {
        // PF-NET-2: no reply at all once the stream is broken
        EmbeddedChannel ch = channel(4);
        ch.writeInbound(Unpooled.copiedBuffer("3:p a,01:", StandardCharsets.UTF_8));
        assertThat(ch.isOpen()).isFalse();
        assertThat(errors).containsExactly("PF-NET-2 malformed netstring");
        stages.get(0).complete("OK a"); // completes after the close: dropped quietly
        assertThat(replies(ch)).isEmpty();
    }

    @Test
    void failedOrEmptyAnswers_areTempInternalError() {
        EmbeddedChannel ch = channel(8);
        ch.writeInbound(frames("p a", "p b"));
        stages.get(0).completeExceptionally(new IllegalStateException("boom"));
        completeWithNull(stages.get(1));
        assertThat(replies(ch)).containsExactly("19:TEMP internal error,", "19:TEMP internal error,");
        assertThat(ch.isOpen()).isTrue();
    }

    @SuppressWarnings("NullAway") // a handler breaking its contract is what is tested
    private static void completeWithNull(CompletableFuture<String> stage) {
        stage.complete(nullString());
    }

    private static @Nullable String nullString() {
        return null;
    }

    @Test
    void ioFailure_closesQuietly() {
        // PF-NET-6: resets are routine; the connection just goes
        EmbeddedChannel ch = channel(4);
        ch.pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));
        assertThat(ch.isOpen()).isFalse();
        EmbeddedChannel other = channel(4);
        other.pipeline().fireExceptionCaught(new IllegalStateException("a bug"));
        assertThat(other.isOpen()).isFalse();
    }

    @Test
    void bytesAfterTheConnectionFinished_areDropped() {
        EmbeddedChannel ch = channel(4);
        ch.writeInbound(Unpooled.copiedBuffer("3:p a,99:", StandardCharsets.UTF_8));
        ByteBuf late = Unpooled.copiedBuffer("3:p b,", StandardCharsets.UTF_8);
        ch.pipeline().fireChannelRead(late);
        assertThat(late.refCnt()).isZero();
        assertThat(keys).containsExactly("a");
    }
}
