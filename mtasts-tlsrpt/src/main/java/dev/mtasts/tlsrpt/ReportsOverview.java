package dev.mtasts.tlsrpt;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Totals over many received reports for a domain owner (RPT-READ-5, RPT-READ-6): sessions by
 * policy domain, sending organisation and day; failed sessions by result type, receiving MX and
 * sending IP. Reports are de-duplicated by (organization-name, report-id). Within one report the
 * sessions of one policy domain are never added across its policies (Microsoft lists the same
 * sessions under {@code sts} and {@code tlsa}, RW-8): per domain, the totals are those of the one
 * policy with the most sessions (ties: the one with more failures), and every breakdown takes the
 * maximum per key over the policies. Sums saturate at {@link Long#MAX_VALUE} instead of overflowing.
 *
 * <p>Counts a report left out add nothing (never invented, RW-6); {@link #missingCounts()} says how
 * many were missing. Immutable and thread-safe.
 *
 * @param reports reports counted after de-duplication
 * @param duplicates reports skipped as duplicates
 * @param missingCounts summary counts that were absent in the input
 * @param byPolicyDomain session totals by policy domain ({@value #UNKNOWN_DOMAIN} when a report
 *     names none and its e-mail had no {@code TLS-Report-Domain})
 * @param bySendingOrganization session totals by {@code organization-name}
 * @param byDay session totals by report day (UTC date of the start, RPT-DAY-4)
 * @param failuresByResultType failed sessions by {@code result-type} token
 * @param failuresByReceivingMx failed sessions by {@code receiving-mx-hostname} (lower case)
 * @param failuresBySendingIp failed sessions by {@code sending-mta-ip}
 * @param warnings every reading's warnings, keyed by {@code organization-name / report-id}
 */
public record ReportsOverview(
        int reports,
        int duplicates,
        int missingCounts,
        Map<String, Totals> byPolicyDomain,
        Map<String, Totals> bySendingOrganization,
        Map<LocalDate, Totals> byDay,
        Map<String, Long> failuresByResultType,
        Map<String, Long> failuresByReceivingMx,
        Map<String, Long> failuresBySendingIp,
        Map<String, List<ReportWarning>> warnings) {
    /** The key used when no policy domain is known (RW-5). */
    public static final String UNKNOWN_DOMAIN = "(unknown)";

    /** Copies the maps. */
    public ReportsOverview {
        byPolicyDomain = Collections.unmodifiableMap(new TreeMap<>(byPolicyDomain));
        bySendingOrganization = Collections.unmodifiableMap(new TreeMap<>(bySendingOrganization));
        byDay = Collections.unmodifiableMap(new TreeMap<>(byDay));
        failuresByResultType = Collections.unmodifiableMap(new TreeMap<>(failuresByResultType));
        failuresByReceivingMx = Collections.unmodifiableMap(new TreeMap<>(failuresByReceivingMx));
        failuresBySendingIp = Collections.unmodifiableMap(new TreeMap<>(failuresBySendingIp));
        warnings = Collections.unmodifiableMap(new LinkedHashMap<>(warnings));
    }

    /**
     * Session totals.
     *
     * @param successfulSessions successful sessions
     * @param failedSessions failed sessions
     */
    public record Totals(long successfulSessions, long failedSessions) {
        /** No sessions. */
        public static final Totals ZERO = new Totals(0, 0);

        /** The sum of both, saturated at {@link Long#MAX_VALUE}. */
        public long sessions() {
            return saturatedAdd(successfulSessions, failedSessions);
        }

        Totals plus(Totals o) {
            return new Totals(
                    saturatedAdd(successfulSessions, o.successfulSessions),
                    saturatedAdd(failedSessions, o.failedSessions));
        }
    }

    /** Summarises {@code readings}, e.g. everything received in a month. */
    public static ReportsOverview of(Collection<TlsRptReading> readings) {
        Set<List<String>> seen = new HashSet<>();
        int reports = 0;
        int duplicates = 0;
        int[] missing = {0};
        Map<String, Totals> byDomain = new TreeMap<>();
        Map<String, Totals> byOrg = new TreeMap<>();
        Map<LocalDate, Totals> byDay = new TreeMap<>();
        Map<String, Long> byType = new TreeMap<>();
        Map<String, Long> byMx = new TreeMap<>();
        Map<String, Long> byIp = new TreeMap<>();
        Map<String, List<ReportWarning>> warnings = new LinkedHashMap<>();
        for (TlsRptReading reading : readings) {
            TlsRptReport report = reading.report();
            // RPT-READ-5: the same report may arrive twice (several rua, resends).
            if (!seen.add(List.of(report.organizationName(), report.reportId()))) {
                duplicates++;
                continue;
            }
            reports++;
            if (!reading.warnings().isEmpty()) {
                warnings.put(report.organizationName() + " / " + report.reportId(), reading.warnings());
            }
            Optional<String> mailDomain = reading.mail().flatMap(MailMetadata::tlsReportDomain);
            Map<String, List<PolicyEntry>> entriesByDomain = new LinkedHashMap<>();
            for (PolicyEntry e : report.policies()) {
                String domain = e.policy()
                        .policyDomain()
                        .or(() -> mailDomain)
                        .map(d -> d.toLowerCase(Locale.ROOT))
                        .orElse(UNKNOWN_DOMAIN);
                entriesByDomain.computeIfAbsent(domain, d -> new ArrayList<>()).add(e);
            }
            entriesByDomain.forEach((domain, entries) -> {
                // RPT-READ-6: the counts of the one policy with the most sessions, never a sum and
                // never a mix of fields from different policies (that would invent sessions).
                Totals t = Totals.ZERO;
                boolean first = true;
                for (PolicyEntry e : entries) {
                    Totals candidate = new Totals(
                            count(e.summary().totalSuccessfulSessionCount(), missing),
                            count(e.summary().totalFailureSessionCount(), missing));
                    if (first
                            || candidate.sessions() > t.sessions()
                            || (candidate.sessions() == t.sessions()
                                    && candidate.failedSessions() > t.failedSessions())) {
                        t = candidate;
                    }
                    first = false;
                }
                byDomain.merge(domain, t, Totals::plus);
                byOrg.merge(report.organizationName(), t, Totals::plus);
                byDay.merge(report.dateRange().day(), t, Totals::plus);
                addMax(entries, d -> Optional.of(d.resultType().token()), byType);
                addMax(entries, d -> d.receivingMxHostname().map(h -> h.toLowerCase(Locale.ROOT)), byMx);
                addMax(entries, FailureDetail::sendingMtaIp, byIp);
            });
        }
        return new ReportsOverview(
                reports, duplicates, missing[0], byDomain, byOrg, byDay, byType, byMx, byIp, warnings);
    }

    private static long count(java.util.OptionalLong value, int[] missing) {
        if (value.isEmpty()) {
            missing[0]++;
            return 0;
        }
        return value.getAsLong();
    }

    /** Per key, the maximum over the domain's policies of that policy's sum, added to {@code into}. */
    private static void addMax(
            List<PolicyEntry> entries, Function<FailureDetail, Optional<String>> key, Map<String, Long> into) {
        Map<String, Long> max = new TreeMap<>();
        for (PolicyEntry e : entries) {
            Map<String, Long> sums = new TreeMap<>();
            for (FailureDetail d : e.failureDetails()) {
                key.apply(d).ifPresent(k -> sums.merge(k, d.failedSessionCount(), ReportsOverview::saturatedAdd));
            }
            sums.forEach((k, v) -> max.merge(k, v, Math::max));
        }
        max.forEach((k, v) -> into.merge(k, v, ReportsOverview::saturatedAdd));
    }

    /** Counts are at most 2^53 each (RPT-JSON-1), but enough reports could still overflow a long. */
    static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
