package dev.mtasts.cli;

import dev.mtasts.checker.CertificateSummary;
import dev.mtasts.checker.Check;
import dev.mtasts.checker.CheckReport;
import dev.mtasts.checker.Finding;
import dev.mtasts.checker.LookupStatus;
import dev.mtasts.checker.MxAddressFacts;
import dev.mtasts.checker.MxHostFacts;
import dev.mtasts.checker.PolicyFacts;
import dev.mtasts.checker.PolicyHostFacts;
import dev.mtasts.checker.Severity;
import dev.mtasts.checker.TxtLookup;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code check} text report of one domain: sections in the order a sender works (MTA-STS
 * record, policy host, policy, MX hosts, TLSRPT, cross-checks), each with what was seen and then
 * its findings, and a verdict line.
 */
final class CheckText {
    private static final String RESET = "\u001b[0m";

    /** The report's sections; every check belongs to exactly one. */
    enum Section {
        STS_RECORD("MTA-STS record"),
        POLICY_HOST("Policy host"),
        POLICY("Policy"),
        MX("MX hosts"),
        TLSRPT("TLSRPT record"),
        CROSS("Cross-checks");

        final String title;

        Section(String title) {
            this.title = title;
        }
    }

    private final PrintWriter out;
    private final boolean colour;

    CheckText(PrintWriter out, boolean colour) {
        this.out = out;
        this.colour = colour;
    }

    /** The section a check's findings are shown in. */
    static Section section(Check check) {
        return switch (check) {
            case STS_TXT_LOOKUP,
                    STS_TXT_CNAME,
                    STS_TXT_COUNT,
                    STS_TXT_OTHER,
                    STS_TXT_LOCATION,
                    STS_TXT_SYNTAX,
                    STS_TXT_UNKNOWN_FIELD,
                    STS_TXT_DNSSEC -> Section.STS_RECORD;
            case STS_HOST_RESOLVE,
                    STS_HOST_TLS,
                    STS_HOST_CERT,
                    STS_HTTP_STATUS,
                    STS_HTTP_CTYPE,
                    STS_HTTP_SIZE,
                    STS_HTTP_ENCODING,
                    STS_HTTP_TIMEOUT,
                    STS_HOST_CONSISTENCY -> Section.POLICY_HOST;
            case STS_POLICY_SYNTAX,
                    STS_POLICY_VERSION,
                    STS_POLICY_MODE,
                    STS_POLICY_MAX_AGE,
                    STS_POLICY_MX,
                    STS_POLICY_DUP_KEY,
                    STS_POLICY_UNKNOWN_KEY,
                    STS_POLICY_LINE_ENDINGS -> Section.POLICY;
            case STS_MX_LOOKUP,
                    STS_MX_COVERAGE,
                    STS_MX_STALE_PATTERN,
                    STS_MX_RESOLVE,
                    STS_MX_STARTTLS,
                    STS_MX_CERT,
                    STS_MX_TLS_VERSION,
                    STS_MX_PROBE,
                    STS_MX_POSTFIX_SKIP,
                    STS_DANE_OVERLAP -> Section.MX;
            case RPT_TXT_LOOKUP,
                    RPT_TXT_COUNT,
                    RPT_TXT_LOCATION,
                    RPT_TXT_SYNTAX,
                    RPT_RUA_SCHEME,
                    RPT_RUA_HTTPS,
                    RPT_RUA_SAME_DOMAIN,
                    RPT_RUA_POST -> Section.TLSRPT;
            case STS_ID_DRIFT, STS_MAX_AGE_CERT, CROSS_NO_TLSRPT -> Section.CROSS;
        };
    }

    /** Prints the outcome of one domain. */
    void print(CheckOutcome outcome) {
        Optional<CheckReport> maybe = outcome.report();
        if (maybe.isEmpty()) {
            out.println(outcome.domain() + ": not checked: "
                    + outcome.localProblem().orElse(""));
            out.println();
            return;
        }
        CheckReport report = maybe.get();
        Map<Section, List<Finding>> bySection = new EnumMap<>(Section.class);
        for (Finding f : report.findings()) {
            bySection
                    .computeIfAbsent(section(f.check()), s -> new ArrayList<>())
                    .add(f);
        }
        out.println("== " + report.domain() + "  (started " + report.startedAt() + ", "
                + report.elapsed().toMillis() + " ms)");
        for (Section section : Section.values()) {
            List<Finding> findings = bySection.getOrDefault(section, List.of());
            List<String> facts = facts(section, report);
            if (facts.isEmpty() && findings.isEmpty()) {
                continue;
            }
            out.println();
            out.println(section.title);
            facts.forEach(line -> out.println("  " + line));
            findings.forEach(this::finding);
        }
        out.println();
        out.println(verdictLine(outcome));
        out.println();
    }

    /** {@code example.com: 2 errors, 1 warning (exit 2)}. */
    static String verdictLine(CheckOutcome outcome) {
        CheckReport report = outcome.report().orElseThrow();
        long errors = count(report, Severity.ERROR);
        long warnings = count(report, Severity.WARNING);
        String summary = errors == 0 && warnings == 0
                ? "PASS, no errors or warnings"
                : (errors > 0 ? "FAIL, " : "PASS with warnings, ") + plural(errors, "error") + ", "
                        + plural(warnings, "warning");
        return "Verdict " + report.domain() + ": " + summary + " (exit " + outcome.exitCode() + ")";
    }

