package dev.mtasts.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Counts that are huge, tiny or fractional in exponent form (RPT-JSON-1, RPT-JSON-6, RPT-READ-4). */
final class CountLimitsTest {

    static byte[] reportWithCount(String count) {
        String json = "{\"organization-name\":\"o\",\"date-range\":{\"start-datetime\":\"2026-03-01T00:00:00Z\","
                + "\"end-datetime\":\"2026-03-01T23:59:59Z\"},\"contact-info\":\"a@sender.example\","
                + "\"report-id\":\"r@sender.example\",\"policies\":[{\"policy\":{\"policy-type\":\"no-policy-found\","
                + "\"policy-domain\":\"recv.example\"},\"summary\":{\"total-successful-session-count\":" + count
                + ",\"total-failure-session-count\":0}}]}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static ReportFormatException refused(String count) {
        return assertTimeoutPreemptively(Duration.ofSeconds(1), () -> {
            try {
                Fixtures.LENIENT.read(reportWithCount(count));
            } catch (ReportFormatException e) {
                return e;
            }
            throw new AssertionError("accepted count " + count);
        });
    }

    @Test
    void count_hugeExponent_refusedFastWithShortMessage() {
        // RPT-JSON-1 (≤ 2^53), RPT-JSON-6/RPT-READ-4: an 11-byte number must not cost seconds or megabytes.
        ReportFormatException e = refused("1e9999999");
        assertThat(e.issue()).isEqualTo(ReportIssue.INVALID_VALUE);
        assertThat(e.getMessage()).contains("2^53").hasSizeLessThan(300);
        assertThat(e.location()).isEqualTo("/policies/0/summary/total-successful-session-count");
    }

    @Test
    void count_tinyExponent_refusedFastAsNotInteger() {
        // RPT-JSON-1: 1e-9999999 is a fraction; deciding so must stay cheap (RPT-READ-4).
        ReportFormatException e = refused("1e-9999999");
        assertThat(e.getMessage()).contains("not an integer").hasSizeLessThan(300);
    }

    @Test
    void count_negativeHugeExponent_refused() {
        // RW-22: negatives never, whatever their form.
        assertThat(refused("-1e9999999").getMessage()).contains("negative").hasSizeLessThan(300);
    }

    @Test
    void count_integralExponentForm_lenientWarning() {
        // RW-22: 1.5e3 is the integer 1500, tolerated with a warning; strict refuses it.
        TlsRptReading r = Fixtures.LENIENT.read(reportWithCount("1.5e3"));
        assertThat(r.report().policies().get(0).summary().totalSuccessfulSessionCount())
                .hasValue(1500);
        assertThat(Fixtures.issues(r)).contains(ReportIssue.NON_INTEGER_COUNT);
        assertThatThrownBy(() -> Fixtures.STRICT.read(reportWithCount("1.5e3")))
                .isInstanceOf(ReportFormatException.class);
    }

    @Test
    void count_exactly2pow53_acceptedAbove_refused() {
        // RPT-JSON-1: I-JSON integer range, also in exponent form.
        assertThat(Fixtures.LENIENT
                        .read(reportWithCount("9007199254740992"))
                        .report()
                        .policies()
                        .get(0)
                        .summary()
                        .totalSuccessfulSessionCount())
                .hasValue(9007199254740992L);
        assertThat(refused("9.007199254740993e15").getMessage()).contains("2^53");
    }
}
