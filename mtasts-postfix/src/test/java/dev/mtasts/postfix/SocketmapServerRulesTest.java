package dev.mtasts.postfix;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** The limits and error answers of PF-NET-2, PF-NET-5 and PF-NET-7, on loopback. */
@Timeout(30)
final class SocketmapServerRulesTest {

    private final List<SocketmapServer> servers = new ArrayList<>();
    private final RecordingListener listener = new RecordingListener();
    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void closeServers() {
        servers.forEach(SocketmapServer::close);
        executor.shutdownNow();
    }

    private SocketmapServer start(SocketmapHandler handler, int maxConnections) throws IOException {
        SocketmapServer server = SocketmapServer.builder(handler)
                .inet("127.0.0.1", 0)
                .listener(listener)
                .maxConnections(maxConnections)
                .build();
        servers.add(server);
        return server.start();
    }

    private SocketmapServer start(SocketmapHandler handler) throws IOException {
        return start(handler, 512);
    }

    private static CompletableFuture<String> ok(String name, String key) {
        return CompletableFuture.completedFuture("OK " + key);
    }

    @Test
    void leadingZero_closesWithoutReply() throws Exception {
        // PF-NET-2 (PF-BETTER-4): "01:x," is not a netstring
        SocketmapServer server = start(SocketmapServerRulesTest::ok);
        try (SocketmapClient client = SocketmapClient.connect(server.port())) {
            client.sendRaw("010:postfix a,");
            assertThat(client.closedByServer()).isTrue();
        }
        assertThat(listener.protocolErrors).containsExactly("PF-NET-2 malformed netstring");
    }

    @Test
    void nonDigitOrMissingComma_closesWithoutReply() throws Exception {
        // PF-NET-2: non-digit length, or no ',' after exactly len bytes
        SocketmapServer server = start(SocketmapServerRulesTest::ok);
        for (String bad : List.of("x:postfix a,", "9:postfix a;", "3:postfix a,", ":,", "GET / HTTP/1.1\r\n\r\n")) {
            try (SocketmapClient client = SocketmapClient.connect(server.port())) {
                client.sendRaw(bad);
                assertThat(client.closedByServer()).as(bad).isTrue();
            }
        }
        assertThat(listener.protocolErrors).hasSize(5);
        assertThat(listener.replies).isEmpty();
    }

    @Test
    void requestOverTheLimit_isAnsweredPerm_thenClosed() throws Exception {
        // PF-NET-7, PF-POL-10: payload over 1024 bytes → PERM request too large, then close
        SocketmapServer server = start(SocketmapServerRulesTest::ok);
        try (SocketmapClient client = SocketmapClient.connect(server.port())) {
            String atLimit = "postfix " + "a".repeat(1024 - 8);
            client.send(atLimit);
            assertThat(client.read()).isEqualTo("OK " + "a".repeat(1016));
            client.sendRaw("1025:");
            assertThat(client.read()).isEqualTo("PERM request too large");
            assertThat(client.closedByServer()).isTrue();
        }
        assertThat(listener.protocolErrors).containsExactly("PF-NET-7 request too large");
    }

    @Test
    void replyOverPostfixLimit_isReplacedByTemp() throws Exception {
        // PF-NET-5: Postfix refuses reply payloads over 100000 bytes; we never send one
        SocketmapServer server = start((name, key) -> CompletableFuture.completedFuture(
                key.equals("big") ? "OK " + "x".repeat(100_000 - 2) : "OK " + "x".repeat(100_000 - 3)));
        try (SocketmapClient client = SocketmapClient.connect(server.port())) {
            assertThat(client.request("postfix", "big")).isEqualTo("TEMP reply too large");
            assertThat(client.request("postfix", "fits")).hasSize(100_000);
        }
    }

    @Test
    void throwingOrFailingHandler_isAnsweredTempInternalError() throws Exception {
        SocketmapServer server = start((name, key) -> {
            switch (key) {
                case "throw" -> throw new IllegalStateException("handler bug");
                case "fail" -> {
                    return CompletableFuture.supplyAsync(
                            () -> {
                                throw new IllegalStateException("async bug");
                            },
                            executor);
                }
                default -> {
                    return CompletableFuture.supplyAsync(() -> "OK " + key, executor);
                }
            }
        });
        try (SocketmapClient client = SocketmapClient.connect(server.port())) {
            assertThat(client.request("postfix", "throw")).isEqualTo("TEMP internal error");
            assertThat(client.request("postfix", "fail")).isEqualTo("TEMP internal error");
            assertThat(client.request("postfix", "fine")).isEqualTo("OK fine");
        }
    }

    @Test
    void connectionsOverTheLimit_areClosedAtOnce() throws Exception {
        // PF-NET-7: at most maxConnections; further ones closed at once
        SocketmapServer server = start(SocketmapServerRulesTest::ok, 2);
        try (SocketmapClient a = SocketmapClient.connect(server.port());
                SocketmapClient b = SocketmapClient.connect(server.port())) {
            assertThat(a.request("postfix", "a")).isEqualTo("OK a");
            assertThat(b.request("postfix", "b")).isEqualTo("OK b");
            try (SocketmapClient c = SocketmapClient.connect(server.port())) {
                assertThat(c.closedByServer()).isTrue();
            }
            listener.awaitRefused(1);
            a.close();
            listener.awaitClosed(1);
            try (SocketmapClient d = SocketmapClient.connect(server.port())) {
                assertThat(d.request("postfix", "d")).isEqualTo("OK d");
            }
        }
        assertThat(listener.refused).hasValue(1);
    }

