package dev.mtasts.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RPT-READ-6 applied per policy, and totals that cannot overflow. */
final class SummaryPerPolicyTest {

    private static TlsRptReading reading(String reportId, String policies) {
        String json = "{\"organization-name\":\"o\",\"date-range\":{\"start-datetime\":\"2026-03-01T00:00:00Z\","
                + "\"end-datetime\":\"2026-03-01T23:59:59Z\"},\"contact-info\":\"a@sender.example\","
                + "\"report-id\":\"" + reportId + "\",\"policies\":[" + policies + "]}";
        return Fixtures.LENIENT.read(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String policy(String type, long ok, long failed) {
        String mx = type.equals("sts") ? ",\"mx-host\":[\"mx.recv.example\"]" : "";
        return "{\"policy\":{\"policy-type\":\"" + type + "\",\"policy-string\":[\"x\"],\"policy-domain\":"
                + "\"recv.example\"" + mx + "},\"summary\":{\"total-successful-session-count\":" + ok
                + ",\"total-failure-session-count\":" + failed + "}}";
    }

    @Test
    void sameSessionsUnderTwoPolicies_countsOfThePolicyWithMostSessions() {
        // RPT-READ-6, RW-8: sts {5 ok, 5 failed} and tlsa {10 ok, 0 failed} describe 10 sessions;
        // mixing the per-field maxima invented 15. Equal sessions: the view with more failures.
        ReportsOverview s = ReportsOverview.of(
                List.of(reading("r@sender.example", policy("sts", 5, 5) + "," + policy("tlsa", 10, 0))));
        assertThat(s.byPolicyDomain()).containsEntry("recv.example", new ReportsOverview.Totals(5, 5));
        ReportsOverview more = ReportsOverview.of(
                List.of(reading("r@sender.example", policy("sts", 5, 5) + "," + policy("tlsa", 12, 0))));
        assertThat(more.byPolicyDomain()).containsEntry("recv.example", new ReportsOverview.Totals(12, 0));
    }

    @Test
    void equalSessions_thePolicyWithMoreFailuresWins() {
        // RPT-READ-6: a tie keeps the more pessimistic of the two views.
        ReportsOverview s = ReportsOverview.of(
                List.of(reading("r@sender.example", policy("tlsa", 10, 0) + "," + policy("sts", 7, 3))));
        assertThat(s.byPolicyDomain()).containsEntry("recv.example", new ReportsOverview.Totals(7, 3));
        ReportsOverview reversed = ReportsOverview.of(
                List.of(reading("r@sender.example", policy("sts", 7, 3) + "," + policy("tlsa", 10, 0))));
        assertThat(reversed.byPolicyDomain()).containsEntry("recv.example", new ReportsOverview.Totals(7, 3));
    }

    @Test
    void totals_saturateInsteadOfOverflowing() {
        // RPT-JSON-1 allows 2^53 per count; 1,100 such reports exceed a long and must not wrap negative.
        List<TlsRptReading> readings = new ArrayList<>();
        for (int i = 0; i < 1100; i++) {
            readings.add(reading("r" + i + "@sender.example", policy("sts", 1L << 53, 1L << 53)));
        }
        ReportsOverview s = ReportsOverview.of(readings);
        ReportsOverview.Totals t = s.byPolicyDomain().getOrDefault("recv.example", ReportsOverview.Totals.ZERO);
        assertThat(t.successfulSessions()).isEqualTo(Long.MAX_VALUE);
        assertThat(t.failedSessions()).isEqualTo(Long.MAX_VALUE);
        assertThat(t.sessions()).isEqualTo(Long.MAX_VALUE);
        assertThat(s.bySendingOrganization())
                .containsEntry("o", new ReportsOverview.Totals(Long.MAX_VALUE, Long.MAX_VALUE));
    }
}
