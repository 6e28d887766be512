package dev.mtasts.tlsrpt;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A report's {@code policy} object (RFC 8460 §4.4, §4.5): which policy the counted sessions were
 * evaluated against.
 *
 * @param type {@code policy-type}
 * @param policyString {@code policy-string}: STS policy lines verbatim, or TLSA RRs as
 *     {@code usage selector type hex} (RPT-JSON-2); empty when absent (RW-6)
 * @param policyDomain {@code policy-domain}; empty only when a peer omitted it (RW-5)
 * @param mxHost {@code mx-host} patterns, meaningful for {@code sts} only; empty when absent
 * @param extensions unknown members kept raw (RPT-JSON-3)
 */
public record ReportedPolicy(
        PolicyType type,
        List<String> policyString,
        Optional<String> policyDomain,
        List<String> mxHost,
        Map<String, String> extensions) {
    /** Copies the lists and extensions. */
    public ReportedPolicy {
        Objects.requireNonNull(type, "type");
        policyString = List.copyOf(policyString);
        Objects.requireNonNull(policyDomain, "policyDomain");
        mxHost = List.copyOf(mxHost);
        extensions = Extensions.copy(extensions);
    }

    /** An {@code sts} policy with its verbatim lines and {@code mx} patterns. */
    public static ReportedPolicy sts(String policyDomain, List<String> lines, List<String> mxHost) {
        return new ReportedPolicy(PolicyType.STS, lines, Optional.of(policyDomain), mxHost, Map.of());
    }

    /** A {@code tlsa} policy with one {@code usage selector type hex} element per RR. */
    public static ReportedPolicy tlsa(String policyDomain, List<String> records) {
        return new ReportedPolicy(PolicyType.TLSA, records, Optional.of(policyDomain), List.of(), Map.of());
    }

    /** A {@code no-policy-found} policy (RPT-AGG-6). */
    public static ReportedPolicy noPolicyFound(String policyDomain) {
        return new ReportedPolicy(
                PolicyType.NO_POLICY_FOUND, List.of(), Optional.of(policyDomain), List.of(), Map.of());
    }
}
