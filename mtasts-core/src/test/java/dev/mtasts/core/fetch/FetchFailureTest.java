package dev.mtasts.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.core.ResultType;
import org.junit.jupiter.api.Test;

final class FetchFailureTest {

    @Test
    void reasons_mapToTlsrptResultTypes() {
        // STS-HTTP-10, RFC 8460 §4.3.3
        for (FetchFailure.Reason reason : FetchFailure.Reason.values()) {
            if (reason == FetchFailure.Reason.LOCAL_CAPACITY) {
                continue;
            }
            ResultType expected = reason == FetchFailure.Reason.CERTIFICATE
                    ? ResultType.STS_WEBPKI_INVALID
                    : reason == FetchFailure.Reason.POLICY_INVALID
                            ? ResultType.STS_POLICY_INVALID
                            : ResultType.STS_POLICY_FETCH_ERROR;
            assertThat(FetchFailure.of(reason, "x").resultType())
                    .as(reason.name())
                    .contains(expected);
        }
    }

    @Test
    void localCapacity_hasNoResultType() {
        // RFC 8460 §4.3: result types describe the policy domain; our own overload is none of them
        FetchFailure failure = FetchFailure.of(FetchFailure.Reason.LOCAL_CAPACITY, "queue full");
        assertThat(failure.resultType()).isEmpty();
        assertThat(failure.toString()).isEqualTo("LOCAL_CAPACITY: queue full");
    }

    @Test
    void status_classifiesRedirectsAndNotFound() {
        assertThat(FetchFailure.status(302, java.util.Optional.of("https://x/")).reason())
                .isEqualTo(FetchFailure.Reason.REDIRECT);
        assertThat(FetchFailure.status(302, java.util.Optional.of("https://x/")).detail())
                .contains("Location: https://x/");
        assertThat(FetchFailure.status(404, java.util.Optional.empty()).reason())
                .isEqualTo(FetchFailure.Reason.NOT_FOUND);
        assertThat(FetchFailure.status(500, java.util.Optional.empty()).reason())
                .isEqualTo(FetchFailure.Reason.HTTP_STATUS);
        assertThat(FetchFailure.status(500, java.util.Optional.empty()).status())
                .hasValue(500);
        assertThat(FetchFailure.of(FetchFailure.Reason.TLS, "x").status()).isEmpty();
    }

    @Test
    void toString_namesReasonAndType() {
        assertThat(FetchFailure.of(FetchFailure.Reason.TIMEOUT, "slow").toString())
                .isEqualTo("TIMEOUT (sts-policy-fetch-error): slow");
    }
}
