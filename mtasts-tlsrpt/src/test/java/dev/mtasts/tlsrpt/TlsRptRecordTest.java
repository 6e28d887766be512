package dev.mtasts.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtasts.core.Extension;
import dev.mtasts.core.RecordSelection;
import dev.mtasts.core.SyntaxException;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

final class TlsRptRecordTest {

    static SyntaxException invalid(String txt) {
        TlsRptRecord parsed;
        try {
            parsed = TlsRptRecord.parse(txt);
        } catch (SyntaxException e) {
            assertThat(e.subject()).isEqualTo(SyntaxException.Subject.TLSRPT_RECORD);
            assertThat(e.rule()).isEqualTo("RFC 8460 §3");
            return e;
        }
        throw new AssertionError("expected an invalid record, got " + parsed);
    }

    static void assertAtColumn(SyntaxException e, int column) {
        assertThat(e.column()).hasValue(column);
        assertThat(e.getMessage()).contains("column " + column);
    }

    // RFC 8460 §3 example: "v=TLSRPTv1;rua=mailto:reports@example.com".
    @Test
    void parse_rfc8460MailtoExample() {
        TlsRptRecord r = TlsRptRecord.parse("v=TLSRPTv1;rua=mailto:reports@example.com");

        assertThat(r.rua()).containsExactly(URI.create("mailto:reports@example.com"));
        assertThat(r.deliverableRua()).containsExactly(URI.create("mailto:reports@example.com"));
        assertThat(r.extensions()).isEmpty();
        assertThat(r.text()).isEqualTo("v=TLSRPTv1;rua=mailto:reports@example.com");
    }

    // RFC 8460 §3 example: the https one (its two zone-file lines joined, RPT-TXT-2).
    @Test
    void parse_rfc8460HttpsExample() {
        TlsRptRecord r = TlsRptRecord.parse("v=TLSRPTv1; rua=https://reporting.example.com/v1/tlsrpt");

        assertThat(r.rua()).containsExactly(URI.create("https://reporting.example.com/v1/tlsrpt"));
        assertThat(r.rua().get(0).getHost()).isEqualTo("reporting.example.com");
        assertThat(r.rua().get(0).getPath()).isEqualTo("/v1/tlsrpt");
    }

    // RPT-TXT-2, RFC 8460 §3: character-strings joined with nothing between.
    @Test
    void parse_joinedCharacterStrings() {
        String joined = String.join("", List.of("v=TLSRPTv1; rua=mailto:rep", "orts@example.com"));

        assertThat(TlsRptRecord.parse(joined).rua()).containsExactly(URI.create("mailto:reports@example.com"));
    }

    // RPT-TXT-2: one candidate among other TXT records is selected.
    @Test
    void select_oneCandidate() {
        List<String> rrset = List.of("v=spf1 -all", "v=STSv1; id=1", "v=TLSRPTv1; rua=mailto:a@example.com");

        assertThat(TlsRptRecord.select(rrset))
                .map(TlsRptRecord::rua)
                .contains(List.of(URI.create("mailto:a@example.com")));
        assertThat(TlsRptRecord.selection(rrset)).isInstanceOf(RecordSelection.Selected.class);
    }

    // RPT-TXT-2, RPT-TXT-3: not exactly one candidate: no TLSRPT. V=, tlsrptv1 and TLSRPTv10 are not records.
    @Test
    void select_noneOrSeveral() {
        List<String> none = List.of(
                "V=TLSRPTv1; rua=mailto:a@example.com",
                "v=tlsrptv1; rua=mailto:a@example.com",
                "v=TLSRPTv10; rua=mailto:a@example.com");
        List<String> several = List.of("v=TLSRPTv1; rua=mailto:a@example.com", "v=TLSRPTv1 ;rua=mailto:b@example.com");

        assertThat(TlsRptRecord.selection(none)).isInstanceOf(RecordSelection.NoRecord.class);
        assertThat(TlsRptRecord.selection(several)).isEqualTo(new RecordSelection.MultipleRecords<TlsRptRecord>(2));
        assertThat(TlsRptRecord.select(several)).isEmpty();
    }

