package dev.mtasts.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.core.Mode;
import dev.mtasts.core.ResultType;
import dev.mtasts.core.delivery.DeliveryTls;
import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.core.resolve.MtaSts;
import dev.mtasts.core.time.Scheduler;
import dev.mtasts.core.tls.MxTls;
import dev.mtasts.testkit.MtaStsWorld;
import dev.mtasts.testkit.server.DnsFault;
import dev.mtasts.testkit.server.FakePolicyHost;
import dev.mtasts.testkit.server.PolicyResponse;
import dev.mtasts.testkit.server.RecordedRequest;
import dev.mtasts.testkit.server.SmtpFault;
import dev.mtasts.testkit.server.TestCertificateAuthority;
import dev.mtasts.testkit.server.TestClock;
import dev.mtasts.tlsrpt.DailyAggregate;
import dev.mtasts.tlsrpt.DailyReportAssembler;
import dev.mtasts.tlsrpt.DeliveryResult;
import dev.mtasts.tlsrpt.FailureDetail;
import dev.mtasts.tlsrpt.PolicyEntry;
import dev.mtasts.tlsrpt.ResultTypeValue;
import dev.mtasts.tlsrpt.SessionFailure;
import dev.mtasts.tlsrpt.TlsRptDeliverer;
import dev.mtasts.tlsrpt.TlsRptRecorder;
import dev.mtasts.tlsrpt.TlsRptReport;
import dev.mtasts.tlsrpt.TlsRptReportReader;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sample sender against one loopback world: an enforced domain whose first MX has a certificate
 * for another name, a testing domain with an expired certificate, a {@code none} domain, a domain
 * without a policy, one whose policy host fails, one whose enforced policy names none of its MX
 * hosts, and one whose policy cannot be looked up. The day's TLS reports go to an HTTPS rua.
 */
final class SampleSenderTest {
    private static final String REPORTS_HOST = "reports.example";

    private final TestCertificateAuthority ca = TestCertificateAuthority.create("sample sender CA");
    private final TestClock clock = TestClock.at(Instant.parse("2026-03-01T10:00:00Z"));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private FakePolicyHost reportReceiver;
    private MtaStsWorld world;
    private MtaSts mtaSts;
    private TlsRptRecorder recorder;
    private SampleSender sender;

