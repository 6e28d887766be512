package dev.mtasts.cli;

import dev.mtasts.tlsrpt.ReadMode;
import dev.mtasts.tlsrpt.ReportsOverview;
import dev.mtasts.tlsrpt.ReportsOverview.Totals;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What {@code mtasts report summary} shows: the totals over the reports read, and the files that
 * gave none.
 *
 * @param mode how the reports were read
 * @param corpus the files and what was read from them
 * @param overview the totals (de-duplicated, one policy per domain and report)
 */
record ReportSummary(ReadMode mode, ReportCorpus corpus, ReportsOverview overview) {
    /** Summarises what was read. */
    static ReportSummary of(ReadMode mode, ReportCorpus corpus) {
        return new ReportSummary(mode, corpus, ReportsOverview.of(corpus.readings()));
    }

    /** All sessions over every policy domain. */
    Totals totals() {
        long ok = 0;
        long failed = 0;
        for (Totals t : overview.byPolicyDomain().values()) {
            ok = add(ok, t.successfulSessions());
            failed = add(failed, t.failedSessions());
        }
        return new Totals(ok, failed);
    }

    /** The first and last report day, e.g. {@code 2016-04-01 to 2016-04-03}; empty without reports. */
    Optional<String> days() {
        List<LocalDate> days = List.copyOf(overview.byDay().keySet());
        return days.isEmpty() ? Optional.empty() : Optional.of(days.get(0) + " to " + days.get(days.size() - 1));
    }

    /** {@code "strict"} or {@code "lenient"}. */
    String modeName() {
        return mode.name().toLowerCase(Locale.ROOT);
    }

    /** Failed sessions as a fraction of all sessions; 0 when there were none. */
    static double failureRate(Totals t) {
        return t.sessions() == 0 ? 0 : (double) t.failedSessions() / t.sessions();
    }

    /** The failure rate in percent with two decimals, e.g. {@code 1.84 %}. */
    static String percent(Totals t) {
        return String.format(Locale.ROOT, "%.2f %%", failureRate(t) * 100);
    }

    /**
     * Text from a report for a terminal: control characters (escape sequences, line breaks) become
     * U+FFFD, so that an organisation name cannot rewrite the screen.
     */
    static String clean(String untrusted) {
        StringBuilder b = new StringBuilder(untrusted.length());
        untrusted.codePoints().forEach(c -> {
            if (Character.getType(c) == Character.CONTROL || c == 0x2028 || c == 0x2029) {
                b.append('\uFFFD');
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }

    private static long add(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
