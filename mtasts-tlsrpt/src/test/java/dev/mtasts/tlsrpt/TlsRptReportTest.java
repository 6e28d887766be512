package dev.mtasts.tlsrpt;

import static dev.mtasts.tlsrpt.Fixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mtasts.core.ResultType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

final class TlsRptReportTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static TlsRptReport sample() {
        FailureDetail d = FailureDetail.builder(ResultType.STARTTLS_NOT_SUPPORTED, 4)
                .sendingMtaIp("192.0.2.1")
                .receivingMxHostname("mx.recv.example")
                .build();
        return TlsRptReport.of(
                "Sender",
                DateRange.ofDay(LocalDate.of(2026, 3, 1)),
                "tlsrpt@sender.example",
                "r1@sender.example",
                List.of(
                        PolicyEntry.of(
                                ReportedPolicy.sts(
                                        "recv.example", List.of("version: STSv1"), List.of("mx.recv.example")),
                                PolicySummary.of(10, 4),
                                List.of(d)),
                        PolicyEntry.of(
                                ReportedPolicy.tlsa("mx.recv.example", List.of("3 1 1 AB")),
                                PolicySummary.of(1, 0),
                                List.of()),
                        PolicyEntry.of(
                                ReportedPolicy.noPolicyFound("other.example"), PolicySummary.of(2, 0), List.of())));
    }

    @Test
    void toJson_canonicalShape() throws IOException {
        // RPT-JSON-5: arrays, mx-host only for sts, failure-details always, optionals omitted, Z times.
        JsonNode json = MAPPER.readTree(sample().toJson());
        assertThat(json.get("date-range").get("start-datetime").asText()).isEqualTo("2026-03-01T00:00:00Z");
        assertThat(json.get("date-range").get("end-datetime").asText()).isEqualTo("2026-03-01T23:59:59Z");
        JsonNode sts = json.get("policies").get(0);
        assertThat(sts.get("policy").get("mx-host").isArray()).isTrue();
        assertThat(sts.get("policy").get("policy-string").isArray()).isTrue();
        JsonNode detail = sts.get("failure-details").get(0);
        assertThat(detail.has("receiving-ip")).isFalse();
        assertThat(detail.has("receiving-mx-helo")).isFalse();
        assertThat(detail.toString()).doesNotContain("null");
        JsonNode tlsa = json.get("policies").get(1);
        assertThat(tlsa.get("policy").has("mx-host")).isFalse();
        assertThat(tlsa.get("failure-details").isArray()).isTrue();
        assertThat(tlsa.get("failure-details").size()).isZero();
        JsonNode none = json.get("policies").get(2);
        assertThat(none.get("policy").has("policy-string")).isFalse();
    }

    @Test
    void toJson_strictReadBack_equal() {
        // RPT-JSON-7: parse(serialize(r)) = r, and our own output is strictly valid.
        TlsRptReport report = sample();
        TlsRptReading back = Fixtures.STRICT.read(report.toJson());
        assertThat(back.report()).isEqualTo(report);
        assertThat(Fixtures.STRICT.read(report.toGzip()).report()).isEqualTo(report);
    }

    @Test
    void toGzip_isGzipOfJson() throws IOException {
        // §5.2: application/tlsrpt+gzip is the gzip of the JSON.
        TlsRptReport report = sample();
        byte[] gz = report.toGzip();
        assertThat(gz[0]).isEqualTo((byte) 0x1f);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            assertThat(in.readAllBytes()).isEqualTo(report.toJson());
        }
    }

    @Test
    void roundTrip_property() {
        // RPT-JSON-7: model -> JSON -> model is the identity, for arbitrary canonical reports.
        qt().withExamples(500).forAll(longs().all()).checkAssert(seed -> {
            TlsRptReport report = ReportGen.report(seed);
            assertThat(Fixtures.LENIENT.read(report.toJson()).report()).isEqualTo(report);
        });
    }

    @Test
    void roundTrip_unknownMembersPreserved() {
        // RPT-JSON-3: unknown members survive a round trip as raw JSON.
        TlsRptReading r = Fixtures.lenient("rw12-unknown-types.json");
        TlsRptReport withoutUnknownTypes = new TlsRptReport(
                r.report().organizationName(),
                r.report().dateRange(),
                r.report().contactInfo(),
                r.report().reportId(),
                List.of(),
                r.report().extensions());
        assertThat(Fixtures.LENIENT.read(withoutUnknownTypes.toJson()).report()).isEqualTo(withoutUnknownTypes);
    }

    @Test
    void toJson_unregisteredTypes_refused() {
        // RPT-TYPE-2: serializers emit registered values only.
        TlsRptReport unknownResult = Fixtures.lenient("rw12-unknown-types.json").report();
        assertThatThrownBy(unknownResult::toJson)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("quantum");
        TlsRptReport nullContact = Fixtures.lenient("rw04-null-and-empty.json").report();
        assertThatThrownBy(nullContact::toJson).hasMessageContaining("contact-info");
    }

    @Test
    void toJson_mxHostOnTlsa_refused() {
        // RPT-JSON-5: mx-host only for sts.
        ReportedPolicy bad = new ReportedPolicy(
                PolicyType.TLSA, List.of("3 1 1 AB"), Optional.of("mx.example"), List.of("mx.example"), Map.of());
        TlsRptReport report = TlsRptReport.of(
                "o",
                DateRange.ofDay(LocalDate.of(2026, 1, 1)),
                "a@b",
                "id",
                List.of(PolicyEntry.of(bad, PolicySummary.of(0, 0), List.of())));
        assertThatThrownBy(report::toJson).hasMessageContaining("mx-host");
    }

    @Test
    void values_rejectNegativeCounts() {
        assertThatThrownBy(() -> PolicySummary.of(-1, 0)).hasMessageContaining("-1");
        assertThatThrownBy(() ->
                        FailureDetail.builder(ResultType.DANE_REQUIRED, -2).build())
                .hasMessageContaining("-2");
        assertThat(new PolicySummary(OptionalLong.empty(), OptionalLong.of(1), Map.of()).totalSuccessfulSessionCount())
                .isEmpty();
    }

    @Test
    void dateRange_oneUtcDay() {
        // RPT-DAY-2 / RPT-DAY-4.
        DateRange day = DateRange.ofDay(LocalDate.of(2026, 3, 1));
        assertThat(day.isOneUtcDay()).isTrue();
        assertThat(new DateRange(day.start(), day.start().plusSeconds(86_400), Map.of()).isOneUtcDay())
                .isTrue();
        assertThat(new DateRange(day.start(), day.start().plusSeconds(86_401), Map.of()).isOneUtcDay())
                .isFalse();
        assertThat(new DateRange(day.start().plusSeconds(1), day.end(), Map.of()).isOneUtcDay())
                .isFalse();
        assertThat(day.day()).isEqualTo(LocalDate.of(2026, 3, 1));
        assertThat(day.end()).isEqualTo(Instant.parse("2026-03-01T23:59:59Z"));
    }

    @Test
    void types_knownAndRaw() {
        assertThat(PolicyType.of("sts")).isSameAs(PolicyType.STS);
        assertThat(PolicyType.of("x").isRegistered()).isFalse();
        assertThat(PolicyType.TLSA).hasToString("tlsa");
        assertThat(ResultTypeValue.of(ResultType.TLSA_INVALID).registered()).contains(ResultType.TLSA_INVALID);
        assertThat(ResultTypeValue.of("sts-policy-fetch-error").involvesNoMx()).isTrue();
        // RPT-JSON-4 exemption extended to sts-webpki-invalid by the lead: policy host, no MX involved.
        assertThat(ResultTypeValue.of("sts-webpki-invalid").involvesNoMx()).isTrue();
        assertThat(ResultTypeValue.of("tlsa-invalid").involvesNoMx()).isFalse();
        assertThat(ResultTypeValue.of("x")).hasToString("x");
    }

    @Test
    void contactDomain_lastAt() {
        assertThat(Fixtures.lenient("canonical.json").report().contactDomain()).contains("sender.example");
        assertThat(Fixtures.lenient("rw04-null-and-empty.json").report().contactDomain())
                .isEmpty();
    }

    @Test
    void reader_neverCrashes_onMutatedInput() {
        // §7: untrusted input yields a reading or a ReportFormatException, never anything else.
        byte[] canonical = bytes("canonical.json");
        byte[] gz = bytes("canonical-fname.json.gz");
        qt().withExamples(2000).forAll(longs().all()).checkAssert(seed -> {
            java.util.Random r = new java.util.Random(seed);
            byte[] base = (r.nextBoolean() ? canonical : gz).clone();
            int flips = 1 + r.nextInt(4);
            for (int i = 0; i < flips; i++) {
                base[r.nextInt(base.length)] = (byte) r.nextInt(256);
            }
            byte[] input = r.nextInt(4) == 0 ? java.util.Arrays.copyOf(base, r.nextInt(base.length)) : base;
            for (TlsRptReportReader reader : List.of(Fixtures.LENIENT, Fixtures.STRICT)) {
                try {
                    assertThat(reader.read(input).report()).isNotNull();
                } catch (ReportFormatException expected) {
                    assertThat(expected.location()).isNotNull();
                }
            }
        });
    }

    @Test
    void reader_neverCrashes_onArbitraryBytes() {
        qt().withExamples(1000)
                .forAll(org.quicktheories.generators.Generate.byteArrays(
                        org.quicktheories.generators.SourceDSL.integers().between(0, 64),
                        org.quicktheories.generators.Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) '{')))
                .checkAssert(input -> {
                    try {
                        Fixtures.LENIENT.read(input);
                    } catch (ReportFormatException expected) {
                        assertThat(expected.issue()).isNotNull();
                    }
                });
    }
}
