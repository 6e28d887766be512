package dev.mtasts.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtasts.core.RecordSelection;
import dev.mtasts.core.SyntaxException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class TxtRecordScannerTest {
    private static final String V = "v=TEST1";
    private static final SyntaxException.Subject SUBJECT = SyntaxException.Subject.STS_RECORD;

    private static List<String> scan(String txt) {
        List<String> fields = new ArrayList<>();
        TxtRecordScanner.scan(
                txt, V, SUBJECT, "rule", (name, value, column) -> fields.add(name + "=" + value + "@" + column));
        return fields;
    }

    private static SyntaxException scanError(String txt) {
        List<String> fields;
        try {
            fields = scan(txt);
        } catch (SyntaxException e) {
            assertThat(e.subject()).isEqualTo(SUBJECT);
            assertThat(e.rule()).isEqualTo("rule");
            return e;
        }
        throw new AssertionError("expected a syntax error for " + txt + ", got " + fields);
    }

    private static void assertColumn(String txt, int column) {
        SyntaxException e = scanError(txt);
        assertThat(e.column()).as(txt).hasValue(column);
        assertThat(e.getMessage()).contains("column " + column);
    }

    // STS-TXT-3, RPT-TXT-2: candidate = version then ';', SP, HTAB or the end.
    @Test
    void isCandidate_delimiterBased() {
        assertThat(TxtRecordScanner.isCandidate("v=TEST1", V)).isTrue();
        assertThat(TxtRecordScanner.isCandidate("v=TEST1;", V)).isTrue();
        assertThat(TxtRecordScanner.isCandidate("v=TEST1 x", V)).isTrue();
        assertThat(TxtRecordScanner.isCandidate("v=TEST1\tx", V)).isTrue();
        assertThat(TxtRecordScanner.isCandidate("v=TEST10", V)).isFalse();
        assertThat(TxtRecordScanner.isCandidate("v=TEST1\n", V)).isFalse();
        assertThat(TxtRecordScanner.isCandidate(" v=TEST1", V)).isFalse();
        assertThat(TxtRecordScanner.isCandidate("v=test1", V)).isFalse();
        assertThat(TxtRecordScanner.isCandidate("", V)).isFalse();
    }

    // STS-TXT-4: the value column is handed over; trailing WSP is not part of the value.
    @Test
    void scan_fieldsAndColumns() {
        assertThat(scan("v=TEST1; a=1 ;b=xyz\t;  c=3;")).containsExactly("a=1@12", "b=xyz@17", "c=3@26");
        assertThat(scan("v=TEST1;rua=a , b")).containsExactly("rua=a , b@13");
    }

    // TXT framing errors: every path names the column of the offending character.
    @Test
    void scan_errorColumns() {
        assertColumn("v=TEST1; a=\u00e9", 12); // non-ASCII
        assertColumn("v=TEST1; a=1\u0001", 13); // control character
        assertColumn("x=TEST1; a=1", 1); // wrong version
        assertColumn("v=TEST1; a=1  ", 13); // trailing WSP without ';'
        assertColumn("v=TEST1 \t", 8); // trailing WSP straight after the version
        assertColumn("v=TEST1 a=1", 9); // missing ';'
        assertColumn("v=TEST1", 8); // no field
        assertColumn("v=TEST1;", 8); // no field, only a delimiter
        assertColumn("v=TEST1;;a=1", 9); // empty field
        assertColumn("v=TEST1; =1", 10); // empty name
        assertColumn("v=TEST1; a", 10); // no '='
        assertColumn("v=TEST1; a;b=1", 10); // no '=' before ';'
        assertColumn("v=TEST1; a b=1", 10); // bad name
        assertColumn("v=TEST1; a =1", 10); // WSP before '='
        assertColumn("v=TEST1; a= 1", 12); // WSP after '='
        assertColumn("v=TEST1; a=", 12); // empty value at the end
        assertColumn("v=TEST1; a= ;", 12); // value of WSP only
        assertColumn("v=TEST1; a=;", 12); // empty value before ';'
    }

    @Test
    void scan_errorMessagesAndFields() {
        assertThat(scanError("v=TEST1;;a=1").reason()).contains("empty field name");
        assertThat(scanError("v=TEST1; a b=1").field()).contains("a b");
        assertThat(scanError("v=TEST1; a= 1").field()).contains("a");
        assertThat(scanError("v=TEST1; a= 1").reason()).contains("whitespace after '='");
        assertThat(scanError("v=TEST1; a").reason()).contains("no '='");
        assertThat(scanError("x=TEST1; a=1").field()).contains("v");
    }

    // STS-TXT-6, RPT-TXT-6: 1*(%x21-3A / %x3C / %x3E-7E).
    @Test
    void badExtensionValueChar_grammar() {
        assertThat(TxtRecordScanner.badExtensionValueChar("!:<>~")).isEqualTo(-1);
        assertThat(TxtRecordScanner.badExtensionValueChar("ab;")).isEqualTo(2);
        assertThat(TxtRecordScanner.badExtensionValueChar("a=")).isEqualTo(1);
        assertThat(TxtRecordScanner.badExtensionValueChar(" a")).isZero();
        assertThat(TxtRecordScanner.badExtensionValueChar("a\u007f")).isEqualTo(1);
        assertThat(TxtRecordScanner.badExtensionValueChar("\u00e9")).isZero();
    }

    // STS-TXT-3, RFC 8461 §3.1: exactly one candidate is parsed; parse errors become InvalidRecord.
    @Test
    void select_outcomes() {
        assertThat(TxtRecordScanner.select(List.of("other", "v=TEST1;a=1"), V, String::length))
                .isEqualTo(new RecordSelection.Selected<>(11));
        assertThat(TxtRecordScanner.select(List.of("other"), V, String::length))
                .isEqualTo(new RecordSelection.NoRecord<Integer>());
        assertThat(TxtRecordScanner.select(List.of("v=TEST1", "v=TEST1 ;"), V, String::length))
                .isEqualTo(new RecordSelection.MultipleRecords<Integer>(2));
        SyntaxException e = SyntaxException.atColumn(SUBJECT, 2, "", "bad", "rule");
        assertThat(TxtRecordScanner.<Integer>select(List.of("v=TEST1"), V, t -> {
                    throw e;
                }))
                .isEqualTo(new RecordSelection.InvalidRecord<Integer>("v=TEST1", e));
    }

    // Only our own exception becomes InvalidRecord; a bug in a parser still surfaces.
    @Test
    void select_otherExceptionsPropagate() {
        assertThatThrownBy(() -> TxtRecordScanner.<Integer>select(List.of("v=TEST1"), V, t -> {
                    throw new IllegalStateException("bug");
                }))
                .isInstanceOf(IllegalStateException.class);
    }
}
