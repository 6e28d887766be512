package dev.mtasts.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.core.ResultType;
import org.junit.jupiter.api.Test;

final class FetchProblemTest {

    @Test
    void reasons_mapToTlsrptResultTypes() {
        // STS-HTTP-10, RFC 8460 §4.3.3
        for (FetchProblem.Reason reason : FetchProblem.Reason.values()) {
            if (reason == FetchProblem.Reason.LOCAL_CAPACITY) {
                continue;
            }
            ResultType expected = reason == FetchProblem.Reason.CERTIFICATE
                    ? ResultType.STS_WEBPKI_INVALID
                    : reason == FetchProblem.Reason.POLICY_INVALID
                            ? ResultType.STS_POLICY_INVALID
                            : ResultType.STS_POLICY_FETCH_ERROR;
            assertThat(FetchProblem.of(reason, "x").resultType())
                    .as(reason.name())
                    .contains(expected);
        }
    }

    @Test
    void localCapacity_hasNoResultType() {
        // RFC 8460 §4.3: result types describe the policy domain; our own overload is none of them
        FetchProblem failure = FetchProblem.of(FetchProblem.Reason.LOCAL_CAPACITY, "queue full");
        assertThat(failure.resultType()).isEmpty();
        assertThat(failure.toString()).isEqualTo("LOCAL_CAPACITY: queue full");
    }

    @Test
    void status_classifiesRedirectsAndNotFound() {
        assertThat(FetchProblem.status(302, java.util.Optional.of("https://x/")).reason())
                .isEqualTo(FetchProblem.Reason.REDIRECT);
        assertThat(FetchProblem.status(302, java.util.Optional.of("https://x/")).detail())
                .contains("Location: https://x/");
        assertThat(FetchProblem.status(404, java.util.Optional.empty()).reason())
                .isEqualTo(FetchProblem.Reason.NOT_FOUND);
        assertThat(FetchProblem.status(500, java.util.Optional.empty()).reason())
                .isEqualTo(FetchProblem.Reason.HTTP_STATUS);
        assertThat(FetchProblem.status(500, java.util.Optional.empty()).status())
                .hasValue(500);
        assertThat(FetchProblem.of(FetchProblem.Reason.TLS, "x").status()).isEmpty();
    }

    @Test
    void toString_namesReasonAndType() {
        assertThat(FetchProblem.of(FetchProblem.Reason.TIMEOUT, "slow").toString())
                .isEqualTo("TIMEOUT (sts-policy-fetch-error): slow");
    }
}
