package dev.mtasts.tlsrpt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtasts.core.ResultType;
import dev.mtasts.tlsrpt.AppliedPolicy;
import dev.mtasts.tlsrpt.MxEndpoint;
import dev.mtasts.tlsrpt.SessionFailure;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The count keys' JSON: the same key always gives the same text, which reads back to an equal key. */
final class AggregateJsonTest {
    @Test
    void policy_roundTrip_sameTextForEqualPolicies() {
        AppliedPolicy p = AppliedPolicy.sts(
                "Example.COM", List.of("version: STSv1", "mode: enforce"), List.of("*.mx.example.com"));
        AppliedPolicy same = AppliedPolicy.sts(
                "example.com", List.of("version: STSv1", "mode: enforce"), List.of("*.mx.example.com"));
        String text = AggregateJson.policyText(p);
        assertThat(text).isEqualTo(AggregateJson.policyText(same));
        assertThat(text)
                .isEqualTo(
                        "{\"policy-type\":\"sts\",\"policy-domain\":\"example.com\","
                                + "\"policy-string\":[\"version: STSv1\",\"mode: enforce\"],\"mx-host\":[\"*.mx.example.com\"]}");
        assertThat(AggregateJson.parsePolicy(text)).isEqualTo(p);
        assertThat(AggregateJson.parsePolicy(AggregateJson.policyText(AppliedPolicy.noPolicyFound("b.example"))))
                .isEqualTo(AppliedPolicy.noPolicyFound("b.example"));
    }

    @Test
    void failure_roundTrip_absentPartsLeftOut() {
        SessionFailure f = SessionFailure.at(
                ResultType.CERTIFICATE_EXPIRED, MxEndpoint.of("192.0.2.1", "mx.example.com"), Optional.of("expired"));
        String text = AggregateJson.failureText(f);
        assertThat(text).doesNotContain("receiving-mx-helo");
        assertThat(AggregateJson.parseFailure(text)).isEqualTo(f);
        SessionFailure policyLevel = SessionFailure.of(ResultType.STS_POLICY_FETCH_ERROR);
        assertThat(AggregateJson.failureText(policyLevel)).isEqualTo("{\"result-type\":\"sts-policy-fetch-error\"}");
        assertThat(AggregateJson.parseFailure(AggregateJson.failureText(policyLevel)))
                .isEqualTo(policyLevel);
    }

    @Test
    void badText_typedExceptionNamingWhatIsWrong() {
        assertThatThrownBy(() -> AggregateJson.parsePolicy("{\"policy-type\":\"sts\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("policy-string");
        assertThatThrownBy(() -> AggregateJson.parsePolicy("[1]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("policy must be a JSON object");
        assertThatThrownBy(() -> AggregateJson.parseFailure("{\"result-type\":"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("failure is not JSON");
        assertThatThrownBy(() -> AggregateJson.parseFailure("{\"result-type\":\"no-such-type\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no-such-type");
    }
}
