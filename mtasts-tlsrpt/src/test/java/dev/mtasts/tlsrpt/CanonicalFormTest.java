package dev.mtasts.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mtasts.core.ResultType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The writer and the sender-side values produce canonical JSON whatever the caller passes (item 12). */
final class CanonicalFormTest {
    private static TlsRptReport base() {
        return DailyReportAssemblerTest.BUILDER
                .assemble(DailyReportAssemblerTest.recordedDay())
                .get(0)
                .report();
    }

    private static TlsRptReport withExtensions(Map<String, String> ext) {
        TlsRptReport r = base();
        return new TlsRptReport(r.organizationName(), r.dateRange(), r.contactInfo(), r.reportId(), r.policies(), ext);
    }

    @Test
    void extension_notOneJsonValue_refused() {
        // RPT-JSON-1, RPT-JSON-7: a raw extension must not break the document.
        assertThatThrownBy(() -> withExtensions(Map.of("x-ext", "{\"a\":")).toJson())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x-ext");
        assertThatThrownBy(() ->
                        withExtensions(Map.of("x-ext", "1, \"policies\": []")).toJson())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x-ext");
    }

    @Test
    void extension_knownMemberName_refused() {
        // RPT-JSON-5: a duplicate of a known member (e.g. report-id) would make the report ambiguous.
        assertThatThrownBy(() ->
                        withExtensions(Map.of("report-id", "\"forged@x\"")).toJson())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("report-id");
    }

    @Test
    void extension_validValue_writtenAndReadBack() throws Exception {
        // RPT-JSON-3: unknown members survive, re-serialised compactly.
        byte[] json = withExtensions(Map.of("x-ext", " { \"n\" : 1.50 } ")).toJson();
        var tree = new ObjectMapper().readTree(json);
        assertThat(tree.get("x-ext").get("n").decimalValue()).isEqualByComparingTo("1.50");
        assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"x-ext\":{\"n\":1.5");
    }

    @Test
    void constructors_canonicaliseIpsAndHost() {
        // RPT-JSON-5 (RFC 5952 IPv6, A-label host), RPT-AGG-3: equal endpoints aggregate together.
        MxEndpoint viaRecord = new MxEndpoint(
                Optional.of("2001:DB8:0:0:0:0:0:1"),
                Optional.of("MX.Bücher.example."),
                Optional.empty(),
                Optional.of("::FFFF:192.0.2.1"));
        assertThat(viaRecord.sendingMtaIp()).contains("2001:db8::1");
        assertThat(viaRecord.receivingMxHostname()).contains("mx.xn--bcher-kva.example");
        assertThat(viaRecord)
                .isEqualTo(
                        MxEndpoint.of("2001:db8::1", "mx.xn--bcher-kva.example").withReceivingIp("::ffff:192.0.2.1"));
        SessionFailure f = new SessionFailure(
                ResultType.CERTIFICATE_EXPIRED,
                Optional.of("2001:DB8::0:1"),
                Optional.of("MX.EXAMPLE"),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
        assertThat(f)
                .isEqualTo(
                        SessionFailure.at(ResultType.CERTIFICATE_EXPIRED, MxEndpoint.of("2001:db8::1", "mx.example")));
        assertThatThrownBy(() ->
                        new MxEndpoint(Optional.of("not-an-ip"), Optional.empty(), Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sendingMtaIp")
                .hasMessageContaining("not-an-ip");
    }

    @Test
    void stsMxHost_isALabel() {
        // RPT-JSON-5: mx-host patterns as A-labels, wildcard kept.
        AppliedPolicy p = AppliedPolicy.sts(
                "recv.example", List.of("version: STSv1"), List.of("*.Bücher.example", "MX1.recv.example."));
        assertThat(p.mxHost()).containsExactly("*.xn--bcher-kva.example", "mx1.recv.example");
    }
}
