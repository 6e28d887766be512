package dev.mtasts.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.core.Mode;
import dev.mtasts.core.Policy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The declarative way in: {@code @MtaStsTest} and an injected {@code MtaStsWorld}. */
@MtaStsTest
class MtaStsTestAnnotationTest {

    @Test
    void defaults(MtaStsWorld world) {
        assertThat(world.isRunning()).isTrue();
        assertThat(world.domains()).containsExactly("example.com");
        assertThat(world.mxHosts()).containsExactly("mx1.example.com", "mx2.example.com");
        Policy policy = world.policy("example.com").orElseThrow();
        assertThat(policy.mode()).isEqualTo(Mode.ENFORCE);
        assertThat(policy.maxAge()).isEqualTo(Duration.ofDays(1));
        assertThat(policy.mx()).extracting(Object::toString).containsExactly("mx1.example.com", "mx2.example.com");
        assertThat(world.stsId("example.com")).hasValue("20240101000000");
        assertThat(world.dns().records("_smtp._tls.example.com")).isEmpty();
    }

    @Test
    @MtaStsTest(
            domain = "example.net",
            mx = "mx.example.net",
            mode = Mode.TESTING,
            policyMx = "*.example.net",
            maxAgeSeconds = 3600,
            stsId = "abc",
            tlsRpt = "mailto:reports@example.net")
    void methodAnnotationOverridesTheClassOne(MtaStsWorld world) {
        assertThat(world.domains()).containsExactly("example.net");
        Policy policy = world.policy("example.net").orElseThrow();
        assertThat(policy.mode()).isEqualTo(Mode.TESTING);
        assertThat(policy.maxAge()).isEqualTo(Duration.ofHours(1));
        assertThat(policy.mx()).extracting(Object::toString).containsExactly("*.example.net");
        assertThat(world.stsId("example.net")).hasValue("abc");
        assertThat(world.dns().records("_smtp._tls.example.net"))
                .singleElement()
                .asString()
                .contains("v=TLSRPTv1; rua=mailto:reports@example.net");
    }

    @Test
    @MtaStsTest(policy = false)
    void withoutPolicy_noTxtAnd404(MtaStsWorld world) {
        assertThat(world.policy("example.com")).isEmpty();
        assertThat(world.dns().records("_mta-sts.example.com")).isEmpty();
    }

    @org.junit.jupiter.api.Nested
    final class Nested {
        @Test
        void nestedClassesSeeTheEnclosingAnnotation(MtaStsWorld world) {
            assertThat(world.domains()).containsExactly("example.com");
        }
    }

    @Test
    @MtaStsTest(domain = "")
    void emptyWorld_takesDomainsLater(MtaStsWorld world) {
        assertThat(world.domains()).isEmpty();
        world.addDomain("late.example", d -> d.mx(10, "mx.late.example").policy(Mode.NONE));
        assertThat(world.policy("late.example").orElseThrow().mode()).isEqualTo(Mode.NONE);
        assertThat(world.smtp("mx.late.example").port()).isPositive();
    }
}
