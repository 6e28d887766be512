package dev.mtasts.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtasts.testkit.server.TestClock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** No caller-supplied value can start a mail header of its own (review item 1). */
final class HeaderInjectionTest {
    private static final String EVIL = "victim.example\r\nBcc: spy@evil.example";

    private static TlsRptMailComposer composer() {
        return TlsRptMailComposer.builder()
                .from("tlsrpt@sender.example")
                .submitter("sender.example")
                .clock(TestClock.at(Instant.parse("2026-03-02T02:00:00Z")))
                .unsignedForTesting()
                .build();
    }

    @Test
    void reportingPolicy_domainWithCrLf_refusedNamingValue() {
        // RPT-MAIL-3, RPT-JSON-5: the policy domain is an LDH A-label, never a header fragment.
        assertThatThrownBy(() -> AppliedPolicy.noPolicyFound(EVIL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("policy domain")
                .hasMessageContaining("victim.example\\u000d\\u000aBcc")
                .hasMessageNotContaining("\r");
        assertThatThrownBy(() -> AppliedPolicy.sts("a b.example", List.of("version: STSv1"), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a b.example");
        assertThatThrownBy(() -> AppliedPolicy.tlsa("mx_1.example", List.of("3 1 1 AB")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mx_1.example");
    }

    @Test
    void reportingPolicy_uLabel_becomesLowerCaseALabel() {
        // RPT-JSON-5: A-labels in reports.
        assertThat(AppliedPolicy.noPolicyFound("Bücher.Example.").policyDomain())
                .isEqualTo("xn--bcher-kva.example");
    }

    @Test
    void dailyReport_constructorRefusesCrLfDomain() {
        // RPT-MAIL-3: the public record is a second way into the headers.
        DailyReport good = DailyReportAssemblerTest.BUILDER
                .assemble(DailyReportAssemblerTest.recordedDay())
                .get(0);
        assertThatThrownBy(() -> new DailyReport(LocalDate.of(2026, 3, 1), EVIL, good.report()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("policyDomain");
    }

    @Test
    void compose_reportIdWithCrLf_refused() {
        // RPT-MAIL-4: the report-id goes into the Subject; a CR/LF in it must not reach the header block.
        DailyReport good = DailyReportAssemblerTest.BUILDER
                .assemble(DailyReportAssemblerTest.recordedDay())
                .get(0);
        TlsRptReport r = good.report();
        TlsRptReport evil = TlsRptReport.of(
                r.organizationName(),
                r.dateRange(),
                r.contactInfo().orElseThrow(),
                "x@y\r\nBcc: spy@evil.example",
                r.policies());
        DailyReport daily = new DailyReport(good.day(), good.policyDomain(), evil);
        assertThatThrownBy(() -> composer().compose(daily, List.of("rua@recv.example")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Subject")
                .hasMessageNotContaining("\n");
    }

    @Test
    void compose_headerBlockNeverHoldsInjectedHeader() {
        // RPT-MAIL-3/4: for valid inputs the composed header block has no Bcc and only CRLF line ends.
        for (DailyReport d : DailyReportAssemblerTest.BUILDER.assemble(DailyReportAssemblerTest.recordedDay())) {
            String mail = new String(composer().compose(d, List.of("rua@recv.example")), StandardCharsets.US_ASCII);
            String headers = mail.substring(0, mail.indexOf("\r\n\r\n"));
            assertThat(headers).doesNotContainIgnoringCase("bcc:");
            assertThat(headers.replace("\r\n", "")).doesNotContain("\r").doesNotContain("\n");
        }
    }

    @Test
    void builders_refuseControlCharactersInSubmitterAndContactInfo() {
        // RPT-MAIL-2, RPT-MAIL-3: submitter and contact-info domain are A-labels.
        assertThatThrownBy(() -> TlsRptMailComposer.builder().submitter("sender.example\nBcc: x@y"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("submitter");
        assertThatThrownBy(() -> DailyReportAssembler.builder().contactInfo("a@sender.example\u0000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("contactInfo");
        DailyReportAssembler b = DailyReportAssembler.builder()
                .organizationName("Org")
                .contactInfo("Reports@Sender.EXAMPLE")
                .build();
        List<DailyReport> reports = b.assemble(DailyReportAssemblerTest.recordedDay());
        // RPT-MAIL-2: the file name's sender is the lower-case contact-info domain.
        assertThat(reports.get(0).filename(true)).startsWith("sender.example!");
    }
}
