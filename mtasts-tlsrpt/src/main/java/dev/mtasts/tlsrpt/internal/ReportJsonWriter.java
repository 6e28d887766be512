package dev.mtasts.tlsrpt.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mtasts.tlsrpt.FailureDetail;
import dev.mtasts.tlsrpt.PolicyEntry;
import dev.mtasts.tlsrpt.PolicySummary;
import dev.mtasts.tlsrpt.PolicyType;
import dev.mtasts.tlsrpt.ReportedPolicy;
import dev.mtasts.tlsrpt.TlsRptReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/** Writes the canonical report JSON of RPT-JSON-5 in the member order of RFC 8460 §4.4. */
public final class ReportJsonWriter {
    private static final JsonFactory FACTORY = new JsonFactory();
    /** Strict: one value, no trailing tokens, no duplicate names, numbers kept exact. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private ReportJsonWriter() {}

    /** The canonical UTF-8 JSON of {@code report}. */
    public static byte[] write(TlsRptReport report) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("organization-name", report.organizationName());
            g.writeObjectFieldStart("date-range");
            g.writeStringField("start-datetime", time(report.dateRange().start()));
            g.writeStringField("end-datetime", time(report.dateRange().end()));
            extensions(g, "date-range", report.dateRange().extensions(), ReportKeys.DATE_RANGE);
            g.writeEndObject();
            g.writeStringField(
                    "contact-info",
                    report.contactInfo()
                            .orElseThrow(
                                    () -> new IllegalStateException("contact-info is required to write a report")));
            g.writeStringField("report-id", report.reportId());
            g.writeArrayFieldStart("policies");
            for (PolicyEntry entry : report.policies()) {
                entry(g, entry);
            }
            g.writeEndArray();
            extensions(g, "report", report.extensions(), ReportKeys.REPORT);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** {@code json} gzip-compressed (mtime 0, no file name: nothing to leak, RPT-READ-4). */
    public static byte[] gzip(byte[] json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void entry(JsonGenerator g, PolicyEntry entry) throws IOException {
        g.writeStartObject();
        ReportedPolicy p = entry.policy();
        if (!p.type().isRegistered()) {
            throw new IllegalStateException("unregistered policy-type cannot be written: " + p.type());
        }
        g.writeObjectFieldStart("policy");
        g.writeStringField("policy-type", p.type().token());
        if (!p.type().equals(PolicyType.NO_POLICY_FOUND) || !p.policyString().isEmpty()) {
            stringArray(g, "policy-string", p.policyString());
        }
        g.writeStringField(
                "policy-domain",
                p.policyDomain().orElseThrow(() -> new IllegalStateException("policy-domain is required")));
        if (p.type().equals(PolicyType.STS)) {
            stringArray(g, "mx-host", p.mxHost());
        } else if (!p.mxHost().isEmpty()) {
            throw new IllegalStateException("mx-host is for sts policies only (RPT-JSON-5): " + p.type());
        }
        extensions(g, "policy", p.extensions(), ReportKeys.POLICY);
        g.writeEndObject();
        PolicySummary s = entry.summary();
        g.writeObjectFieldStart("summary");
        count(g, "total-successful-session-count", s.totalSuccessfulSessionCount());
        count(g, "total-failure-session-count", s.totalFailureSessionCount());
        extensions(g, "summary", s.extensions(), ReportKeys.SUMMARY);
        g.writeEndObject();
        g.writeArrayFieldStart("failure-details");
        for (FailureDetail d : entry.failureDetails()) {
            detail(g, d);
        }
        g.writeEndArray();
        extensions(g, "policies[]", entry.extensions(), ReportKeys.ENTRY);
        g.writeEndObject();
    }

    private static void detail(JsonGenerator g, FailureDetail d) throws IOException {
        if (d.resultType().registered().isEmpty()) {
            throw new IllegalStateException(
                    "unregistered result-type cannot be written (RPT-TYPE-2): " + d.resultType());
        }
        g.writeStartObject();
        g.writeStringField("result-type", d.resultType().token());
        optional(g, "sending-mta-ip", d.sendingMtaIp());
        optional(g, "receiving-mx-hostname", d.receivingMxHostname());
        optional(g, "receiving-mx-helo", d.receivingMxHelo());
        optional(g, "receiving-ip", d.receivingIp());
        g.writeNumberField("failed-session-count", d.failedSessionCount());
        optional(g, "additional-information", d.additionalInformation());
        optional(g, "failure-reason-code", d.failureReasonCode());
        extensions(g, "failure-details[]", d.extensions(), ReportKeys.DETAIL);
        g.writeEndObject();
    }

    private static void count(JsonGenerator g, String name, OptionalLong value) throws IOException {
        g.writeNumberField(
                name, value.orElseThrow(() -> new IllegalStateException(name + " is required to write a report")));
    }

    private static void optional(JsonGenerator g, String name, Optional<String> value) throws IOException {
        if (value.isPresent() && !value.get().isEmpty()) {
            g.writeStringField(name, value.get());
        }
    }

    private static void stringArray(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    /**
     * Writes extension members, each value re-serialised from its parsed form: a value that is not
     * exactly one JSON value, or a name that is a member this writer already wrote, would make the
     * document invalid or ambiguous (RPT-JSON-1, RPT-JSON-5, RPT-JSON-7).
     */
    private static void extensions(JsonGenerator g, String where, Map<String, String> extensions, Set<String> known)
            throws IOException {
        for (Map.Entry<String, String> e : extensions.entrySet()) {
            if (known.contains(e.getKey())) {
                throw new IllegalArgumentException(
                        "extension of " + where + " must not reuse the member name '" + e.getKey() + "'");
            }
            JsonNode value;
            try {
                value = MAPPER.readTree(e.getValue());
            } catch (JsonProcessingException ex) {
                throw new IllegalArgumentException(
                        "extension " + where + "." + e.getKey() + " is not one JSON value: " + ex.getOriginalMessage(),
                        ex);
            }
            if (value == null || value.isMissingNode()) {
                throw new IllegalArgumentException("extension " + where + "." + e.getKey() + " is empty");
            }
            g.writeFieldName(e.getKey());
            g.writeRawValue(MAPPER.writeValueAsString(value));
        }
    }

    private static String time(Instant instant) {
        // Instant.toString is RFC 3339 with 'Z' (RPT-JSON-5); fractions only when present.
        return instant.toString();
    }
}
