package dev.mtasts.tlsrpt.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mtasts.core.ResultType;
import dev.mtasts.tlsrpt.AppliedPolicy;
import dev.mtasts.tlsrpt.PolicyType;
import dev.mtasts.tlsrpt.ReportedPolicy;
import dev.mtasts.tlsrpt.SessionFailure;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON form of the keys counts are kept under, an {@link AppliedPolicy} and a {@link
 * SessionFailure}: the file store's format, and the fleet store's key columns. Fields are written
 * in one fixed order, so equal keys give equal text (the fleet store hashes it). Not API.
 */
public final class AggregateJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AggregateJson() {}

    /** {@code policy} as a JSON object: type, domain, policy-string, mx-host, in that order. */
    public static ObjectNode policyNode(AppliedPolicy policy) {
        ObjectNode p = MAPPER.createObjectNode();
        p.put("policy-type", policy.type().token());
        p.put("policy-domain", policy.policyDomain());
        policy.policyString().forEach(p.putArray("policy-string")::add);
        policy.mxHost().forEach(p.putArray("mx-host")::add);
        return p;
    }

    /**
     * The policy of {@link #policyNode}.
     *
     * @throws IllegalArgumentException when a field is missing or invalid, naming it
     */
    public static AppliedPolicy policy(JsonNode p) {
        ReportedPolicy rp = new ReportedPolicy(
                PolicyType.of(required(p, "policy-type").asText()),
                strings(required(p, "policy-string")),
                Optional.of(required(p, "policy-domain").asText()),
                strings(required(p, "mx-host")),
                Map.of());
        return AppliedPolicy.fromReportedPolicy(rp);
    }

    /** {@code failure} as a JSON object, its absent parts left out, without a count. */
    public static ObjectNode failureNode(SessionFailure f) {
        ObjectNode fn = MAPPER.createObjectNode();
        fn.put("result-type", f.resultType().token());
        f.sendingMtaIp().ifPresent(v -> fn.put("sending-mta-ip", v));
        f.receivingMxHostname().ifPresent(v -> fn.put("receiving-mx-hostname", v));
        f.receivingMxHelo().ifPresent(v -> fn.put("receiving-mx-helo", v));
        f.receivingIp().ifPresent(v -> fn.put("receiving-ip", v));
        f.failureReasonCode().ifPresent(v -> fn.put("failure-reason-code", v));
        return fn;
    }

    /**
     * The failure of {@link #failureNode}; other members (a count) are ignored.
     *
     * @throws IllegalArgumentException when the result type is missing or unknown, or a part invalid
     */
    public static SessionFailure failure(JsonNode fn) {
        String token = required(fn, "result-type").asText();
        ResultType type = ResultType.fromToken(token)
                .orElseThrow(() -> new IllegalArgumentException("unknown result-type '" + token + "'"));
        return new SessionFailure(
                type,
                text(fn, "sending-mta-ip"),
                text(fn, "receiving-mx-hostname"),
                text(fn, "receiving-mx-helo"),
                text(fn, "receiving-ip"),
                text(fn, "failure-reason-code"));
    }

    /** {@link #policyNode} as compact text: the same policy always gives the same text. */
    public static String policyText(AppliedPolicy policy) {
        return write(policyNode(policy));
    }

    /** {@link #failureNode} as compact text: the same failure always gives the same text. */
    public static String failureText(SessionFailure failure) {
        return write(failureNode(failure));
    }

    /**
     * The policy of {@link #policyText}.
     *
     * @throws IllegalArgumentException when the text is not such a policy, saying why
     */
    public static AppliedPolicy parsePolicy(String text) {
        return policy(read(text, "policy"));
    }

    /**
     * The failure of {@link #failureText}.
     *
     * @throws IllegalArgumentException when the text is not such a failure, saying why
     */
    public static SessionFailure parseFailure(String text) {
        return failure(read(text, "failure"));
    }

    private static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write " + node, e);
        }
    }

    private static JsonNode read(String text, String what) {
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " is not JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(what + " must be a JSON object but was '" + text + "'");
        }
        return node;
    }

    private static JsonNode required(JsonNode n, String name) {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("'" + name + "' is missing");
        }
        return v;
    }

    private static Optional<String> text(JsonNode n, String name) {
        JsonNode v = n.get(name);
        return v == null ? Optional.empty() : Optional.of(v.asText());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : array) {
            out.add(s.asText());
        }
        return out;
    }
}
