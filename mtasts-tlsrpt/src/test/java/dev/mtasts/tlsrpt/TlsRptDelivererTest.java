package dev.mtasts.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.mtasts.testkit.FixedRandom;
import dev.mtasts.testkit.ManualScheduler;
import dev.mtasts.testkit.server.TestClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Delivery end to end against a JDK HTTPS server on 127.0.0.1 (the testkit's fake HTTPS host was
 * not on main yet) and a recording {@link ReportMailer}.
 */
final class TlsRptDelivererTest {
    private record Received(String path, String contentType, List<Byte> bodyBytes) {
        byte[] body() {
            byte[] b = new byte[bodyBytes.size()];
            for (int i = 0; i < b.length; i++) {
                b[i] = bodyBytes.get(i);
            }
            return b;
        }
    }

    private static List<Byte> boxed(byte[] bytes) {
        List<Byte> out = new java.util.ArrayList<>(bytes.length);
        for (byte b : bytes) {
            out.add(b);
        }
        return out;
    }

    private final TestClock clock = TestClock.at(Instant.parse("2026-03-02T02:00:00Z"));
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final Queue<Integer> statuses = new ConcurrentLinkedQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private HttpsServer server;
    private SSLContext trusting;

    static SSLContext context(boolean asServer) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new ByteArrayInputStream(Fixtures.bytes("https-test.p12"))) {
            ks.load(in, "changeit".toCharArray());
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        if (asServer) {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "changeit".toCharArray());
            ctx.init(kmf.getKeyManagers(), null, null);
        } else {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            ctx.init(null, tmf.getTrustManagers(), null);
        }
        return ctx;
    }

    @BeforeEach
    void start() throws Exception {
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context(true)));
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    boxed(body)));
            Integer status = statuses.poll();
            int code = status == null ? 200 : status;
            if (code >= 300 && code < 400) {
                exchange.getResponseHeaders()
                        .add(
                                "Location",
                                "https://127.0.0.1:" + server.getAddress().getPort() + "/moved");
            }
            exchange.sendResponseHeaders(code, -1);
            exchange.close();
        });
        server.start();
        trusting = context(false);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url(String path) {
        return "https://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private TlsRptDeliverer.Builder deliverer() {
        return TlsRptDeliverer.builder()
                .clock(clock)
                .scheduler(scheduler)
                .sslContext(trusting)
                .random(FixedRandom.fraction(0.5))
                // RPT-DAY-3 is covered by DeliveryInitialDelayTest; these tests start at once.
                .maxInitialDelay(Duration.ZERO)
                .totalTimeout(Duration.ofSeconds(20));
    }

    private static DailyReport daily() {
        return DailyReportAssemblerTest.BUILDER
                .assemble(DailyReportAssemblerTest.recordedDay())
                .get(2);
    }

    private static byte[] gunzip(byte[] gz) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    @Test
    void https_503ThenOk_retriedAfterBackoff() throws Exception {
        // RPT-HTTP-1, RPT-HTTP-2, RPT-SEND-2: 503 fails, retried after ~1 min, 200 delivers.
        statuses.add(503);
        statuses.add(200);
        TlsRptRecord record = TlsRptRecord.parse("v=TLSRPTv1; rua=" + url("/tlsrpt"));
        var future = deliverer().build().deliver(daily(), record);
        scheduler.runUntil(future);
        DeliveryResult result = future.getNow(null);
        assertThat(result).isInstanceOfSatisfying(DeliveryResult.Delivered.class, d -> {
            assertThat(d.attempts()).isEqualTo(2);
            assertThat(d.acceptedBy()).extracting(Object::toString).containsExactly(url("/tlsrpt"));
        });
        assertThat(received).hasSize(2);
        assertThat(received.get(1).contentType()).isEqualTo("application/tlsrpt+gzip");
        assertThat(gunzip(received.get(1).body())).isEqualTo(daily().report().toJson());
        // Back-off from 1 minute with jitter 0.75 at random 0.5.
        assertThat(scheduler.delays()).containsExactly(Duration.ZERO, Duration.ofSeconds(45));
    }

    @Test
    void https_alwaysFailing_givesUpAfter24h() throws Exception {
        // RPT-SEND-2: exponential back-off capped at 2 h, dropped 24 h after the first attempt.
        for (int i = 0; i < 100; i++) {
            statuses.add(500);
        }
        TlsRptRecord record = TlsRptRecord.parse("v=TLSRPTv1; rua=" + url("/r"));
        Instant first = clock.instant();
        var future = deliverer().random(FixedRandom.fraction(0.999999)).build().deliver(daily(), record);
        scheduler.runUntil(future);
        assertThat(future.getNow(null)).isInstanceOfSatisfying(DeliveryResult.GaveUp.class, g -> {
            assertThat(g.errors()).singleElement().asString().contains("HTTP 500");
            assertThat(g.attempts()).isEqualTo(received.size());
        });
        List<Duration> delays = scheduler.delays();
        assertThat(delays.get(1)).isBetween(Duration.ofSeconds(59), Duration.ofSeconds(60));
        assertThat(delays.get(2)).isBetween(Duration.ofSeconds(119), Duration.ofSeconds(120));
        assertThat(delays).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofHours(2)));
        assertThat(Duration.between(first, clock.instant())).isLessThanOrEqualTo(Duration.ofHours(24));
        assertThat(Duration.between(first, clock.instant())).isGreaterThan(Duration.ofHours(20));
    }

    @Test
    void https_redirect_notFollowed() throws Exception {
        // RPT-HTTP-2 DECISION: 3xx is not followed and counts as failure.
        statuses.add(302);
        statuses.add(201);
        var future = deliverer().build().deliver(daily(), TlsRptRecord.parse("v=TLSRPTv1; rua=" + url("/a")));
        scheduler.runUntil(future);
        assertThat(future.getNow(null)).isInstanceOf(DeliveryResult.Delivered.class);
        assertThat(received).extracting(Received::path).containsExactly("/a", "/a");
    }

    @Test
    void https_untrustedCertificate_failsByDefault() throws Exception {
        // RPT-HTTP-3 DECISION: certificates are validated by default.
        var future = TlsRptDeliverer.builder()
                .clock(clock)
                .scheduler(scheduler)
                .retryWindow(Duration.ofMinutes(1))
                .build()
                .deliver(daily(), TlsRptRecord.parse("v=TLSRPTv1; rua=" + url("/a")));
        scheduler.runUntil(future);
        assertThat(future.getNow(null)).isInstanceOf(DeliveryResult.GaveUp.class);
        assertThat(received).isEmpty();
    }

    @Test
    void multipleRua_anyAcceptsDelivers() throws Exception {
        // RPT-SEND-1: every supported rua is tried; delivered once any accepts; hfields ignored.
        statuses.add(500);
        List<DailyReport> mailed = new CopyOnWriteArrayList<>();
        List<List<String>> rcpts = new CopyOnWriteArrayList<>();
        var future = deliverer()
                .mailer((report, to, gzip) -> {
                    rcpts.add(to);
                    mailed.add(report);
                })
                .build()
                .deliver(
                        daily(),
                        TlsRptRecord.parse("v=TLSRPTv1; rua=" + url("/x") + ",mailto:reports@recv.example?subject=hi"));
        scheduler.runUntil(future);
        assertThat(future.getNow(null)).isInstanceOfSatisfying(DeliveryResult.Delivered.class, d -> {
            assertThat(d.acceptedBy())
                    .singleElement()
                    .satisfies(u -> assertThat(u.getScheme()).isEqualTo("mailto"));
            assertThat(d.attempts()).isEqualTo(1);
            assertThat(d.errors()).singleElement().asString().contains("HTTP 500");
        });
        assertThat(received).hasSize(1); // the failed https endpoint is not retried once mail accepted
        assertThat(rcpts).containsExactly(List.of("reports@recv.example"));
        assertThat(mailed).containsExactly(daily());
    }

    @Test
    void everyRua_getsACopy() throws Exception {
        // RPT-SEND-1: every supported rua is tried, not only the first that accepts.
        List<List<String>> rcpts = new CopyOnWriteArrayList<>();
        var future = deliverer()
                .mailer((report, to, gzip) -> rcpts.add(to))
                .build()
                .deliver(daily(), TlsRptRecord.parse("v=TLSRPTv1; rua=" + url("/a") + ",mailto:r@recv.example"));
        scheduler.runUntil(future);
        assertThat(future.getNow(null))
                .isInstanceOfSatisfying(
                        DeliveryResult.Delivered.class,
                        d -> assertThat(d.acceptedBy()).hasSize(2));
        assertThat(received).hasSize(1);
        assertThat(rcpts).hasSize(1);
    }

    @Test
    void lookup_findsRecordAndDelivers() throws Exception {
        // RPT-TXT-1: the record is looked up at _smtp._tls.<policy domain> (absolute).
        List<String> names = new CopyOnWriteArrayList<>();
        TxtLookup dns = name -> {
            names.add(name);
            return List.of("v=spf1 -all", "v=TLSRPTv1; rua=" + url("/dns"));
        };
        var future = deliverer().build().deliver(daily(), dns);
        scheduler.runUntil(future);
        assertThat(future.getNow(null)).isInstanceOf(DeliveryResult.Delivered.class);
        assertThat(names).containsExactly("_smtp._tls.recv.example");
        assertThat(received).extracting(Received::path).containsExactly("/dns");
    }

    @Test
    void lookup_temporaryFailure_retried() throws Exception {
        // RPT-TXT-7: a temporary DNS error is retried within the RPT-SEND-2 window.
        int[] calls = {0};
        TxtLookup dns = name -> {
            if (calls[0]++ < 2) {
                throw new IOException("SERVFAIL");
            }
            return List.of("v=TLSRPTv1; rua=" + url("/late"));
        };
        var future = deliverer().build().deliver(daily(), dns);
        scheduler.runUntil(future);
        assertThat(future.getNow(null))
                .isInstanceOfSatisfying(
                        DeliveryResult.Delivered.class,
                        d -> assertThat(d.attempts()).isEqualTo(3));
    }

    @Test
    void lookup_noOrSeveralRecords_noReport() throws Exception {
        // RPT-TXT-2, RPT-TXT-7: no record, or more than one candidate, means no report.
        for (List<String> rrset : List.of(
                List.<String>of(),
                List.of("v=TLSRPTv1; rua=mailto:a@x.example", "v=TLSRPTv1; rua=mailto:b@x.example"))) {
            var future = deliverer().build().deliver(daily(), name -> rrset);
            scheduler.runUntil(future);
            assertThat(future.getNow(null)).isInstanceOf(DeliveryResult.NoEndpoint.class);
        }
        var failing = deliverer().retryWindow(Duration.ofMinutes(5)).build().deliver(daily(), name -> {
            throw new IOException("timeout");
        });
        scheduler.runUntil(failing);
        assertThat(failing.getNow(null))
                .isInstanceOfSatisfying(
                        DeliveryResult.GaveUp.class,
                        g -> assertThat(g.errors()).singleElement().asString().contains("timeout"));
    }

    @Test
    void txtLookupOfDnsResolver_mapsOutcomes() throws Exception {
        // RPT-TXT-7: NXDOMAIN/NODATA -> no records; a temporary failure is never "no records".
        java.util.Map<String, dev.mtasts.core.dns.DnsResult<String>> answers = java.util.Map.of(
                "a.example", dev.mtasts.core.dns.DnsResult.records(List.of("v=TLSRPTv1; rua=mailto:x@a.example")),
                "b.example",
                        dev.mtasts.core.dns.DnsResult.noRecords(dev.mtasts.core.dns.DnsResult.NoRecordsKind.NXDOMAIN),
                "c.example",
                        dev.mtasts.core.dns.DnsResult.temporaryFailure(
                                dev.mtasts.core.dns.DnsResult.FailureKind.NETWORK, "timeout"));
        dev.mtasts.core.dns.DnsResolver resolver = new dev.mtasts.core.dns.DnsResolver() {
            @Override
            public java.util.concurrent.CompletionStage<dev.mtasts.core.dns.DnsResult<String>> txtAsync(String name) {
                return java.util.concurrent.CompletableFuture.completedFuture(answers.get(name));
            }

            @Override
            public java.util.concurrent.CompletionStage<dev.mtasts.core.dns.DnsResult<dev.mtasts.core.dns.MxRecord>>
                    mxAsync(String name) {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.util.concurrent.CompletionStage<dev.mtasts.core.dns.DnsResult<InetAddress>> addressesAsync(
                    String name) {
                throw new UnsupportedOperationException();
            }
        };
        TxtLookup lookup = TxtLookup.of(resolver);
        assertThat(lookup.txt("a.example")).containsExactly("v=TLSRPTv1; rua=mailto:x@a.example");
        assertThat(lookup.txt("b.example")).isEmpty();
        assertThatThrownBy(() -> lookup.txt("c.example"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("timeout");
    }

    @Test
    void mailSenderFailure_retried() throws Exception {
        int[] calls = {0};
        var future = deliverer()
                .mailer((report, to, gzip) -> {
                    if (calls[0]++ == 0) {
                        throw new IOException("451 try later");
                    }
                })
                .build()
                .deliver(daily(), TlsRptRecord.parse("v=TLSRPTv1; rua=mailto:reports@recv.example"));
        scheduler.runUntil(future);
        assertThat(future.getNow(null))
                .isInstanceOfSatisfying(
                        DeliveryResult.Delivered.class,
                        d -> assertThat(d.attempts()).isEqualTo(2));
    }

    @Test
    void noDeliverableRua_noEndpoint() {
        // RPT-TXT-5: only mailto and https are delivered to; mailto needs a ReportMailer.
        var future = deliverer().build().deliver(daily(), TlsRptRecord.parse("v=TLSRPTv1; rua=mailto:r@recv.example"));
        assertThat(future.getNow(null)).isInstanceOf(DeliveryResult.NoEndpoint.class);
    }

    @Test
    void builder_validates() {
        assertThatThrownBy(() -> TlsRptDeliverer.builder().build()).hasMessageContaining("Scheduler is required");
        assertThatThrownBy(() -> TlsRptDeliverer.builder().backoff(Duration.ofMinutes(2), Duration.ofMinutes(1)))
                .hasMessageContaining("PT1M");
        assertThatThrownBy(() -> TlsRptDeliverer.builder().connectTimeout(Duration.ZERO))
                .hasMessageContaining("PT0S");
    }
}
