package dev.mtasts.tlsrpt;

import dev.mtasts.core.Mode;
import dev.mtasts.core.MxPattern;
import dev.mtasts.core.Policy;
import dev.mtasts.core.resolve.PolicyProblem;
import dev.mtasts.core.resolve.PolicyResult;
import dev.mtasts.tlsrpt.internal.DomainNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The policy a sending MTA applied to a session, as the key its sessions are counted under
 * (RPT-AGG-2): type, policy domain (A-label, lower case), {@code policy-string} and {@code
 * mx-host}. Create one per fetched policy and reuse it: the hash is computed once, so recording is
 * cheap.
 *
 * <p>Immutable and thread-safe.
 */
public final class AppliedPolicy {
    private final PolicyType type;
    private final String policyDomain;
    private final List<String> policyString;
    private final List<String> mxHost;
    private final int hash;

    private AppliedPolicy(PolicyType type, String policyDomain, List<String> policyString, List<String> mxHost) {
        this.type = type;
        this.policyDomain = policyDomain;
        this.policyString = List.copyOf(policyString);
        this.mxHost = List.copyOf(mxHost);
        this.hash = Objects.hash(type, policyDomain, this.policyString, this.mxHost);
    }

    /**
     * The key for an MTA-STS policy of {@code recipientDomain}: its lines verbatim (RPT-JSON-2) and
     * its {@code mx} patterns. A policy in mode {@code none} is keyed as {@code no-policy-found}
     * (RPT-AGG-6 DECISION, RFC 8461 §5).
     */
    public static AppliedPolicy of(String recipientDomain, Policy policy) {
        if (policy.mode() == Mode.NONE) {
            return noPolicyFound(recipientDomain);
        }
        List<String> mx = new ArrayList<>();
        for (MxPattern p : policy.mx()) {
            mx.add(p.isWildcard() ? "*." + p.domain() : p.domain());
        }
        return new AppliedPolicy(PolicyType.STS, domain(recipientDomain), policy.lines(), mx);
    }

    /**
     * The key a lookup result's sessions are counted under (see the recording section of {@code
     * docs/tlsrpt.md}), or empty when nothing is counted:
     *
     * <ul>
     *   <li>{@code PolicyFound}: as {@link #of(String, Policy)}, so mode {@code none} is {@code
     *       no-policy-found} (RPT-AGG-6);
     *   <li>{@code NoPolicy} whose problem has a result type (the TXT record asked for a policy that
     *       could not be fetched or was invalid): {@code sts} with the policy domain, the lines
     *       received as {@code policy-string} for {@code sts-policy-invalid} (RPT-JSON-2) or none
     *       for a failed fetch, and no {@code mx-host}: the domain did announce MTA-STS, so its
     *       sessions are reported as MTA-STS sessions that failed at the policy (RFC 8460 §4.3.3);
     *   <li>any other {@code NoPolicy} with a domain: {@code no-policy-found} (RPT-AGG-6);
     *   <li>{@code Unavailable}, an address literal or a name that is not a domain: empty, as a
     *       transient failure is not reported (RFC 8460 §4.3.4) and there is no policy domain to
     *       report to.
     * </ul>
     *
     * <p>Prefer {@link AppliedPolicies#of(PolicyResult)}, which caches the key per policy.
     *
     * @throws IllegalArgumentException when the result's domain or an {@code mx} pattern is not a
     *     valid domain name in A-label form
     */
    public static Optional<AppliedPolicy> of(PolicyResult result) {
        if (result instanceof PolicyResult.PolicyFound found) {
            return Optional.of(of(found.domain(), found.policy()));
        }
        if (result instanceof PolicyResult.NoPolicy none) {
            PolicyProblem problem = none.problem();
            if (problem instanceof PolicyProblem.NotADomain || problem instanceof PolicyProblem.AddressLiteral) {
                return Optional.empty();
            }
            if (problem.resultType().isPresent()) {
                List<String> received = problem instanceof PolicyProblem.PolicyInvalid invalid
                        ? invalid.failure().receivedLines()
                        : List.of();
                return Optional.of(new AppliedPolicy(PolicyType.STS, domain(none.domain()), received, List.of()));
            }
            return Optional.of(noPolicyFound(none.domain()));
        }
        return Optional.empty();
    }

