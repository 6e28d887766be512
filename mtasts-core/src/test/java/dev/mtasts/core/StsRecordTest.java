package dev.mtasts.core;

import static dev.mtasts.core.Failures.assertAtColumn;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

final class StsRecordTest {

    // RFC 8461 §3.1 example: "v=STSv1; id=20160831085700Z;".
    @Test
    void parse_rfc8461Example() {
        StsRecord r = StsRecord.parse("v=STSv1; id=20160831085700Z;");

        assertThat(r.id()).isEqualTo("20160831085700Z");
        assertThat(r.extensions()).isEmpty();
        assertThat(r.text()).isEqualTo("v=STSv1; id=20160831085700Z;");
        assertThat(r).hasToString("v=STSv1; id=20160831085700Z;");
    }

    // STS-TXT-2, RFC 8461 §3.1: character-strings are joined with nothing between before parsing.
    @Test
    void parse_joinedCharacterStrings() {
        StsRecord r = StsRecord.parse(String.join("", List.of("v=STSv1; id=2016", "0831085700Z;")));

        assertThat(r.id()).isEqualTo("20160831085700Z");
    }

    // STS-TXT-4, RFC 8461 §3.1: field-delim is *WSP ";" *WSP, with one optional trailing delimiter.
    @Test
    void parse_delimiters() {
        assertThat(StsRecord.parse("v=STSv1;id=abc").id()).isEqualTo("abc");
        assertThat(StsRecord.parse("v=STSv1 \t; \tid=abc \t; \t").id()).isEqualTo("abc");
        assertThat(StsRecord.parse("v=STSv1\t;id=abc;").id()).isEqualTo("abc");
        assertThat(StsRecord.parse("v=STSv1;id=abc ;foo=bar").extensions())
                .containsExactly(new Extension("foo", "bar"));
    }

    // STS-TXT-4: leading WSP is INVALID.
    @Test
    void parse_leadingWhitespace() {
        SyntaxException e = Failures.record(" v=STSv1; id=1");

        assertAtColumn(e, 1);
        assertThat(e.field()).contains("v");
    }

    // STS-TXT-4: the version tag is case-sensitive.
    @Test
    void parse_versionCase() {
        assertAtColumn(Failures.record("V=STSv1; id=1"), 1);
        assertAtColumn(Failures.record("v=stsv1; id=1"), 1);
        assertAtColumn(Failures.record("v=STSv10; id=1"), 8);
    }

    // STS-TXT-4: no WSP around '='.
    @Test
    void parse_whitespaceAroundEquals() {
        SyntaxException before = Failures.record("v=STSv1; id =1");
        SyntaxException after = Failures.record("v=STSv1; id= 1");

        assertAtColumn(before, 10);
        assertThat(before.field()).contains("id ");
        assertAtColumn(after, 13);
        assertThat(after.field()).contains("id");
        assertThat(after.getMessage()).contains("'id'");
    }

    // STS-TXT-4: ";;" is an empty field.
    @Test
    void parse_doubleSemicolon() {
        SyntaxException e = Failures.record("v=STSv1;;id=1");

        assertAtColumn(e, 9);
        assertThat(e.reason()).contains("empty field name");
        assertAtColumn(Failures.record("v=STSv1; id=1;;"), 15);
    }

    // STS-TXT-4: trailing WSP without a final ';' is INVALID.
    @Test
    void parse_trailingWhitespaceWithoutSemicolon() {
        SyntaxException e = Failures.record("v=STSv1; id=1 ");

        assertAtColumn(e, 14);
        assertAtColumn(Failures.record("v=STSv1; id=1\t\t"), 14);
    }

    // STS-TXT-4: a field without a delimiter before it.
    @Test
    void parse_missingDelimiter() {
        assertAtColumn(Failures.record("v=STSv1 id=1"), 9);
        // The id value runs to the next delimiter, so the space is a bad id character.
        assertAtColumn(Failures.record("v=STSv1; id=1 foo=bar"), 14);
    }

