package dev.mtasts.core;

import static dev.mtasts.core.Failures.RFC_POLICY;
import static dev.mtasts.core.Failures.assertAtLine;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

final class PolicyTest {

    // RFC 8461 §3.2 example, verbatim.
    @Test
    void parse_rfc8461Example() {
        Policy p = Policy.parse(RFC_POLICY);

        assertThat(p.mode()).isEqualTo(Mode.ENFORCE);
        assertThat(p.maxAge()).isEqualTo(Duration.ofDays(7)); // 604800 s
        assertThat(p.mx())
                .extracting(MxPattern::toString)
                .containsExactly("mail.example.com", "*.example.net", "backupmx.example.com");
        assertThat(p.extensions()).isEmpty();
        assertThat(p.warnings()).isEmpty();
    }

    // STS-POL-1, RFC 8461 §3.2: the body as received is UTF-8 bytes.
    @Test
    void parse_bytesOfRfc8461Example() {
        Policy p = Policy.parse(RFC_POLICY.getBytes(StandardCharsets.UTF_8));

        assertThat(p).isEqualTo(Policy.parse(RFC_POLICY));
        assertThat(p.mx()).hasSize(3);
    }

    // STS-POL-12, RFC 8461 §3.2 / RFC 8460 §4.4: lines kept verbatim, in order, without terminators.
    @Test
    void lines_verbatimInOrderWithoutTerminators() {
        Policy p = Policy.parse("max_age: 86400 \t\nmode:testing\r\nfoo: bar  baz\nversion: STSv1\nmx:  a.example");

        assertThat(p.lines())
                .containsExactly(
                        "max_age: 86400 \t", "mode:testing", "foo: bar  baz", "version: STSv1", "mx:  a.example");
    }

    // STS-POL-12: the text re-served from a policy is its lines, each ended by CRLF.
    @Test
    void text_isLinesWithCrlf() {
        Policy p = Policy.parse("version: STSv1\nmode: none\nmax_age: 0");

        assertThat(p.text()).isEqualTo("version: STSv1\r\nmode: none\r\nmax_age: 0\r\n");
        assertThat(Policy.parse(p.text())).isEqualTo(p);
    }

    // STS-POL-4, RFC 8461 §3.2: lines may come in any order.
    @Test
    void parse_fieldsInAnyOrder() {
        Policy p =
                Policy.parse("max_age: 86400\r\nmx: b.example\r\nmode: testing\r\nmx: a.example\r\nversion: STSv1\r\n");

        assertThat(p.mode()).isEqualTo(Mode.TESTING);
        assertThat(p.mx()).extracting(MxPattern::toString).containsExactly("b.example", "a.example");
    }

    // STS-POL-5, RFC 8461 §3.2: each of the three modes.
    @Test
    void parse_eachMode() {
        for (Mode mode : Mode.values()) {
            Policy p = Policy.parse("version: STSv1\nmode: " + mode.token() + "\nmx: mx.example\nmax_age: 1\n");
            assertThat(p.mode()).isEqualTo(mode);
        }
    }

    // STS-POL-5, RFC 8461 §3.2: a missing required field is INVALID and named.
    @Test
    void parse_missingVersion() {
        SyntaxException e = Failures.policy("mode: enforce\nmx: mx.example\nmax_age: 1\n");

        assertThat(e.field()).contains("version");
        assertThat(e.line()).isEmpty();
        assertThat(e.getMessage()).contains("'version'").contains("missing");
    }

    // STS-POL-5, RFC 8461 §3.2
    @Test
    void parse_missingMode() {
        SyntaxException e = Failures.policy("version: STSv1\nmx: mx.example\nmax_age: 1\n");

        assertThat(e.field()).contains("mode");
        assertThat(e.getMessage()).contains("'mode'").contains("missing");
    }

    // STS-POL-5, RFC 8461 §3.2
    @Test
    void parse_missingMaxAge() {
        SyntaxException e = Failures.policy("version: STSv1\nmode: enforce\nmx: mx.example\n");

        assertThat(e.field()).contains("max_age");
        assertThat(e.getMessage()).contains("'max_age'").contains("missing");
    }

    // STS-POL-5, RFC 8461 §3.2: mx required unless mode is none.
    @Test
    void parse_enforceOrTestingWithoutMx() {
        for (String mode : new String[] {"enforce", "testing"}) {
            SyntaxException e = Failures.policy("version: STSv1\nmode: " + mode + "\nmax_age: 1\n");

            assertThat(e.field()).contains("mx");
            assertThat(e.getMessage()).contains("'mx'").contains(mode);
        }
    }

    // STS-POL-11, RFC 8461 §3.2: mode none is valid without mx.
    @Test
    void parse_modeNoneWithoutMx() {
        Policy p = Policy.parse("version: STSv1\nmode: none\nmax_age: 86400\n");

        assertThat(p.mode()).isEqualTo(Mode.NONE);
        assertThat(p.mx()).isEmpty();
        assertThat(p.matches("mx.example.com")).isFalse();
    }

