package dev.mtasts.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link Policy.Builder}. */
final class PolicyBuilderTest {

    // RFC 8461 §3.2: the builder writes the example in canonical order.
    @Test
    void build_rfc8461Example() {
        Policy p = Policy.builder()
                .mode(Mode.ENFORCE)
                .addMx("mail.example.com")
                .addMx("*.example.net")
                .addMx("backupmx.example.com")
                .maxAge(Duration.ofDays(7)) // max_age: 604800
                .build();

        assertThat(p).isEqualTo(Policy.parse(Failures.RFC_POLICY));
        assertThat(p.text()).isEqualTo(Failures.RFC_POLICY);
    }

    @Test
    void build_defaultsAreEnforceAndOneWeek() {
        Policy p = Policy.builder().addMx("mx.example").build();

        assertThat(p.mode()).isEqualTo(Mode.ENFORCE);
        assertThat(p.maxAge()).isEqualTo(Duration.ofDays(7));
    }

    // STS-POL-5: enforce without mx cannot be built.
    @Test
    void build_enforceWithoutMx() {
        assertThatThrownBy(() -> Policy.builder().build())
                .isInstanceOfSatisfying(
                        SyntaxException.class, e -> assertThat(e.field()).contains("mx"));
    }

    // STS-POL-11: none without mx can.
    @Test
    void build_noneWithoutMx() {
        Policy p = Policy.builder().mode(Mode.NONE).maxAge(Duration.ZERO).build();

        assertThat(p.lines()).containsExactly("version: STSv1", "mode: none", "max_age: 0");
    }

    // STS-POL-8: 0 to 9999999999 whole seconds can be declared; above 31557600 is capped on parse.
    @Test
    void maxAge_range() {
        Policy p = Policy.builder()
                .mode(Mode.NONE)
                .maxAge(Duration.ofSeconds(9_999_999_999L))
                .build();

        assertThat(p.lines()).contains("max_age: 9999999999");
        assertThat(p.maxAge()).isEqualTo(Policy.MAX_AGE_LIMIT);
        assertThat(p.warnings()).extracting(PolicyWarning::code).containsExactly(PolicyWarning.Code.MAX_AGE_CAPPED);
    }

    @Test
    void maxAge_outOfRange() {
        Policy.Builder b = Policy.builder();

        assertThatThrownBy(() -> b.maxAge(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT-1S");
        assertThatThrownBy(() -> b.maxAge(Duration.ofSeconds(10_000_000_000L)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.maxAge(Duration.ofMillis(1500)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT1.5S");
    }

    // STS-POL-9: a bad pattern fails at once.
    @Test
    void addMx_invalid() {
        assertThatThrownBy(() -> Policy.builder().addMx("*.*.example"))
                .isInstanceOf(SyntaxException.class)
                .hasMessageContaining("column 3");
    }

    // STS-POL-7: extensions are written after the defined fields, in order.
    @Test
    void addExtension_written() {
        Policy p = Policy.builder()
                .mode(Mode.TESTING)
                .addMx("mx.example")
                .addExtension("b", "2 two")
                .addExtension("a", "caf\u00e9")
                .build();

        assertThat(p.extensions()).containsExactly(new Extension("b", "2 two"), new Extension("a", "caf\u00e9"));
        assertThat(p.lines()).endsWith("b: 2 two", "a: caf\u00e9");
    }

    @Test
    void addExtension_definedName() {
        for (String name : new String[] {"version", "mode", "max_age", "mx"}) {
            assertThatThrownBy(() -> Policy.builder().addExtension(name, "x"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(name);
        }
    }

    @Test
    void addExtension_badName() {
        for (String name : new String[] {"", "_x", "a b", "a: b", "a".repeat(33)}) {
            assertThatThrownBy(() -> Policy.builder().addExtension(name, "x"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + name + "'");
        }
    }

    // STS-POL-7: a value the grammar cannot carry is refused before it can change the policy: a line
    // break would otherwise smuggle in another field (here an extra mx).
    @Test
    void addExtension_badValue() {
        for (String value :
                new String[] {"", " x", "x ", "a\tb", "1\r\nmx: evil.example", "a\nb", "a\u0000", "\ud800"}) {
            assertThatThrownBy(() -> Policy.builder().addExtension("x", value))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