    @Test
    void idleConnection_isClosedByTheServer() throws Exception {
        // PF-NET-7: idle server-side connections are closed (60 s by default; shorter here)
        SocketmapServer server = SocketmapServer.builder(SocketmapServerRulesTest::ok)
                .inet("127.0.0.1", 0)
                .listener(listener)
                .idleTimeout(Duration.ofMillis(200))
                .build();
        servers.add(server.start());
        try (SocketmapClient client = SocketmapClient.connect(server.port())) {
            assertThat(client.request("postfix", "a")).isEqualTo("OK a");
            assertThat(client.closedByServer()).isTrue();
        }
        listener.awaitClosed(1);
        assertThat(listener.protocolErrors).isEmpty();
    }

    @Test
    void listener_seesOpenAnswerClose_withElapsedNanos() throws Exception {
        long[] now = {0};
        SocketmapServer server = SocketmapServer.builder(SocketmapServerRulesTest::ok)
                .inet("127.0.0.1", 0)
                .listener(listener)
                .ticker(() -> now[0] += 5)
                .build();
        servers.add(server.start());
        try (SocketmapClient client = SocketmapClient.connect(server.port())) {
            assertThat(client.request("postfix", "a")).isEqualTo("OK a");
        }
        listener.awaitClosed(1);
        assertThat(listener.opened).hasValue(1);
        assertThat(listener.lastOpen).hasValue(0);
        assertThat(listener.replies).containsExactly("OK a");
        assertThat(listener.nanos).containsExactly(5L);
    }

    @Test
    void throwingListener_doesNotDisturbAnswers() throws Exception {
        SocketmapServer server = SocketmapServer.builder(SocketmapServerRulesTest::ok)
                .inet("127.0.0.1", 0)
                .listener(new SocketmapServerListener() {
                    @Override
                    public void connectionOpened(int open) {
                        throw new IllegalStateException("metrics broke");
                    }

                    @Override
                    public void answered(String reply, long nanos) {
                        throw new IllegalStateException("metrics broke");
                    }
                })
                .build();
        servers.add(server.start());
        try (SocketmapClient client = SocketmapClient.connect(server.port())) {
            assertThat(client.request("postfix", "a")).isEqualTo("OK a");
            assertThat(client.request("postfix", "b")).isEqualTo("OK b");
        }
    }

    @Test
    void slowHandlerWithSmallPipelineLimit_stillAnswersEverythingInOrder() throws Exception {
        // PF-NET-7: reading stops at maxPipelined and resumes; no request is lost or reordered
        SocketmapServer server = SocketmapServer.builder(
                        (name, key) -> CompletableFuture.supplyAsync(() -> "OK " + key, executor))
                .inet("127.0.0.1", 0)
                .maxPipelined(3)
                .build();
        servers.add(server.start());
        try (SocketmapClient client = SocketmapClient.connect(server.port())) {
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 500; i++) {
                batch.append(SocketmapClient.frame("postfix k" + i));
            }
            client.sendRaw(batch.toString());
            for (int i = 0; i < 500; i++) {
                assertThat(client.read()).isEqualTo("OK k" + i);
            }
        }
    }

    @Test
    void abruptCloses_leaveNoConnectionBehind() throws Exception {
        // PF-NET-6: Postfix closes idle connections and may reset; EOF or RST mid-frame is routine
        CompletableFuture<String> hanging = new CompletableFuture<>();
        SocketmapServer server = start((name, key) -> key.equals("hang") ? hanging : ok(name, key));
        try (StderrCapture log = new StderrCapture();
                SocketmapClient a = SocketmapClient.connect(server.port());
                SocketmapClient b = SocketmapClient.connect(server.port());
                SocketmapClient c = SocketmapClient.connect(server.port())) {
            a.sendRaw("20:postfix half");
            b.sendRaw("20:postfix half");
            c.send("postfix hang");
            a.reset();
            b.close();
            c.reset();
            listener.awaitClosed(3);
            LoggerFactory.getLogger(SocketmapServerRulesTest.class).warn("probe");
            assertThat(log.text()).contains("WARN").contains("probe"); // the capture works
            assertThat(log.text().replaceAll(".*probe\\R?", "")).doesNotContain("WARN");
        }
        hanging.complete("OK late"); // answered after its connection went: dropped
        assertThat(listener.lastOpen).hasValue(0);
        assertThat(listener.protocolErrors).isEmpty();
        try (SocketmapClient d = SocketmapClient.connect(server.port())) {
            assertThat(d.request("postfix", "d")).isEqualTo("OK d");
        }
        executor.submit(() -> {}).get(5, TimeUnit.SECONDS);
    }
}