    /** An {@code sts} key from raw lines and {@code mx-host} patterns. */
    public static AppliedPolicy sts(String recipientDomain, List<String> policyLines, List<String> mxHost) {
        return new AppliedPolicy(PolicyType.STS, domain(recipientDomain), policyLines, mxPatterns(mxHost));
    }

    private static List<String> mxPatterns(List<String> mxHost) {
        List<String> mx = new ArrayList<>();
        for (String m : mxHost) {
            // RPT-JSON-5: mx-host patterns as A-labels, the wildcard label kept.
            String p = m.strip();
            mx.add(
                    p.startsWith("*.")
                            ? "*." + DomainNames.aLabel("mx-host", p.substring(2))
                            : DomainNames.aLabel("mx-host", p));
        }
        return mx;
    }

    /**
     * A {@code tlsa} key: the TLSA base domain (the MX host, RPT-TXT-1) and one {@code usage selector
     * type hex} string per RR; hex is upper-cased and unbroken (RPT-JSON-2 DECISION).
     */
    public static AppliedPolicy tlsa(String tlsaBaseDomain, List<String> records) {
        List<String> rrs = new ArrayList<>();
        for (String rr : records) {
            String[] f = rr.strip().split("\\s+", 4);
            if (f.length != 4) {
                throw new IllegalArgumentException("TLSA record must be 'usage selector type hex' but was " + rr);
            }
            rrs.add(f[0] + " " + f[1] + " " + f[2] + " "
                    + f[3].replaceAll("\\s", "").toUpperCase(Locale.ROOT));
        }
        return new AppliedPolicy(PolicyType.TLSA, domain(tlsaBaseDomain), rrs, List.of());
    }

    /** A {@code no-policy-found} key for {@code recipientDomain} (RPT-AGG-6). */
    public static AppliedPolicy noPolicyFound(String recipientDomain) {
        return new AppliedPolicy(PolicyType.NO_POLICY_FOUND, domain(recipientDomain), List.of(), List.of());
    }

    /** Rebuilds the key of a report's policy, e.g. after a restart. */
    public static AppliedPolicy fromReportedPolicy(ReportedPolicy policy) {
        if (!policy.type().isRegistered()) {
            throw new IllegalArgumentException("unregistered policy-type " + policy.type());
        }
        String d = policy.policyDomain().orElseThrow(() -> new IllegalArgumentException("policy-domain missing"));
        return new AppliedPolicy(policy.type(), domain(d), policy.policyString(), mxPatterns(policy.mxHost()));
    }

    private static String domain(String name) {
        // RPT-JSON-5: A-label only; STD3 rules also keep CR/LF out of the mail headers (RPT-MAIL-3).
        return DomainNames.aLabel("policy domain", name.strip());
    }

    /** {@code policy-type}. */
    public PolicyType type() {
        return type;
    }

    /** {@code policy-domain}, A-label, lower case. */
    public String policyDomain() {
        return policyDomain;
    }

    /** {@code policy-string}. */
    public List<String> policyString() {
        return policyString;
    }

    /** {@code mx-host} ({@code sts} only). */
    public List<String> mxHost() {
        return mxHost;
    }

    /** This key as a report's {@code policy} object. */
    public ReportedPolicy toReportedPolicy() {
        return new ReportedPolicy(type, policyString, Optional.of(policyDomain), mxHost, Map.of());
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        return o instanceof AppliedPolicy p
                && hash == p.hash
                && type.equals(p.type)
                && policyDomain.equals(p.policyDomain)
                && policyString.equals(p.policyString)
                && mxHost.equals(p.mxHost);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return type + " " + policyDomain;
    }
}
