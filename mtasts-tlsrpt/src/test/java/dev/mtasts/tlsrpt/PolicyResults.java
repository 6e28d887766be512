package dev.mtasts.tlsrpt;

import dev.mtasts.core.Policy;
import dev.mtasts.core.SyntaxException;
import dev.mtasts.core.dns.DnsResult;
import dev.mtasts.core.fetch.FetchProblem;
import dev.mtasts.core.resolve.PolicyProblem;
import dev.mtasts.core.resolve.PolicyResult;
import dev.mtasts.core.resolve.PolicySource;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Lookup results for recording tests, as {@code MtaSts.policyFor} would return them. */
final class PolicyResults {
    static final Instant FETCHED = Instant.parse("2026-03-01T00:00:00Z");
    static final String MX = "mx: mx1.recv.example\nmax_age: 86400\n";

    private PolicyResults() {}

    static PolicyResult.PolicyFound found(String mode) {
        return found("recv.example", "1", "version: STSv1\nmode: " + mode + "\n" + MX, Optional.empty());
    }

    static PolicyResult.PolicyFound stale(String mode, PolicyProblem cause) {
        return new PolicyResult.PolicyFound(
                "recv.example",
                "1",
                Policy.parse("version: STSv1\nmode: " + mode + "\n" + MX),
                PolicySource.STALE_FALLBACK,
                Optional.of(cause),
                FETCHED,
                FETCHED.plusSeconds(86400));
    }

    static PolicyResult.PolicyFound found(String domain, String id, String text, Optional<PolicyProblem> cause) {
        return new PolicyResult.PolicyFound(
                domain,
                id,
                Policy.parse(text),
                cause.isPresent() ? PolicySource.STALE_FALLBACK : PolicySource.FRESH,
                cause,
                FETCHED,
                FETCHED.plusSeconds(86400));
    }

    static PolicyResult.NoPolicy noPolicy(PolicyProblem problem) {
        return new PolicyResult.NoPolicy("recv.example", problem);
    }

    static PolicyProblem noRecord() {
        return new PolicyProblem.NoRecord("_mta-sts.recv.example", Optional.of(DnsResult.NoRecordsKind.NXDOMAIN));
    }

    static PolicyProblem fetchFailed(FetchProblem.Reason reason) {
        return PolicyProblem.ofFetch(FetchProblem.of(reason, "failed"));
    }

    static PolicyProblem invalid(String... lines) {
        return PolicyProblem.ofFetch(FetchProblem.invalidPolicy(
                SyntaxException.atLine(SyntaxException.Subject.POLICY, 2, "mode", "bad", "STS-POL-3"), List.of(lines)));
    }

    static PolicyProblem dnsTemporary() {
        return new PolicyProblem.DnsTemporary("_mta-sts.recv.example", DnsResult.FailureKind.SERVFAIL, "SERVFAIL");
    }

    static PolicyResult.Unavailable unavailable() {
        return new PolicyResult.Unavailable("recv.example", dnsTemporary());
    }
}
