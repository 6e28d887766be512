package dev.mtasts.tlsrpt.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtasts.testkit.server.TestClock;
import dev.mtasts.tlsrpt.DailyReport;
import dev.mtasts.tlsrpt.TlsRptReport;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** No caller-supplied value can start a mail header of its own in a composed report message. */
final class MailHeaderInjectionTest {

    private static TlsRptMailComposer composer() {
        return TlsRptMailComposer.builder()
                .from("tlsrpt@sender.example")
                .submitter("sender.example")
                .clock(TestClock.at(Instant.parse("2026-03-02T02:00:00Z")))
                .unsignedForTesting()
                .build();
    }

    @Test
    void compose_reportIdWithCrLf_refused() {
        // RPT-MAIL-4: the report-id goes into the Subject; a CR/LF in it must not reach the header block.
        DailyReport good = Fixtures.dailyReports().get(0);
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
        for (DailyReport d : Fixtures.dailyReports()) {
            String mail = new String(composer().compose(d, List.of("rua@recv.example")), StandardCharsets.US_ASCII);
            String headers = mail.substring(0, mail.indexOf("\r\n\r\n"));
            assertThat(headers).doesNotContainIgnoringCase("bcc:");
            assertThat(headers.replace("\r\n", "")).doesNotContain("\r").doesNotContain("\n");
        }
    }

    @Test
    void builder_refusesControlCharactersInSubmitter() {
        // RPT-MAIL-3: the submitter is an A-label, written into TLS-Report-Submitter and the Subject.
        assertThatThrownBy(() -> TlsRptMailComposer.builder().submitter("sender.example\nBcc: x@y"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("submitter");
    }
}
