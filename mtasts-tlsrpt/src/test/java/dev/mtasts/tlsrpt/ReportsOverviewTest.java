package dev.mtasts.tlsrpt;

import static dev.mtasts.tlsrpt.Fixtures.lenient;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class ReportsOverviewTest {
    /** What a report e-mail adds to a reading (read by the mail module), here without MIME. */
    private static MailMetadata metadata(Optional<String> tlsReportDomain) {
        return new MailMetadata(
                Optional.empty(),
                Optional.empty(),
                tlsReportDomain,
                Optional.empty(),
                Optional.empty(),
                "application/tlsrpt+json",
                "1");
    }

    @Test
    void stsAndTlsaForSameSessions_notDoubleCounted() {
        // RW-8, RPT-READ-6: the same sessions under sts and tlsa count once (max, not sum).
        ReportsOverview s = ReportsOverview.of(List.of(lenient("rw07-rw08-sts-and-tlsa-json-in-string.json")));
        assertThat(s.byPolicyDomain()).containsEntry("recv.example", new ReportsOverview.Totals(120, 5));
        assertThat(s.failuresByResultType())
                .containsEntry("certificate-expired", 3L)
                .containsEntry("validation-failure", 2L);
        assertThat(s.failuresByReceivingMx())
                .containsEntry("mx1.recv.example", 3L)
                .containsEntry("mx9.backup.recv.example", 2L);
        assertThat(s.failuresBySendingIp()).containsEntry("192.0.2.10", 3L).containsEntry("2001:db8::10", 2L);
        assertThat(s.warnings()).hasSize(1);
    }

    @Test
    void duplicates_countedOnce() {
        // RPT-READ-5: dedupe by (organization-name, report-id).
        TlsRptReading r = lenient("canonical.json");
        TlsRptReading sameAsMailed = new TlsRptReading(r.report(), List.of(), Optional.of(metadata(Optional.empty())));
        ReportsOverview s = ReportsOverview.of(List.of(r, r, sameAsMailed));
        assertThat(s.reports()).isEqualTo(1);
        assertThat(s.duplicates()).isEqualTo(2);
        assertThat(s.byPolicyDomain()).containsEntry("recv.example", new ReportsOverview.Totals(120, 5));
    }

    @Test
    void totals_addAcrossReportsByOrgAndDay() {
        String other = new String(Fixtures.bytes("canonical.json"), StandardCharsets.UTF_8)
                .replace("Example Sender Inc.", "Other Org")
                .replace("2026-03-01T", "2026-03-02T");
        ReportsOverview s = ReportsOverview.of(
                List.of(lenient("canonical.json"), Fixtures.LENIENT.read(other.getBytes(StandardCharsets.UTF_8))));
        assertThat(s.reports()).isEqualTo(2);
        assertThat(s.byPolicyDomain()).containsEntry("recv.example", new ReportsOverview.Totals(240, 10));
        assertThat(s.bySendingOrganization())
                .containsEntry("Example Sender Inc.", new ReportsOverview.Totals(120, 5))
                .containsEntry("Other Org", new ReportsOverview.Totals(120, 5));
        assertThat(s.byDay()).containsOnlyKeys(LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 2));
        assertThat(s.failuresByResultType()).containsEntry("certificate-expired", 6L);
    }

    @Test
    void missingDomainAndCounts_neverInvented() {
        // RW-5, RW-6: no policy-domain -> unknown bucket; missing counts add nothing and are counted.
        String rw06 = new String(Fixtures.bytes("rw06-missing-members.json"), StandardCharsets.UTF_8)
                .replace("_recv.example@sender.example", "_second@sender.example");
        ReportsOverview s = ReportsOverview.of(List.of(
                lenient("rw05-no-policy-domain.json"), Fixtures.LENIENT.read(rw06.getBytes(StandardCharsets.UTF_8))));
        assertThat(s.duplicates()).isZero();
        assertThat(s.byPolicyDomain())
                .containsEntry(ReportsOverview.UNKNOWN_DOMAIN, new ReportsOverview.Totals(4, 0))
                .containsEntry("recv.example", new ReportsOverview.Totals(120, 0));
        assertThat(s.missingCounts()).isEqualTo(1);
    }

    @Test
    void missingDomain_attributedViaMailHeader() {
        // RW-5: TLS-Report-Domain may attribute a report without policy-domain.
        TlsRptReading json = lenient("rw05-no-policy-domain.json");
        TlsRptReading reading =
                new TlsRptReading(json.report(), json.warnings(), Optional.of(metadata(Optional.of("Recv.Example"))));
        ReportsOverview s = ReportsOverview.of(List.of(reading));
        assertThat(s.byPolicyDomain()).containsOnlyKeys("recv.example");
    }
}
