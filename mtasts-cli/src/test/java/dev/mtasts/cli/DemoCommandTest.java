package dev.mtasts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.core.ResultType;
import dev.mtasts.core.resolve.MxDecision;
import dev.mtasts.core.tls.TlsSessionOutcome;
import dev.mtasts.testkit.server.SmtpSession;
import dev.mtasts.tlsrpt.DailyAggregate;
import dev.mtasts.tlsrpt.FailureDetail;
import dev.mtasts.tlsrpt.PolicyEntry;
import dev.mtasts.tlsrpt.ResultTypeValue;
import dev.mtasts.tlsrpt.TlsRptReport;
import dev.mtasts.tlsrpt.TlsRptReportReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@code mtasts demo} in-process: the command's output, and its sender against the demo world's servers. */
final class DemoCommandTest {
    private static final StringWriter OUT = new StringWriter();
    private static final StringWriter ERR = new StringWriter();
    private static int status;
    private static Duration took = Duration.ZERO;

    @BeforeAll
    static void runDemo() {
        long start = System.nanoTime();
        status = Main.run(new String[] {"demo"}, new PrintWriter(OUT, true), new PrintWriter(ERR, true));
        took = Duration.ofNanos(System.nanoTime() - start);
    }

    /** The output from the line starting with {@code from} up to the one starting with {@code to}. */
    private static String section(String from, String to) {
        return between(OUT.toString(), from, to);
    }

    private static String between(String text, String from, String to) {
        int start = text.indexOf(from);
        assertThat(start).as("'%s' in:%n%s", from, OUT).isNotNegative();
        int end = text.indexOf(to, start);
        assertThat(end).as("'%s' after '%s' in:%n%s", to, from, OUT).isGreaterThan(start);
        return text.substring(start, end);
    }

