package dev.mtasts.tlsrpt;

import static dev.mtasts.tlsrpt.PolicyResults.fetchFailed;
import static dev.mtasts.tlsrpt.PolicyResults.found;
import static dev.mtasts.tlsrpt.PolicyResults.invalid;
import static dev.mtasts.tlsrpt.PolicyResults.noPolicy;
import static dev.mtasts.tlsrpt.PolicyResults.noRecord;
import static dev.mtasts.tlsrpt.PolicyResults.unavailable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.mtasts.core.fetch.FetchProblem;
import dev.mtasts.core.resolve.PolicyProblem;
import dev.mtasts.core.resolve.PolicyResult;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

final class AppliedPoliciesTest {
    private static final AppliedPolicy FETCH_FAILED_KEY = AppliedPolicy.sts("recv.example", List.of(), List.of());

    static Stream<Arguments> keys() {
        return Stream.of(
                // RPT-JSON-2: a policy is keyed by its lines verbatim and its mx patterns
                Arguments.of(
                        found("enforce"),
                        Optional.of(AppliedPolicy.sts(
                                "recv.example",
                                List.of("version: STSv1", "mode: enforce", "mx: mx1.recv.example", "max_age: 86400"),
                                List.of("mx1.recv.example")))),
                // RPT-AGG-6: mode none and no TXT record are no-policy-found
                Arguments.of(found("none"), Optional.of(AppliedPolicy.noPolicyFound("recv.example"))),
                Arguments.of(noPolicy(noRecord()), Optional.of(AppliedPolicy.noPolicyFound("recv.example"))),
                // RFC 8460 §4.3.3: a fetch failure is an sts session with no policy-string or mx-host
                Arguments.of(noPolicy(fetchFailed(FetchProblem.Reason.CONNECT)), Optional.of(FETCH_FAILED_KEY)),
                Arguments.of(noPolicy(fetchFailed(FetchProblem.Reason.CERTIFICATE)), Optional.of(FETCH_FAILED_KEY)),
                // RPT-JSON-2: sts-policy-invalid keeps the lines received
                Arguments.of(
                        noPolicy(invalid("version: STSv1", "mode: bogus")),
                        Optional.of(AppliedPolicy.sts(
                                "recv.example", List.of("version: STSv1", "mode: bogus"), List.of()))),
                // RFC 8460 §4.3.4: nothing counted while the policy is unavailable, nor without a domain
                Arguments.of(unavailable(), Optional.empty()),
                Arguments.of(
                        new PolicyResult.NoPolicy("[192.0.2.1]", new PolicyProblem.AddressLiteral("[192.0.2.1]")),
                        Optional.empty()),
                Arguments.of(
                        new PolicyResult.NoPolicy("bad..name", new PolicyProblem.NotADomain("bad..name")),
                        Optional.empty()));
    }

    @ParameterizedTest
    @MethodSource("keys")
    void of_everyResult(PolicyResult result, Optional<AppliedPolicy> expected) {
        assertThat(AppliedPolicy.of(result)).isEqualTo(expected);
        assertThat(AppliedPolicies.bounded(10).of(result)).isEqualTo(expected);
    }

    @Test
    void of_samePolicy_sameInstance() {
        // One key per policy, so recording does not rebuild it (RPT-AGG-9); a lookup served from the
        // policy cache hands over the same Policy object each time
        AppliedPolicies cache = AppliedPolicies.bounded(10);
        PolicyResult.PolicyFound testing = found("testing");
        AppliedPolicy first = cache.of(testing).orElseThrow();
        assertThat(cache.of(testing)).containsSame(first);
        PolicyResult.PolicyFound sameObjectOtherSource = new PolicyResult.PolicyFound(
                testing.domain(),
                testing.id(),
                testing.policy(),
                dev.mtasts.core.resolve.PolicySource.CACHED,
                Optional.empty(),
                testing.fetchedAt(),
                testing.expiresAt());
        assertThat(cache.of(sameObjectOtherSource)).containsSame(first);
        // an equal policy fetched again is another object, but its key is equal (RPT-AGG-2)
        assertThat(cache.of(found("testing"))).contains(first);
        PolicyResult noRecord = noPolicy(noRecord());
        assertThat(cache.of(noRecord))
                .containsSame(cache.of(noPolicy(noRecord())).orElseThrow());
        assertThat(cache.of(unavailable())).isEmpty();
    }

    @Test
    void of_policyObjectUnderAnotherDomain_keyedByThatDomain() {
        // A hand-built result reusing a policy object for another domain must not get the first key
        AppliedPolicies cache = AppliedPolicies.bounded(10);
        PolicyResult.PolicyFound recv = found("enforce");
        PolicyResult.PolicyFound other = new PolicyResult.PolicyFound(
                "other.example",
                recv.id(),
                recv.policy(),
                recv.source(),
                Optional.empty(),
                recv.fetchedAt(),
                recv.expiresAt());
        assertThat(cache.of(recv).orElseThrow().policyDomain()).isEqualTo("recv.example");
        assertThat(cache.of(other).orElseThrow().policyDomain()).isEqualTo("other.example");
    }

    @Test
    void of_sameIdOtherLines_otherKey() {
        // RPT-AGG-2: keys differ when the policy-string differs, even under the same TXT id
        AppliedPolicies cache = AppliedPolicies.bounded(10);
        Optional<AppliedPolicy> a = cache.of(
                found("recv.example", "1", "version: STSv1\nmode: testing\n" + PolicyResults.MX, Optional.empty()));
        Optional<AppliedPolicy> b = cache.of(found(
                "recv.example",
                "1",
                "version: STSv1\nmode: testing\nmx: mx2.recv.example\nmax_age: 86400\n",
                Optional.empty()));
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void of_manyDomains_boundedAndEqualToUncached() {
        // Property: whatever the cache kept or evicted, its key equals the uncached one (RPT-AGG-2),
        // and it never holds more than its bound for each of its three kinds of key
        AppliedPolicies cache = AppliedPolicies.bounded(8);
        qt().forAll(integers().between(0, 40), integers().between(0, 2)).checkAssert((n, kind) -> {
            PolicyResult result = switch (kind) {
                case 0 ->
                    found(
                            "d" + n + ".example",
                            "id" + n,
                            "version: STSv1\nmode: enforce\n" + PolicyResults.MX,
                            Optional.empty());
                case 1 -> new PolicyResult.NoPolicy("d" + n + ".example", noRecord());
                default -> new PolicyResult.NoPolicy("d" + n + ".example", invalid("line " + n));
            };
            assertThat(cache.of(result)).isEqualTo(AppliedPolicy.of(result));
            assertThat(cache.size()).isLessThanOrEqualTo(3 * 8);
        });
    }
}