    // RPT-TXT-2: one invalid candidate: no TLSRPT, with the reason; never throws.
    @Test
    void select_invalidCandidate() {
        RecordSelection<TlsRptRecord> s = TlsRptRecord.selection(List.of("v=TLSRPTv1; rua=mailto:a@example.com!10m"));

        if (!(s instanceof RecordSelection.InvalidRecord<TlsRptRecord> r)) {
            throw new AssertionError("expected InvalidRecord, got " + s);
        }
        assertThat(r.error().column()).hasValue(37);
        assertThat(r.error().field()).contains("rua");
        assertThat(s.record()).isEmpty();
    }

    // RPT-TXT-3, RFC 8460 §3: the version tag is case-sensitive and first.
    @Test
    void parse_versionTag() {
        assertAtColumn(invalid("V=TLSRPTv1; rua=mailto:a@example.com"), 1);
        assertAtColumn(invalid(" v=TLSRPTv1; rua=mailto:a@example.com"), 1);
        assertAtColumn(invalid("v=TLSRPTv10; rua=mailto:a@example.com"), 11);
        assertAtColumn(invalid("rua=mailto:a@example.com; v=TLSRPTv1"), 1);
    }

    // RPT-TXT-3: *WSP ";" *WSP delimiters, one optional trailing delimiter.
    @Test
    void parse_delimiters() {
        URI a = URI.create("mailto:a@example.com");

        assertThat(TlsRptRecord.parse("v=TLSRPTv1;rua=mailto:a@example.com;").rua())
                .containsExactly(a);
        assertThat(TlsRptRecord.parse("v=TLSRPTv1 \t;\t rua=mailto:a@example.com \t; ")
                        .rua())
                .containsExactly(a);
    }

    // RPT-TXT-3: ";;", WSP around '=', trailing WSP without ';', no field at all.
    @Test
    void parse_framingErrors() {
        assertAtColumn(invalid("v=TLSRPTv1;;rua=mailto:a@example.com"), 12);
        assertAtColumn(invalid("v=TLSRPTv1; rua =mailto:a@example.com"), 13);
        assertAtColumn(invalid("v=TLSRPTv1; rua= mailto:a@example.com"), 17);
        assertAtColumn(invalid("v=TLSRPTv1; rua=mailto:a@example.com "), 37);
        assertAtColumn(invalid("v=TLSRPTv1"), 11);
        assertAtColumn(invalid("v=TLSRPTv1;"), 11);
        assertAtColumn(invalid("v=TLSRPTv1; rua=mailto:a@ex\u00e4mple.com"), 28);
    }

    // RPT-TXT-4: rua is required.
    @Test
    void parse_missingRua() {
        SyntaxException e = invalid("v=TLSRPTv1; ruf=mailto:a@example.com");

        assertThat(e.field()).contains("rua");
        assertThat(e.getMessage()).contains("'rua'").contains("missing");
        assertThat(invalid("v=TLSRPTv1; RUA=mailto:a@example.com").field()).contains("rua");
    }

    // RPT-TXT-4, RFC 8460 §3: URI *(*WSP "," *WSP URI), several rua fields: the union in order,
    // duplicates dropped.
    @Test
    void parse_ruaListsAndRepeats() {
        TlsRptRecord r = TlsRptRecord.parse("v=TLSRPTv1; rua=mailto:a@example.com,https://r.example/x ,\t"
                + "mailto:b@example.com; x=1; rua=mailto:c@example.com, mailto:a@example.com");

        assertThat(r.rua())
                .containsExactly(
                        URI.create("mailto:a@example.com"),
                        URI.create("https://r.example/x"),
                        URI.create("mailto:b@example.com"),
                        URI.create("mailto:c@example.com"));
    }

    // RPT-TXT-4: broken lists.
    @Test
    void parse_ruaListErrors() {
        assertAtColumn(invalid("v=TLSRPTv1; rua=mailto:a@example.com,,mailto:b@example.com"), 38);
        assertAtColumn(invalid("v=TLSRPTv1; rua=mailto:a@example.com,"), 38);
        assertAtColumn(invalid("v=TLSRPTv1; rua=mailto:a@example.com mailto:b@example.com"), 38);
        assertAtColumn(invalid("v=TLSRPTv1; rua=,mailto:a@example.com"), 17);
        assertAtColumn(invalid("v=TLSRPTv1; rua="), 17);
    }

