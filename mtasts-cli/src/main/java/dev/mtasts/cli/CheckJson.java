package dev.mtasts.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mtasts.checker.CertificateSummary;
import dev.mtasts.checker.CheckReport;
import dev.mtasts.checker.Finding;
import dev.mtasts.checker.MxAddressFacts;
import dev.mtasts.checker.MxHostFacts;
import dev.mtasts.checker.PolicyFacts;
import dev.mtasts.checker.PolicyHostFacts;
import dev.mtasts.checker.TlsRptFacts;
import dev.mtasts.checker.TxtLookup;
import java.util.List;
import java.util.Optional;

/**
 * The {@code check --json} document. Field names are stable (docs/cli.md lists them); absent values
 * are JSON {@code null}, never left out, so consumers can rely on every field being there.
 */
final class CheckJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CheckJson() {}

    /** One document for one domain, an array for several. */
    static String render(List<CheckOutcome> outcomes) {
        JsonNode node;
        if (outcomes.size() == 1) {
            node = outcome(outcomes.get(0));
        } else {
            ArrayNode array = NODES.arrayNode();
            outcomes.forEach(o -> array.add(outcome(o)));
            node = array;
        }
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    static ObjectNode outcome(CheckOutcome outcome) {
        ObjectNode o = NODES.objectNode();
        o.put("domain", outcome.domain());
        o.put("verdict", outcome.verdict());
        o.put("exitCode", outcome.exitCode());
        Optional<String> problem = outcome.localProblem();
        if (problem.isPresent()) {
            // The check could not run here: nothing about the domain is claimed.
            o.put("error", problem.get());
            return o;
        }
        CheckReport report = outcome.report().orElseThrow();
        o.put("startedAt", report.startedAt().toString());
        o.put("elapsedMs", report.elapsed().toMillis());
        ArrayNode findings = o.putArray("findings");
        report.findings().forEach(f -> findings.add(finding(f)));
        o.set("stsTxt", txt(report.stsTxt()));
        o.set(
                "stsRecord",
                report.stsRecord()
                        .<JsonNode>map(r -> NODES.objectNode().put("id", r.id()).put("text", r.text()))
                        .orElse(NODES.nullNode()));
        ArrayNode hosts = o.putArray("policyHost");
        report.policyHost().forEach(h -> hosts.add(policyHost(h)));
        o.set("policy", report.policy().<JsonNode>map(CheckJson::policy).orElse(NODES.nullNode()));
        ArrayNode mx = o.putArray("mx");
        report.mx().forEach(h -> mx.add(mxHost(h)));
        o.set("tlsRpt", tlsRpt(report.tlsRpt()));
        return o;
    }

    static ObjectNode finding(Finding f) {
        ObjectNode o = NODES.objectNode();
        o.put("id", f.id());
        o.put("severity", f.severity().letter());
        o.put("rfc", f.rfc());
        o.put("message", f.message());
        ArrayNode evidence = o.putArray("evidence");
        f.evidence().forEach(evidence::add);
        o.put("lenient", f.lenient());
        return o;
    }

    private static ObjectNode txt(TxtLookup lookup) {
        ObjectNode o = NODES.objectNode();
        o.put("name", lookup.name());
        o.put("status", lookup.status().name());
        ArrayNode records = o.putArray("records");
        lookup.records().forEach(records::add);
        ArrayNode chain = o.putArray("cnameChain");
        lookup.cnameChain().forEach(chain::add);
        o.put("authenticated", lookup.authenticated());
        putOptional(o, "failure", lookup.failure());
        return o;
    }

    private static ObjectNode policyHost(PolicyHostFacts h) {
        ObjectNode o = NODES.objectNode();
        o.put("address", h.address().getHostAddress());
        putOptional(o, "tlsVersion", h.tlsVersion());
        o.set("certificate", certificate(h.certificate()));
        if (h.httpStatus().isPresent()) {
            o.put("httpStatus", h.httpStatus().getAsInt());
        } else {
            o.putNull("httpStatus");
        }
        putOptional(o, "contentType", h.contentType());
        if (h.bodySize().isPresent()) {
            o.put("bodySize", h.bodySize().getAsLong());
        } else {
            o.putNull("bodySize");
        }
        putOptional(o, "bodySha256", h.bodySha256());
        putOptional(o, "location", h.location());
        putOptional(o, "error", h.error());
        return o;
    }

    private static ObjectNode policy(PolicyFacts p) {
        ObjectNode o = NODES.objectNode();
        ArrayNode lines = o.putArray("lines");
        p.lines().forEach(lines::add);
        o.put("valid", p.policy().isPresent());
        putOptional(o, "mode", p.mode().map(m -> m.token()));
        ArrayNode mx = o.putArray("mx");
        p.mxPatterns().forEach(mx::add);
        if (p.maxAge().isPresent()) {
            o.put("maxAge", p.maxAge().get().toSeconds());
        } else {
            o.putNull("maxAge");
        }
        o.put("lenient", p.lenient());
        return o;
    }

    private static ObjectNode mxHost(MxHostFacts h) {
        ObjectNode o = NODES.objectNode();
        o.put("host", h.host());
        o.put("preference", h.preference());
        o.put("implicit", h.implicit());
        o.put("covered", h.covered());
        putOptional(o, "matchingPattern", h.matchingPattern());
        ArrayNode addresses = o.putArray("addresses");
        h.addresses().forEach(a -> addresses.add(mxAddress(a)));
        return o;
    }

    private static ObjectNode mxAddress(MxAddressFacts a) {
        ObjectNode o = NODES.objectNode();
        o.put("address", a.address().getHostAddress());
        o.put("probe", a.probe().name());
        putOptional(o, "tlsVersion", a.tlsVersion());
        o.set("certificate", certificate(a.certificate()));
        if (a.certificateNameMatches().isPresent()) {
            o.put("nameMatches", a.certificateNameMatches().get());
        } else {
            o.putNull("nameMatches");
        }
        putOptional(o, "error", a.error());
        return o;
    }

    private static ObjectNode tlsRpt(TlsRptFacts t) {
        ObjectNode o = NODES.objectNode();
        o.set("lookup", txt(t.lookup()));
        putOptional(o, "record", t.record().map(r -> r.text()));
        ArrayNode rua = o.putArray("rua");
        t.endpoints().forEach(rua::add);
        return o;
    }

    private static JsonNode certificate(Optional<CertificateSummary> summary) {
        if (summary.isEmpty()) {
            return NODES.nullNode();
        }
        CertificateSummary c = summary.get();
        ObjectNode o = NODES.objectNode();
        o.put("subject", c.subject());
        ArrayNode names = o.putArray("dnsNames");
        c.dnsNames().forEach(names::add);
        o.put("issuer", c.issuer());
        o.put("notBefore", c.notBefore().toString());
        o.put("notAfter", c.notAfter().toString());
        return o;
    }

    private static void putOptional(ObjectNode o, String name, Optional<String> value) {
        if (value.isPresent()) {
            o.put(name, value.get());
        } else {
            o.putNull(name);
        }
    }
}