    // STS-TXT-4, RFC 8461 §3.1: at least one field after the version.
    @Test
    void parse_noFields() {
        assertAtColumn(Failures.record("v=STSv1"), 8);
        assertAtColumn(Failures.record("v=STSv1;"), 8);
        assertAtColumn(Failures.record("v=STSv1 ; "), 8);
    }

    // STS-TXT-4: non-ASCII and control characters are INVALID, at their column.
    @Test
    void parse_nonAsciiOrControl() {
        assertAtColumn(Failures.record("v=STSv1; id=1; n=caf\u00e9"), 21);
        assertAtColumn(Failures.record("v=STSv1; id=1\u0000"), 14);
        assertAtColumn(Failures.record("v=STSv1; id=1\r\n"), 14);
        assertAtColumn(Failures.record("v=STSv1; id=\u007f"), 13);
        assertAtColumn(Failures.record("\ud800"), 1);
    }

    // STS-TXT-5, RFC 8461 §3.1: id is required.
    @Test
    void parse_missingId() {
        SyntaxException e = Failures.record("v=STSv1; foo=bar");

        assertThat(e.field()).contains("id");
        assertThat(e.column()).isEmpty();
        assertThat(e.getMessage()).contains("'id'").contains("missing");
    }

    // STS-TXT-5: "ID=" is an unknown field, not the id.
    @Test
    void parse_idNameIsCaseSensitive() {
        assertThat(Failures.record("v=STSv1; ID=123").field()).contains("id");
        assertThat(StsRecord.parse("v=STSv1; ID=123; id=4").extensions()).containsExactly(new Extension("ID", "123"));
    }

    // STS-TXT-5: 1 to 32 ALPHA / DIGIT.
    @Test
    void parse_idLength() {
        String id32 = "aZ0123456789".repeat(3).substring(0, 32);

        assertThat(StsRecord.parse("v=STSv1; id=" + id32).id()).isEqualTo(id32);
        assertThat(StsRecord.parse("v=STSv1; id=x").id()).isEqualTo("x");
        SyntaxException e = Failures.record("v=STSv1; id=" + id32 + "a");
        assertAtColumn(e, 13);
        assertThat(e.getMessage()).contains("33").contains("32");
        assertAtColumn(Failures.record("v=STSv1; id="), 13);
    }

    // STS-TXT-5: id characters.
    @Test
    void parse_idCharacters() {
        assertAtColumn(Failures.record("v=STSv1; id=2016-08-31"), 17);
        assertAtColumn(Failures.record("v=STSv1; id=abc_d"), 16);
        assertAtColumn(Failures.record("v=STSv1; id=a b"), 14);
        assertAtColumn(Failures.record("v=STSv1; id=a=b"), 14);
    }

    // STS-TXT-5: ids are exact, case-sensitive strings.
    @Test
    void id_caseSensitive() {
        assertThat(StsRecord.parse("v=STSv1; id=AbC").id()).isEqualTo("AbC").isNotEqualTo("abc");
        assertThat(StsRecord.parse("v=STSv1; id=AbC")).isNotEqualTo(StsRecord.parse("v=STSv1; id=abc"));
    }

    // STS-TXT-6, RFC 8461 §3.1: unknown extensions are kept in order and are never an error.
    @Test
    void parse_extensionsKept() {
        StsRecord r = StsRecord.parse("v=STSv1; a.b-c_d=x!\"#$%&'()*+,-./0123456789:<>?@[\\]^_`{|}~; id=7; Z9=1;");

        assertThat(r.id()).isEqualTo("7");
        assertThat(r.extensions())
                .containsExactly(
                        new Extension("a.b-c_d", "x!\"#$%&'()*+,-./0123456789:<>?@[\\]^_`{|}~"),
                        new Extension("Z9", "1"));
    }

