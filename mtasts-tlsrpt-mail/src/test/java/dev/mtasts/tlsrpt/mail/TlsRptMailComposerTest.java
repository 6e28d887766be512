package dev.mtasts.tlsrpt.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtasts.testkit.server.TestClock;
import dev.mtasts.tlsrpt.DailyReport;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

final class TlsRptMailComposerTest {

    private static DailyReport daily() {
        return Fixtures.daily();
    }

    private static TlsRptMailComposer.Builder base() {
        return TlsRptMailComposer.builder()
                .from("TLS Reports <tlsrpt@sender.example>")
                .submitter("sender.example")
                .clock(TestClock.at(Instant.parse("2026-03-02T02:00:00Z")));
    }

    @Test
    void compose_parsesBackWithAngus() throws Exception {
        // RPT-MAIL-1..4, RPT-MAIL-6: structure and headers, read back with Jakarta Mail.
        byte[] bytes = base().unsignedForTesting().build().compose(daily(), List.of("reports@recv.example"));
        MimeMessage msg = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes));
        assertThat(msg.getSubject())
                .isEqualTo("Report Domain: recv.example Submitter: sender.example Report-ID: "
                        + "<2026.03.01T00.00.00Z+recv.example@sender.example>");
        assertThat(msg.getHeader("TLS-Report-Domain", null)).isEqualTo("recv.example");
        assertThat(msg.getHeader("TLS-Report-Submitter", null)).isEqualTo("sender.example");
        assertThat(msg.getHeader("TLS-Required", null)).isEqualTo("No");
        assertThat(msg.getHeader("Auto-Submitted", null)).isEqualTo("auto-generated");
        assertThat(msg.getHeader("Message-ID", null)).endsWith("@sender.example>");
        assertThat(msg.getSentDate().toInstant()).isEqualTo(Instant.parse("2026-03-02T02:00:00Z"));
        String rawType = msg.getHeader("Content-Type", null);
        assertThat(rawType).contains("report-type=\"tlsrpt\"");
        assertThat(new ContentType(rawType).getBaseType()).isEqualTo("multipart/report");
        Multipart mp = (Multipart) msg.getContent();
        assertThat(mp.getCount()).isEqualTo(2);
        assertThat(mp.getBodyPart(0).isMimeType("text/plain")).isTrue();
        Part report = mp.getBodyPart(1);
        assertThat(report.isMimeType("application/tlsrpt+gzip")).isTrue();
        assertThat(report.getDisposition()).isEqualTo(Part.ATTACHMENT);
        assertThat(report.getFileName()).isEqualTo("sender.example!recv.example!1772323200!1772409599.json.gz");
        // Our own reader accepts it strictly: every §5.3 rule holds, and the body round-trips.
        MailReadOutcome outcome = Fixtures.STRICT.read(bytes, Fixtures.SIGNED);
        assertThat(outcome)
                .isInstanceOfSatisfying(
                        MailReadOutcome.Report.class,
                        r -> assertThat(r.reading().report()).isEqualTo(daily().report()));
        assertThat(new String(bytes, StandardCharsets.US_ASCII)).doesNotContain("\n\n");
    }

    @Test
    void compose_json_variant() {
        // RPT-MAIL-1: application/tlsrpt+json, .json filename.
        byte[] bytes = base().unsignedForTesting().gzip(false).build().compose(daily(), List.of("r@recv.example"));
        MailReadOutcome outcome = Fixtures.STRICT.read(bytes, Fixtures.SIGNED);
        assertThat(outcome).isInstanceOfSatisfying(MailReadOutcome.Report.class, r -> {
            assertThat(r.reading().mail().orElseThrow().mediaType()).isEqualTo("application/tlsrpt+json");
            assertThat(r.reading().mail().orElseThrow().filename().orElseThrow())
                    .endsWith(".json");
        });
    }

    @Test
    void compose_signerGetsReportHeaders() {
        // RPT-MAIL-5: signer hook called with From, Subject, Date, Message-ID and both TLS-Report-*.
        AtomicReference<List<String>> signed = new AtomicReference<>();
        TlsRptMailComposer composer = base().dkimSigner((message, headers) -> {
                    signed.set(headers);
                    byte[] sig = "DKIM-Signature: v=1; d=sender.example; s=tlsrpt; b=x\r\n"
                            .getBytes(StandardCharsets.US_ASCII);
                    byte[] out = new byte[sig.length + message.length];
                    System.arraycopy(sig, 0, out, 0, sig.length);
                    System.arraycopy(message, 0, out, sig.length, message.length);
                    return out;
                })
                .build();
        byte[] bytes = composer.compose(daily(), List.of("r@recv.example"));
        assertThat(signed.get())
                .containsExactly("From", "Subject", "Date", "Message-ID", "TLS-Report-Domain", "TLS-Report-Submitter");
        assertThat(new String(bytes, StandardCharsets.US_ASCII)).startsWith("DKIM-Signature:");
        assertThat(composer.envelopeFrom()).isEqualTo("tlsrpt@sender.example");
    }

    @Test
    void build_requiresSignerAndAlignedFrom() {
        // RPT-MAIL-5 DECISION: no signer is a configuration error; RPT-MAIL-6: From at the submitter.
        assertThatThrownBy(() -> base().build()).hasMessageContaining("DKIM");
        assertThatThrownBy(() ->
                        base().from("a@other.example").unsignedForTesting().build())
                .hasMessageContaining("other.example");
        assertThatThrownBy(() -> TlsRptMailComposer.builder().from("not an address"))
                .hasMessageContaining("not an address");
        assertThatThrownBy(() -> TlsRptMailComposer.builder().submitter("a@b")).hasMessageContaining("a@b");
    }

    @Test
    void compose_submitterMismatch_rejected() {
        // RPT-MAIL-3: submitter must equal the contact-info domain.
        TlsRptMailComposer composer = TlsRptMailComposer.builder()
                .from("x@mail.sender.example")
                .submitter("mail.sender.example")
                .unsignedForTesting()
                .build();
        assertThatThrownBy(() -> composer.compose(daily(), List.of("r@recv.example")))
                .hasMessageContaining("mail.sender.example");
        assertThatThrownBy(() -> base().unsignedForTesting().build().compose(daily(), List.of()))
                .hasMessageContaining("recipients");
    }
}