    @BeforeEach
    void setUp() {
        // The rua's host is 127.0.0.1; the deliverer sends SNI mta-sts.reports.example (docs/testkit.md).
        reportReceiver = new FakePolicyHost(ca)
                .addHost(REPORTS_HOST)
                .dispatcher(request -> PolicyResponse.status(200))
                .start();
        String rua = "https://127.0.0.1:" + reportReceiver.port() + "/tlsrpt";
        world = MtaStsWorld.builder()
                .certificateAuthority(ca)
                .domain(
                        "enforce.example",
                        d -> d.mx(10, "mx1.enforce.example")
                                .mx(20, "mx2.enforce.example")
                                .policy(Mode.ENFORCE)
                                .tlsRpt(rua))
                .domain(
                        "testing.example",
                        d -> d.mx(10, "mx.testing.example").policy(Mode.TESTING).tlsRpt(rua))
                .domain(
                        "none.example",
                        d -> d.mx(10, "mx.none.example").policy(Mode.NONE).tlsRpt(rua))
                .domain("nopolicy.example", d -> d.mx(10, "mx.nopolicy.example").tlsRpt(rua))
                .domain(
                        "fetchfails.example",
                        d -> d.mx(10, "mx.fetchfails.example")
                                .policy(Mode.ENFORCE)
                                .tlsRpt(rua))
                .domain(
                        "strict.example",
                        d -> d.mx(10, "mx.strict.example")
                                .policy(Mode.ENFORCE, "mx.elsewhere.example")
                                .tlsRpt(rua))
                .domain(
                        "down.example",
                        d -> d.mx(10, "mx.down.example").policy(Mode.ENFORCE).tlsRpt(rua))
                .build()
                .start();
        world.smtp("mx1.enforce.example")
                .certificate(ca.issue().dnsNames("other.example").build());
        world.smtp("mx.testing.example")
                .certificate(ca.issue().dnsNames("mx.testing.example").expired().build());
        world.policyHost().respond("fetchfails.example", PolicyResponse.status(500));
        world.dns().fault("_mta-sts.down.example", "TXT", DnsFault.SERVFAIL);

        DnsResolver dns = DnsResolver.dnsjava(world.dnsAddress());
        mtaSts = MtaSts.builder()
                .dns(dns)
                .fetcher(world.policyFetcher(dns).build())
                .clock(clock)
                .build();
        recorder = TlsRptRecorder.builder()
                .clock(clock)
                // The outbound address, for failures counted before any connection (RPT-JSON-4)
                .defaultSendingIp(InetAddress.getLoopbackAddress())
                .build();
        DeliveryTls deliveryTls = DeliveryTls.builder()
                .mxTls(MxTls.builder().pkixTrustManager(world.trustManager()).build())
                .listener(recorder.sessionListener())
                .build();
        SSLParameters sni = world.clientSslContext().getDefaultSSLParameters();
        sni.setServerNames(List.of(new SNIHostName(FakePolicyHost.hostName(REPORTS_HOST))));
        TlsRptDeliverer deliverer = TlsRptDeliverer.builder()
                .clock(clock)
                .scheduler(Scheduler.of(timer))
                .sslContext(world.clientSslContext())
                .sslParameters(sni)
                .maxInitialDelay(Duration.ZERO)
                .totalTimeout(Duration.ofSeconds(20))
                .build();
        DailyReportAssembler assembler = DailyReportAssembler.builder()
                .organizationName("Sample Sender")
                .contactInfo("tlsrpt@sender.example")
                .build();
        sender = new SampleSender(mtaSts, deliveryTls, dns, worldMx(dns), recorder, assembler, deliverer);
    }

    /** The world's MX records, dialled at each fake MX's own port on 127.0.0.1. */
    private MxLookup worldMx(DnsResolver dns) {
        MxLookup real = MxLookup.dns(dns);
        return new MxLookup() {
            @Override
            public List<String> mxHosts(String domain) throws IOException {
                return real.mxHosts(domain);
            }

            @Override
            public List<InetSocketAddress> addresses(String mxHost) {
                return List.of(world.smtp(mxHost).address());
            }
        };
    }

    @AfterEach
    void tearDown() {
        timer.shutdownNow();
        mtaSts.close();
        world.close();
        reportReceiver.close();
    }

