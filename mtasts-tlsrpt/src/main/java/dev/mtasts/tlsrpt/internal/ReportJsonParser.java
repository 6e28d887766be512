package dev.mtasts.tlsrpt.internal;

import static dev.mtasts.tlsrpt.internal.Findings.error;
import static dev.mtasts.tlsrpt.internal.Findings.quote;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mtasts.core.MxPattern;
import dev.mtasts.core.SyntaxException;
import dev.mtasts.tlsrpt.DateRange;
import dev.mtasts.tlsrpt.FailureDetail;
import dev.mtasts.tlsrpt.PolicyEntry;
import dev.mtasts.tlsrpt.PolicySummary;
import dev.mtasts.tlsrpt.PolicyType;
import dev.mtasts.tlsrpt.ReportFormatException;
import dev.mtasts.tlsrpt.ReportIssue;
import dev.mtasts.tlsrpt.ReportedPolicy;
import dev.mtasts.tlsrpt.ResultTypeValue;
import dev.mtasts.tlsrpt.TlsRptReport;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads the report JSON of RFC 8460 §4.4 so every deviation can be named by its JSON Pointer.
 *
 * <p>Streams: the {@code policies} array and each {@code failure-details} array are read element by
 * element from Jackson's streaming parser, so memory holds the report being built plus one small
 * tree (one failure detail, or one entry without its details) at a time, never the whole document
 * as bytes, text or tree (RPT-JSON-6). Checks still run in the order the tree reader ran them:
 * deviations found inside the streamed arrays are buffered and reported where the tree reader
 * reported them, so strict mode fails on the same first deviation and lenient mode lists the same
 * warnings in the same order. Thread-safe: the mapper is configured once and never changed.
 */