    // STS-TXT-6: extension name and value grammar.
    @Test
    void parse_badExtensions() {
        assertAtColumn(Failures.record("v=STSv1; id=1; _x=1"), 16);
        assertAtColumn(Failures.record("v=STSv1; id=1; " + "a".repeat(33) + "=1"), 16);
        assertThat(StsRecord.parse("v=STSv1; id=1; " + "a".repeat(32) + "=1").extensions())
                .hasSize(1);
        assertAtColumn(Failures.record("v=STSv1; id=1; x=a b"), 19);
        assertAtColumn(Failures.record("v=STSv1; id=1; x=a=b"), 19);
        assertAtColumn(Failures.record("v=STSv1; id=1; x="), 18);
        assertAtColumn(Failures.record("v=STSv1; id=1; x"), 16);
    }

    // STS-TXT-7: a repeated field: the first id wins.
    @Test
    void parse_repeatedIdFirstWins() {
        StsRecord r = StsRecord.parse("v=STSv1; id=first; id=second");

        assertThat(r.id()).isEqualTo("first");
        assertThat(r.extensions()).containsExactly(new Extension("id", "second"));
    }

    @Test
    void equals_byText() {
        assertThat(StsRecord.parse("v=STSv1; id=1"))
                .isEqualTo(StsRecord.parse("v=STSv1; id=1"))
                .hasSameHashCodeAs(StsRecord.parse("v=STSv1; id=1"))
                .isNotEqualTo(StsRecord.parse("v=STSv1;id=1"))
                .isNotEqualTo("v=STSv1; id=1");
    }

    // STS-TXT-3, RFC 8461 §3.1: other TXT records (SPF, site verification) are ignored.
    @Test
    void select_oneCandidateAmongOthers() {
        List<String> rrset = List.of("v=spf1 -all", "google-site-verification=abc", "v=STSv1; id=20160831085700Z;");

        assertThat(StsRecord.select(rrset)).map(StsRecord::id).contains("20160831085700Z");
        assertThat(StsRecord.selection(rrset)).isInstanceOf(RecordSelection.Selected.class);
    }

    // STS-TXT-3: zero candidates: no policy (v=STSv10 and a leading space are not candidates).
    @Test
    void select_noCandidate() {
        List<String> rrset = List.of("v=spf1 -all", "v=STSv10; id=1", " v=STSv1; id=1", "V=STSv1; id=1");

        assertThat(StsRecord.select(rrset)).isEmpty();
        assertThat(StsRecord.selection(rrset)).isInstanceOf(RecordSelection.NoRecord.class);
        assertThat(StsRecord.selection(List.of())).isInstanceOf(RecordSelection.NoRecord.class);
    }

    // STS-TXT-3, RFC 8461 §3.1: more than one candidate: no policy, even if only one parses.
    @Test
    void select_severalCandidates() {
        List<String> rrset = List.of("v=STSv1; id=1", "v=STSv1 ;id=x", "v=STSv1", "v=STSv1\tbroken");

        assertThat(StsRecord.select(rrset)).isEmpty();
        assertThat(StsRecord.selection(rrset)).isEqualTo(new RecordSelection.MultipleRecords<StsRecord>(4));
        assertThat(StsRecord.selection(List.of("v=STSv1; id=1", "v=STSv1; id=1")))
                .isEqualTo(new RecordSelection.MultipleRecords<StsRecord>(2));
    }

    // STS-TXT-8: one invalid candidate: no policy, with the reason and its column.
    @Test
    void select_invalidCandidate() {
        RecordSelection<StsRecord> s = StsRecord.selection(List.of("v=spf1 -all", "v=STSv1; id=2016-08-31"));

        assertThat(StsRecord.select(List.of("v=STSv1; id=2016-08-31"))).isEmpty();
        if (!(s instanceof RecordSelection.InvalidRecord<StsRecord> invalid)) {
            throw new AssertionError("expected InvalidRecord, got " + s);
        }
        assertThat(invalid.text()).isEqualTo("v=STSv1; id=2016-08-31");
        assertThat(invalid.error().column()).hasValue(17);
        assertThat(invalid.error().field()).contains("id");
        assertThat(invalid.record()).isEmpty();
    }
}
