package dev.mtasts.tlsrpt.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtasts.tlsrpt.ReportFormatException;
import dev.mtasts.tlsrpt.ReportIssue;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Hostile MIME structure must end as a {@link ReportFormatException} (RPT-READ-4, RFC 8460 §7). */
final class MailLimitsTest {

    private static byte[] nestedMultipart(int levels) {
        StringBuilder sb = new StringBuilder("From: a@sender.example\r\nSubject: x\r\nMIME-Version: 1.0\r\n");
        sb.append("Content-Type: multipart/mixed; boundary=\"b0\"\r\n\r\n");
        for (int i = 1; i <= levels; i++) {
            sb.append("--b").append(i - 1).append("\r\n");
            sb.append("Content-Type: multipart/mixed; boundary=\"b").append(i).append("\"\r\n\r\n");
        }
        sb.append("--b").append(levels).append("\r\nContent-Type: text/plain\r\n\r\nhi\r\n");
        for (int i = levels; i >= 0; i--) {
            sb.append("--b").append(i).append("--\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void readMail_5000NestedMultiparts_reportFormatException() {
        // RPT-READ-4, §7: 5,000 levels overflowed the stack before; now a typed error, in both modes.
        byte[] mail = nestedMultipart(5000);
        for (TlsRptMailReader reader : new TlsRptMailReader[] {Fixtures.LENIENT, Fixtures.STRICT}) {
            assertThatThrownBy(() -> reader.read(mail, Fixtures.SIGNED))
                    .isInstanceOf(ReportFormatException.class)
                    .hasMessageContaining("nesting")
                    .extracting(e -> ((ReportFormatException) e).issue())
                    .isEqualTo(ReportIssue.TOO_LARGE);
        }
    }

    @Test
    void readMail_shallowNesting_stillRead() {
        // RPT-READ-1: a few levels (forwarded mail) are fine: the text leaf is found, no report part.
        MailReadOutcome outcome = Fixtures.LENIENT.read(nestedMultipart(5), Fixtures.SIGNED);
        assertThat(outcome).isInstanceOf(MailReadOutcome.NotAReport.class);
    }

    @Test
    void readMail_tooManyParts_reportFormatException() {
        // RPT-READ-4, §7: a report mail has two parts; thousands are refused before any is read.
        StringBuilder sb = new StringBuilder("From: a@sender.example\r\nMIME-Version: 1.0\r\n");
        sb.append("Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n");
        for (int i = 0; i < 5000; i++) {
            sb.append("--b\r\nContent-Type: text/plain\r\n\r\nx\r\n");
        }
        sb.append("--b--\r\n");
        byte[] mail = sb.toString().getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> Fixtures.LENIENT.read(mail, Fixtures.SIGNED))
                .isInstanceOf(ReportFormatException.class)
                .hasMessageContaining("MIME parts");
    }
}