public final class ReportJsonParser {
    private static final BigInteger MAX_COUNT = BigInteger.ONE.shiftLeft(53); // I-JSON, RPT-JSON-1
    private static final BigDecimal MAX_COUNT_DECIMAL = new BigDecimal(MAX_COUNT);
    /** RFC 3339 §5.6 date-time: seconds required, fraction optional, Z or a numeric offset. */
    private static final Pattern RFC3339 = Pattern.compile(
            "[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})");

    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,16}");

    private final ObjectMapper mapper;
    /** Reads one part of the document as a tree; the document's end is checked once, at the end. */
    private final ObjectReader partReader;

    private final int maxArrayElements;

    /**
     * A parser enforcing the given limits (RPT-JSON-6): {@code maxTokens} bounds the work of one
     * read, {@code maxArrayElements} the entries of {@code policies} and of each {@code
     * failure-details}.
     */
    public ReportJsonParser(
            long maxDocumentBytes, int maxNestingDepth, int maxStringLength, long maxTokens, int maxArrayElements) {
        this.maxArrayElements = maxArrayElements;
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxDocumentLength(maxDocumentBytes)
                        .maxNestingDepth(maxNestingDepth)
                        .maxStringLength(maxStringLength)
                        .maxNumberLength(64)
                        .maxTokenCount(maxTokens)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.mapper = JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .build();
        this.partReader = mapper.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** Parses {@code json}, reporting deviations to {@code findings}. */
    public TlsRptReport parse(byte[] json, Findings findings) {
        return parse(new ByteArrayInputStream(json), findings);
    }

    /**
     * Parses the JSON read from {@code in} (not closed), reporting deviations to {@code findings}. A
     * {@link ReportFormatException} thrown by {@code in} itself (a size cap, corrupt gzip) passes
     * through unchanged.
     */
    public TlsRptReport parse(InputStream in, Findings findings) {
        try {
            BufferedInputStream buffered = new BufferedInputStream(in, 8192);
            buffered.mark(4);
            byte[] head = buffered.readNBytes(4);
            buffered.reset();
            checkEncoding(head, findings);
            try (JsonParser p = mapper.createParser(buffered)) {
                if (p.nextToken() == null) {
                    throw error(ReportIssue.MALFORMED_JSON, "", "empty document");
                }
                return new Run(findings).document(p);
            }
        } catch (StreamConstraintsException e) {
            throw error(ReportIssue.TOO_LARGE, "", e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null
                    ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")";
            throw error(ReportIssue.MALFORMED_JSON, "", e.getOriginalMessage() + where);
        } catch (IOException e) {
            throw error(ReportIssue.MALFORMED_JSON, "", String.valueOf(e.getMessage()));
        }
    }

    /** What the tree reader's FAIL_ON_TRAILING_TOKENS refused: anything after the one value. */
    private static void noTrailingTokens(JsonParser p) throws IOException {
        JsonToken next = p.nextToken();
        if (next != null) {
            throw error(
                    ReportIssue.MALFORMED_JSON,
                    "",
                    "Trailing token (of type " + next + ") found after value (line "
                            + p.currentLocation().getLineNr() + ", column "
                            + p.currentLocation().getColumnNr() + ")");
        }
    }

    /** Reads the value at the parser's current token as a tree (one small part of the document). */
    private JsonNode tree(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return mapper.getNodeFactory().nullNode();
        }
        JsonNode node = partReader.readTree(p);
        return node == null ? mapper.getNodeFactory().missingNode() : node;
    }

    /** After an error inside a streamed array: skips to {@code context} so syntax is still checked. */
    private static void skipTo(JsonParser p, JsonStreamContext context) throws IOException {
        while (p.getParsingContext() != context) {
            if (p.nextToken() == null) {
                return;
            }
        }
    }

    /** A streamed array's elements, the deviations found in them, and the first error. */
    private record Streamed<T>(
            List<T> items, Findings findings, @Nullable ReportFormatException error) {
        List<T> replayInto(Findings target) {
            findings.replayInto(target);
            if (error != null) {
                throw error;
            }
            return items;
        }
    }

    /**
     * RPT-JSON-1, RFC 8259 §8.1: report JSON is UTF-8 without a byte order mark. Jackson would
     * silently read a BOM or UTF-16/32 text, so strict mode refuses them here; lenient mode reads them
     * with a warning.
     */
    private static void checkEncoding(byte[] json, Findings findings) {
        if (json.length >= 3 && (json[0] & 0xff) == 0xef && (json[1] & 0xff) == 0xbb && (json[2] & 0xff) == 0xbf) {
            findings.deviation(ReportIssue.ENCODING, "", "UTF-8 byte order mark before the JSON (RPT-JSON-1)");
            return;
        }
        boolean bom16 = json.length >= 2
                && (((json[0] & 0xff) == 0xfe && (json[1] & 0xff) == 0xff)
                        || ((json[0] & 0xff) == 0xff && (json[1] & 0xff) == 0xfe));
        boolean nul = false;
        for (int i = 0; i < Math.min(4, json.length); i++) {
            nul |= json[i] == 0;
        }
        if (bom16 || nul) {
            findings.deviation(ReportIssue.ENCODING, "", "UTF-16 or UTF-32 text, not UTF-8 (RPT-JSON-1)");
        }
    }

    /** The compact JSON text of a node, as kept for unknown members. */
    String raw(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A number for a message: scientific notation never expands, and long digit runs are cut (§7). */
    static String shortNumber(BigDecimal d) {
        return quote(d.toString());
    }

    static String child(String path, String name) {
        return path + "/" + name.replace("~", "~0").replace("/", "~1");
    }

    private final class Run {
        private final Findings f;

        Run(Findings findings) {
            this.f = findings;
        }

        /** The report at the parser's first token; {@code policies} streamed, the rest as trees. */
        TlsRptReport document(JsonParser p) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                // The tree reader read the whole value before checking its type: syntax errors first.
                p.skipChildren();
                noTrailingTokens(p);
                throw error(ReportIssue.WRONG_TYPE, "", "expected a JSON object");
            }
            ObjectNode shell = mapper.createObjectNode();
            @Nullable Streamed<PolicyEntry> policies = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("policies") && (value == JsonToken.START_ARRAY || value == JsonToken.START_OBJECT)) {
                    policies = policies(p);
                } else {
                    shell.set(name, tree(p));
                }
            }
            noTrailingTokens(p);
            return report(shell, policies);
        }

        /** The streamed {@code policies} member (array, or an object read as one entry). */
        Streamed<PolicyEntry> policies(JsonParser p) throws IOException {
            Findings buffer = f.deferred();
            Run run = new Run(buffer);
            List<PolicyEntry> entries = new ArrayList<>();
            JsonStreamContext member = p.getParsingContext().getParent();
            try {
                if (p.currentToken() == JsonToken.START_OBJECT) {
                    buffer.deviation(
                            ReportIssue.POLICIES_NOT_ARRAY, "/policies", "policies is an object, not an array");
                    entries.add(run.entry(p, "/policies"));
                } else {
                    int i = 0;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        if (i == maxArrayElements) {
                            buffer.clear();
                            entries.clear();
                            throw tooMany(p, i, "/policies");
                        }
                        entries.add(run.entry(p, "/policies/" + i));
                        i++;
                    }
                }
            } catch (ReportFormatException e) {
                skipTo(p, Objects.requireNonNull(member));
                return new Streamed<>(entries, buffer, e);
            }
            return new Streamed<>(entries, buffer, null);
        }

        /**
         * RPT-JSON-6: counts the rest of an array that has passed the cap (skipping, not keeping, its
         * elements) for the same message the tree reader gave.
         */
        ReportFormatException tooMany(JsonParser p, int kept, String path) throws IOException {
            int n = kept;
            do {
                p.skipChildren();
                n++;
            } while (p.nextToken() != JsonToken.END_ARRAY);
            return error(ReportIssue.TOO_LARGE, path, n + " entries, more than the limit of " + maxArrayElements);
        }

        /** One policy entry at the parser: its {@code failure-details} streamed, the rest a small tree. */
        PolicyEntry entry(JsonParser p, String path) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw error(ReportIssue.WRONG_TYPE, path, "expected a JSON object");
            }
            ObjectNode shell = mapper.createObjectNode();
            @Nullable Streamed<FailureDetail> details = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("failure-details") && value == JsonToken.START_ARRAY) {
                    details = details(p, path + "/failure-details");
                } else {
                    shell.set(name, tree(p));
                }
            }
            return entry(shell, path, details);
        }

        Streamed<FailureDetail> details(JsonParser p, String path) throws IOException {
            Findings buffer = f.deferred();
            Run run = new Run(buffer);
            List<FailureDetail> details = new ArrayList<>();
            JsonStreamContext member = p.getParsingContext().getParent();
            try {
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    if (i == maxArrayElements) {
                        buffer.clear();
                        details.clear();
                        throw tooMany(p, i, path);
                    }
                    details.add(run.detail(tree(p), path + "/" + i));
                    i++;
                }
            } catch (ReportFormatException e) {
                skipTo(p, Objects.requireNonNull(member));
                return new Streamed<>(details, buffer, e);
            }
            return new Streamed<>(details, buffer, null);
        }

        TlsRptReport report(JsonNode root, @Nullable Streamed<PolicyEntry> streamed) {
            requireObject(root, "");
            String org = requiredString(root, "", "organization-name");
            DateRange range = dateRange(root);
            Optional<String> contact = optionalString(root, "", "contact-info");
            if (!root.has("contact-info")) {
                f.deviation(ReportIssue.MISSING_REQUIRED, "/contact-info", "contact-info is required (§4.4)");
            } else if (contact.isPresent() && contact.get().indexOf('@') <= 0) {
                f.deviation(
                        ReportIssue.INVALID_VALUE,
                        "/contact-info",
                        "not an RFC 5322 addr-spec: " + quote(contact.get()));
            }
            String reportId = requiredString(root, "", "report-id");
            List<PolicyEntry> entries = streamed == null ? policies(root) : streamed.replayInto(f);
            return new TlsRptReport(org, range, contact, reportId, entries, unknown(root, "", ReportKeys.REPORT));
        }

        DateRange dateRange(JsonNode root) {
            JsonNode node = root.get("date-range");
            if (node == null || node.isNull()) {
                throw error(ReportIssue.MISSING_REQUIRED, "/date-range", "date-range is required (§4.4)");
            }
            requireObject(node, "/date-range");
            Instant start = dateTime(node, "/date-range", "start-datetime");
            Instant end = dateTime(node, "/date-range", "end-datetime");
            DateRange range = new DateRange(start, end, unknown(node, "/date-range", ReportKeys.DATE_RANGE));
            if (!start.isBefore(end)) {
                f.deviation(ReportIssue.DATE_RANGE, "/date-range", "start " + start + " is not before end " + end);
            } else if (!range.isOneUtcDay()) {
                f.deviation(
                        ReportIssue.DATE_RANGE,
                        "/date-range",
                        "range " + start + " .. " + end + " is not one UTC day (RFC 8460 §4.1)");
            }
            return range;
        }

        Instant dateTime(JsonNode parent, String path, String name) {
            String text = requiredString(parent, path, name);
            String at = child(path, name);
            // §4.4 / RFC 3339 §5.6: seconds are required; 'T' and 'Z' may be lower case.
            String upper = text.toUpperCase(Locale.ROOT);
            boolean rfc3339 = RFC3339.matcher(text).matches();
            try {
                Instant instant = OffsetDateTime.parse(upper, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                        .toInstant();
                if (!rfc3339) {
                    f.deviation(
                            ReportIssue.DATETIME_FORM,
                            at,
                            "not an RFC 3339 date-time (e.g. seconds missing), read as ISO 8601: " + quote(text));
                }
                return instant;
            } catch (DateTimeParseException e) {
                if (rfc3339) {
                    // Right shape, impossible value (month 13, hour 24, ...).
                    throw error(ReportIssue.INVALID_VALUE, at, "not a valid date-time: " + quote(text));
                }
                try {
                    Instant utc = LocalDateTime.parse(upper, DateTimeFormatter.ISO_LOCAL_DATE_TIME)
                            .toInstant(ZoneOffset.UTC);
                    f.deviation(
                            ReportIssue.DATETIME_WITHOUT_ZONE,
                            at,
                            "date-time " + quote(text) + " has no time zone; read as UTC");
                    return utc;
                } catch (DateTimeParseException e2) {
                    throw error(ReportIssue.INVALID_VALUE, at, "not an RFC 3339 date-time: " + quote(text));
                }
            }
        }

        /** {@code policies} when it was not streamed: absent, null or of the wrong type. */
        List<PolicyEntry> policies(JsonNode root) {
            JsonNode node = root.get("policies");
            if (node == null || node.isNull()) {
                throw error(ReportIssue.MISSING_REQUIRED, "/policies", "policies is required (§4.4)");
            }
            throw error(ReportIssue.WRONG_TYPE, "/policies", "policies must be an array");
        }

        PolicyEntry entry(JsonNode node, String path, @Nullable Streamed<FailureDetail> streamed) {
            requireObject(node, path);
            JsonNode policyNode = node.get("policy");
            if (policyNode == null || policyNode.isNull()) {
                throw error(ReportIssue.MISSING_REQUIRED, path + "/policy", "policy is required (§4.4)");
            }
            ReportedPolicy policy = policy(policyNode, path + "/policy");
            PolicySummary summary = summary(node.get("summary"), path + "/summary");
            List<FailureDetail> details = new ArrayList<>();
            JsonNode detailsNode = node.get("failure-details");
            String detailsPath = path + "/failure-details";
            if (streamed != null) {
                details = streamed.replayInto(f);
            } else if (detailsNode != null) {
                // An array was streamed; what is left here is null or the wrong type.
                if (detailsNode.isNull()) {
                    f.deviation(ReportIssue.NULL_OR_EMPTY, detailsPath, "null read as absent");
                } else {
                    throw error(ReportIssue.WRONG_TYPE, detailsPath, "failure-details must be an array");
                }
            }
            PolicyEntry entry = new PolicyEntry(policy, summary, details, unknown(node, path, ReportKeys.ENTRY));
            OptionalLong total = summary.totalFailureSessionCount();
            if (!details.isEmpty() && total.isPresent() && total.getAsLong() != entry.detailedFailureCount()) {
                // RW-9: keep both numbers, never "fix" either.
                f.deviation(
                        ReportIssue.FAILURE_COUNT_MISMATCH,
                        path + "/summary/total-failure-session-count",
                        "total " + total.getAsLong() + " but failure details sum to " + entry.detailedFailureCount());
            }
            return entry;
        }

        ReportedPolicy policy(JsonNode node, String path) {
            requireObject(node, path);
            String typeText = requiredString(node, path, "policy-type");
            PolicyType type = PolicyType.of(typeText);
            if (!type.isRegistered()) {
                f.deviation(
                        ReportIssue.UNKNOWN_POLICY_TYPE,
                        path + "/policy-type",
                        "unknown policy-type " + quote(typeText) + " kept raw");
            }
            List<String> policyString = stringList(node, path, "policy-string");
            boolean needsString = type.equals(PolicyType.STS) || type.equals(PolicyType.TLSA);
            if (!node.has("policy-string") && needsString) {
                f.deviation(
                        ReportIssue.MISSING_POLICY_STRING,
                        path + "/policy-string",
                        "policy-string missing for " + type + " (§4.5)");
            }
            if (type.equals(PolicyType.TLSA)
                    && policyString.size() == 1
                    && policyString.get(0).startsWith("[")) {
                policyString = unpackTlsa(policyString.get(0), path + "/policy-string/0", policyString);
            }
            Optional<String> domain = optionalString(node, path, "policy-domain");
            if (domain.isEmpty() && !node.has("policy-domain")) {
                f.deviation(ReportIssue.MISSING_REQUIRED, path + "/policy-domain", "policy-domain is required (§4.4)");
            }
            List<String> mxHost = mxHost(node, path, type);
            return new ReportedPolicy(type, policyString, domain, mxHost, unknown(node, path, ReportKeys.POLICY));
        }

        List<String> unpackTlsa(String packed, String at, List<String> original) {
            // RW-7: Microsoft sends one string holding a JSON array of the RRs.
            try {
                JsonNode inner = mapper.readTree(packed);
                if (inner != null && inner.isArray()) {
                    List<String> rrs = new ArrayList<>();
                    for (JsonNode rr : inner) {
                        if (!rr.isTextual()) {
                            return original;
                        }
                        rrs.add(rr.textValue());
                    }
                    f.deviation(
                            ReportIssue.TLSA_JSON_IN_STRING,
                            at,
                            "TLSA policy-string element holds a JSON array of " + rrs.size()
                                    + " records; unpacked from " + quote(packed));
                    return rrs;
                }
            } catch (JsonProcessingException e) {
                // Not JSON after all: keep the string as sent.
            }
            return original;
        }

        List<String> mxHost(JsonNode node, String path, PolicyType type) {
            String at = path + "/mx-host";
            JsonNode mx = node.get("mx-host");
            List<String> hosts;
            if (mx != null && mx.isTextual()) {
                f.deviation(ReportIssue.MX_HOST_NOT_ARRAY, at, "mx-host is a string, read as a one-element array");
                hosts = mx.textValue().isEmpty() ? List.of() : List.of(mx.textValue());
            } else {
                hosts = stringList(node, path, "mx-host");
            }
            for (int i = 0; i < hosts.size(); i++) {
                try {
                    MxPattern.parse(hosts.get(i));
                } catch (SyntaxException e) {
                    // Kept verbatim: Stalwart samples carry "mx: host" here (an anonymisation slip).
                    f.deviation(
                            ReportIssue.INVALID_VALUE,
                            mx != null && mx.isArray() ? at + "/" + i : at,
                            "not an mx pattern (RFC 8461 §3.2), kept verbatim: " + quote(hosts.get(i)));
                }
            }
            if (type.equals(PolicyType.STS) && mx == null) {
                f.deviation(ReportIssue.MX_HOST_PLACEMENT, at, "mx-host missing for an sts policy (§4.4)");
            } else if (!type.equals(PolicyType.STS) && !hosts.isEmpty()) {
                f.deviation(ReportIssue.MX_HOST_PLACEMENT, at, "mx-host on a " + type + " policy (§4.4: sts only)");
            }
            return hosts;
        }

        PolicySummary summary(@Nullable JsonNode node, String path) {
            if (node == null || node.isNull()) {
                f.deviation(ReportIssue.MISSING_REQUIRED, path, "summary is required (§4.4)");
                return new PolicySummary(OptionalLong.empty(), OptionalLong.empty(), Map.of());
            }
            requireObject(node, path);
            OptionalLong ok = requiredCount(node, path, "total-successful-session-count");
            OptionalLong failed = requiredCount(node, path, "total-failure-session-count");
            return new PolicySummary(ok, failed, unknown(node, path, ReportKeys.SUMMARY));
        }

        OptionalLong requiredCount(JsonNode node, String path, String name) {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                // RW-6: a missing count stays absent, never 0.
                f.deviation(ReportIssue.MISSING_REQUIRED, child(path, name), name + " is required (§4.4)");
                return OptionalLong.empty();
            }
            return OptionalLong.of(count(value, child(path, name)));
        }

        long count(JsonNode value, String at) {
            BigInteger n;
            if (value.isIntegralNumber()) {
                n = value.bigIntegerValue();
            } else if (value.isNumber()) {
                BigDecimal d = value.decimalValue();
                // RPT-JSON-6, RPT-READ-4: range and integrality are decided on the BigDecimal with
                // cheap comparisons first: toBigIntegerExact or toPlainString on 1e9999999 or
                // 1e-9999999 would take seconds and megabytes.
                if (d.signum() < 0) {
                    throw error(ReportIssue.INVALID_VALUE, at, "count is negative: " + shortNumber(d));
                }
                if (d.compareTo(MAX_COUNT_DECIMAL) > 0) {
                    throw error(ReportIssue.INVALID_VALUE, at, "count exceeds 2^53: " + shortNumber(d));
                }
                // Now 0 <= d <= 2^53, so the unscaled value is short unless the scale is huge; a huge
                // positive scale means a tiny fraction, which stripTrailingZeros keeps cheaply.
                BigDecimal stripped = d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
                if (stripped.scale() > 0) {
                    throw error(ReportIssue.INVALID_VALUE, at, "count is not an integer: " + shortNumber(d));
                }
                n = stripped.toBigIntegerExact();
                f.deviation(ReportIssue.NON_INTEGER_COUNT, at, "count written as " + shortNumber(d));
            } else if (value.isTextual() && DIGITS.matcher(value.textValue()).matches()) {
                n = new BigInteger(value.textValue());
                f.deviation(ReportIssue.NON_INTEGER_COUNT, at, "count written as a string " + quote(value.textValue()));
            } else {
                throw error(ReportIssue.WRONG_TYPE, at, "count must be a non-negative integer");
            }
            if (n.signum() < 0) {
                throw error(ReportIssue.INVALID_VALUE, at, "count is negative: " + quote(n.toString()));
            }
            if (n.compareTo(MAX_COUNT) > 0) {
                throw error(ReportIssue.INVALID_VALUE, at, "count exceeds 2^53: " + quote(n.toString()));
            }
            return n.longValue();
        }

        FailureDetail detail(JsonNode node, String path) {
            requireObject(node, path);
            String typeText = requiredString(node, path, "result-type");
            ResultTypeValue type = ResultTypeValue.of(typeText);
            if (type.registered().isEmpty()) {
                f.deviation(
                        ReportIssue.UNKNOWN_RESULT_TYPE,
                        path + "/result-type",
                        "unregistered result-type " + quote(typeText) + " kept raw");
            }
            JsonNode countNode = node.get("failed-session-count");
            if (countNode == null || countNode.isNull()) {
                throw error(
                        ReportIssue.MISSING_REQUIRED,
                        path + "/failed-session-count",
                        "failed-session-count is required (§4.4)");
            }
            long count = count(countNode, path + "/failed-session-count");
            Optional<String> sendingIp = optionalString(node, path, "sending-mta-ip");
            Optional<String> mxName = optionalString(node, path, "receiving-mx-hostname");
            Optional<String> helo = optionalString(node, path, "receiving-mx-helo");
            Optional<String> receivingIp = optionalString(node, path, "receiving-ip");
            if (!type.involvesNoMx()) {
                // RPT-JSON-4: MX-related details must say which MX and from where.
                if (sendingIp.isEmpty()) {
                    f.deviation(
                            ReportIssue.MISSING_REQUIRED,
                            path + "/sending-mta-ip",
                            "sending-mta-ip is required for " + typeText + " (RPT-JSON-4)");
                }
                if (mxName.isEmpty()) {
                    f.deviation(
                            ReportIssue.MISSING_REQUIRED,
                            path + "/receiving-mx-hostname",
                            "receiving-mx-hostname is required for " + typeText + " (RPT-JSON-4)");
                }
            }
            checkIp(sendingIp, path + "/sending-mta-ip");
            checkIp(receivingIp, path + "/receiving-ip");
            Optional<String> info = optionalString(node, path, "additional-information");
            if (info.isPresent() && !isUri(info.get())) {
                f.deviation(
                        ReportIssue.INVALID_URI,
                        path + "/additional-information",
                        "not a URI, kept verbatim: " + quote(info.get()));
            }
            Optional<String> reason = optionalString(node, path, "failure-reason-code");
            Map<String, String> extensions = unknown(node, path, ReportKeys.DETAIL_READ);
            if (node.has("failure-error-code")) {
                Optional<String> draft = optionalString(node, path, "failure-error-code");
                f.deviation(
                        ReportIssue.DRAFT_MEMBER,
                        path + "/failure-error-code",
                        "draft-era failure-error-code read as failure-reason-code");
                if (reason.isEmpty()) {
                    reason = draft;
                } else {
                    Map<String, String> withDraft = new LinkedHashMap<>(extensions);
                    withDraft.put("failure-error-code", raw(node.get("failure-error-code")));
                    extensions = withDraft;
                }
            }
            boolean shouldHaveReason = type.token().equals("certificate-not-trusted")
                    || type.token().equals("validation-failure");
            if (shouldHaveReason && reason.isEmpty()) {
                f.deviation(
                        ReportIssue.MISSING_REASON_CODE,
                        path + "/failure-reason-code",
                        "failure-reason-code SHOULD be present for " + typeText + " (§4.3.1)");
            }
            return new FailureDetail(type, sendingIp, mxName, helo, receivingIp, count, info, reason, extensions);
        }

        void checkIp(Optional<String> ip, String at) {
            if (ip.isPresent() && !IpLiterals.isIpLiteral(ip.get())) {
                f.deviation(ReportIssue.INVALID_IP, at, "not an IP address, kept verbatim: " + quote(ip.get()));
            }
        }

        boolean isUri(String text) {
            try {
                return new URI(text).getScheme() != null;
            } catch (URISyntaxException e) {
                return false;
            }
        }

        List<String> stringList(JsonNode node, String path, String name) {
            JsonNode value = node.get(name);
            String at = child(path, name);
            if (value == null) {
                return List.of();
            }
            if (value.isNull()) {
                f.deviation(ReportIssue.NULL_OR_EMPTY, at, "null read as absent");
                return List.of();
            }
            if (!value.isArray()) {
                throw error(ReportIssue.WRONG_TYPE, at, name + " must be an array of strings");
            }
            List<String> out = new ArrayList<>(value.size());
            for (int i = 0; i < value.size(); i++) {
                JsonNode item = value.get(i);
                if (!item.isTextual()) {
                    throw error(ReportIssue.WRONG_TYPE, at + "/" + i, name + " must hold strings only");
                }
                out.add(item.textValue());
            }
            return out;
        }

        String requiredString(JsonNode node, String path, String name) {
            JsonNode value = node.get(name);
            String at = child(path, name);
            if (value == null || value.isNull()) {
                throw error(ReportIssue.MISSING_REQUIRED, at, name + " is required (§4.4)");
            }
            if (!value.isTextual()) {
                throw error(ReportIssue.WRONG_TYPE, at, name + " must be a string");
            }
            if (value.textValue().isEmpty()) {
                throw error(ReportIssue.MISSING_REQUIRED, at, name + " is empty");
            }
            return value.textValue();
        }

        Optional<String> optionalString(JsonNode node, String path, String name) {
            JsonNode value = node.get(name);
            String at = child(path, name);
            if (value == null) {
                return Optional.empty();
            }
            if (value.isNull() || (value.isTextual() && value.textValue().isEmpty())) {
                // RW-4: Stalwart and mox write null or "" for absent values.
                f.deviation(ReportIssue.NULL_OR_EMPTY, at, (value.isNull() ? "null" : "\"\"") + " read as absent");
                return Optional.empty();
            }
            if (!value.isTextual()) {
                throw error(ReportIssue.WRONG_TYPE, at, name + " must be a string");
            }
            return Optional.of(value.textValue());
        }

        void requireObject(JsonNode node, String path) {
            if (!node.isObject()) {
                throw error(ReportIssue.WRONG_TYPE, path, "expected a JSON object");
            }
        }

        Map<String, String> unknown(JsonNode node, String path, Set<String> known) {
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (!known.contains(e.getKey())) {
                    f.deviation(
                            ReportIssue.UNKNOWN_MEMBER,
                            child(path, e.getKey()),
                            "unknown member " + quote(e.getKey()) + " kept raw");
                    out.put(e.getKey(), raw(e.getValue()));
                }
            }
            return out;
        }
    }
}
