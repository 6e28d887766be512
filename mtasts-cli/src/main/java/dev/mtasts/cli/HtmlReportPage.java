package dev.mtasts.cli;

import dev.mtasts.tlsrpt.ReportsOverview;
import dev.mtasts.tlsrpt.ReportsOverview.Totals;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code mtasts report summary --html}: one self-contained page (inline CSS and SVG, no script, no
 * external resource) a domain owner can open or mail around. Every string from a report is
 * escaped: organisation names, MX names and even policy domains are chosen by whoever sends the
 * report. A Content-Security-Policy that allows no script at all backs the escaping up.
 */
final class HtmlReportPage {
    /** Above this many report days the time chart shows months instead. */
    static final int MAX_DAY_COLUMNS = 92;

    private static final int BAR_ROWS = 12;

    private HtmlReportPage() {}

    /** The whole page. */
    static String render(ReportSummary summary) {
        ReportsOverview o = summary.overview();
        Totals all = summary.totals();
        StringBuilder h = new StringBuilder(32_768);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
                        + " style-src 'unsafe-inline'\">\n")
                .append("<title>TLS report summary</title>\n<style>")
                .append(CSS)
                .append("</style>\n</head>\n<body>\n<main>\n");
        h.append("<header><h1>TLS report summary</h1><p class=\"sub\">")
                .append(fmt("%,d report%s", o.reports(), o.reports() == 1 ? "" : "s"))
                .append(fmt(
                        " from %,d file%s",
                        summary.corpus().files(), summary.corpus().files() == 1 ? "" : "s"));
        summary.days()
                .ifPresent(days -> h.append(" &middot; ").append(escape(days)).append(" (UTC)"));
        h.append(" &middot; ")
                .append(escape(summary.modeName()))
                .append(" reading")
                .append("</p></header>\n");

        h.append("<section class=\"kpis\">");
        kpi(h, "sessions", "Sessions", fmt("%,d", all.sessions()), "");
        kpi(h, "successful", "Successful", fmt("%,d", all.successfulSessions()), "ok");
        kpi(h, "failed", "Failed", fmt("%,d", all.failedSessions()), all.failedSessions() > 0 ? "bad" : "");
        kpi(h, "failure-rate", "Failure rate", ReportSummary.percent(all), all.failedSessions() > 0 ? "bad" : "ok");
        kpi(h, "domains", "Policy domains", fmt("%,d", o.byPolicyDomain().size()), "");
        kpi(
                h,
                "organizations",
                "Reporting orgs",
                fmt("%,d", o.bySendingOrganization().size()),
                "");
        h.append("</section>\n");

