package dev.mtasts.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** RFC 3339 date-times and UTF-8 only (RPT-JSON-1, §4.4, RPT-READ-1). */
final class StrictFormTest {

    private static String json(String start, String end, String sendingIp) {
        return "{\"organization-name\":\"o\",\"date-range\":{\"start-datetime\":\"" + start
                + "\",\"end-datetime\":\"" + end + "\"},\"contact-info\":\"a@sender.example\","
                + "\"report-id\":\"r@sender.example\",\"policies\":[{\"policy\":{\"policy-type\":\"no-policy-found\","
                + "\"policy-domain\":\"recv.example\"},\"summary\":{\"total-successful-session-count\":0,"
                + "\"total-failure-session-count\":1},\"failure-details\":[{\"result-type\":\"starttls-not-supported\","
                + "\"sending-mta-ip\":\"" + sendingIp + "\",\"receiving-mx-hostname\":\"mx.recv.example\","
                + "\"failed-session-count\":1}]}]}";
    }

    private static byte[] bytes(String text, Charset cs) {
        return text.getBytes(cs);
    }

    private static final String OK = json("2026-03-01T00:00:00Z", "2026-03-01T23:59:59Z", "192.0.2.1");

    @Test
    void dateTime_lowercaseTandZ_acceptedInStrictMode() {
        // §4.4, RFC 3339 §5.6 NOTE: "T" and "Z" may be lower case.
        TlsRptReading r = Fixtures.STRICT.read(
                bytes(json("2026-03-01t00:00:00z", "2026-03-01t23:59:59.5z", "192.0.2.1"), StandardCharsets.UTF_8));
        assertThat(r.report().dateRange().start()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void dateTime_withoutSeconds_strictRefusesLenientWarns() {
        // §4.4, RFC 3339 §5.6: time-second is not optional.
        byte[] doc = bytes(json("2026-03-01T00:00Z", "2026-03-01T23:59:59Z", "192.0.2.1"), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Fixtures.STRICT.read(doc)).isInstanceOfSatisfying(ReportFormatException.class, e -> {
            assertThat(e.issue()).isEqualTo(ReportIssue.DATETIME_FORM);
            assertThat(e.location()).isEqualTo("/date-range/start-datetime");
        });
        TlsRptReading r = Fixtures.LENIENT.read(doc);
        assertThat(r.report().dateRange().start()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(Fixtures.issues(r)).containsExactly(ReportIssue.DATETIME_FORM);
    }

    @Test
    void dateTime_rightShapeImpossibleValue_refusedInBothModes() {
        // §4.4: month 13 is no date, whatever the mode (RPT-READ-1 never invents values).
        byte[] doc = bytes(json("2026-13-01T00:00:00Z", "2026-03-01T23:59:59Z", "192.0.2.1"), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Fixtures.LENIENT.read(doc))
                .isInstanceOfSatisfying(
                        ReportFormatException.class, e -> assertThat(e.issue()).isEqualTo(ReportIssue.INVALID_VALUE));
    }

    @Test
    void encoding_utf8Bom_strictRefusesLenientWarns() {
        // RPT-JSON-1, RFC 8259 §8.1: no byte order mark.
        byte[] plain = bytes(OK, StandardCharsets.UTF_8);
        byte[] doc = new byte[plain.length + 3];
        doc[0] = (byte) 0xef;
        doc[1] = (byte) 0xbb;
        doc[2] = (byte) 0xbf;
        System.arraycopy(plain, 0, doc, 3, plain.length);
        assertThatThrownBy(() -> Fixtures.STRICT.read(doc))
                .isInstanceOfSatisfying(
                        ReportFormatException.class, e -> assertThat(e.issue()).isEqualTo(ReportIssue.ENCODING));
        assertThat(Fixtures.issues(Fixtures.LENIENT.read(doc))).containsExactly(ReportIssue.ENCODING);
    }

    @Test
    void encoding_utf16_strictRefusesLenientWarns() {
        // RPT-JSON-1: UTF-8 only; Jackson would silently detect UTF-16LE.
        byte[] doc = bytes(OK, StandardCharsets.UTF_16LE);
        assertThatThrownBy(() -> Fixtures.STRICT.read(doc))
                .isInstanceOfSatisfying(
                        ReportFormatException.class, e -> assertThat(e.issue()).isEqualTo(ReportIssue.ENCODING));
        TlsRptReading r = Fixtures.LENIENT.read(doc);
        assertThat(r.report().organizationName()).isEqualTo("o");
        assertThat(Fixtures.issues(r)).containsExactly(ReportIssue.ENCODING);
    }

    @Test
    void sendingMtaIp_dotColon_invalidIpWarning() {
        // RW-10, RPT-READ-4: ".:" is no IP literal; it is kept verbatim with a warning (and never resolved).
        TlsRptReading r = Fixtures.LENIENT.read(
                bytes(json("2026-03-01T00:00:00Z", "2026-03-01T23:59:59Z", ".:"), StandardCharsets.UTF_8));
        assertThat(r.warnings()).anySatisfy(w -> {
            assertThat(w.issue()).isEqualTo(ReportIssue.INVALID_IP);
            assertThat(w.location()).isEqualTo("/policies/0/failure-details/0/sending-mta-ip");
        });
        assertThat(r.report().policies().get(0).failureDetails().get(0).sendingMtaIp())
                .contains(".:");
    }
}
