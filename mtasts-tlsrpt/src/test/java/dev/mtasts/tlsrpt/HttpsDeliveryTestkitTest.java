package dev.mtasts.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.testkit.FixedRandom;
import dev.mtasts.testkit.ManualScheduler;
import dev.mtasts.testkit.server.FakePolicyHost;
import dev.mtasts.testkit.server.PolicyResponse;
import dev.mtasts.testkit.server.RecordedRequest;
import dev.mtasts.testkit.server.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * End-to-end HTTPS delivery against the testkit's fake HTTPS host (RPT-HTTP-1, RPT-HTTP-2,
 * RPT-SEND-2): the first POST gets 503, the retry after the back-off gets 200. The host serves
 * {@code mta-sts.<domain>} names on 127.0.0.1, so the rua names that host and the client sends it as
 * SNI and checks the certificate against it (docs/testkit.md, "Reaching it"). The body itself is
 * checked in {@link TlsRptDelivererTest}, against a JDK server.
 */
final class HttpsDeliveryTestkitTest {
    private static final String DOMAIN = "recv.example";

    private FakePolicyHost host;

    @BeforeEach
    void start() {
        host = new FakePolicyHost().addHost(DOMAIN).start();
    }

    @AfterEach
    void stop() {
        host.close();
    }

    @Test
    void post_503ThenOk_deliveredOnRetry() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        host.dispatcher(
                request -> calls.getAndIncrement() == 0 ? PolicyResponse.status(503) : PolicyResponse.status(200));
        TestClock clock = TestClock.at(Instant.parse("2026-03-02T02:00:00Z"));
        ManualScheduler scheduler = new ManualScheduler(clock);
        SSLParameters sni = host.clientSslContext().getDefaultSSLParameters();
        sni.setServerNames(List.of(new SNIHostName(FakePolicyHost.hostName(DOMAIN))));
        TlsRptDeliverer deliverer = TlsRptDeliverer.builder()
                .clock(clock)
                .scheduler(scheduler)
                .sslContext(host.clientSslContext())
                .sslParameters(sni)
                .random(FixedRandom.fraction(0.5))
                .maxInitialDelay(Duration.ZERO)
                .totalTimeout(Duration.ofSeconds(20))
                .build();
        DailyReport daily = DailyReportAssemblerTest.BUILDER
                .assemble(DailyReportAssemblerTest.recordedDay())
                .get(2);
        TlsRptRecord record = TlsRptRecord.parse("v=TLSRPTv1; rua=https://127.0.0.1:" + host.port() + "/tlsrpt");

        var future = deliverer.deliver(daily, record);
        scheduler.runUntil(future);

        assertThat(future.getNow(null))
                .isInstanceOfSatisfying(
                        DeliveryResult.Delivered.class,
                        d -> assertThat(d.attempts()).isEqualTo(2));
        assertThat(scheduler.delays()).containsExactly(Duration.ZERO, Duration.ofSeconds(45));
        List<RecordedRequest> requests = host.requests();
        assertThat(requests).hasSize(2).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/tlsrpt");
            assertThat(r.sni()).contains(FakePolicyHost.hostName(DOMAIN));
            assertThat(r.header("Content-Type")).contains("application/tlsrpt+gzip");
            assertThat(r.header("Content-Length"))
                    .contains(Integer.toString(daily.report().toGzip().length));
        });
    }
}
