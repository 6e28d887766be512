package dev.mtasts.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

final class PolicyResponseTest {

    @Test
    void defaults_are200TextPlainNoFault() {
        PolicyResponse response = PolicyResponse.builder().build();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.contentType()).hasValue("text/plain");
        assertThat(response.body()).isEmpty();
        assertThat(response.fault()).isEmpty();
        assertThat(response.delay()).isEqualTo(Duration.ofSeconds(10));
        assertThat(response.oversizedLength()).isEqualTo(65_537);
    }

    @Test
    void factories() {
        assertThat(PolicyResponse.ok("x").body()).isEqualTo("x".getBytes(StandardCharsets.UTF_8));
        assertThat(PolicyResponse.notFound().statusCode()).isEqualTo(404);
        assertThat(PolicyResponse.redirect("https://a.example/").location()).hasValue("https://a.example/");
        assertThat(PolicyResponse.redirect("https://a.example/").fault()).hasValue(HttpFault.REDIRECT);
        assertThat(PolicyResponse.fault(HttpFault.TRICKLE_BODY).body()).isNotEmpty();
    }

    @Test
    void newBuilder_copies_andBodyIsDefensivelyCopied() {
        byte[] body = {1, 2, 3};
        PolicyResponse original = PolicyResponse.builder()
                .status(503)
                .header("Retry-After", "5")
                .body(body)
                .trickle(2, Duration.ofMillis(5))
                .build();
        body[0] = 9;
        PolicyResponse copy = original.newBuilder().noContentType().build();
        assertThat(copy.statusCode()).isEqualTo(503);
        assertThat(copy.headers())
                .extracting(h -> h.getKey() + "=" + h.getValue())
                .containsExactly("Retry-After=5");
        assertThat(copy.body()).containsExactly(1, 2, 3);
        assertThat(copy.trickleBytes()).isEqualTo(2);
        assertThat(copy.contentType()).isEmpty();
        assertThat(original.contentType()).hasValue("text/plain");
    }

    @Test
    void setters_failFastNamingTheValue() {
        PolicyResponse.Builder builder = PolicyResponse.builder();
        assertThatThrownBy(() -> builder.status(99)).hasMessageContaining("99");
        assertThatThrownBy(() -> builder.status(600)).hasMessageContaining("600");
        assertThatThrownBy(() -> builder.header("Bad Name", "x")).hasMessageContaining("Bad Name");
        assertThatThrownBy(() -> builder.header("X", "a\r\nInjected: 1")).hasMessageContaining("CR or LF");
        assertThatThrownBy(() -> builder.header("Content-Length", "1")).hasMessageContaining("Content-Length");
        assertThatThrownBy(() -> builder.delay(Duration.ofSeconds(-1))).hasMessageContaining("-1");
        assertThatThrownBy(() -> builder.trickle(0, Duration.ZERO)).hasMessageContaining("0");
        assertThatThrownBy(() -> builder.oversizedLength(0)).hasMessageContaining("0");
        assertThatThrownBy(() -> builder.location("a\nb")).hasMessageContaining("CR or LF");
    }
}
