package dev.mtasts.core.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.core.Policy;
import dev.mtasts.core.ResultType;
import dev.mtasts.core.dns.DnsResult;
import dev.mtasts.core.dns.MxRecord;
import dev.mtasts.core.fetch.FetchProblem;
import dev.mtasts.core.tls.TlsFailureReason;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

final class MxPlanTest {
    private static final List<String> HOSTS = List.of("evil.example", "mx1.example.com", "x.backup.example.com");
    private static final String MX = "mx: mx1.example.com\nmx: *.backup.example.com\nmax_age: 86400\n";

    static Stream<Arguments> plans() {
        return Stream.of(
                // STS-APP-1: enforce keeps the order and drops non-matching hosts
                Arguments.of(
                        found("enforce"),
                        HOSTS,
                        List.of("mx1.example.com", "x.backup.example.com"),
                        List.of(MxDecision.REQUIRE_VALIDATED_TLS, MxDecision.REQUIRE_VALIDATED_TLS),
                        List.of("evil.example"),
                        Optional.empty()),
                // STS-APP-3, STS-OUT-2: testing keeps every host, report-only
                Arguments.of(
                        found("testing"),
                        HOSTS,
                        HOSTS,
                        List.of(MxDecision.REPORT_ONLY, MxDecision.REPORT_ONLY, MxDecision.REPORT_ONLY),
                        List.of(),
                        Optional.empty()),
                // STS-APP-4: mode none is unconstrained
                Arguments.of(
                        found("none"),
                        HOSTS,
                        HOSTS,
                        List.of(MxDecision.UNCONSTRAINED, MxDecision.UNCONSTRAINED, MxDecision.UNCONSTRAINED),
                        List.of(),
                        Optional.empty()),
                // STS-APP-4: no policy is unconstrained too
                Arguments.of(
                        noPolicy(),
                        HOSTS,
                        HOSTS,
                        List.of(MxDecision.UNCONSTRAINED, MxDecision.UNCONSTRAINED, MxDecision.UNCONSTRAINED),
                        List.of(),
                        Optional.empty()),
                // STS-APP-2, STS-OUT-2: enforce and no match defers, reported as MX not in policy
                Arguments.of(
                        found("enforce"),
                        List.of("evil.example", "mx1.example.org"),
                        List.of(),
                        List.of(),
                        List.of("evil.example", "mx1.example.org"),
                        Optional.of(MxPlan.Deferral.Kind.MX_NOT_IN_POLICY)),
                // RFC 8461 §10.2: an unavailable policy allows no host and is not "no policy"
                Arguments.of(
                        unavailable(),
                        HOSTS,
                        List.of(),
                        List.of(),
                        List.of(),
                        Optional.of(MxPlan.Deferral.Kind.POLICY_UNAVAILABLE)));
    }

    @ParameterizedTest
    @MethodSource("plans")
    void plan_everyResult(
            PolicyResult result,
            List<String> hosts,
            List<String> candidates,
            List<MxDecision> decisions,
            List<String> skipped,
            Optional<MxPlan.Deferral.Kind> deferral) {
        MxPlan plan = result.plan(hosts);
        assertThat(plan.candidates()).extracting(MxPlan.Candidate::host).containsExactlyElementsOf(candidates);
        assertThat(plan.candidates()).extracting(MxPlan.Candidate::decision).containsExactlyElementsOf(decisions);
        assertThat(plan.skipped()).containsExactlyElementsOf(skipped);
        assertThat(plan.deferral().map(MxPlan.Deferral::kind)).isEqualTo(deferral);
        assertThat(plan.mustDefer()).isEqualTo(deferral.isPresent());
        // STS-APP-6: the plan agrees with the per-host decision
        for (MxPlan.Candidate c : plan.candidates()) {
            assertThat(result.decisionFor(c.host())).isEqualTo(c.decision());
        }
    }

    @ParameterizedTest
    @MethodSource("plans")
    void planForRecords_sortsByPreferenceLikePlan(
            PolicyResult result,
            List<String> hosts,
            List<String> candidates,
            List<MxDecision> decisions,
            List<String> skipped,
            Optional<MxPlan.Deferral.Kind> deferral) {
        // RFC 5321 §5.1: lowest preference first, ties in the order given
        List<MxRecord> records = List.of(
                new MxRecord(20, "x.backup.example.com"),
                new MxRecord(5, "evil.example"),
                new MxRecord(10, "mx1.example.com"));
        assertThat(result.planForRecords(records)).isEqualTo(result.plan(HOSTS));
    }

    static Stream<Arguments> deferrals() {
        return Stream.of(
                Arguments.of(MxPlan.Deferral.Kind.MX_NOT_IN_POLICY, Optional.of(TlsFailureReason.MX_NOT_IN_POLICY)),
                Arguments.of(MxPlan.Deferral.Kind.POLICY_UNAVAILABLE, Optional.empty()));
    }

    @ParameterizedTest
    @MethodSource("deferrals")
    void deferral_reportedAs(MxPlan.Deferral.Kind kind, Optional<TlsFailureReason> expected) {
        // STS-OUT-2: only the MX-not-in-policy deferral is a TLS failure to report (validation-failure,
        // sts-mx-not-in-policy); an unavailable policy is transient (RFC 8460 §4.3.4)
        MxPlan.Deferral deferral = new MxPlan.Deferral(kind, "why");
        assertThat(deferral.reportedAs()).isEqualTo(expected);
        deferral.reportedAs().ifPresent(r -> {
            assertThat(r.resultType()).isEqualTo(ResultType.VALIDATION_FAILURE);
            assertThat(r.code()).hasValue("sts-mx-not-in-policy");
        });
    }

    @ParameterizedTest
    @MethodSource("plans")
    void plan_candidateInPolicy_onlyForMatchingHostsOfAPolicy(
            PolicyResult result,
            List<String> hosts,
            List<String> candidates,
            List<MxDecision> decisions,
            List<String> skipped,
            Optional<MxPlan.Deferral.Kind> deferral) {
        // STS-OUT-2: inPolicy false marks the testing-mode hosts to report as not in the policy
        for (MxPlan.Candidate c : result.plan(hosts).candidates()) {
            boolean matches =
                    result instanceof PolicyResult.PolicyFound f && f.policy().matches(c.host());
            assertThat(c.inPolicy()).as(c.host()).isEqualTo(matches);
        }
    }

    private static PolicyResult found(String mode) {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        return new PolicyResult.PolicyFound(
                "example.com",
                "1",
                Policy.parse("version: STSv1\nmode: " + mode + "\n" + MX),
                PolicySource.FRESH,
                Optional.empty(),
                now,
                now.plusSeconds(86400));
    }

    private static PolicyResult noPolicy() {
        return new PolicyResult.NoPolicy(
                "example.com", new PolicyProblem.FetchFailed(FetchProblem.of(FetchProblem.Reason.CONNECT, "refused")));
    }

    private static PolicyResult unavailable() {
        return new PolicyResult.Unavailable(
                "example.com",
                new PolicyProblem.DnsTemporary("_mta-sts.example.com", DnsResult.FailureKind.SERVFAIL, "SERVFAIL"));
    }
}
