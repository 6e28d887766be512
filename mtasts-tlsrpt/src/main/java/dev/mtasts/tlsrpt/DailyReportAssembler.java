package dev.mtasts.tlsrpt;

import dev.mtasts.tlsrpt.internal.DomainNames;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Builds the daily reports of a sending organisation from recorded counts: one report per UTC day
 * and policy domain (RPT-AGG-1), with one {@code policies} element per distinct policy
 * (RPT-AGG-2) and one failure detail per distinct failure (RPT-AGG-3).
 *
 * <p>Immutable and thread-safe.
 */
public final class DailyReportAssembler {
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]+)*");
    private static final DateTimeFormatter ID_DAY = DateTimeFormatter.ofPattern("uuuu.MM.dd");

    private final String organizationName;
    private final String contactInfo;
    private final String submitter;
    private final boolean failuresOnly;
    private final Optional<String> nodeId;

    private DailyReportAssembler(Builder b) {
        this.organizationName = Objects.requireNonNull(b.organizationName, "organizationName not set");
        this.contactInfo = Objects.requireNonNull(b.contactInfo, "contactInfo not set");
        this.submitter = contactInfo.substring(contactInfo.lastIndexOf('@') + 1);
        this.failuresOnly = b.failuresOnly;
        this.nodeId = b.nodeId;
    }

    /** A builder; organisation name and contact-info are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The reports for {@code aggregates}, ordered by day then policy domain. With {@code
     * failuresOnly}, reports without any failure are left out (RPT-AGG-7).
     */
    public List<DailyReport> assemble(List<DailyAggregate> aggregates) {
        Map<LocalDate, Map<String, List<DailyAggregate>>> grouped = new TreeMap<>();
        for (DailyAggregate a : aggregates) {
            grouped.computeIfAbsent(a.day(), d -> new TreeMap<>())
                    .computeIfAbsent(a.policy().policyDomain(), d -> new ArrayList<>())
                    .add(a);
        }
        List<DailyReport> out = new ArrayList<>();
        grouped.forEach((day, byDomain) -> byDomain.forEach((domain, list) -> {
            Map<AppliedPolicy, long[]> counts = new LinkedHashMap<>();
            Map<AppliedPolicy, Map<SessionFailure, Long>> failures = new LinkedHashMap<>();
            long failed = 0;
            for (DailyAggregate a : list) {
                long[] c = counts.computeIfAbsent(a.policy(), p -> new long[2]);
                c[0] += a.successfulSessions();
                c[1] += a.failedSessions();
                failed += a.failedSessions();
                Map<SessionFailure, Long> f = failures.computeIfAbsent(a.policy(), p -> new LinkedHashMap<>());
                a.failures().forEach((k, v) -> f.merge(k, v, Long::sum));
            }
            if (failuresOnly && failed == 0) {
                return;
            }
            List<PolicyEntry> entries = new ArrayList<>();
            counts.forEach((policy, c) -> {
                List<FailureDetail> details = new ArrayList<>();
                failures.getOrDefault(policy, Map.of()).forEach((f, n) -> details.add(f.toFailureDetail(n)));
                entries.add(PolicyEntry.of(policy.toReportedPolicy(), PolicySummary.of(c[0], c[1]), details));
            });
            TlsRptReport report = TlsRptReport.of(
                    organizationName, DateRange.ofDay(day), contactInfo, reportId(day, domain), entries);
            out.add(new DailyReport(day, domain, report));
        }));
        return out;
    }

    /**
     * A stable {@code report-id} of {@code left@right} shape (RPT-AGG-8): the same day, domain and
     * node give the same id on every retry, and two sending nodes with their own node ids never give
     * the same one. Only dot-atom characters on the left (RFC 5322), as the Subject carries it as a
     * msg-id.
     */
    String reportId(LocalDate day, String policyDomain) {
        return day.atStartOfDay(ZoneOffset.UTC).format(ID_DAY) + "T00.00.00Z+" + policyDomain
                + nodeId.map(n -> "+" + n).orElse("") + "@" + submitter;
    }

    /** Configures a {@link DailyReportAssembler}; not thread-safe. */
    public static final class Builder {
        private @Nullable String organizationName;
        private @Nullable String contactInfo;
        private boolean failuresOnly;
        private Optional<String> nodeId = Optional.empty();

        private Builder() {}

        /**
         * The name of this sending node, put in every {@code report-id} so that several nodes
         * reporting the same day and domain separately never send two reports with one id
         * (RPT-AGG-8). Letters, digits, {@code -} and {@code _}, dot-separated, at most 64
         * characters (dot-atom, RFC 5322). Leave it unset when one assembler reports for every node,
         * over the union of their aggregates.
         */
        public Builder nodeId(String nodeId) {
            if (nodeId.length() > 64 || !NODE_ID.matcher(nodeId).matches()) {
                throw new IllegalArgumentException("nodeId must be letters, digits, '-' or '_', dot-separated,"
                        + " at most 64 characters, but was '" + DomainNames.printable(nodeId) + "'");
            }
            this.nodeId = Optional.of(nodeId);
            return this;
        }

        /** {@code organization-name}. */
        public Builder organizationName(String name) {
            if (name.isBlank()) {
                throw new IllegalArgumentException("organizationName must not be blank: '" + name + "'");
            }
            this.organizationName = name;
            return this;
        }

        /** {@code contact-info}, an addr-spec whose domain is the submitter (RPT-MAIL-2, RPT-MAIL-3). */
        public Builder contactInfo(String addrSpec) {
            int at = addrSpec.lastIndexOf('@');
            if (at <= 0 || at == addrSpec.length() - 1 || addrSpec.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException(
                        "contactInfo must be an addr-spec like a@b.example but was '" + addrSpec + "'");
            }
            if (addrSpec.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new IllegalArgumentException(
                        "contactInfo must not contain control characters: '" + DomainNames.printable(addrSpec) + "'");
            }
            // RPT-MAIL-2: the domain is the file name's sender and the submitter: A-label, lower case.
            this.contactInfo = addrSpec.substring(0, at + 1)
                    + DomainNames.aLabel("contactInfo domain", addrSpec.substring(at + 1));
            return this;
        }

        /** Leave out reports without failures (RPT-AGG-7 option; default false: heartbeats sent). */
        public Builder failuresOnly(boolean failuresOnly) {
            this.failuresOnly = failuresOnly;
            return this;
        }

        /** The report builder. */
        public DailyReportAssembler build() {
            if (organizationName == null || contactInfo == null) {
                throw new IllegalStateException("organizationName and contactInfo are required");
            }
            return new DailyReportAssembler(this);
        }
    }
}
