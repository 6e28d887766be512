package dev.mtasts.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mtasts.tlsrpt.ReportWarning;
import dev.mtasts.tlsrpt.ReportsOverview;
import dev.mtasts.tlsrpt.ReportsOverview.Totals;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of {@code mtasts report summary}. Field names are stable (scripts depend on them)
 * and follow RFC 8460's spelling where a field comes from a report: {@code policy-domain} keys
 * {@code by-policy-domain}, and so on. Maps are objects keyed by name, sorted.
 */
final class ReportJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportJson() {}

    /** The summary as a JSON document, indented, without a final line break. */
    static String write(ReportSummary summary) {
        try {
            return MAPPER.writeValueAsString(tree(summary));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain nodes always serialises", e);
        }
    }

    static ObjectNode tree(ReportSummary summary) {
        ReportsOverview o = summary.overview();
        ObjectNode root = MAPPER.createObjectNode();
        root.put("mode", summary.modeName());
        ObjectNode files = root.putObject("files");
        files.put("found", summary.corpus().files());
        files.set("unreadable", notes(summary.corpus().unreadable()));
        files.set("not-reports", notes(summary.corpus().notReports()));
        root.put("reports", o.reports());
        root.put("duplicates", o.duplicates());
        root.put("missing-counts", o.missingCounts());
        root.set("totals", totals(summary.totals()));
        ObjectNode byDomain = root.putObject("by-policy-domain");
        o.byPolicyDomain().forEach((k, v) -> byDomain.set(k, totals(v)));
        ObjectNode byOrg = root.putObject("by-organization-name");
        o.bySendingOrganization().forEach((k, v) -> byOrg.set(k, totals(v)));
        ObjectNode byDay = root.putObject("by-day");
        o.byDay().forEach((k, v) -> byDay.set(k.toString(), totals(v)));
        counts(root.putObject("failures-by-result-type"), o.failuresByResultType());
        counts(root.putObject("failures-by-receiving-mx-hostname"), o.failuresByReceivingMx());
        counts(root.putObject("failures-by-sending-mta-ip"), o.failuresBySendingIp());
        ObjectNode warnings = root.putObject("warnings");
        o.warnings().forEach((report, list) -> {
            ArrayNode array = warnings.putArray(report);
            for (ReportWarning w : list) {
                array.add(w.toString());
            }
        });
        return root;
    }

    private static ObjectNode totals(Totals t) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("sessions", t.sessions());
        node.put("successful", t.successfulSessions());
        node.put("failed", t.failedSessions());
        node.put("failure-rate", ReportSummary.failureRate(t));
        return node;
    }

    private static void counts(ObjectNode into, Map<String, Long> counts) {
        counts.forEach(into::put);
    }

    private static ArrayNode notes(List<ReportCorpus.FileNote> notes) {
        ArrayNode array = MAPPER.createArrayNode();
        for (ReportCorpus.FileNote note : notes) {
            ObjectNode n = array.addObject();
            n.put("path", note.path().toString());
            n.put("reason", note.reason());
        }
        return array;
    }
}