    private static long count(CheckReport report, Severity severity) {
        return report.findings().stream().filter(f -> f.severity() == severity).count();
    }

    private static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    private void finding(Finding f) {
        String tag = "[" + f.severity().letter() + "] " + f.id();
        out.println("  " + paint(f.severity(), tag) + "  " + f.message() + (f.lenient() ? "  (lenient re-reading)" : "")
                + (f.rfc().equals("-") ? "" : "  [" + f.rfc() + "]"));
        for (String line : f.evidence()) {
            out.println("        " + line);
        }
    }

    private String paint(Severity severity, String text) {
        if (!colour) {
            return text;
        }
        String code = switch (severity) {
            case ERROR -> "\u001b[31m";
            case WARNING -> "\u001b[33m";
            case INFO -> "\u001b[2m";
        };
        return code + text + RESET;
    }

    private static List<String> facts(Section section, CheckReport report) {
        List<String> lines = new ArrayList<>();
        switch (section) {
            case STS_RECORD -> txtFacts(report.stsTxt(), lines);
            case POLICY_HOST -> {
                if (!report.policyHost().isEmpty()) {
                    lines.add("mta-sts." + report.domain());
                }
                for (PolicyHostFacts h : report.policyHost()) {
                    lines.add("  " + h.address().getHostAddress() + "  " + policyHostSummary(h));
                    h.certificate().ifPresent(c -> lines.add("    certificate " + certificate(c)));
                    h.location().ifPresent(l -> lines.add("    Location: " + l + " (not followed)"));
                    h.error().ifPresent(e -> lines.add("    error: " + e));
                }
            }
            case POLICY -> report.policy().ifPresent(p -> policyFacts(p, lines));
            case MX -> {
                for (MxHostFacts h : report.mx()) {
                    lines.add(h.preference() + " " + h.host() + (h.implicit() ? " (implicit MX)" : "") + "  "
                            + h.matchingPattern()
                                    .map(p -> "covered by '" + p + "'")
                                    .orElse(report.policy().isPresent() ? "matches no mx pattern" : ""));
                    if (h.addresses().isEmpty()) {
                        lines.add("  no address");
                    }
                    for (MxAddressFacts a : h.addresses()) {
                        lines.add("  " + a.address().getHostAddress() + "  " + mxAddressSummary(a));
                        a.certificate()
                                .ifPresent(c -> lines.add("    certificate " + certificate(c)
                                        + a.certificateNameMatches()
                                                .map(m -> m ? "; names " + h.host() : "; does NOT name " + h.host())
                                                .orElse("")));
                        a.error().ifPresent(e -> lines.add("    error: " + e));
                    }
                }
            }
            case TLSRPT -> {
                txtFacts(report.tlsRpt().lookup(), lines);
                report.tlsRpt().endpoints().forEach(e -> lines.add("rua " + e));
            }
            case CROSS -> {
                // Cross-checks have no facts of their own: only findings.
            }
        }
        return lines;
    }

    private static void txtFacts(TxtLookup lookup, List<String> lines) {
        String status = switch (lookup.status()) {
            case FOUND ->
                lookup.records().size() + " TXT record" + (lookup.records().size() == 1 ? "" : "s");
            case NXDOMAIN -> "NXDOMAIN";
            case NODATA -> "no TXT records";
            case FAILED -> "lookup failed" + lookup.failure().map(f -> ": " + f).orElse("");
        };
        lines.add(lookup.name() + "  " + status + (lookup.authenticated() ? " (DNSSEC-validated)" : ""));
        if (lookup.cnameChain().size() > 1) {
            lines.add("  via " + String.join(" -> ", lookup.cnameChain()));
        }
        if (lookup.status() == LookupStatus.FOUND) {
            lookup.records().forEach(r -> lines.add("  \"" + r + "\""));
        }
    }

    private static void policyFacts(PolicyFacts p, List<String> lines) {
        lines.add(
                p.policy().isPresent()
                        ? "valid (a sender applies it)"
                        : "INVALID (a sender rejects it)" + (p.lenient() ? "; read leniently to go on" : ""));
        for (int i = 0; i < p.lines().size(); i++) {
            lines.add(String.format("%3d | %s", i + 1, p.lines().get(i)));
        }
    }

    private static String policyHostSummary(PolicyHostFacts h) {
        List<String> parts = new ArrayList<>();
        h.tlsVersion().ifPresent(parts::add);
        if (h.httpStatus().isPresent()) {
            parts.add("HTTP " + h.httpStatus().getAsInt());
        }
        h.contentType().ifPresent(parts::add);
        if (h.bodySize().isPresent()) {
            parts.add(h.bodySize().getAsLong() + " bytes");
        }
        return parts.isEmpty() ? "no answer" : String.join("  ", parts);
    }

    private static String mxAddressSummary(MxAddressFacts a) {
        String probe = switch (a.probe()) {
            case NOT_PROBED -> "not probed";
            case UNREACHABLE -> "unreachable from here (result unknown)";
            case NO_STARTTLS -> "no STARTTLS";
            case TLS_FAILED -> "STARTTLS offered, handshake failed";
            case TLS_OK -> "STARTTLS ok";
        };
        return probe + a.tlsVersion().map(v -> "  " + v).orElse("");
    }

    private static String certificate(CertificateSummary c) {
        return "subject " + c.subject() + "; SANs " + c.dnsNames() + "; issuer " + c.issuer() + "; notAfter "
                + c.notAfter();
    }
}
