package dev.mtasts.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.core.dane.MxTransport.Requirement;
import dev.mtasts.core.resolve.MxDecision;
import dev.mtasts.core.resolve.PolicyResult;
import dev.mtasts.core.tls.MxTls;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A delivery started with a policy result alone: each attempt's requirement is the policy's decision. */
final class MxAttemptRequirementTest {
    private static final String MX1 = "mx1.example.com";

    private final DeliveryTls deliveries =
            DeliveryTls.builder().mxTls(MxTls.builder().build()).build();

    static Stream<Arguments> policies() {
        return Stream.of(
                Arguments.of(
                        Policies.enforce("example.com", MX1),
                        MxDecision.REQUIRE_VALIDATED_TLS,
                        Requirement.STS_VALIDATED),
                Arguments.of(Policies.enforce("example.com", "mx9.example.com"), MxDecision.SKIP, Requirement.SKIP),
                Arguments.of(Policies.testing("example.com", MX1), MxDecision.REPORT_ONLY, Requirement.STS_REPORT_ONLY),
                Arguments.of(Policies.none("example.com"), MxDecision.UNCONSTRAINED, Requirement.OPPORTUNISTIC),
                Arguments.of(Policies.unavailable("example.com"), MxDecision.DEFER, Requirement.DEFER));
    }

    @ParameterizedTest
    @MethodSource("policies")
    void attempt_policyOnly_requirementFollowsTheStsDecision(
            PolicyResult policy, MxDecision sts, Requirement expected) {
        // RFC 8461 §5, STS-APP-6: without DANE the policy alone decides; DANE-DEC-47
        try (Delivery delivery = deliveries.start(policy)) {
            MxAttempt attempt = delivery.attempt(MX1);
            assertThat(attempt.decision()).isEqualTo(sts);
            assertThat(attempt.requirement()).isEqualTo(expected);
            assertThat(attempt.allowed()).isEqualTo(expected != Requirement.SKIP && expected != Requirement.DEFER);
            assertThat(attempt.dane()).isEmpty();
            assertThat(delivery.transportDecision()).isEmpty();
        }
    }
}
