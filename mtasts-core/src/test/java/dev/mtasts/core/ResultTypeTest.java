package dev.mtasts.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

final class ResultTypeTest {

    // RPT-TYPE-2, RFC 8460 §4.3 / §6.6: the 11 registered result types.
    @Test
    void values_areTheRegistry() {
        assertThat(Arrays.stream(ResultType.values()).map(ResultType::token))
                .containsExactly(
                        "starttls-not-supported",
                        "certificate-host-mismatch",
                        "certificate-expired",
                        "certificate-not-trusted",
                        "validation-failure",
                        "tlsa-invalid",
                        "dnssec-invalid",
                        "dane-required",
                        "sts-policy-fetch-error",
                        "sts-policy-invalid",
                        "sts-webpki-invalid");
    }

    @Test
    void fromToken_roundTrip() {
        for (ResultType type : ResultType.values()) {
            assertThat(ResultType.fromToken(type.token())).contains(type);
            assertThat(type).hasToString(type.token());
        }
    }

    // RPT-TYPE-2: unregistered or differently spelled tokens are not registered types.
    @Test
    void fromToken_unknown() {
        assertThat(ResultType.fromToken("STARTTLS-NOT-SUPPORTED")).isEmpty();
        assertThat(ResultType.fromToken("sts-mx-not-in-policy")).isEmpty();
        assertThat(ResultType.fromToken("")).isEmpty();
    }
}
