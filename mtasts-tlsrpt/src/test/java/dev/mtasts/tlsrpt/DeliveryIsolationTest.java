package dev.mtasts.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Deliveries of different domains never wait on each other: with ONE scheduler thread, a report
 * endpoint that accepts and never answers must not hold up another domain's report.
 */
final class DeliveryIsolationTest {
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final Semaphore hangingAccepted = new Semaphore(0);
    private ServerSocket hanging;
    private HttpsServer answering;

    @BeforeEach
    void start() throws Exception {
        // Accepts TCP connections and never says a word: the TLS handshake stalls.
        hanging = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!hanging.isClosed()) {
                try {
                    held.add(hanging.accept());
                    hangingAccepted.release();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        answering = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        answering.setHttpsConfigurator(new HttpsConfigurator(TlsRptDelivererTest.context(true)));
        answering.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        answering.start();
    }

    @AfterEach
    void stop() throws IOException {
        executor.shutdownNow();
        answering.stop(0);
        hanging.close();
        for (Socket s : held) {
            s.close();
        }
    }

    @Test
    void hangingEndpoint_otherDomainDeliveredPromptly_hangingOneRetried() throws Exception {
        // RPT-SEND-1, RPT-HTTP-4: one stalled endpoint must not delay another domain's delivery.
        List<DailyReport> reports = DailyReportAssemblerTest.BUILDER.assemble(DailyReportAssemblerTest.recordedDay());
        TlsRptDeliverer deliverer = TlsRptDeliverer.builder()
                .scheduler(dev.mtasts.core.time.Scheduler.of(executor))
                .sslContext(TlsRptDelivererTest.context(false))
                .maxInitialDelay(Duration.ZERO)
                .totalTimeout(Duration.ofSeconds(5))
                .backoff(Duration.ofMillis(50), Duration.ofMillis(100))
                .retryWindow(Duration.ofSeconds(6))
                .build();
        CompletableFuture<DeliveryResult> stalled = deliverer.deliver(
                reports.get(0),
                TlsRptRecord.parse("v=TLSRPTv1; rua=https://127.0.0.1:" + hanging.getLocalPort() + "/r"));
        assertThat(hangingAccepted.tryAcquire(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<DeliveryResult> prompt = deliverer.deliver(
                reports.get(2),
                TlsRptRecord.parse("v=TLSRPTv1; rua=https://127.0.0.1:"
                        + answering.getAddress().getPort() + "/r"));
        // Well inside the stalled exchange's 5 s timeout: it must not have to wait for it.
        assertThat(prompt.get(4, TimeUnit.SECONDS)).isInstanceOf(DeliveryResult.Delivered.class);
        assertThat(stalled).isNotDone();

        // RPT-HTTP-4, RPT-SEND-2: the stalled exchange still times out and is retried, then given up.
        assertThat(hangingAccepted.tryAcquire(30, TimeUnit.SECONDS)).isTrue();
        assertThat(stalled.get(60, TimeUnit.SECONDS)).isInstanceOfSatisfying(DeliveryResult.GaveUp.class, g -> {
            assertThat(g.attempts()).isGreaterThanOrEqualTo(2);
            assertThat(g.errors()).singleElement().asString().contains("timed out");
        });
    }
}
