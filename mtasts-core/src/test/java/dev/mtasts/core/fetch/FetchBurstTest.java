package dev.mtasts.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.core.dns.DnsResult;
import dev.mtasts.core.dns.MxRecord;
import dev.mtasts.testkit.server.TestCertificateAuthority;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A burst of first-time domains whose policy hosts accept TCP and then never answer: the fetcher
 * must hold a bounded number of threads and fail what does not fit at once, not start one thread per
 * domain for up to the whole deadline.
 */
final class FetchBurstTest {
    private static final int DOMAINS = 2_000;

    private static SSLContext clientContext;

    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private @org.jspecify.annotations.Nullable ServerSocket blackHole;

    @BeforeAll
    static void certificates() throws Exception {
        clientContext = TestCertificateAuthority.create("Test CA").clientSslContext();
    }

    /** Accepts every connection and never sends a byte, so each fetch waits inside the TLS handshake. */
    private int startBlackHole() throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), DOMAINS);
        blackHole = server;
        Thread acceptor = new Thread(
                () -> {
                    while (!server.isClosed()) {
                        try {
                            accepted.add(server.accept());
                        } catch (IOException e) {
                            return;
                        }
                    }
                },
                "black-hole-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        return server.getLocalPort();
    }

    @AfterEach
    void release() throws IOException {
        ServerSocket server = blackHole;
        if (server != null) {
            server.close();
        }
        for (Socket socket : accepted) {
            socket.close();
        }
    }

    /** Every name resolves to the loopback address: 2,000 distinct policy hosts, one listener. */
    private static DnsResolver everyNameOnLoopback() {
        return new DnsResolver() {
            @Override
            public CompletionStage<DnsResult<String>> txtAsync(String name) {
                return CompletableFuture.completedFuture(DnsResult.noRecords(DnsResult.NoRecordsKind.NXDOMAIN));
            }

            @Override
            public CompletionStage<DnsResult<MxRecord>> mxAsync(String name) {
                return CompletableFuture.completedFuture(DnsResult.noRecords(DnsResult.NoRecordsKind.NXDOMAIN));
            }

            @Override
            public CompletionStage<DnsResult<InetAddress>> addressesAsync(String name) {
                return CompletableFuture.completedFuture(DnsResult.records(List.of(InetAddress.getLoopbackAddress())));
            }
        };
    }

    private PolicyFetcher.Builder fetcher(int port) {
        return PolicyFetcher.https()
                .dns(everyNameOnLoopback())
                .sslContext(clientContext)
                .port(port)
                .allowLoopback()
                .timeout(Duration.ofSeconds(30));
    }

    private static long liveFetchThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("mtasts-fetch-"))
                .count();
    }

    private static List<CompletableFuture<FetchResult>> burst(PolicyFetcher fetcher) {
        List<CompletableFuture<FetchResult>> results = new ArrayList<>(DOMAINS);
        for (int i = 0; i < DOMAINS; i++) {
            results.add(fetcher.fetch("burst-" + i + ".example").toCompletableFuture());
        }
        return results;
    }

    @Test
    void defaultFetcher_burstOfBlackHoledDomains_boundedThreads() throws Exception {
        PolicyFetcher fetcher = fetcher(startBlackHole()).build();
        long before = liveFetchThreads();
        List<CompletableFuture<FetchResult>> results = burst(fetcher);
        long started = liveFetchThreads() - before;
        // The default bound (docs/policy-fetching.md): 64 threads, the other 1,936 fetches wait in the queue.
        assertThat(started).isLessThanOrEqualTo(PolicyFetcher.Builder.DEFAULT_MAX_CONCURRENT_FETCHES);
        assertThat(((HttpsPolicyFetcher) fetcher).largestPoolSize())
                .isEqualTo(PolicyFetcher.Builder.DEFAULT_MAX_CONCURRENT_FETCHES);
        assertThat(results).noneMatch(CompletableFuture::isDone);
        release();
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertThat(((HttpsPolicyFetcher) fetcher).largestPoolSize())
                .isEqualTo(PolicyFetcher.Builder.DEFAULT_MAX_CONCURRENT_FETCHES);
    }

    @Test
    void boundedFetcher_queueFull_failsAtOnceWithLocalCapacity() throws Exception {
        PolicyFetcher fetcher = fetcher(startBlackHole())
                .maxConcurrentFetches(16)
                .maxPendingFetches(100)
                .build();
        List<CompletableFuture<FetchResult>> results = burst(fetcher);
        List<FetchProblem> refused = new ArrayList<>();
        for (CompletableFuture<FetchResult> result : results) {
            if (result.isDone() && result.join() instanceof FetchResult.Failed failed) {
                refused.add(failed.failure());
            }
        }
        // 16 fetches run, 100 wait, the rest fail before anything is sent.
        assertThat(refused).hasSize(DOMAINS - 16 - 100);
        assertThat(refused).allSatisfy(f -> {
            assertThat(f.reason()).isEqualTo(FetchProblem.Reason.LOCAL_CAPACITY);
            assertThat(f.resultType()).isEmpty(); // our overload, never the domain's fault: no TLSRPT result
        });
        assertThat(((HttpsPolicyFetcher) fetcher).largestPoolSize()).isEqualTo(16);
        release();
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertThat(((HttpsPolicyFetcher) fetcher).largestPoolSize()).isEqualTo(16);
    }
}
