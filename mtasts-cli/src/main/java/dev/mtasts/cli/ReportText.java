package dev.mtasts.cli;

import dev.mtasts.tlsrpt.ReportsOverview;
import dev.mtasts.tlsrpt.ReportsOverview.Totals;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/** The text form of {@code mtasts report summary}: aligned tables a terminal or a mail can show. */
final class ReportText {
    private ReportText() {}

    /** Writes the summary to {@code out}. */
    static void write(ReportSummary summary, PrintWriter out) {
        ReportsOverview o = summary.overview();
        ReportCorpus corpus = summary.corpus();
        out.printf(
                Locale.ROOT,
                "TLSRPT summary: %d report%s from %d file%s (%s mode), %d duplicate%s dropped%n",
                o.reports(),
                plural(o.reports()),
                corpus.files(),
                plural(corpus.files()),
                summary.modeName(),
                o.duplicates(),
                plural(o.duplicates()));
        if (o.reports() > 0) {
            Totals t = summary.totals();
            out.printf(
                    Locale.ROOT,
                    "Sessions: %d, successful %d, failed %d (%s)%n",
                    t.sessions(),
                    t.successfulSessions(),
                    t.failedSessions(),
                    ReportSummary.percent(t));
            summary.days().ifPresent(days -> out.println("Days (UTC): " + days));
            if (o.missingCounts() > 0) {
                out.printf(Locale.ROOT, "Counts missing from reports (not counted): %d%n", o.missingCounts());
            }
            if (!o.warnings().isEmpty()) {
                out.printf(
                        Locale.ROOT,
                        "Reports read with tolerated deviations: %d (mtasts tlsrpt --verbose lists them)%n",
                        o.warnings().size());
            }
            totals(out, "By policy domain", "policy-domain", o.byPolicyDomain());
            totals(out, "By sending organisation", "organization-name", o.bySendingOrganization());
            totals(out, "By day (UTC day of date-range start)", "day", o.byDay());
            counts(out, "Failed sessions by result type", "result-type", o.failuresByResultType());
            counts(out, "Failed sessions by receiving MX", "receiving-mx-hostname", o.failuresByReceivingMx());
            counts(out, "Failed sessions by sending IP", "sending-mta-ip", o.failuresBySendingIp());
        } else {
            out.println("No TLSRPT reports found.");
        }
        notes(out, "Unreadable files", summary.corpus().unreadable());
        notes(out, "Not TLSRPT reports", summary.corpus().notReports());
    }

    private static <K> void totals(PrintWriter out, String title, String column, Map<K, Totals> rows) {
        if (rows.isEmpty()) {
            return;
        }
        int width = width(column, rows.keySet());
        out.println();
        out.println(title);
        out.printf(
                Locale.ROOT,
                "  %-" + width + "s %12s %12s %12s %9s%n",
                column,
                "sessions",
                "successful",
                "failed",
                "failed %");
        rows.forEach((key, t) -> out.printf(
                Locale.ROOT,
                "  %-" + width + "s %12d %12d %12d %9.2f%n",
                ReportSummary.clean(String.valueOf(key)),
                t.sessions(),
                t.successfulSessions(),
                t.failedSessions(),
                ReportSummary.failureRate(t) * 100));
    }

    private static void counts(PrintWriter out, String title, String column, Map<String, Long> rows) {
        if (rows.isEmpty()) {
            return;
        }
        int width = width(column, rows.keySet());
        out.println();
        out.println(title);
        out.printf(Locale.ROOT, "  %-" + width + "s %12s%n", column, "failed");
        rows.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> out.printf(
                        Locale.ROOT, "  %-" + width + "s %12d%n", ReportSummary.clean(e.getKey()), e.getValue()));
    }

    private static void notes(PrintWriter out, String title, java.util.List<ReportCorpus.FileNote> notes) {
        if (notes.isEmpty()) {
            return;
        }
        out.println();
        out.println(title + " (" + notes.size() + ")");
        for (ReportCorpus.FileNote note : notes) {
            out.println("  " + note.path() + ": " + ReportSummary.clean(note.reason()));
        }
    }

    private static int width(String column, Iterable<?> keys) {
        int width = column.length();
        for (Object key : keys) {
            width = Math.max(width, ReportSummary.clean(String.valueOf(key)).length());
        }
        return Math.min(width, 60);
    }

    private static String plural(long n) {
        return n == 1 ? "" : "s";
    }
}