    @Test
    void demo_runsToTheEndWithoutComplaint() {
        assertThat(ERR.toString()).isEmpty();
        assertThat(status).as(OUT.toString()).isZero();
        assertThat(OUT.toString()).contains("Done in ").doesNotContain("Exception");
        // The 10 s goal is measured on the jar; in-process, under a loaded build, only a loose bound.
        assertThat(took).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void check_goodIsClean_brokenAndTestingHaveErrors() {
        // The three verdicts a domain owner would get from `mtasts check`.
        String check = section("1. Check", "2. Resolve") + "END";
        assertThat(between(check, "  good.example", "  broken.example")).contains("OK       0 errors, 0 warnings");
        String broken = between(check, "  broken.example", "  testing.example");
        assertThat(broken).contains("ERRORS");
        assertThat(broken).contains("E sts.mx.coverage"); // RFC 8461 §4.1: the MX matches no pattern (enforce)
        assertThat(broken).contains("W sts.policy.max_age"); // RFC 8461 §3.2: max_age 3600 is too short
        assertThat(broken).contains("W sts.host.cert"); // RFC 8461 §3.3: the policy host certificate expires soon
        assertThat(broken).contains("W cross.no-tlsrpt"); // RFC 8460 §3: enforce, and nobody hears of failures
        String testing = between(check, "  testing.example", "END");
        assertThat(testing).contains("ERRORS");
        assertThat(testing).contains("E sts.mx.cert"); // RFC 8461 §4.2: the MX certificate names another host
    }

    @Test
    void resolve_decisionPerMx() {
        String resolve = section("2. Resolve", "3. Deliver");
        // RFC 8461 §5: enforce requires validated TLS, testing only reports, an MX outside the policy is skipped
        assertThat(resolve)
                .contains("mode enforce, mx mx.good.example, max_age 604800")
                .contains("MX mx.good.example      REQUIRE_VALIDATED_TLS")
                .contains("mode enforce, mx mail.broken.example, max_age 3600")
                .contains("MX mx.broken.example    SKIP")
                .contains("mode testing, mx mx.testing.example, max_age 604800")
                .contains("MX mx.testing.example   REPORT_ONLY");
    }

    @Test
    void deliver_goodDelivered_brokenRefused_testingDeliveredAndRecorded() {
        String deliver = section("3. Deliver", "4. Report");
        assertThat(deliver)
                .contains("good.example     DELIVERED to mx.good.example over validated TLS")
                .contains("broken.example   REFUSED")
                .contains("testing.example  DELIVERED to mx.testing.example (mode testing), TLS failure recorded:"
                        + " certificate-host-mismatch");
        String counted = section("4. Report", "  The report");
        assertThat(counted)
                .contains("good.example     1 successful, 0 failed")
                .contains("broken.example   0 successful, 1 failed: 1 x validation-failure (sts-mx-not-in-policy)")
                .contains("testing.example  0 successful, 1 failed: 1 x certificate-host-mismatch");
    }

    @Test
    void report_theTestingDomainsReportIsAValidReportOfItsFailure() throws Exception {
        String out = OUT.toString();
        String json = out.substring(out.indexOf('{', out.indexOf("  The report")), out.lastIndexOf('}') + 1);
        // RFC 8460 §4.4: read back strictly, it is a report of one failed session for testing.example
        TlsRptReport report = TlsRptReportReader.builder()
                .build()
                .read(json.getBytes(StandardCharsets.UTF_8))
                .report();
        assertThat(report.policies()).hasSize(1);
        PolicyEntry entry = report.policies().get(0);
        assertThat(entry.policy().policyDomain()).contains(DemoWorld.TESTING);
        assertThat(entry.policy().type().token()).isEqualTo("sts");
        assertThat(entry.summary().totalSuccessfulSessionCount()).hasValue(0L);
        assertThat(entry.summary().totalFailureSessionCount()).hasValue(1L);
        assertThat(entry.failureDetails()).singleElement().satisfies(d -> {
            assertThat(d.resultType()).isEqualTo(ResultTypeValue.of(ResultType.CERTIFICATE_HOST_MISMATCH));
            assertThat(d.receivingMxHostname()).contains("mx." + DemoWorld.TESTING);
        });
        assertThat(entry.failureDetails())
                .extracting(FailureDetail::failedSessionCount)
                .containsExactly(1L);
    }

    /** The demo's sender against the demo's world, asserting what the servers saw. */
    @Nested
    final class Sender {
        private final DemoWorld world = DemoWorld.start(Instant.now());
        private final DemoSender sender = new DemoSender(world.servers());

        @AfterEach
        void tearDown() {
            sender.close();
            world.close();
        }

        @Test
        void enforce_deliveredOverTlsWithTheMxNameAsSni() throws Exception {
            // RFC 8461 §4.2, §5: enforce, validated TLS; SNI carries the MX name
            DemoSender.Outcome outcome = sender.send(DemoWorld.GOOD);

            assertThat(outcome.kind()).isEqualTo(DemoSender.Outcome.Kind.DELIVERED);
            assertThat(outcome.decision()).isEqualTo(MxDecision.REQUIRE_VALIDATED_TLS);
            assertThat(outcome.tls()).contains(TlsSessionOutcome.success());
            SmtpSession session = world.mx(DemoWorld.GOOD).takeSession();
            assertThat(session.tlsUsed()).isTrue();
            assertThat(session.sniReceived()).contains("mx." + DemoWorld.GOOD);
            assertThat(session.transactions()).singleElement().satisfies(t -> {
                assertThat(t.tls()).isTrue();
                assertThat(t.recipients()).containsExactly("postmaster@" + DemoWorld.GOOD);
            });
        }

        @Test
        void enforce_mxNotInPolicy_refusedAndNeverDialled() throws Exception {
            // RFC 8461 §4.1, §5: an MX outside the enforced policy must not be used
            DemoSender.Outcome outcome = sender.send(DemoWorld.BROKEN);

            assertThat(outcome.kind()).isEqualTo(DemoSender.Outcome.Kind.REFUSED);
            assertThat(outcome.decision()).isEqualTo(MxDecision.SKIP);
            assertThat(world.mx(DemoWorld.BROKEN).connectionCount()).isZero();
        }

        @Test
        void testing_badCertificate_deliveredOnTheReportedConnection() throws Exception {
            // RFC 8461 §5: mode testing delivers anyway; RFC 8460 §4.3.2: the mismatch is counted
            DemoSender.Outcome outcome = sender.send(DemoWorld.TESTING);

            assertThat(outcome.kind()).isEqualTo(DemoSender.Outcome.Kind.DELIVERED);
            assertThat(outcome.decision()).isEqualTo(MxDecision.REPORT_ONLY);
            assertThat(outcome.tls())
                    .get()
                    .isInstanceOfSatisfying(
                            TlsSessionOutcome.Failed.class,
                            f -> assertThat(f.resultType()).isEqualTo(ResultType.CERTIFICATE_HOST_MISMATCH));
            assertThat(world.mx(DemoWorld.TESTING).connectionCount()).isEqualTo(1);
            assertThat(world.mx(DemoWorld.TESTING).takeSession().messageText()).isPresent();
            List<DailyAggregate> counted = sender.recorder().snapshot();
            assertThat(counted).singleElement().satisfies(a -> {
                assertThat(a.policy().policyDomain()).isEqualTo(DemoWorld.TESTING);
                assertThat(a.failedSessions()).isEqualTo(1);
                assertThat(a.successfulSessions()).isZero();
            });
        }
    }
}
