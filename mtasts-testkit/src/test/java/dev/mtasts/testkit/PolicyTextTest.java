package dev.mtasts.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.core.Mode;
import dev.mtasts.core.Policy;
import dev.mtasts.testkit.server.FakePolicyHost;
import dev.mtasts.testkit.server.HttpFault;
import dev.mtasts.testkit.server.PolicyResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The servers serve policy text; here core's parser reads what they serve. */
final class PolicyTextTest {
    private static final Policy POLICY = Policy.builder()
            .mode(Mode.ENFORCE)
            .addMx("mx1.example.com")
            .addMx("*.example.com")
            .maxAge(Duration.ofDays(1))
            .build();

    @Test
    void policyText_servedByTheHost_parsesBackToThePolicy() throws IOException {
        try (FakePolicyHost host = new FakePolicyHost().start()) {
            host.policy("example.com", POLICY.text());
            String body = PolicyClients.get(
                            PolicyClients.freshContext(host.certificateAuthority()), "example.com", host.port())
                    .body();
            assertThat(Policy.parse(body)).isEqualTo(POLICY);
        }
    }

    @Test
    void oversizedBody_first64KiB_isStillAValidPolicy() throws IOException {
        // RFC 8461 §3.3, STS-HTTP-7: a fetcher that truncates instead of refusing would accept it
        try (FakePolicyHost host = new FakePolicyHost().start()) {
            host.enqueue(
                    "example.com",
                    PolicyResponse.builder()
                            .body(POLICY.text())
                            .fault(HttpFault.OVERSIZED_BODY)
                            .build());
            byte[] body = PolicyClients.get(
                            PolicyClients.freshContext(host.certificateAuthority()), "example.com", host.port())
                    .body()
                    .getBytes(StandardCharsets.US_ASCII);
            assertThat(body).hasSize(64 * 1024 + 1);
            assertThat(Policy.parse(body).mx()).isEqualTo(POLICY.mx());
            assertThat(Policy.parse(Arrays.copyOf(body, 64 * 1024)).mx()).isEqualTo(POLICY.mx());
        }
    }
}
