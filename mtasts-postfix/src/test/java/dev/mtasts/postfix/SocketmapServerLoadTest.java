package dev.mtasts.postfix;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Many persistent connections, as a busy Postfix keeps (PF-NET-6, PF-NET-7). */
@Timeout(120)
final class SocketmapServerLoadTest {

    /** Completes stages on a thread that is not the connection's event loop. */
    private static final ExecutorService ASYNC = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "answers");
        t.setDaemon(true);
        return t;
    });

    private final RecordingListener listener = new RecordingListener();
    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private final List<SocketmapClient> clients = new ArrayList<>();
    private final SocketmapServer server = SocketmapServer.builder(SocketmapServerLoadTest::answer)
            .inet("127.0.0.1", 0)
            .listener(listener)
            .build();

    /** Half the answers come from a "cache" (already complete), half later from another thread. */
    private static CompletableFuture<String> answer(String name, String key) {
        return key.hashCode() % 2 == 0
                ? CompletableFuture.completedFuture("OK " + key)
                : CompletableFuture.supplyAsync(() -> "OK " + key, ASYNC);
    }

    @AfterEach
    void close() throws IOException {
        for (SocketmapClient client : clients) {
            client.close();
        }
        server.close();
        workers.shutdownNow();
    }

    @Test
    void sixHundredClients_512AreServed_theRestClosedAtOnce() throws Exception {
        // PF-NET-7: at most 512 connections; further ones are closed at once
        server.start();
        for (int i = 0; i < 600; i++) {
            clients.add(SocketmapClient.connect(server.port()));
        }
        int served = 0;
        int closed = 0;
        for (int i = 0; i < clients.size(); i++) {
            SocketmapClient client = clients.get(i);
            try {
                assertThat(client.request("postfix", "c" + i + ".example")).isEqualTo("OK c" + i + ".example");
                served++;
            } catch (IOException refused) {
                closed++;
            }
        }
        assertThat(served).isEqualTo(512);
        assertThat(closed).isEqualTo(88);
        assertThat(listener.refused).hasValue(88);
        // the 512 stay usable
        for (SocketmapClient client : clients) {
            try {
                assertThat(client.request("postfix", "again")).isEqualTo("OK again");
                served++;
            } catch (IOException refused) {
                closed++;
            }
        }
        assertThat(served).isEqualTo(1024);
    }

    @Test
    void hundredsOfPersistentConnections_eachPipelining_allAnsweredInOrder() throws Exception {
        // PF-NET-7: replies in request order per connection, under load from 400 connections
        server.start();
        int connections = 400;
        int rounds = 50;
        int depth = 4; // requests in flight per connection per round
        for (int i = 0; i < connections; i++) {
            clients.add(SocketmapClient.connect(server.port()));
        }
        List<Future<Integer>> results = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int worker = w;
            results.add(workers.submit(() -> {
                int answered = 0;
                for (int round = 0; round < rounds; round++) {
                    for (int c = worker; c < connections; c += 2) {
                        StringBuilder batch = new StringBuilder();
                        for (int d = 0; d < depth; d++) {
                            batch.append(SocketmapClient.frame("postfix " + key(c, round, d)));
                        }
                        clients.get(c).sendRaw(batch.toString());
                    }
                    for (int c = worker; c < connections; c += 2) {
                        for (int d = 0; d < depth; d++) {
                            String reply = clients.get(c).read();
                            if (!reply.equals("OK " + key(c, round, d))) {
                                throw new AssertionError("connection " + c + " got " + reply);
                            }
                            answered++;
                        }
                    }
                }
                return answered;
            }));
        }
        int total = 0;
        for (Future<Integer> worker : results) {
            total += worker.get();
        }
        assertThat(total).isEqualTo(connections * rounds * depth);
        assertThat(listener.replies).hasSize(total);
        assertThat(listener.refused).hasValue(0);
    }

    private static String key(int connection, int round, int slot) {
        return "c" + connection + "-r" + round + "-s" + slot + ".example";
    }
}
