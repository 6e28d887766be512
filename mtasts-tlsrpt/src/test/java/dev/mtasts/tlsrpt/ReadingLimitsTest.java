package dev.mtasts.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bounded memory per reading: warnings, tree size, array lengths (RPT-JSON-6, RW-21). */
final class ReadingLimitsTest {

    private static byte[] reportWithDetails(int details) {
        StringBuilder sb = new StringBuilder(
                "{\"organization-name\":\"o\",\"date-range\":{\"start-datetime\":\"2026-03-01T00:00:00Z\","
                        + "\"end-datetime\":\"2026-03-01T23:59:59Z\"},\"contact-info\":\"a@sender.example\","
                        + "\"report-id\":\"r@sender.example\",\"policies\":[{\"policy\":{\"policy-type\":"
                        + "\"no-policy-found\",\"policy-domain\":\"recv.example\"},\"summary\":{"
                        + "\"total-successful-session-count\":0,\"total-failure-session-count\":" + details
                        + "},\"failure-details\":[");
        for (int i = 0; i < details; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"result-type\":\"x\",\"failed-session-count\":1}");
        }
        return sb.append("]}]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void manyWarnings_cappedWithOneSummaryWarning() {
        // RPT-JSON-6, RW-21: 5,000 details with an unregistered result-type and no MX/IP give three
        // warnings each (RW-12, RPT-JSON-4); only the first 1,000 are kept, plus one counting the rest.
        TlsRptReading r = Fixtures.LENIENT.read(reportWithDetails(5000));
        List<ReportWarning> w = r.warnings();
        assertThat(w).hasSize(1001);
        assertThat(w.get(1000).issue()).isEqualTo(ReportIssue.WARNINGS_TRUNCATED);
        assertThat(w.get(1000).message()).startsWith("14000 further warnings");
        assertThat(w.subList(0, 1000)).noneMatch(x -> x.issue() == ReportIssue.WARNINGS_TRUNCATED);
        assertThat(w.get(999).location()).startsWith("/policies/0/failure-details/333/");
        assertThat(r.report().policies().get(0).failureDetails()).hasSize(5000);
    }

    @Test
    void tooManyFailureDetails_refusedNamingThePath() {
        // RPT-JSON-6: more entries than the configured cap end with a TOO_LARGE error at the array.
        TlsRptReportReader reader =
                TlsRptReportReader.builder().maxArrayElements(100).build();
        assertThatThrownBy(() -> reader.read(reportWithDetails(101)))
                .isInstanceOfSatisfying(ReportFormatException.class, e -> {
                    assertThat(e.issue()).isEqualTo(ReportIssue.TOO_LARGE);
                    assertThat(e.location()).isEqualTo("/policies/0/failure-details");
                });
        assertThat(reader.read(reportWithDetails(100))
                        .report()
                        .policies()
                        .get(0)
                        .failureDetails())
                .hasSize(100);
    }

    @Test
    void defaultArrayCap_is10000() {
        // RPT-JSON-6: the default cap applies without configuration.
        assertThatThrownBy(() -> Fixtures.LENIENT.read(reportWithDetails(10_001)))
                .isInstanceOfSatisfying(
                        ReportFormatException.class, e -> assertThat(e.issue()).isEqualTo(ReportIssue.TOO_LARGE));
    }

    @Test
    void tooManyTokens_refusedBeforeTheTreeGrows() {
        // RPT-JSON-6, RW-21: the Jackson tree is bounded by a token cap (each detail is 6 tokens).
        TlsRptReportReader reader =
                TlsRptReportReader.builder().maxJsonTokens(5000).build();
        assertThatThrownBy(() -> reader.read(reportWithDetails(1000)))
                .isInstanceOfSatisfying(ReportFormatException.class, e -> {
                    assertThat(e.issue()).isEqualTo(ReportIssue.TOO_LARGE);
                    assertThat(e.getMessage()).containsIgnoringCase("token");
                });
        assertThat(reader.read(reportWithDetails(500))
                        .report()
                        .policies()
                        .get(0)
                        .failureDetails())
                .hasSize(500);
    }

    @Test
    void builder_rejectsSillyLimits() {
        // Builder setters fail fast with the value.
        assertThatThrownBy(() -> TlsRptReportReader.builder().maxJsonTokens(10)).hasMessageContaining("10");
        assertThatThrownBy(() -> TlsRptReportReader.builder().maxArrayElements(0))
                .hasMessageContaining("0");
    }
}
