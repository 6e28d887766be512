package dev.mtasts.postfix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mtasts.postfix.net.Transport;
import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** TCP and unix sockets on both transports (PF-NET-1, PF-NET-8). */
@Timeout(30)
final class SocketmapServerTransportTest {

    @TempDir
    Path dir;

    private final List<SocketmapServer> servers = new ArrayList<>();

    @AfterEach
    void closeServers() {
        servers.forEach(SocketmapServer::close);
    }

    private static SocketmapServer.Builder echo(Transport transport) {
        if (transport == Transport.EPOLL) {
            assumeTrue(Epoll.isAvailable(), "native epoll not available here");
        }
        return SocketmapServer.builder((name, key) -> CompletableFuture.completedFuture("OK " + key))
                .transport(transport);
    }

    private SocketmapServer started(SocketmapServer.Builder builder) throws IOException {
        SocketmapServer server = builder.build();
        servers.add(server);
        return server.start();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void tcp_servesOnEitherTransport(Transport transport) throws IOException {
        // PF-NET-1: inet:host:port; SO_REUSEPORT only on epoll, ignored on NIO
        SocketmapServer server = started(echo(transport).inet("127.0.0.1", 0).reusePort(true));
        try (SocketmapClient client = SocketmapClient.connect(server.port())) {
            assertThat(client.request("postfix", "tcp.example")).isEqualTo("OK tcp.example");
        }
    }

    @Test
    void reusePort_letsTwoServersShareAPort_onEpoll() throws IOException {
        // PF-BETTER-4 companion: several daemons may share one port, as postfix-mta-sts-resolver's
        SocketmapServer first = started(echo(Transport.EPOLL).inet("127.0.0.1", 0));
        SocketmapServer second = started(echo(Transport.EPOLL).inet("127.0.0.1", first.port()));
        assertThat(second.port()).isEqualTo(first.port());
        SocketmapServer third = echo(Transport.EPOLL)
                .inet("127.0.0.1", first.port())
                .reusePort(false)
                .build();
        servers.add(third);
        assertThatThrownBy(third::start).isInstanceOf(IOException.class);
        assertThatThrownBy(third::localAddress).isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void unixSocket_servesWithItsMode_andIsRemovedOnStop(Transport transport) throws Exception {
        // PF-NET-1: unix:path; the mode is set after bind, the file removed on stop
        Path path = dir.resolve("mta-sts.sock");
        SocketmapServer server = started(echo(transport).unix(path, PosixFilePermissions.fromString("rw-rw----")));
        assertThat(Files.getPosixFilePermissions(path)).isEqualTo(PosixFilePermissions.fromString("rw-rw----"));
        assertThatThrownBy(server::port).isInstanceOf(IllegalStateException.class);
        try (SocketmapClient client = SocketmapClient.connect(path)) {
            assertThat(client.request("postfix", "unix.example")).isEqualTo("OK unix.example");
            assertThat(client.request("postfix", "again.example")).isEqualTo("OK again.example");
        }
        server.stop(Duration.ofSeconds(5)).toCompletableFuture().get();
        assertThat(path).doesNotExist();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void staleUnixSocket_isReplaced(Transport transport) throws Exception {
        // a daemon that died leaves its socket file; bind would fail on it
        Path path = dir.resolve("stale.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(path));
        }
        assertThat(path).exists();
        SocketmapServer server = started(echo(transport).unix(path, PosixFilePermissions.fromString("rw-rw-rw-")));
        try (SocketmapClient client = SocketmapClient.connect(path)) {
            assertThat(client.request("postfix", "a")).isEqualTo("OK a");
        }
        assertThat(server.localAddress()).isNotNull();
    }

    @Test
    void unixPathHoldingAnotherFile_isNeverRemoved() throws IOException {
        Path path = dir.resolve("not-a-socket");
        Files.writeString(path, "precious");
        SocketmapServer server = SocketmapServer.builder((n, k) -> CompletableFuture.completedFuture("OK"))
                .unix(path, PosixFilePermissions.fromString("rw-------"))
                .build();
        servers.add(server);
        assertThatThrownBy(server::start).isInstanceOf(IOException.class).hasMessageContaining("not a unix socket");
        assertThat(path).hasContent("precious");
    }

    @Test
    void unixSocketInUse_isNeverTakenOver() throws IOException {
        Path path = dir.resolve("live.sock");
        SocketmapServer live = started(SocketmapServer.builder((n, k) -> CompletableFuture.completedFuture("OK live"))
                .unix(path, PosixFilePermissions.fromString("rw-------")));
        SocketmapServer second = SocketmapServer.builder((n, k) -> CompletableFuture.completedFuture("OK second"))
                .unix(path, PosixFilePermissions.fromString("rw-------"))
                .build();
        servers.add(second);
        assertThatThrownBy(second::start).isInstanceOf(IOException.class).hasMessageContaining("already listening");
        try (SocketmapClient client = SocketmapClient.connect(path)) {
            assertThat(client.request("postfix", "a")).isEqualTo("OK live");
        }
        assertThat(live.localAddress()).isNotNull();
    }
}