    // RPT-TXT-5, RFC 8460 §3: '!' must be percent-encoded (DMARC's "!10m" is a syntax error).
    @Test
    void parse_rawExclamationMark() {
        SyntaxException e = invalid("v=TLSRPTv1; rua=mailto:a@example.com!10m");

        assertAtColumn(e, 37);
        assertThat(e.field()).contains("rua");
        assertThat(e.reason()).contains("'!'");
    }

    // RPT-TXT-5: percent-encoded ',', '!' and ';' are fine and decode on use.
    @Test
    void parse_percentEncoded() {
        TlsRptRecord r = TlsRptRecord.parse("v=TLSRPTv1; rua=mailto:tls%2Breports%21x%2Cy%3Bz@example.com");

        assertThat(r.rua()).hasSize(1);
        assertThat(r.rua().get(0).getSchemeSpecificPart()).isEqualTo("tls+reports!x,y;z@example.com");
    }

    // RPT-TXT-5: URIs per RFC 3986; the error names the column inside the record.
    @Test
    void parse_badUris() {
        assertAtColumn(invalid("v=TLSRPTv1; rua=reports@example.com"), 17); // no scheme
        assertAtColumn(invalid("v=TLSRPTv1; rua=mailto:"), 24); // nothing after the scheme
        assertAtColumn(invalid("v=TLSRPTv1; rua=https://r.example/a^b"), 36); // '^' is not a URI character
        assertAtColumn(invalid("v=TLSRPTv1; rua=:x"), 17); // no scheme name
        assertAtColumn(invalid("v=TLSRPTv1; rua=https://[::1/"), 29); // the '/' where ']' belongs
    }

    // RPT-TXT-5: other schemes parse but are not delivered to; scheme case does not matter.
    @Test
    void deliverableRua_mailtoAndHttpsOnly() {
        TlsRptRecord r = TlsRptRecord.parse("v=TLSRPTv1; rua=http://r.example/,MAILTO:a@example.com,ftp://f.example/,"
                + "HTTPS://r.example/,urn:x:y");

        assertThat(r.rua()).hasSize(5);
        assertThat(r.deliverableRua())
                .containsExactly(URI.create("MAILTO:a@example.com"), URI.create("HTTPS://r.example/"));
    }

    // RPT-TXT-5: mailto hfields parse (and are the sender's to ignore).
    @Test
    void parse_mailtoHfields() {
        TlsRptRecord r = TlsRptRecord.parse("v=TLSRPTv1; rua=mailto:a@example.com?subject=tls");

        assertThat(r.deliverableRua())
                .singleElement()
                .satisfies(u -> assertThat(u.getScheme()).isEqualTo("mailto"));
    }

    // RPT-TXT-6, RFC 8460 §3: unknown extensions are kept and never an error.
    @Test
    void parse_extensions() {
        TlsRptRecord r = TlsRptRecord.parse("v=TLSRPTv1; ruf=x; rua=mailto:a@example.com; a.b-c_d=!~:<>");

        assertThat(r.extensions()).containsExactly(new Extension("ruf", "x"), new Extension("a.b-c_d", "!~:<>"));
    }

    // RPT-TXT-6: extension names and values follow the grammar.
    @Test
    void parse_badExtensions() {
        assertAtColumn(invalid("v=TLSRPTv1; rua=mailto:a@example.com; _x=1"), 39);
        assertAtColumn(invalid("v=TLSRPTv1; rua=mailto:a@example.com; x=a b"), 42);
        assertAtColumn(invalid("v=TLSRPTv1; rua=mailto:a@example.com; x=a=b"), 42);
        assertThat(invalid("v=TLSRPTv1; rua=mailto:a@example.com; x=a=b").field())
                .contains("x");
    }

    @Test
    void equals_byText() {
        TlsRptRecord a = TlsRptRecord.parse("v=TLSRPTv1; rua=mailto:a@example.com");

        assertThat(a)
                .isEqualTo(TlsRptRecord.parse("v=TLSRPTv1; rua=mailto:a@example.com"))
                .hasSameHashCodeAs(TlsRptRecord.parse("v=TLSRPTv1; rua=mailto:a@example.com"))
                .isNotEqualTo(TlsRptRecord.parse("v=TLSRPTv1;rua=mailto:a@example.com"))
                .isNotEqualTo("v=TLSRPTv1; rua=mailto:a@example.com")
                .hasToString("v=TLSRPTv1; rua=mailto:a@example.com");
        assertThatThrownBy(() -> a.rua().clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}