    private SendResult send(String domain) throws MessagingException {
        MimeMessage message = new MimeMessage(sender.session());
        message.setFrom(new InternetAddress("alice@sender.example"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress("bob@" + domain));
        message.setSubject("hello " + domain);
        message.setText("MTA-STS sample\r\n");
        return sender.send(message, domain);
    }

    private DailyAggregate recorded(String domain) {
        return recorder.snapshot().stream()
                .filter(a -> a.policy().policyDomain().equals(domain))
                .reduce((a, b) -> {
                    throw new AssertionError("two keys for " + domain + ": " + a + ", " + b);
                })
                .orElseThrow(() -> new AssertionError("nothing recorded for " + domain));
    }

    private static List<ResultType> failureTypes(DailyAggregate aggregate) {
        return aggregate.failures().keySet().stream()
                .map(SessionFailure::resultType)
                .toList();
    }

    @Test
    void enforce_mx1WrongName_deliveredViaMx2_mismatchCounted() throws Exception {
        // RFC 8461 §4.2, §5, STS-APP-1: a certificate for another name fails; the next MX is tried
        assertThat(send("enforce.example")).isEqualTo(new SendResult.Delivered("mx2.enforce.example"));
        assertThat(world.smtp("mx1.enforce.example").sessions())
                .allSatisfy(s -> assertThat(s.message()).isEmpty());
        assertThat(world.smtp("mx2.enforce.example").takeSession().tlsUsed()).isTrue();
        DailyAggregate counted = recorded("enforce.example");
        assertThat(counted.successfulSessions()).isEqualTo(1);
        assertThat(counted.failedSessions()).isEqualTo(1);
        assertThat(counted.failures().keySet()).singleElement().satisfies(f -> {
            assertThat(f.resultType()).isEqualTo(ResultType.CERTIFICATE_HOST_MISMATCH);
            assertThat(f.receivingMxHostname()).contains("mx1.enforce.example");
        });
    }

    @Test
    void enforce_noStartTlsOnMx2_nothingSentInPlaintext_deferred() throws Exception {
        // RFC 8461 §5, STS-APP-2: the session does not require STARTTLS, the attempt does
        world.smtp("mx2.enforce.example").fault(SmtpFault.STARTTLS_NOT_OFFERED);
        assertThat(send("enforce.example")).isInstanceOf(SendResult.Deferred.class);
        assertThat(world.smtp("mx2.enforce.example").takeSession().transactions())
                .isEmpty();
        DailyAggregate counted = recorded("enforce.example");
        assertThat(counted.successfulSessions()).isZero();
        assertThat(failureTypes(counted))
                .containsExactlyInAnyOrder(ResultType.CERTIFICATE_HOST_MISMATCH, ResultType.STARTTLS_NOT_SUPPORTED);
    }

    @Test
    void testing_expiredCertificate_deliveredInOneConnection_failureCounted() throws Exception {
        // RFC 8461 §5, STS-APP-3: testing delivers on the connection it reports
        assertThat(send("testing.example")).isEqualTo(new SendResult.Delivered("mx.testing.example"));
        assertThat(world.smtp("mx.testing.example").connectionCount()).isEqualTo(1);
        assertThat(world.smtp("mx.testing.example").takeSession().messageText()).isPresent();
        DailyAggregate counted = recorded("testing.example");
        assertThat(counted.successfulSessions()).isZero();
        assertThat(failureTypes(counted)).containsExactly(ResultType.CERTIFICATE_EXPIRED);
    }

    @Test
    void noneAndNoPolicy_deliveredOverTls_countedAsNoPolicyFound() throws Exception {
        // RFC 8461 §5 (mode none), RPT-AGG-6: both count under no-policy-found
        for (String domain : List.of("none.example", "nopolicy.example")) {
            assertThat(send(domain)).isEqualTo(new SendResult.Delivered("mx." + domain));
            DailyAggregate counted = recorded(domain);
            assertThat(counted.policy().type().token()).isEqualTo("no-policy-found");
            assertThat(counted.successfulSessions()).isEqualTo(1);
            assertThat(counted.failedSessions()).isZero();
        }
    }

    @Test
    void policyFetchFails_delivered_countedAsStsPolicyFetchError() throws Exception {
        // RFC 8460 §4.3.3, RFC 8461 §5: no usable policy, so deliver as without one, and report the fetch
        assertThat(send("fetchfails.example")).isEqualTo(new SendResult.Delivered("mx.fetchfails.example"));
        DailyAggregate counted = recorded("fetchfails.example");
        assertThat(counted.policy().type().token()).isEqualTo("sts");
        assertThat(counted.policy().policyString()).isEmpty();
        assertThat(failureTypes(counted)).containsExactly(ResultType.STS_POLICY_FETCH_ERROR);
    }

    @Test
    void enforce_noMxInPolicy_deferred_neverDialled_countedOnce() throws Exception {
        // RFC 8461 §4.1, STS-APP-2, STS-OUT-2
        assertThat(send("strict.example")).isInstanceOf(SendResult.Deferred.class);
        assertThat(world.smtp("mx.strict.example").connectionCount()).isZero();
        DailyAggregate counted = recorded("strict.example");
        assertThat(counted.failedSessions()).isEqualTo(1);
        assertThat(failureTypes(counted)).containsExactly(ResultType.VALIDATION_FAILURE);
        assertThat(counted.failures().keySet())
                .singleElement()
                .satisfies(f -> assertThat(f.failureReasonCode()).contains("sts-mx-not-in-policy"));
    }

    @Test
    void policyUnavailable_deferred_neverDialled_notCounted() throws Exception {
        // RFC 8461 §10.2, RFC 8460 §4.3.4: a DNS failure is temporary and reports nothing
        assertThat(send("down.example")).isInstanceOf(SendResult.Deferred.class);
        assertThat(world.smtp("mx.down.example").connectionCount()).isZero();
        assertThat(recorder.snapshot()).isEmpty();
    }

    @Test
    void aDayOfMail_nextDayReportsArePostedToTheHttpsRua() throws Exception {
        // RFC 8460 §4.1, §5.4, RPT-HTTP-1, RPT-DAY-3: one report per policy domain, posted the next day
        for (String domain : world.domains()) {
            send(domain);
        }
        assertThat(sender.sendReports()).isEmpty(); // today is not over
        clock.set(Instant.parse("2026-03-02T02:00:00Z"));
        List<CompletableFuture<DeliveryResult>> posted = sender.sendReports();
        for (CompletableFuture<DeliveryResult> delivery : posted) {
            assertThat(delivery.get(30, TimeUnit.SECONDS)).isInstanceOf(DeliveryResult.Delivered.class);
        }
        Map<String, PolicyEntry> byDomain = new HashMap<>();
        TlsRptReportReader reader = TlsRptReportReader.builder().build();
        for (RecordedRequest request : reportReceiver.requests()) {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.header("Content-Type")).contains("application/tlsrpt+gzip");
            TlsRptReport report = reader.read(request.body()).report();
            assertThat(report.dateRange().start()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
            assertThat(report.policies()).hasSize(1);
            PolicyEntry entry = report.policies().get(0);
            byDomain.put(entry.policy().policyDomain().orElseThrow(), entry);
        }
        assertThat(byDomain)
                .containsOnlyKeys(
                        "enforce.example",
                        "testing.example",
                        "none.example",
                        "nopolicy.example",
                        "fetchfails.example",
                        "strict.example");
        assertEntry(byDomain, "enforce.example", "sts", 1, 1, ResultType.CERTIFICATE_HOST_MISMATCH);
        assertThat(entry(byDomain, "enforce.example").policy().mxHost())
                .containsExactly("mx1.enforce.example", "mx2.enforce.example");
        assertEntry(byDomain, "testing.example", "sts", 0, 1, ResultType.CERTIFICATE_EXPIRED);
        assertEntry(byDomain, "none.example", "no-policy-found", 1, 0, null);
        assertEntry(byDomain, "nopolicy.example", "no-policy-found", 1, 0, null);
        assertEntry(byDomain, "fetchfails.example", "sts", 0, 1, ResultType.STS_POLICY_FETCH_ERROR);
        assertThat(entry(byDomain, "fetchfails.example").policy().policyString())
                .isEmpty();
        assertEntry(byDomain, "strict.example", "sts", 0, 1, ResultType.VALIDATION_FAILURE);
    }

    private static PolicyEntry entry(Map<String, PolicyEntry> byDomain, String domain) {
        PolicyEntry entry = byDomain.get(domain);
        assertThat(entry).as("the report of %s", domain).isNotNull();
        return java.util.Objects.requireNonNull(entry);
    }

    private static void assertEntry(
            Map<String, PolicyEntry> byDomain,
            String domain,
            String type,
            long successes,
            long failures,
            @Nullable ResultType failure) {
        PolicyEntry entry = entry(byDomain, domain);
        assertThat(entry.policy().type().token()).isEqualTo(type);
        assertThat(entry.summary().totalSuccessfulSessionCount()).hasValue(successes);
        assertThat(entry.summary().totalFailureSessionCount()).hasValue(failures);
        if (failures == 0) {
            assertThat(entry.failureDetails()).isEmpty();
        } else {
            assertThat(entry.failureDetails())
                    .extracting(FailureDetail::resultType)
                    .containsExactly(ResultTypeValue.of(java.util.Objects.requireNonNull(failure)));
        }
    }
}