    // STS-POL-11: mode none with mx lines is valid too.
    @Test
    void parse_modeNoneWithMx() {
        Policy p = Policy.parse("version: STSv1\nmode: none\nmx: mx.example.com\nmax_age: 86400\n");

        assertThat(p.mx()).extracting(MxPattern::toString).containsExactly("mx.example.com");
    }

    // STS-POL-11: mx lines present in mode none are still validated.
    @Test
    void parse_modeNoneWithInvalidMx() {
        SyntaxException e = Failures.policy("version: STSv1\nmode: none\nmx: bad_host.example\nmax_age: 86400\n");

        assertAtLine(e, 3, "mx");
    }

    // STS-POL-4, RFC 8461 §3.2: fixed values are case-sensitive.
    @Test
    void parse_modeIsCaseSensitive() {
        SyntaxException e = Failures.policy("version: STSv1\nmode: Enforce\nmx: mx.example\nmax_age: 1\n");

        assertAtLine(e, 2, "mode");
        assertThat(e.getMessage()).contains("'Enforce'");
    }

    // STS-POL-4, RFC 8461 §3.2: field names are case-sensitive; "Mode" is an unknown field.
    @Test
    void parse_capitalisedNameIsAnExtension() {
        Policy p = Policy.parse("version: STSv1\nmode: testing\nMode: enforce\nmx: mx.example\nmax_age: 1\n");

        assertThat(p.mode()).isEqualTo(Mode.TESTING);
        assertThat(p.extensions()).containsExactly(new Extension("Mode", "enforce"));

        SyntaxException e = Failures.policy("version: STSv1\nMode: enforce\nmx: mx.example\nmax_age: 1\n");
        assertThat(e.field()).contains("mode");
    }

    // STS-POL-5, RFC 8461 §3.2: only "STSv1".
    @Test
    void parse_wrongVersion() {
        for (String version : new String[] {"STSv2", "stsv1", "STSv1.0", "STSv10"}) {
            SyntaxException e = Failures.policy("version: " + version + "\nmode: none\nmax_age: 1\n");

            assertAtLine(e, 1, "version");
            assertThat(e.getMessage()).contains(version);
        }
    }

    // STS-POL-8, RFC 8461 §3.2: 1-10 digits, leading zeros allowed.
    @Test
    void parse_maxAgeLeadingZeros() {
        Policy p = Policy.parse("version: STSv1\nmode: none\nmax_age: 0000604800\n");

        assertThat(p.maxAge()).isEqualTo(Duration.ofDays(7)); // 604800 s
    }

    // STS-POL-8 DECISION: max_age 0 is valid.
    @Test
    void parse_maxAgeZero() {
        Policy p = Policy.parse("version: STSv1\nmode: none\nmax_age: 0\n");

        assertThat(p.maxAge()).isZero();
        assertThat(p.warnings()).isEmpty();
    }

    // STS-POL-8, RFC 8461 §3.2: 31557600 is the maximum, kept as is.
    @Test
    void parse_maxAgeAtLimit() {
        Policy p = Policy.parse("version: STSv1\nmode: none\nmax_age: 31557600\n");

        assertThat(p.maxAge()).isEqualTo(Policy.MAX_AGE_LIMIT);
        assertThat(p.warnings()).isEmpty();
    }

    // STS-POL-8 DECISION: above the maximum is capped with a MAX_AGE_CAPPED warning naming the line.
    @Test
    void parse_maxAgeAboveLimitIsCapped() {
        for (String value : new String[] {"31557601", "9999999999"}) {
            Policy p = Policy.parse("version: STSv1\nmode: none\nmax_age: " + value + "\n");

            assertThat(p.maxAge()).isEqualTo(Policy.MAX_AGE_LIMIT);
            assertThat(p.warnings()).singleElement().satisfies(w -> {
                assertThat(w.code()).isEqualTo(PolicyWarning.Code.MAX_AGE_CAPPED);
                assertThat(w.line()).isEqualTo(3);
                assertThat(w.message()).contains(value);
            });
        }
    }

    // STS-POL-8, RFC 8461 §3.2: sign, separators, spaces, 11+ digits, non-ASCII digits are INVALID.
    @Test
    void parse_maxAgeMalformed() {
        String[] values = {
            "+1", "-1", "1_000", "1 000", "0x10", "1e5", "1.5", "00000000001", "99999999999", "\u0661", "\uff11", "abc"
        };
        for (String value : values) {
            SyntaxException e = Failures.policy("version: STSv1\nmode: none\nmax_age: " + value + "\n");

            assertAtLine(e, 3, "max_age");
        }
    }

