package dev.mtasts.tlsrpt;

import static dev.mtasts.tlsrpt.Fixtures.bytes;
import static dev.mtasts.tlsrpt.Fixtures.issues;
import static dev.mtasts.tlsrpt.Fixtures.lenient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtasts.core.ResultType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

final class TlsRptReportReaderTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ReportFormatException strictError(String fixture) {
        try {
            Fixtures.STRICT.read(bytes(fixture));
        } catch (ReportFormatException e) {
            return e;
        }
        throw new AssertionError("strict mode accepted " + fixture);
    }

    @Test
    void read_canonicalStrict_allFields() {
        // §4.4: every member of the report is mapped.
        TlsRptReading reading = Fixtures.STRICT.read(bytes("canonical.json"));
        TlsRptReport r = reading.report();
        assertThat(reading.warnings()).isEmpty();
        assertThat(r.organizationName()).isEqualTo("Example Sender Inc.");
        assertThat(r.dateRange().start()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(r.dateRange().end()).isEqualTo(Instant.parse("2026-03-01T23:59:59Z"));
        assertThat(r.contactInfo()).contains("tlsrpt@sender.example");
        assertThat(r.contactDomain()).contains("sender.example");
        assertThat(r.reportId()).isEqualTo("2026-03-01T00:00:00Z_recv.example@sender.example");
        PolicyEntry e = r.policies().get(0);
        assertThat(e.policy().type()).isEqualTo(PolicyType.STS);
        assertThat(e.policy().policyString()).hasSize(5).startsWith("version: STSv1");
        assertThat(e.policy().policyDomain()).contains("recv.example");
        assertThat(e.policy().mxHost()).containsExactly("mx1.recv.example", "*.backup.recv.example");
        assertThat(e.summary().totalSuccessfulSessionCount()).hasValue(120);
        assertThat(e.summary().totalFailureSessionCount()).hasValue(5);
        FailureDetail d0 = e.failureDetails().get(0);
        assertThat(d0.resultType().registered()).contains(ResultType.CERTIFICATE_EXPIRED);
        assertThat(d0.sendingMtaIp()).contains("192.0.2.10");
        assertThat(d0.receivingMxHostname()).contains("mx1.recv.example");
        assertThat(d0.receivingMxHelo()).contains("mx1.recv.example");
        assertThat(d0.receivingIp()).contains("198.51.100.25");
        assertThat(d0.failedSessionCount()).isEqualTo(3);
        FailureDetail d1 = e.failureDetails().get(1);
        assertThat(d1.additionalInformation()).contains("https://sender.example/tlsrpt/info?id=7");
        assertThat(d1.failureReasonCode()).contains("sts-mx-not-in-policy");
        assertThat(d1.receivingMxHelo()).isEmpty();
    }

    @Test
    void read_gzipWithFnameAndMtime_sniffedAndIgnoresHeader() {
        // RW-21, RPT-READ-4: any gzip header, FNAME never used; gzip sniffed by 1f 8b (RW-14).
        TlsRptReading reading = Fixtures.STRICT.read(bytes("canonical-fname.json.gz"));
        assertThat(reading.report()).isEqualTo(lenient("canonical.json").report());
    }

    @Test
    void read_mxHostString_oneElementList() {
        // RW-1: Appendix B prints mx-host as a string (erratum 6241).
        TlsRptReading r = lenient("rw01-mx-host-string.json");
        assertThat(r.report().policies().get(0).policy().mxHost()).containsExactly("mx1.recv.example");
        assertThat(r.warnings()).singleElement().satisfies(w -> {
            assertThat(w.issue()).isEqualTo(ReportIssue.MX_HOST_NOT_ARRAY);
            assertThat(w.location()).isEqualTo("/policies/0/policy/mx-host");
        });
        assertThat(strictError("rw01-mx-host-string.json").location()).isEqualTo("/policies/0/policy/mx-host");
    }

    @Test
    void read_mxHostNotAPattern_keptVerbatim() {
        // §4.4: mx-host holds mx patterns; Stalwart samples carry "mx: host" (kept, flagged).
        String json = new String(bytes("canonical.json"), StandardCharsets.UTF_8)
                .replace("\"mx1.recv.example\",\n", "\"mx: mx1.recv.example\",\n");
        TlsRptReading r = Fixtures.LENIENT.read(utf8(json));
        assertThat(r.report().policies().get(0).policy().mxHost()).contains("mx: mx1.recv.example");
        assertThat(r.warnings()).singleElement().satisfies(w -> {
            assertThat(w.issue()).isEqualTo(ReportIssue.INVALID_VALUE);
            assertThat(w.location()).isEqualTo("/policies/0/policy/mx-host/0");
        });
    }

    @Test
    void read_dateTimeWithoutZone_utc() {
        // RW-2: Microsoft sent local date-times until 2023.
        TlsRptReading r = lenient("rw02-no-timezone.json");
        assertThat(r.report().dateRange().start()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(r.warnings())
                .extracting(ReportWarning::location)
                .containsExactly("/date-range/start-datetime", "/date-range/end-datetime");
        assertThat(strictError("rw02-no-timezone.json").issue()).isEqualTo(ReportIssue.DATETIME_WITHOUT_ZONE);
    }

    @Test
    void read_nextMidnightEnd_oneDayNoWarning() {
        // RPT-DAY-4, RW-3: either end style is one UTC day.
        TlsRptReading r = Fixtures.STRICT.read(bytes("rw03-next-midnight.json"));
        assertThat(r.report().dateRange().isOneUtcDay()).isTrue();
        assertThat(r.report().dateRange().day()).hasToString("2026-03-01");
    }

    @Test
    void read_sevenDayRange_warns() {
        // RPT-DAY-4, RW-3: multi-day ranges are accepted with a warning.
        TlsRptReading r = lenient("rw03-seven-days.json");
        assertThat(issues(r)).containsExactly(ReportIssue.DATE_RANGE);
        assertThat(strictError("rw03-seven-days.json").location()).isEqualTo("/date-range");
    }

    @Test
    void read_reversedRange_warns() {
        // RPT-DAY-4: start must be before end.
        String json = new String(bytes("canonical.json"), StandardCharsets.UTF_8)
                .replace("2026-03-01T23:59:59Z", "2026-02-28T00:00:00Z");
        TlsRptReading r = Fixtures.LENIENT.read(utf8(json));
        assertThat(r.warnings())
                .singleElement()
                .satisfies(w -> assertThat(w.message()).contains("not before"));
    }

    @Test
    void read_nullAndEmpty_absentNeverInvented() {
        // RW-4: null / "" read as absent.
        TlsRptReading r = lenient("rw04-null-and-empty.json");
        assertThat(r.report().contactInfo()).isEmpty();
        FailureDetail d0 = r.report().policies().get(0).failureDetails().get(0);
        FailureDetail d1 = r.report().policies().get(0).failureDetails().get(1);
        assertThat(d0.receivingMxHelo()).isEmpty();
        assertThat(d1.failureReasonCode()).isEmpty();
        assertThat(r.warnings())
                .extracting(ReportWarning::location)
                .contains(
                        "/contact-info",
                        "/policies/0/failure-details/0/receiving-mx-helo",
                        "/policies/0/failure-details/1/failure-reason-code");
        assertThat(strictError("rw04-null-and-empty.json").location()).isEqualTo("/contact-info");
    }

    @Test
    void read_noPolicyDomain_absent() {
        // RW-5: Postfix + sys4 reporter omit policy-domain.
        TlsRptReading r = lenient("rw05-no-policy-domain.json");
        assertThat(r.report().policies().get(0).policy().policyDomain()).isEmpty();
        assertThat(r.warnings()).singleElement().satisfies(w -> {
            assertThat(w.issue()).isEqualTo(ReportIssue.MISSING_REQUIRED);
            assertThat(w.location()).isEqualTo("/policies/0/policy/policy-domain");
        });
    }

    @Test
    void read_missingMembers_emptyListsAbsentCounts() {
        // RW-6: missing policy-string / mx-host / failure-details are empty; a missing count stays absent.
        TlsRptReading r = lenient("rw06-missing-members.json");
        PolicyEntry e = r.report().policies().get(0);
        assertThat(e.policy().policyString()).isEmpty();
        assertThat(e.policy().mxHost()).isEmpty();
        assertThat(e.failureDetails()).isEmpty();
        assertThat(e.summary().totalFailureSessionCount()).isEqualTo(OptionalLong.empty());
        assertThat(e.summary().totalSuccessfulSessionCount()).hasValue(120);
        assertThat(issues(r))
                .containsExactlyInAnyOrder(
                        ReportIssue.MISSING_POLICY_STRING, ReportIssue.MX_HOST_PLACEMENT, ReportIssue.MISSING_REQUIRED);
    }

    @Test
    void read_tlsaJsonInString_unpacked() {
        // RW-7: Microsoft's TLSA policy-string holds a JSON array inside one string.
        TlsRptReading r = lenient("rw07-rw08-sts-and-tlsa-json-in-string.json");
        ReportedPolicy tlsa = r.report().policies().get(1).policy();
        assertThat(tlsa.type()).isEqualTo(PolicyType.TLSA);
        assertThat(tlsa.policyString()).hasSize(2).allSatisfy(s -> assertThat(s).startsWith("3 1 1 "));
        assertThat(r.warnings()).singleElement().satisfies(w -> {
            assertThat(w.issue()).isEqualTo(ReportIssue.TLSA_JSON_IN_STRING);
            assertThat(w.location()).isEqualTo("/policies/1/policy/policy-string/0");
        });
    }

    @Test
    void read_failureTotalMismatch_bothKept() {
        // RW-9: Mail.ru's total differs from the sum of details; keep both, never fix.
        TlsRptReading r = lenient("rw09-failure-total-mismatch.json");
        PolicyEntry e = r.report().policies().get(0);
        assertThat(e.summary().totalFailureSessionCount()).hasValue(1);
        assertThat(e.detailedFailureCount()).isEqualTo(5);
        assertThat(issues(r)).containsExactly(ReportIssue.FAILURE_COUNT_MISMATCH);
        assertThat(strictError("rw09-failure-total-mismatch.json").location())
                .isEqualTo("/policies/0/summary/total-failure-session-count");
    }

    @Test
    void read_fetchErrorWithoutIp_okBadIpKept() {
        // RW-10, RPT-JSON-4: sts-policy-* details need no MX or IP; an unparsable IP is kept verbatim.
        TlsRptReading r = lenient("rw10-no-ip-and-bad-ip.json");
        List<FailureDetail> details = r.report().policies().get(0).failureDetails();
        assertThat(details.get(0).sendingMtaIp()).isEmpty();
        assertThat(details.get(1).sendingMtaIp()).contains("192.0.2.300");
        assertThat(r.warnings()).singleElement().satisfies(w -> {
            assertThat(w.issue()).isEqualTo(ReportIssue.INVALID_IP);
            assertThat(w.location()).isEqualTo("/policies/0/failure-details/1/sending-mta-ip");
        });
    }

    @Test
    void read_mxFailureWithoutIp_strictRequires() {
        // RPT-JSON-4: MX failures need sending-mta-ip and receiving-mx-hostname.
        String json = new String(bytes("canonical.json"), StandardCharsets.UTF_8)
                .replace("\"sending-mta-ip\": \"192.0.2.10\",", "");
        assertThatThrownBy(() -> Fixtures.STRICT.read(utf8(json)))
                .isInstanceOfSatisfying(
                        ReportFormatException.class,
                        e -> assertThat(e.location()).isEqualTo("/policies/0/failure-details/0/sending-mta-ip"));
    }

    @Test
    void read_draftFailureErrorCode_readAsReasonCode() {
        // RW-11: draft-era failure-error-code.
        TlsRptReading r = lenient("rw11-failure-error-code.json");
        assertThat(r.report().policies().get(0).failureDetails().get(1).failureReasonCode())
                .contains("X509_V_ERR_CERT_UNTRUSTED");
        assertThat(issues(r)).containsExactly(ReportIssue.DRAFT_MEMBER);
    }

    @Test
    void read_unknownTypesAndMembers_keptRaw() {
        // RW-12, RPT-JSON-3, RPT-TYPE-2: unknown values and members are kept.
        TlsRptReading r = lenient("rw12-unknown-types.json");
        TlsRptReport report = r.report();
        assertThat(report.policies().get(0).failureDetails().get(0).resultType())
                .isEqualTo(ResultTypeValue.of("quantum-decoherence"));
        assertThat(report.policies().get(0).failureDetails().get(0).resultType().registered())
                .isEmpty();
        assertThat(report.policies().get(1).policy().type().token()).isEqualTo("future-policy");
        assertThat(report.policies().get(1).policy().type().isRegistered()).isFalse();
        assertThat(report.extensions()).containsEntry("x-vendor", "{\"k\":[1,2]}");
        assertThat(issues(r))
                .containsExactlyInAnyOrder(
                        ReportIssue.UNKNOWN_RESULT_TYPE, ReportIssue.UNKNOWN_POLICY_TYPE, ReportIssue.UNKNOWN_MEMBER);
        assertThat(strictError("rw12-unknown-types.json").issue()).isEqualTo(ReportIssue.UNKNOWN_RESULT_TYPE);
    }

    @Test
    void read_freeFormValues_verbatim() {
        // RW-13: free-form report-id, non-URI additional-information and long reasons verbatim.
        TlsRptReading r = lenient("rw13-free-form.json");
        assertThat(r.report().reportId()).isEqualTo("just some text, not an id");
        FailureDetail d = r.report().policies().get(0).failureDetails().get(1);
        assertThat(d.additionalInformation()).contains("see the dashboard ? id = 5 # x");
        assertThat(d.failureReasonCode().orElseThrow()).hasSizeGreaterThan(200);
        assertThat(issues(r)).containsExactly(ReportIssue.INVALID_URI);
    }

    @Test
    void read_countsAsStringAndFloat_lenientOnly() {
        // RW-22: "120" and 3.0 accepted with warnings.
        TlsRptReading r = lenient("rw22-count-forms.json");
        assertThat(r.report().policies().get(0).summary().totalSuccessfulSessionCount())
                .hasValue(120);
        assertThat(r.report().policies().get(0).failureDetails().get(0).failedSessionCount())
                .isEqualTo(3);
        assertThat(issues(r)).containsExactly(ReportIssue.NON_INTEGER_COUNT, ReportIssue.NON_INTEGER_COUNT);
        assertThat(strictError("rw22-count-forms.json").issue()).isEqualTo(ReportIssue.NON_INTEGER_COUNT);
    }

    @Test
    void read_negativeOrFractionalCount_errorInBothModes() {
        // RW-22: negatives never; RPT-JSON-1: integers only, at most 2^53.
        String canonical = new String(bytes("canonical.json"), StandardCharsets.UTF_8);
        for (String bad : List.of("-1", "2.5", "9007199254740993", "true")) {
            byte[] json = utf8(canonical.replace("\"failed-session-count\": 3", "\"failed-session-count\": " + bad));
            assertThatThrownBy(() -> Fixtures.LENIENT.read(json))
                    .as(bad)
                    .isInstanceOfSatisfying(
                            ReportFormatException.class,
                            e -> assertThat(e.location())
                                    .isEqualTo("/policies/0/failure-details/0/failed-session-count"));
        }
    }

    @Test
    void read_duplicateMember_rejectedInLenient() {
        // RPT-JSON-1 DECISION: duplicate names rejected in both modes (I-JSON).
        byte[] json = utf8("{\"organization-name\":\"a\",\"organization-name\":\"b\"}");
        assertThatThrownBy(() -> Fixtures.LENIENT.read(json))
                .isInstanceOfSatisfying(
                        ReportFormatException.class, e -> assertThat(e.issue()).isEqualTo(ReportIssue.MALFORMED_JSON));
    }

    @Test
    void read_missingRequired_namesPointer() {
        // §4.4: organization-name, report-id, date-range and policies are required in every mode.
        String canonical = new String(bytes("canonical.json"), StandardCharsets.UTF_8);
        byte[] json = utf8(canonical.replace("\"report-id\"", "\"report-idx\""));
        assertThatThrownBy(() -> Fixtures.LENIENT.read(json)).isInstanceOfSatisfying(ReportFormatException.class, e -> {
            assertThat(e.issue()).isEqualTo(ReportIssue.MISSING_REQUIRED);
            assertThat(e.location()).isEqualTo("/report-id");
            assertThat(e.getMessage()).contains("/report-id");
        });
    }

    @Test
    void read_missingReasonCode_shouldWarning() {
        // RPT-TYPE-1, §4.3.1: validation-failure SHOULD carry failure-reason-code.
        String canonical = new String(bytes("canonical.json"), StandardCharsets.UTF_8);
        byte[] json = utf8(canonical.replace(",\n          \"failure-reason-code\": \"sts-mx-not-in-policy\"", ""));
        TlsRptReading r = Fixtures.LENIENT.read(json);
        assertThat(issues(r)).containsExactly(ReportIssue.MISSING_REASON_CODE);
    }

    @Test
    void read_policiesObject_wrapped() {
        // RPT-JSON-5: policies is an array even for one; an object is tolerated.
        String canonical = new String(bytes("canonical.json"), StandardCharsets.UTF_8);
        String json = canonical.replace("\"policies\": [", "\"policies\": ").replaceFirst("\\]\\s*}\\s*$", "}\n");
        TlsRptReading r = Fixtures.LENIENT.read(utf8(json));
        assertThat(r.report().policies()).hasSize(1);
        assertThat(issues(r)).containsExactly(ReportIssue.POLICIES_NOT_ARRAY);
    }

    @Test
    void read_notJson_typedError() {
        // RW-14: sniffing; zip unsupported.
        assertThatThrownBy(() -> Fixtures.LENIENT.read(utf8("hello")))
                .isInstanceOfSatisfying(
                        ReportFormatException.class,
                        e -> assertThat(e.issue()).isEqualTo(ReportIssue.UNSUPPORTED_CONTENT));
        assertThatThrownBy(() -> Fixtures.LENIENT.read(new byte[] {'P', 'K', 3, 4, 0}))
                .hasMessageContaining("zip");
        assertThatThrownBy(() -> Fixtures.LENIENT.read(utf8("{\"a\": ")))
                .isInstanceOfSatisfying(
                        ReportFormatException.class, e -> assertThat(e.issue()).isEqualTo(ReportIssue.MALFORMED_JSON));
        assertThatThrownBy(() -> Fixtures.LENIENT.read(new byte[] {0x1f, (byte) 0x8b, 8, 0}))
                .isInstanceOfSatisfying(
                        ReportFormatException.class,
                        e -> assertThat(e.issue()).isEqualTo(ReportIssue.UNSUPPORTED_CONTENT));
    }

    @Test
    void read_gzipBomb_capped() throws IOException {
        // RW-21, RPT-JSON-6: decompressed size is capped while inflating.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write('{');
            byte[] zeros = new byte[1 << 16];
            java.util.Arrays.fill(zeros, (byte) ' ');
            for (int i = 0; i < 64; i++) {
                gz.write(zeros);
            }
        }
        TlsRptReportReader reader =
                TlsRptReportReader.builder().maxDecompressedBytes(1 << 20).build();
        assertThatThrownBy(() -> reader.read(out.toByteArray()))
                .isInstanceOfSatisfying(
                        ReportFormatException.class, e -> assertThat(e.issue()).isEqualTo(ReportIssue.TOO_LARGE));
    }

    @Test
    void read_limits_enforced() {
        // RPT-JSON-6: compressed, document, depth and string limits.
        TlsRptReportReader tiny = TlsRptReportReader.builder()
                .maxCompressedBytes(10)
                .maxDecompressedBytes(100)
                .build();
        assertThatThrownBy(() -> tiny.read(bytes("canonical.json"))).hasMessageContaining("exceeds");
        assertThatThrownBy(() -> tiny.read(bytes("canonical-fname.json.gz"))).hasMessageContaining("exceeds");
        TlsRptReportReader shallow =
                TlsRptReportReader.builder().maxNestingDepth(5).build();
        assertThatThrownBy(() -> shallow.read(utf8("{\"a\":[[[[[[[[1]]]]]]]]}")))
                .isInstanceOfSatisfying(
                        ReportFormatException.class, e -> assertThat(e.issue()).isEqualTo(ReportIssue.TOO_LARGE));
        TlsRptReportReader shortStrings =
                TlsRptReportReader.builder().maxStringLength(10).build();
        assertThatThrownBy(() -> shortStrings.read(bytes("canonical.json")))
                .isInstanceOfSatisfying(
                        ReportFormatException.class, e -> assertThat(e.issue()).isEqualTo(ReportIssue.TOO_LARGE));
    }

    @Test
    void builder_rejectsBadLimits_withValue() {
        assertThatThrownBy(() -> TlsRptReportReader.builder().maxCompressedBytes(0))
                .hasMessageContaining("0");
        assertThatThrownBy(() -> TlsRptReportReader.builder().maxNestingDepth(2))
                .hasMessageContaining("2");
        assertThat(TlsRptReportReader.builder().mode(ReadMode.STRICT).build().mode())
                .isEqualTo(ReadMode.STRICT);
    }

    @Test
    void read_strictCanonical_noMail() {
        assertThat(Fixtures.STRICT.read(bytes("canonical.json")).mail()).isEqualTo(Optional.empty());
    }

    private static String minimal(String policies) {
        return "{\"organization-name\":\"o\",\"date-range\":{\"start-datetime\":\"2026-03-01T00:00:00Z\","
                + "\"end-datetime\":\"2026-03-01T23:59:59Z\"},\"contact-info\":\"a@b.example\",\"report-id\":\"r\","
                + "\"policies\":" + policies + "}";
    }

    private static final String POLICY = "{\"policy-type\":\"no-policy-found\",\"policy-domain\":\"d.example\"}";
    private static final String SUMMARY = "{\"total-successful-session-count\":1,\"total-failure-session-count\":0}";

    @Test
    void read_structuralErrors_namePointerInEveryMode() {
        // RPT-READ-1, §4.4: what no mode can read is an error naming its JSON Pointer.
        String[][] cases = {
            {"{\"organization-name\":\"o\"}", "MISSING_REQUIRED", "/date-range"},
            {"[1]", "UNSUPPORTED_CONTENT", ""},
            {minimal("null"), "MISSING_REQUIRED", "/policies"},
            {minimal("\"x\""), "WRONG_TYPE", "/policies"},
            {minimal("[{\"summary\":" + SUMMARY + "}]"), "MISSING_REQUIRED", "/policies/0/policy"},
            {minimal("[7]"), "WRONG_TYPE", "/policies/0"},
            {
                minimal("[{\"policy\":{\"policy-type\":3},\"summary\":" + SUMMARY + "}]"),
                "WRONG_TYPE",
                "/policies/0/policy/policy-type"
            },
            {
                minimal("[{\"policy\":{\"policy-type\":\"\"},\"summary\":" + SUMMARY + "}]"),
                "MISSING_REQUIRED",
                "/policies/0/policy/policy-type"
            },
            {
                minimal("[{\"policy\":{\"policy-type\":\"sts\",\"policy-string\":\"x\"},\"summary\":" + SUMMARY + "}]"),
                "WRONG_TYPE",
                "/policies/0/policy/policy-string"
            },
            {
                minimal("[{\"policy\":{\"policy-type\":\"sts\",\"policy-string\":[1]},\"summary\":" + SUMMARY + "}]"),
                "WRONG_TYPE",
                "/policies/0/policy/policy-string/0"
            },
            {
                minimal("[{\"policy\":{\"policy-type\":\"tlsa\",\"policy-domain\":7},\"summary\":" + SUMMARY + "}]"),
                "WRONG_TYPE",
                "/policies/0/policy/policy-domain"
            },
            {
                minimal("[{\"policy\":" + POLICY + ",\"summary\":" + SUMMARY + ",\"failure-details\":{}}]"),
                "WRONG_TYPE",
                "/policies/0/failure-details"
            },
            {
                minimal("[{\"policy\":" + POLICY + ",\"summary\":" + SUMMARY
                        + ",\"failure-details\":[{\"result-type\":\"dane-required\"}]}]"),
                "MISSING_REQUIRED",
                "/policies/0/failure-details/0/failed-session-count"
            },
            {
                "{\"organization-name\":\"o\",\"date-range\":{\"start-datetime\":\"yesterday\",\"end-datetime\":\"x\"}}",
                "INVALID_VALUE",
                "/date-range/start-datetime"
            },
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> Fixtures.LENIENT.read(utf8(c[0])))
                    .as(c[0])
                    .isInstanceOfSatisfying(ReportFormatException.class, e -> {
                        assertThat(e.issue()).hasToString(c[1]);
                        assertThat(e.location()).isEqualTo(c[2]);
                    });
        }
    }

    @Test
    void read_lenientOddities_warnedWithPointer() {
        // RW-4, RW-6, §4.4: tolerated oddities are warnings naming their JSON Pointer.
        TlsRptReading r = Fixtures.LENIENT.read(utf8(minimal("[{\"policy\":{\"policy-type\":\"tlsa\","
                + "\"policy-string\":[\"[not json\"],\"policy-domain\":\"d.example\",\"mx-host\":[\"mx.d.example\"]},"
                + "\"failure-details\":null}]")));
        assertThat(r.warnings())
                .extracting(ReportWarning::issue, ReportWarning::location)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                ReportIssue.MX_HOST_PLACEMENT, "/policies/0/policy/mx-host"),
                        org.assertj.core.groups.Tuple.tuple(ReportIssue.MISSING_REQUIRED, "/policies/0/summary"),
                        org.assertj.core.groups.Tuple.tuple(ReportIssue.NULL_OR_EMPTY, "/policies/0/failure-details"));
        assertThat(r.report().policies().get(0).policy().policyString()).containsExactly("[not json");
        TlsRptReading mx = Fixtures.LENIENT.read(utf8(minimal("[{\"policy\":{\"policy-type\":\"sts\","
                + "\"policy-string\":[],\"policy-domain\":\"d.example\",\"mx-host\":\"\"},\"summary\":" + SUMMARY
                + "}]")));
        assertThat(mx.report().policies().get(0).policy().mxHost()).isEmpty();
        TlsRptReading draft = Fixtures.LENIENT.read(utf8(minimal("[{\"policy\":" + POLICY + ",\"summary\":" + SUMMARY
                + ",\"failure-details\":[{\"result-type\":\"sts-policy-invalid\",\"failed-session-count\":1,"
                + "\"failure-reason-code\":\"a\",\"failure-error-code\":\"b\"}]}]")));
        FailureDetail d = draft.report().policies().get(0).failureDetails().get(0);
        assertThat(d.failureReasonCode()).contains("a");
        assertThat(d.extensions()).containsEntry("failure-error-code", "\"b\"");
    }
}
