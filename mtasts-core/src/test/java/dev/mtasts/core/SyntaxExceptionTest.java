package dev.mtasts.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class SyntaxExceptionTest {

    // STS-POL-12: policy errors name the 1-based line, the field and the rule.
    @Test
    void atLine_message() {
        SyntaxException e = SyntaxException.atLine(
                SyntaxException.Subject.POLICY, 4, "mode", "mode must be 'enforce'", "RFC 8461 §3.2");

        assertThat(e.getMessage())
                .isEqualTo("MTA-STS policy, line 4, field 'mode': mode must be 'enforce' [RFC 8461 §3.2]");
        assertThat(e.line()).hasValue(4);
        assertThat(e.column()).isEmpty();
        assertThat(e.field()).contains("mode");
        assertThat(e.reason()).isEqualTo("mode must be 'enforce'");
        assertThat(e.rule()).isEqualTo("RFC 8461 §3.2");
        assertThat(e.subject()).isEqualTo(SyntaxException.Subject.POLICY);
    }

    // STS-TXT-8: record errors name the column.
    @Test
    void atColumn_message() {
        SyntaxException e =
                SyntaxException.atColumn(SyntaxException.Subject.STS_RECORD, 9, "", "expected ';'", "RFC 8461 §3.1");

        assertThat(e.getMessage()).isEqualTo("_mta-sts TXT record, column 9: expected ';' [RFC 8461 §3.1]");
        assertThat(e.column()).hasValue(9);
        assertThat(e.line()).isEmpty();
        assertThat(e.field()).isEmpty();
    }

    // STS-POL-5: errors about the whole text carry no position.
    @Test
    void whole_message() {
        SyntaxException e = SyntaxException.whole(
                SyntaxException.Subject.TLSRPT_RECORD, "rua", "required field 'rua' is missing", "RFC 8460 §3");

        assertThat(e.getMessage())
                .isEqualTo("_smtp._tls TXT record, field 'rua': required field 'rua' is missing [RFC 8460 §3]");
        assertThat(e.line()).isEmpty();
        assertThat(e.column()).isEmpty();
    }

    // STS-POL-9: a pattern error inside a policy line keeps its column, shifted to the line.
    @Test
    void relocate_shiftsColumnAndSetsLine() {
        SyntaxException inPattern =
                SyntaxException.atColumn(SyntaxException.Subject.MX_PATTERN, 3, "mx", "empty label", "RFC 8461 §3.2");
        SyntaxException inPolicy = inPattern.relocate(SyntaxException.Subject.POLICY, 5, 4);

        assertThat(inPolicy.subject()).isEqualTo(SyntaxException.Subject.POLICY);
        assertThat(inPolicy.line()).hasValue(5);
        assertThat(inPolicy.column()).hasValue(7);
        assertThat(inPolicy.getMessage())
                .isEqualTo("MTA-STS policy, line 5, column 7, field 'mx': empty label [RFC 8461 §3.2]");

        SyntaxException noColumn = SyntaxException.whole(SyntaxException.Subject.MX_PATTERN, "mx", "x", "r")
                .relocate(SyntaxException.Subject.POLICY, 2, 4);
        assertThat(noColumn.column()).isEmpty();
    }

    // Callers that catch IllegalArgumentException for bad arguments also catch parse errors.
    @Test
    void isAnIllegalArgumentException() {
        assertThat(SyntaxException.whole(SyntaxException.Subject.MX_PATTERN, "", "x", "r"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void subject_labels() {
        assertThat(SyntaxException.Subject.POLICY.label()).isEqualTo("MTA-STS policy");
        assertThat(SyntaxException.Subject.STS_RECORD.label()).isEqualTo("_mta-sts TXT record");
        assertThat(SyntaxException.Subject.MX_PATTERN.label()).isEqualTo("mx pattern");
        assertThat(SyntaxException.Subject.TLSRPT_RECORD.label()).isEqualTo("_smtp._tls TXT record");
    }
}
