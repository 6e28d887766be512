package dev.mtasts.postfix;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * The server takes any {@link java.util.concurrent.CompletionStage} a handler returns, including the
 * JDK's minimal stages ({@code completedStage}, {@code minimalCompletionStage}), which are {@link
 * CompletableFuture} subclasses whose {@code isDone()} throws; {@link PostfixPolicyAnswerer} returns
 * them.
 */
final class SocketmapServerStageTest {

    @Test
    void completedMinimalStage_isAnswered() throws IOException {
        // PF-NET-1: one reply per request
        try (SocketmapServer server = SocketmapServer.builder(
                                (name, key) -> CompletableFuture.completedStage("OK minimal " + key))
                        .inet("127.0.0.1", 0)
                        .build()
                        .start();
                SocketmapClient client = SocketmapClient.connect(server.port())) {
            assertThat(client.request("postfix", "a.example")).isEqualTo("OK minimal a.example");
            assertThat(client.request("postfix", "b.example")).isEqualTo("OK minimal b.example");
        }
    }

    @Test
    void pendingMinimalStage_isAnsweredWhenItCompletes() throws IOException {
        CompletableFuture<String> later = new CompletableFuture<>();
        try (SocketmapServer server = SocketmapServer.builder((name, key) -> later.minimalCompletionStage())
                        .inet("127.0.0.1", 0)
                        .build()
                        .start();
                SocketmapClient client = SocketmapClient.connect(server.port())) {
            client.send("postfix later.example");
            later.complete("NOTFOUND ");
            assertThat(client.read()).isEqualTo("NOTFOUND ");
        }
    }

    @Test
    void stageWithoutCompletableFuture_isAnswered() throws IOException {
        // PF-NET-1: CompletionStage.toCompletableFuture() may throw UnsupportedOperationException
        try (SocketmapServer server = SocketmapServer.builder(
                                (name, key) -> foreignStage(CompletableFuture.completedFuture("OK foreign " + key)))
                        .inet("127.0.0.1", 0)
                        .build()
                        .start();
                SocketmapClient client = SocketmapClient.connect(server.port())) {
            assertThat(client.request("postfix", "a.example")).isEqualTo("OK foreign a.example");
            assertThat(client.request("postfix", "b.example")).isEqualTo("OK foreign b.example");
        }
    }

    /** A stage of another library: everything delegated, but no CompletableFuture view. */
    @SuppressWarnings("unchecked")
    private static CompletionStage<String> foreignStage(CompletableFuture<String> delegate) {
        return (CompletionStage<String>) Proxy.newProxyInstance(
                SocketmapServerStageTest.class.getClassLoader(),
                new Class<?>[] {CompletionStage.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("toCompletableFuture")) {
                        throw new UnsupportedOperationException("no CompletableFuture view");
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
