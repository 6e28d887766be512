package dev.mtasts.postfix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
final class SocketmapServerTest {

    private final List<SocketmapServer> servers = new ArrayList<>();

    @AfterEach
    void closeServers() {
        servers.forEach(SocketmapServer::close);
    }

    private SocketmapServer start(SocketmapServer.Builder builder) throws IOException {
        SocketmapServer server = builder.inet("127.0.0.1", 0).build();
        servers.add(server);
        return server.start();
    }

    private static SocketmapServer.Builder echo() {
        return SocketmapServer.builder((name, key) -> CompletableFuture.completedFuture("OK " + name + "|" + key));
    }

    @Test
    void request_isAnsweredAsNetstring() throws IOException {
        // RFC-less wire: socketmap_table(5); PF-NET-1
        SocketmapServer server = start(echo());
        try (SocketmapClient client = SocketmapClient.connect(server.port())) {
            client.sendRaw("19:postfix example.com,");
            assertThat(client.read()).isEqualTo("OK postfix|example.com");
            assertThat(client.request("postfix", "b.example")).isEqualTo("OK postfix|b.example");
        }
    }

    @Test
    void payload_isSplitAtTheFirstSpace_andPassedVerbatim() throws IOException {
        // PF-NET-3: name SP key, split at the first space; the rest (spaces, case, UTF-8) is the key
        SocketmapServer server = start(echo());
        try (SocketmapClient client = SocketmapClient.connect(server.port())) {
            assertThat(client.request("postfix", "Ex ample.COM  x")).isEqualTo("OK postfix|Ex ample.COM  x");
            assertThat(client.request("", "lead")).isEqualTo("OK |lead");
            assertThat(client.request("zone", "")).isEqualTo("OK zone|");
            assertThat(client.request("postfix", "bücher.example")).isEqualTo("OK postfix|bücher.example");
        }
    }

    @Test
    void payloadWithoutSpace_isAnsweredPermAndTheConnectionKept() throws IOException {
        // PF-NET-3: no "name SP key"; well framed, so answered rather than dropped
        SocketmapServer server = start(echo());
        try (SocketmapClient client = SocketmapClient.connect(server.port())) {
            client.send("postfix");
            assertThat(client.read()).isEqualTo("PERM malformed request");
            client.sendRaw("0:,");
            assertThat(client.read()).isEqualTo("PERM malformed request");
            assertThat(client.request("postfix", "a.example")).isEqualTo("OK postfix|a.example");
        }
    }

    @Test
    void fragmentedRequest_isReassembled() throws IOException {
        // PF-NET-2: a frame may arrive in any number of TCP segments
        SocketmapServer server = start(echo());
        try (SocketmapClient client = SocketmapClient.connect(server.port())) {
            for (byte b : SocketmapClient.frame("postfix split.example").getBytes()) {
                client.sendRaw(new byte[] {b});
            }
            assertThat(client.read()).isEqualTo("OK postfix|split.example");
        }
    }

    @Test
    void severalRequestsInOneWrite_areAnsweredInOrder() throws IOException {
        // PF-NET-7: pipelined requests answered in request order
        SocketmapServer server = start(echo());
        try (SocketmapClient client = SocketmapClient.connect(server.port())) {
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 50; i++) {
                batch.append(SocketmapClient.frame("postfix d" + i + ".example"));
            }
            client.sendRaw(batch.toString());
            for (int i = 0; i < 50; i++) {
                assertThat(client.read()).isEqualTo("OK postfix|d" + i + ".example");
            }
        }
    }

    @Test
    void answersCompletingOutOfOrder_areRepliedInRequestOrder() throws Exception {
        // PF-NET-7: the handler's stages complete in reverse; the replies keep request order
        LinkedBlockingQueue<CompletableFuture<String>> stages = new LinkedBlockingQueue<>();
        List<String> keys = new CopyOnWriteArrayList<>();
        SocketmapServer server = start(SocketmapServer.builder((name, key) -> {
            CompletableFuture<String> stage = new CompletableFuture<>();
            keys.add(key);
            stages.add(stage);
            return stage;
        }));
        try (SocketmapClient client = SocketmapClient.connect(server.port())) {
            client.sendRaw(SocketmapClient.frame("postfix a")
                    + SocketmapClient.frame("postfix b")
                    + SocketmapClient.frame("postfix c"));
            List<CompletableFuture<String>> taken = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                taken.add(stages.poll(10, TimeUnit.SECONDS));
            }
            assertThat(keys).containsExactly("a", "b", "c");
            taken.get(2).complete("OK c");
            taken.get(1).complete("OK b");
            taken.get(0).complete("OK a");
            assertThat(client.read()).isEqualTo("OK a");
            assertThat(client.read()).isEqualTo("OK b");
            assertThat(client.read()).isEqualTo("OK c");
        }
    }

    @Test
    void startedServer_reportsItsAddress() throws IOException {
        SocketmapServer server = start(echo());
        assertThat(server.localAddress()).isInstanceOf(InetSocketAddress.class);
        assertThat(((InetSocketAddress) server.localAddress()).getPort())
                .isEqualTo(server.port())
                .isPositive();
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void stoppedServer_refusesConnections_andStopIsIdempotent() throws Exception {
        SocketmapServer server = start(echo());
        int port = server.port();
        var first = server.stop(Duration.ofSeconds(5));
        first.toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(server.stop(Duration.ofSeconds(5))).isSameAs(first);
        server.close();
        assertThatThrownBy(() -> SocketmapClient.connect(port)).isInstanceOf(IOException.class);
    }
}
