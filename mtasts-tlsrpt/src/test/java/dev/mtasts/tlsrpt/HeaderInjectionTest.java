package dev.mtasts.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** No caller-supplied value can start a mail header of its own (review item 1). */
final class HeaderInjectionTest {
    private static final String EVIL = "victim.example\r\nBcc: spy@evil.example";

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
    void builder_refusesControlCharactersInContactInfo() {
        // RPT-MAIL-2, RPT-MAIL-3: the contact-info domain is an A-label.
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
