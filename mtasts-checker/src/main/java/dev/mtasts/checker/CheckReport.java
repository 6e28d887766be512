package dev.mtasts.checker;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.StsRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything one check found and gathered.
 *
 * @param domain the domain checked, in the form it was looked up (A-labels, lower case)
 * @param startedAt when the check started
 * @param elapsed how long it took
 * @param findings every finding, in the order found
 * @param stsTxt the {@code _mta-sts} TXT lookup as received
 * @param stsRecord the STS record a sender would use
 * @param policyHost one entry per address of {@code mta-sts.<domain>} (every A and AAAA)
 * @param policy the policy file, when one was received
 * @param mx the MX hosts (or the implicit MX), in preference order
 * @param tlsRpt the {@code _smtp._tls} record
 */
public record CheckReport(
        String domain,
        Instant startedAt,
        Duration elapsed,
        List<Finding> findings,
        TxtLookup stsTxt,
        Optional<StsRecord> stsRecord,
        List<PolicyHostFacts> policyHost,
        Optional<PolicyFacts> policy,
        List<MxHostFacts> mx,
        TlsRptFacts tlsRpt) {

    /** Validates and copies. */
    public CheckReport {
        requireNonNull(domain, "domain");
        requireNonNull(startedAt, "startedAt");
        requireNonNull(elapsed, "elapsed");
        findings = List.copyOf(findings);
        requireNonNull(stsTxt, "stsTxt");
        requireNonNull(stsRecord, "stsRecord");
        policyHost = List.copyOf(policyHost);
        requireNonNull(policy, "policy");
        mx = List.copyOf(mx);
        requireNonNull(tlsRpt, "tlsRpt");
    }

    /** The most serious severity found; empty when nothing was found. */
    public Optional<Severity> worst() {
        return findings.stream().map(Finding::severity).min(Enum::compareTo);
    }

    /** The findings of one check. */
    public List<Finding> findings(Check check) {
        return findings.stream().filter(f -> f.check() == check).toList();
    }

    /** Whether any finding of {@code check} has exactly {@code severity}. */
    public boolean has(Check check, Severity severity) {
        return findings.stream().anyMatch(f -> f.check() == check && f.severity() == severity);
    }

    /** The command line's exit code for this report: 0 nothing above information, 1 warnings only, 2 errors. */
    public int exitCode() {
        return worst().map(s -> switch (s) {
                    case ERROR -> 2;
                    case WARNING -> 1;
                    case INFO -> 0;
                })
                .orElse(0);
    }
}
