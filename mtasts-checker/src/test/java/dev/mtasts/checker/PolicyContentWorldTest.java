package dev.mtasts.checker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.core.Mode;
import dev.mtasts.testkit.MultiAddressWorld;
import dev.mtasts.testkit.server.FakePolicyHost;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * The policy content checks in a whole check of a loopback world: the policy comes from a real HTTPS
 * policy host, and the findings reach the report.
 */
final class PolicyContentWorldTest {
    @AutoClose
    private final MultiAddressWorld world = MultiAddressWorld.start();

    private CheckReport check(String domain, CheckOptions.Builder options) {
        return Worlds.check(domain, options.probeSmtp(false).build());
    }

    private static List<Finding> policyFindings(CheckReport report) {
        return report.findings().stream()
                .filter(f -> f.id().startsWith("sts.policy.") || f.check() == Check.STS_ID_DRIFT)
                .toList();
    }

    // RFC 8461 §3.2, §5: a healthy domain gets only its mode, as information.
    @Test
    void healthy_noPolicyProblem() {
        world.healthy("healthy.example");
        CheckReport report = check("healthy.example", Worlds.options(world));
        assertThat(policyFindings(report))
                .extracting(Finding::id, Finding::severity)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("sts.policy.mode", Severity.INFO));
        assertThat(report.policy()).hasValueSatisfying(p -> {
            assertThat(p.policy()).isPresent();
            assertThat(p.lenient()).isFalse();
            assertThat(p.mode()).contains(Mode.ENFORCE);
        });
    }

    // RFC 8461 §3.2, CHK-API-4: a broken file: every problem reported, the MX checks go on leniently.
    @Test
    void brokenPolicy_everyProblemAndLenientMxCoverage() {
        FakePolicyHost host = world.healthy("broken.example");
        host.policy(
                "broken.example",
                "version: STSv1\nmode: Enforce\n\nmx: other.example\nmax_age: 86400\nMode: testing\n");
        CheckReport report = check("broken.example", Worlds.options(world));
        List<Finding> policy = policyFindings(report);
        assertThat(policy)
                .filteredOn(f -> f.severity() == Severity.ERROR)
                .extracting(Finding::id)
                .containsExactly("sts.policy.mode", "sts.policy.syntax");
        assertThat(policy)
                .filteredOn(f -> !f.lenient())
                .singleElement()
                .satisfies(f -> assertThat(f.message()).startsWith("Line 2: mode 'Enforce'"));
        assertThat(report.has(Check.STS_POLICY_UNKNOWN_KEY, Severity.WARNING)).isTrue();
        assertThat(report.has(Check.STS_POLICY_MAX_AGE, Severity.WARNING)).isTrue();
        assertThat(report.policy()).hasValueSatisfying(p -> {
            assertThat(p.policy()).isEmpty();
            assertThat(p.lenient()).isTrue();
            assertThat(p.mxPatterns()).containsExactly("other.example");
        });
        // The MX checks ran on the lenient reading: mx.broken.example is not covered.
        assertThat(report.findings(Check.STS_MX_COVERAGE)).isNotEmpty().allMatch(Finding::lenient);
    }

    // RFC 8461 §3.2: warnings and information a valid policy can carry.
    @Test
    void validPolicy_warningsAndInformation() {
        FakePolicyHost host = world.healthy("warned.example");
        host.policy(
                "warned.example",
                "version: STSv1\r\nmode: enforce\nmx: mx.warned.example\nmx: *.example\nmax_age: 0\n"
                        + "mode: none\nnote: hello\n");
        CheckReport report = check("warned.example", Worlds.options(world));
        assertThat(policyFindings(report)).noneMatch(f -> f.severity() == Severity.ERROR);
        assertThat(report.has(Check.STS_POLICY_MAX_AGE, Severity.WARNING)).isTrue();
        assertThat(report.has(Check.STS_POLICY_MX, Severity.WARNING)).isTrue();
        assertThat(report.has(Check.STS_POLICY_DUP_KEY, Severity.WARNING)).isTrue();
        assertThat(report.has(Check.STS_POLICY_UNKNOWN_KEY, Severity.INFO)).isTrue();
        assertThat(report.has(Check.STS_POLICY_LINE_ENDINGS, Severity.INFO)).isTrue();
        assertThat(report.has(Check.STS_POLICY_MODE, Severity.INFO)).isTrue();
    }

    // RFC 8461 §3.1: the body changed between two checks while the id stayed: sts.id.drift.
    @Test
    void drift_betweenTwoChecks() {
        FakePolicyHost host = world.healthy("drift.example");
        PolicyHistory history = PolicyHistory.inMemory();
        CheckReport first = check("drift.example", Worlds.options(world).history(history));
        assertThat(first.findings(Check.STS_ID_DRIFT)).isEmpty();
        host.policy("drift.example", "version: STSv1\nmode: testing\nmx: mx.drift.example\nmax_age: 604800\n");
        CheckReport second = check("drift.example", Worlds.options(world).history(history));
        assertThat(second.findings(Check.STS_ID_DRIFT)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.evidence()).hasSize(3);
        });
    }
}
