package dev.mtasts.postfix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Graceful stop: the listener first, then every request received is answered, then the close. */
@Timeout(30)
final class SocketmapServerShutdownTest {

    private final LinkedBlockingQueue<CompletableFuture<String>> held = new LinkedBlockingQueue<>();
    private final RecordingListener listener = new RecordingListener();
    private final SocketmapServer server = SocketmapServer.builder((name, key) -> {
                if (key.startsWith("hold")) {
                    CompletableFuture<String> stage = new CompletableFuture<>();
                    held.add(stage);
                    return stage;
                }
                return CompletableFuture.completedFuture("OK " + key);
            })
            .inet("127.0.0.1", 0)
            .listener(listener)
            .shutdownTimeout(Duration.ofSeconds(5))
            .build();

    @AfterEach
    void close() {
        server.close();
    }

    private CompletableFuture<String> nextHeld() throws InterruptedException {
        CompletableFuture<String> stage = held.poll(10, TimeUnit.SECONDS);
        assertThat(stage).as("the handler was asked").isNotNull();
        return stage;
    }

    @Test
    void stop_answersTheRequestInFlight_thenCloses() throws Exception {
        server.start();
        int port = server.port();
        try (SocketmapClient busy = SocketmapClient.connect(port);
                SocketmapClient quiet = SocketmapClient.connect(port)) {
            assertThat(quiet.request("postfix", "warm")).isEqualTo("OK warm");
            busy.send("postfix hold-1");
            CompletableFuture<String> inFlight = nextHeld();
            CompletableFuture<Void> stopped =
                    server.stop(Duration.ofSeconds(10)).toCompletableFuture();
            assertThat(quiet.closedByServer()).isTrue(); // owed nothing: closed at once
            assertThatThrownBy(() -> SocketmapClient.connect(port).close()).isInstanceOf(IOException.class);
            assertThat(stopped).isNotDone();
            inFlight.complete("OK answered during stop");
            assertThat(busy.read()).isEqualTo("OK answered during stop");
            assertThat(busy.closedByServer()).isTrue();
            stopped.get(10, TimeUnit.SECONDS);
        }
        assertThat(listener.lastOpen).hasValue(0);
    }

    @Test
    void stop_afterTheGrace_closesUnansweredConnections() throws Exception {
        server.start();
        try (SocketmapClient client = SocketmapClient.connect(server.port())) {
            client.send("postfix hold-forever");
            nextHeld();
            CompletableFuture<Void> stopped =
                    server.stop(Duration.ofMillis(100)).toCompletableFuture();
            assertThat(client.closedByServer()).isTrue();
            stopped.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void close_isIdempotent_andWorksUnstarted() throws Exception {
        server.close();
        server.close();
        assertThat(server.stop(Duration.ZERO).toCompletableFuture().get(1, TimeUnit.SECONDS))
                .isNull();
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
    }
}