    // STS-POL-6, RFC 8461 §3.2: a repeated field: the first governs, later ones give a warning.
    @Test
    void parse_duplicateFieldFirstWins() {
        Policy p = Policy.parse("version: STSv1\nmode: testing\nmode: enforce\nmx: mx.example\nmax_age: 5\n"
                + "max_age: 7\nversion: STSv2\n");

        assertThat(p.mode()).isEqualTo(Mode.TESTING);
        assertThat(p.maxAge()).isEqualTo(Duration.ofSeconds(5));
        assertThat(p.warnings())
                .extracting(PolicyWarning::code, PolicyWarning::line)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(PolicyWarning.Code.DUPLICATE_FIELD, 3),
                        org.assertj.core.groups.Tuple.tuple(PolicyWarning.Code.DUPLICATE_FIELD, 6),
                        org.assertj.core.groups.Tuple.tuple(PolicyWarning.Code.DUPLICATE_FIELD, 7));
    }

    // STS-POL-6: the governing (first) occurrence must itself be valid.
    @Test
    void parse_duplicateFieldFirstInvalid() {
        SyntaxException e =
                Failures.policy("version: STSv1\nmode: strict\nmode: enforce\nmx: mx.example\nmax_age: 1\n");

        assertAtLine(e, 2, "mode");
    }

    // STS-POL-6 DECISION: ignored repeats must still be well-formed "name: value" lines.
    @Test
    void parse_duplicateFieldMalformed() {
        SyntaxException e = Failures.policy("version: STSv1\nmode: none\nmax_age: 1\nmode: a\u0001b\n");

        assertAtLine(e, 4, "mode");
    }

    // STS-POL-7, RFC 8461 §3.2: unknown fields are kept in order and do not change the policy.
    @Test
    void parse_extensionsKeptInOrder() {
        Policy p = Policy.parse(
                "version: STSv1\nzeta: last one\nmode: none\nalpha_1.x-y: 42\nmax_age: 1\n" + "zeta: again\n");

        assertThat(p.extensions())
                .containsExactly(
                        new Extension("zeta", "last one"),
                        new Extension("alpha_1.x-y", "42"),
                        new Extension("zeta", "again"));
        assertThat(p.warnings()).isEmpty();
    }

    // STS-MX-1, RFC 8461 §4.1: any pattern may match; the first in file order is reported.
    @Test
    void matchingPattern_firstInFileOrder() {
        Policy wildcardFirst = Policy.parse(
                "version: STSv1\nmode: enforce\nmx: *.example.com\nmx: mx1.example.com\n" + "max_age: 1\n");
        Policy exactFirst = Policy.parse(
                "version: STSv1\nmode: enforce\nmx: mx1.example.com\nmx: *.example.com\n" + "max_age: 1\n");

        assertThat(wildcardFirst.matchingPattern("mx1.example.com"))
                .map(MxPattern::toString)
                .contains("*.example.com");
        assertThat(exactFirst.matchingPattern("mx1.example.com"))
                .map(MxPattern::toString)
                .contains("mx1.example.com");
        assertThat(wildcardFirst.matches("mx1.example.com")).isTrue();
        assertThat(exactFirst.matches("mx1.example.com")).isTrue();
        assertThat(exactFirst.matchingPattern("example.com")).isEmpty();
    }

    // STS-MX-1..3, RFC 8461 §4.1 on the §3.2 example.
    @Test
    void matches_rfc8461Example() {
        Policy p = Policy.parse(RFC_POLICY);

        assertThat(p.matches("mail.example.com")).isTrue();
        assertThat(p.matches("MAIL.Example.COM.")).isTrue();
        assertThat(p.matches("mx1.example.net")).isTrue();
        assertThat(p.matches("backupmx.example.com")).isTrue();
        assertThat(p.matches("example.net")).isFalse();
        assertThat(p.matches("a.b.example.net")).isFalse();
        assertThat(p.matches("evil.example.org")).isFalse();
        assertThat(p.matches("")).isFalse();
    }

    @Test
    void equals_byLines() {
        Policy a = Policy.parse("version: STSv1\nmode: none\nmax_age: 1\n");
        Policy b = Policy.parse("version: STSv1\r\nmode: none\r\nmax_age: 1");
        Policy c = Policy.parse("version: STSv1\nmode: none\nmax_age: 01\n");

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c).isNotEqualTo("version: STSv1");
    }

    @Test
    void toString_namesModeMaxAgeAndMx() {
        assertThat(Policy.parse(RFC_POLICY).toString())
                .contains("enforce")
                .contains("604800")
                .contains("*.example.net");
    }

    @Test
    void accessors_areUnmodifiable() {
        Policy p = Policy.parse(RFC_POLICY);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.mx().clear())
                .isInstanceOf(UnsupportedOperationException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.lines().add("x: y"))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
