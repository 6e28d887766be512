package dev.mtasts.core;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs a parser on input that must be refused and hands back the {@link SyntaxException}. */
final class Failures {
    private Failures() {}

    /** The RFC 8461 §3.2 example policy, CRLF-terminated as served. */
    static final String RFC_POLICY = "version: STSv1\r\n"
            + "mode: enforce\r\n"
            + "mx: mail.example.com\r\n"
            + "mx: *.example.net\r\n"
            + "mx: backupmx.example.com\r\n"
            + "max_age: 604800\r\n";

    static SyntaxException policy(String text) {
        Policy parsed;
        try {
            parsed = Policy.parse(text);
        } catch (SyntaxException e) {
            assertThat(e.subject()).isEqualTo(SyntaxException.Subject.POLICY);
            assertThat(e.rule()).isEqualTo("RFC 8461 §3.2");
            return e;
        }
        throw new AssertionError("expected the policy to be INVALID but got " + parsed + " from " + text);
    }

    static SyntaxException policy(byte[] body) {
        Policy parsed;
        try {
            parsed = Policy.parse(body);
        } catch (SyntaxException e) {
            assertThat(e.subject()).isEqualTo(SyntaxException.Subject.POLICY);
            return e;
        }
        throw new AssertionError("expected the policy to be INVALID but got " + parsed);
    }

    static SyntaxException record(String txt) {
        StsRecord parsed;
        try {
            parsed = StsRecord.parse(txt);
        } catch (SyntaxException e) {
            assertThat(e.subject()).isEqualTo(SyntaxException.Subject.STS_RECORD);
            assertThat(e.rule()).isEqualTo("RFC 8461 §3.1");
            return e;
        }
        throw new AssertionError("expected the record to be invalid but got " + parsed);
    }

    static SyntaxException pattern(String pattern) {
        MxPattern parsed;
        try {
            parsed = MxPattern.parse(pattern);
        } catch (SyntaxException e) {
            assertThat(e.subject()).isEqualTo(SyntaxException.Subject.MX_PATTERN);
            assertThat(e.field()).contains("mx");
            return e;
        }
        throw new AssertionError("expected the pattern to be invalid but got " + parsed);
    }

    /** Asserts that the exception and its message name the 1-based line and the field. */
    static void assertAtLine(SyntaxException e, int line, String field) {
        assertThat(e.line()).hasValue(line);
        assertThat(e.field()).contains(field);
        assertThat(e.getMessage()).contains("line " + line).contains("'" + field + "'");
    }

    /** Asserts that the exception and its message name the 1-based column. */
    static void assertAtColumn(SyntaxException e, int column) {
        assertThat(e.column()).hasValue(column);
        assertThat(e.getMessage()).contains("column " + column);
    }
}
