package dev.mtasts.store.jdbc;

import static java.util.Objects.requireNonNull;

import dev.mtasts.tlsrpt.DeliveryResult;
import java.time.LocalDate;

/**
 * One fleet report as this node finished it (FLEET-RPT-1).
 *
 * @param day the UTC day it covers
 * @param policyDomain the policy domain
 * @param reportId its {@code report-id}, fixed at the first claim and kept by a takeover
 * @param rua the {@code _smtp._tls} record text it went to, read once at the first claim (RPT-AGG-1)
 * @param result how its delivery ended
 * @param takeover whether this node took the report over from a node whose lease ran out
 */
public record FleetReport(
        LocalDate day, String policyDomain, String reportId, String rua, DeliveryResult result, boolean takeover) {
    /** Checks for null. */
    public FleetReport {
        requireNonNull(day, "day");
        requireNonNull(policyDomain, "policyDomain");
        requireNonNull(reportId, "reportId");
        requireNonNull(rua, "rua");
        requireNonNull(result, "result");
    }
}