        if (o.reports() == 0) {
            h.append("<section class=\"card\"><p class=\"empty\">No TLS reports were found.</p></section>\n");
        } else {
            List<HtmlCharts.Column> time = timeColumns(o.byDay());
            String unit = time.size() == o.byDay().size() ? "day" : "month";
            h.append("<section class=\"card wide\"><h2>Sessions per ")
                    .append(unit)
                    .append("</h2><p class=\"legend\"><span class=\"swatch\" style=\"background:")
                    .append(HtmlCharts.OK_COLOUR)
                    .append("\"></span>successful <span class=\"swatch\" style=\"background:")
                    .append(HtmlCharts.FAILED_COLOUR)
                    .append("\"></span>failed &middot; UTC ")
                    .append(unit)
                    .append(" of each report's start</p>")
                    .append(HtmlCharts.columns("sessions-per-day", "Sessions per " + unit, time))
                    .append("</section>\n");
            List<HtmlCharts.Column> failedOnly = new ArrayList<>();
            for (HtmlCharts.Column c : time) {
                failedOnly.add(new HtmlCharts.Column(c.label(), 0, c.failed()));
            }
            h.append("<section class=\"card wide\"><h2>Failed sessions per ")
                    .append(unit)
                    .append("</h2>")
                    .append(HtmlCharts.columns("failures-per-day", "Failed sessions per " + unit, failedOnly))
                    .append("</section>\n");

            h.append("<div class=\"grid\">");
            chartCard(
                    h,
                    "Failure rate by policy domain",
                    "failed sessions in percent of all; bars relative to the highest rate",
                    HtmlCharts.bars(
                            "failure-rate-by-domain",
                            "Failure rate by policy domain",
                            rateBars(o.byPolicyDomain()),
                            HtmlCharts.FAILED_COLOUR,
                            BAR_ROWS),
                    o.byPolicyDomain().size());
            chartCard(
                    h,
                    "Failures by result type",
                    "failed sessions by failure-details result-type",
                    countChart(
                            "failures-by-result-type", "Failures by result type", o.failuresByResultType(), "#d9822b"),
                    o.failuresByResultType().size());
            chartCard(
                    h,
                    "Failures by sending organisation",
                    "failed sessions by the reporting organization-name",
                    countChart(
                            "failures-by-organization",
                            "Failures by sending organisation",
                            failedBy(o.bySendingOrganization()),
                            "#8e5ac8"),
                    failedBy(o.bySendingOrganization()).size());
            chartCard(
                    h,
                    "Failures by receiving MX",
                    "failed sessions by receiving-mx-hostname",
                    countChart("failures-by-mx", "Failures by receiving MX", o.failuresByReceivingMx(), "#2f80b7"),
                    o.failuresByReceivingMx().size());
            h.append("</div>\n");

            totalsTable(h, "totals-by-domain", "Totals by policy domain", "Policy domain", o.byPolicyDomain());
            totalsTable(
                    h,
                    "totals-by-organization",
                    "Totals by sending organisation",
                    "Organisation",
                    o.bySendingOrganization());
            countTable(h, "failures-by-ip", "Failed sessions by sending IP", "Sending MTA IP", o.failuresBySendingIp());
            Map<String, Totals> days = new LinkedHashMap<>();
            o.byDay().forEach((day, t) -> days.put(day.toString(), t));
            totalsTable(h, "totals-by-day", "Totals by day (UTC)", "Day", days);
        }
        notes(h, "unreadable", "Unreadable files", summary.corpus().unreadable());
        notes(
                h,
                "not-reports",
                "E-mails that are not TLS reports",
                summary.corpus().notReports());
        h.append("<footer>Made by <code>mtasts report summary</code>. A report counted twice (same organisation and"
                        + " report-id) counts once; when a report lists the same sessions under several policies"
                        + " of one domain, only the policy with the most sessions counts.")
                .append(
                        o.missingCounts() > 0
                                ? fmt(
                                        " %,d session counts were missing from reports and are not" + " counted.",
                                        o.missingCounts())
                                : "")
                .append("</footer>\n</main>\n</body>\n</html>\n");
        return h.toString();
    }

    /** Days as columns; months when there are too many days to draw. */
    static List<HtmlCharts.Column> timeColumns(Map<LocalDate, Totals> byDay) {
        Map<String, Totals> buckets = new LinkedHashMap<>();
        boolean months = byDay.size() > MAX_DAY_COLUMNS;
        byDay.forEach((day, t) -> buckets.merge(
                months ? YearMonth.from(day).toString() : day.toString(),
                t,
                (a, b) -> new Totals(
                        a.successfulSessions() + b.successfulSessions(), a.failedSessions() + b.failedSessions())));
        List<HtmlCharts.Column> columns = new ArrayList<>();
        buckets.forEach(
                (label, t) -> columns.add(new HtmlCharts.Column(label, t.successfulSessions(), t.failedSessions())));
        return columns;
    }

    private static List<HtmlCharts.Bar> rateBars(Map<String, Totals> byDomain) {
        List<HtmlCharts.Bar> bars = new ArrayList<>();
        byDomain.entrySet().stream()
                .sorted(Comparator.comparingDouble(
                                (Map.Entry<String, Totals> e) -> ReportSummary.failureRate(e.getValue()))
                        .reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> bars.add(new HtmlCharts.Bar(
                        e.getKey(),
                        ReportSummary.failureRate(e.getValue()),
                        ReportSummary.percent(e.getValue()),
                        e.getKey()
                                + fmt(
                                        ": %,d of %,d sessions failed",
                                        e.getValue().failedSessions(),
                                        e.getValue().sessions()))));
        return bars;
    }

    private static Map<String, Long> failedBy(Map<String, Totals> totals) {
        Map<String, Long> failed = new LinkedHashMap<>();
        totals.forEach((k, t) -> {
            if (t.failedSessions() > 0) {
                failed.put(k, t.failedSessions());
            }
        });
        return failed;
    }

    private static String countChart(String id, String title, Map<String, Long> counts, String colour) {
        List<HtmlCharts.Bar> bars = new ArrayList<>();
        sorted(counts)
                .forEach(e -> bars.add(new HtmlCharts.Bar(
                        e.getKey(),
                        e.getValue(),
                        fmt("%,d", e.getValue()),
                        e.getKey() + fmt(": %,d failed sessions", e.getValue()))));
        return HtmlCharts.bars(id, title, bars, colour, BAR_ROWS);
    }

    private static List<Map.Entry<String, Long>> sorted(Map<String, Long> counts) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .toList();
    }

    private static void chartCard(StringBuilder h, String title, String note, String svg, int rows) {
        h.append("<section class=\"card\"><h2>").append(escape(title)).append("</h2>");
        if (!note.isEmpty() && rows > 0) {
            h.append("<p class=\"legend\">").append(escape(note)).append("</p>");
        }
        if (rows == 0) {
            h.append("<p class=\"empty\">No failed sessions reported.</p>");
        } else {
            h.append(svg);
            if (rows > BAR_ROWS) {
                h.append(fmt("<p class=\"more\">and %,d more in the tables below</p>", rows - BAR_ROWS));
            }
        }
        h.append("</section>");
    }

    private static void kpi(StringBuilder h, String id, String label, String value, String tone) {
        h.append("<div class=\"kpi ")
                .append(tone)
                .append("\" id=\"kpi-")
                .append(id)
                .append("\"><span class=\"label\">")
                .append(escape(label))
                .append("</span><span class=\"value\">")
                .append(escape(value))
                .append("</span></div>");
    }

    private static void totalsTable(
            StringBuilder h, String id, String title, String keyHeader, Map<String, Totals> rows) {
        h.append("<section class=\"card wide\"><h2>")
                .append(escape(title))
                .append("</h2><table id=\"")
                .append(id)
                .append("\"><thead><tr><th>")
                .append(escape(keyHeader))
                .append("</th><th class=\"n\">Sessions</th><th class=\"n\">Successful</th>"
                        + "<th class=\"n\">Failed</th><th class=\"n\">Failure rate</th></tr></thead><tbody>");
        rows.forEach((key, t) -> h.append("<tr><td>")
                .append(escape(key))
                .append("</td><td class=\"n\">")
                .append(fmt("%,d", t.sessions()))
                .append("</td><td class=\"n\">")
                .append(fmt("%,d", t.successfulSessions()))
                .append("</td><td class=\"n")
                .append(t.failedSessions() > 0 ? " bad" : "")
                .append("\">")
                .append(fmt("%,d", t.failedSessions()))
                .append("</td><td class=\"n\">")
                .append(escape(ReportSummary.percent(t)))
                .append("</td></tr>"));
        h.append("</tbody></table></section>\n");
    }

    private static void countTable(StringBuilder h, String id, String title, String keyHeader, Map<String, Long> rows) {
        if (rows.isEmpty()) {
            return;
        }
        h.append("<section class=\"card wide\"><h2>")
                .append(escape(title))
                .append("</h2><table id=\"")
                .append(id)
                .append("\"><thead><tr><th>")
                .append(escape(keyHeader))
                .append("</th><th class=\"n\">Failed sessions</th></tr></thead><tbody>");
        for (Map.Entry<String, Long> e : sorted(rows)) {
            h.append("<tr><td>")
                    .append(escape(e.getKey()))
                    .append("</td><td class=\"n bad\">")
                    .append(fmt("%,d", e.getValue()))
                    .append("</td></tr>");
        }
        h.append("</tbody></table></section>\n");
    }

    private static void notes(StringBuilder h, String id, String title, List<ReportCorpus.FileNote> notes) {
        if (notes.isEmpty()) {
            return;
        }
        h.append("<section class=\"card wide\" id=\"")
                .append(id)
                .append("\"><h2>")
                .append(escape(title))
                .append(fmt(" (%,d)", notes.size()))
                .append("</h2><ul class=\"files\">");
        for (ReportCorpus.FileNote note : notes) {
            h.append("<li><code>")
                    .append(escape(note.path().toString()))
                    .append("</code>: ")
                    .append(escape(note.reason()))
                    .append("</li>");
        }
        h.append("</ul></section>\n");
    }

    /**
     * Text safe in HTML element content and in quoted attributes: {@code & < > " '} become
     * references; control characters (which HTML forbids) become U+FFFD.
     */
    static String escape(String untrusted) {
        StringBuilder b = new StringBuilder(untrusted.length() + 16);
        untrusted.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (Character.getType(c) == Character.CONTROL && c != '\n' && c != '\t') {
                        b.append('\uFFFD');
                    } else {
                        b.appendCodePoint(c);
                    }
                }
            }
        });
        return b.toString();
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    private static final String CSS = """
            :root{--ink:#1f2933;--muted:#616e7c;--line:#e4e7eb;--ok:#3a9d5d;--bad:#d64545}
            *{box-sizing:border-box}
            body{margin:0;background:#f3f5f8;color:var(--ink);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
            main{max-width:1200px;margin:0 auto;padding:28px 24px 40px}
            header h1{margin:0;font-size:28px;letter-spacing:-.01em}
            .sub{margin:4px 0 20px;color:var(--muted)}
            .kpis{display:grid;grid-template-columns:repeat(6,1fr);gap:12px;margin-bottom:16px}
            .kpi{background:#fff;border:1px solid var(--line);border-radius:10px;padding:12px 14px;display:flex;flex-direction:column}
            .kpi .label{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.05em}
            .kpi .value{font-size:24px;font-weight:650;font-variant-numeric:tabular-nums;overflow-wrap:anywhere}
            .kpi.ok .value{color:var(--ok)}
            .kpi.bad .value{color:var(--bad)}
            .card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:16px 20px;margin-bottom:16px;overflow:hidden}
            .card h2{margin:0 0 10px;font-size:16px}
            .grid{display:grid;grid-template-columns:1fr 1fr;gap:16px}
            .grid .card{margin-bottom:0}
            .grid + *{margin-top:16px}
            svg.chart{display:block;max-width:100%;height:auto}
            svg text{font:12px system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;fill:var(--ink)}
            svg text.axis{fill:var(--muted);font-size:11px}
            svg text.num{font-variant-numeric:tabular-nums}
            svg .gridline{stroke:#edf0f3}
            svg .baseline{stroke:#9aa5b1}
            .legend{margin:-6px 0 6px;color:var(--muted);font-size:13px}
            .swatch{display:inline-block;width:11px;height:11px;border-radius:2px;margin:0 5px 0 8px;vertical-align:-1px}
            .swatch:first-child{margin-left:0}
            .empty,.more{color:var(--muted);margin:4px 0}
            table{width:100%;border-collapse:collapse;font-variant-numeric:tabular-nums}
            th,td{padding:6px 10px;border-bottom:1px solid var(--line);text-align:left;overflow-wrap:anywhere}
            th{color:var(--muted);font-weight:600;font-size:13px}
            td.n,th.n{text-align:right;white-space:nowrap}
            td.bad{color:var(--bad);font-weight:600}
            tbody tr:nth-child(even){background:#fafbfc}
            ul.files{margin:0;padding-left:18px}
            ul.files li{margin:3px 0;overflow-wrap:anywhere}
            footer{color:var(--muted);font-size:12px;margin-top:20px}
            @media (max-width:900px){.kpis{grid-template-columns:repeat(2,1fr)}.grid{grid-template-columns:1fr}}
            """;
}
