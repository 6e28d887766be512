package dev.mtasts.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Properties of {@link StsRecord} (RFC 8461 §3.1). */
final class StsRecordPropertiesTest {
    private static final String ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /** A generated record: its text and what it must parse to. */
    record Generated(String text, String id, List<Extension> extensions) {}

    private static Gen<String> ids() {
        return Gens.stringOf(ALNUM, Gens.lengths(1, 32));
    }

    private static Gen<Extension> extensions() {
        return Gens.extensionName().zip(Gens.txtExtensionValue(), Extension::new);
    }

    /** STS-TXT-4..6: version, fields in any order around the id, random delimiters, optional final one. */
    private static Gen<Generated> records() {
        Gen<List<String>> delimiters = lists().of(Gens.txtDelimiter()).ofSize(8);
        return ids().zip(
                        lists().of(extensions()).ofSizeBetween(0, 4),
                        integers().between(0, 4),
                        delimiters,
                        (id, ext, idAt, delims) -> {
                            List<String> fields = new ArrayList<>();
                            ext.forEach(x -> fields.add(x.name() + "=" + x.value()));
                            fields.add(Math.min(idAt, fields.size()), "id=" + id);
                            StringBuilder sb = new StringBuilder(StsRecord.VERSION);
                            for (int i = 0; i < fields.size(); i++) {
                                sb.append(delims.get(i)).append(fields.get(i));
                            }
                            String end = delims.get(7);
                            if (end.hashCode() % 2 == 0) {
                                sb.append(end); // the optional trailing delimiter
                            }
                            return new Generated(sb.toString(), id, ext);
                        });
    }

    // STS-TXT-4..6, RFC 8461 §3.1: generated valid records give back the id and the extensions.
    @Test
    void parse_generatedRecords() {
        qt().forAll(records()).checkAssert(g -> {
            StsRecord r = StsRecord.parse(g.text());

            assertThat(r.id()).isEqualTo(g.id());
            assertThat(r.extensions()).isEqualTo(g.extensions());
            assertThat(r.text()).isEqualTo(g.text());
        });
    }

    // STS-TXT-3, RFC 8461 §3.1: one candidate among other TXT records is selected; two are none.
    @Test
    void selection_oneAmongOthers() {
        Gen<List<String>> others = lists().of(Generate.pick(List.of(
                        "v=spf1 -all",
                        "v=STSv10; id=1",
                        "v=STSv2; id=1",
                        " v=STSv1; id=1",
                        "V=STSv1; id=1",
                        "google-site-verification=x",
                        "",
                        "v=TLSRPTv1; rua=mailto:a@example.com")))
                .ofSizeBetween(0, 4);
        qt().forAll(records(), others, integers().between(0, 4)).checkAssert((g, noise, at) -> {
            List<String> rrset = new ArrayList<>(noise);
            rrset.add(Math.min(at, rrset.size()), g.text());

            assertThat(StsRecord.select(rrset)).map(StsRecord::id).contains(g.id());

            rrset.add(g.text());
            assertThat(StsRecord.selection(rrset)).isEqualTo(new RecordSelection.MultipleRecords<StsRecord>(2));
        });
    }

    // STS-TXT-7: with two id fields the first one governs.
    @Test
    void parse_firstIdWins() {
        qt().forAll(records(), ids()).checkAssert((g, second) -> {
            String base = g.text().stripTrailing();
            StsRecord r = StsRecord.parse(base + (base.endsWith(";") ? "" : ";") + "id=" + second);

            assertThat(r.id()).isEqualTo(g.id());
        });
    }

    // STS-TXT-8: any string parses or throws our SyntaxException naming a column within the text.
    @Test
    void parse_anyStringNeverCrashes() {
        qt().forAll(Gens.anyChars(120)).checkAssert(StsRecordPropertiesTest::parseOrSyntaxError);
        qt().withExamples(300)
                .forAll(strings().allPossible().ofLengthBetween(0, 200))
                .checkAssert(StsRecordPropertiesTest::parseOrSyntaxError);
        List<String> tokens = List.of(
                "v=STSv1", "v=", "STSv1", ";", " ", "\t", "=", "id", "id=", "ID", "a", "0", "_", "-", ".", "x",
                "\u00e9", "\u0000", "\ud800");
        qt().withExamples(2000)
                .forAll(Gens.tokenSoup(tokens, 25))
                .checkAssert(StsRecordPropertiesTest::parseOrSyntaxError);
    }

    // Mutation fuzzing of valid records.
    @Test
    void parse_mutatedRecordsNeverCrash() {
        qt().forAll(
                        records(),
                        integers().between(0, 2),
                        integers().between(0, 1000),
                        integers().between(0, 0x7f))
                .checkAssert((g, op, at, c) -> {
                    StringBuilder sb = new StringBuilder(g.text());
                    int i = at % (sb.length() + 1);
                    if (op == 0) {
                        sb.insert(i, (char) c.intValue());
                    } else if (i < sb.length()) {
                        if (op == 1) {
                            sb.deleteCharAt(i);
                        } else {
                            sb.setCharAt(i, (char) c.intValue());
                        }
                    }
                    parseOrSyntaxError(sb.toString());
                });
    }

    // STS-TXT-3, STS-TXT-8: selection never throws for any RRset of strings.
    @Test
    void selection_neverThrows() {
        Gen<String> txt = Generate.oneOf(
                Gens.anyChars(40),
                Gens.anyChars(30).map(s -> "v=STSv1" + s),
                records().map(Generated::text));
        qt().forAll(lists().of(txt).ofSizeBetween(0, 4)).checkAssert(rrset -> {
            RecordSelection<StsRecord> s = StsRecord.selection(rrset);
            long candidates = rrset.stream()
                    .filter(t -> t.startsWith("v=STSv1")
                            && (t.length() == 7 || t.charAt(7) == ';' || t.charAt(7) == ' ' || t.charAt(7) == '\t'))
                    .count();

            if (candidates == 0) {
                assertThat(s).isInstanceOf(RecordSelection.NoRecord.class);
            } else if (candidates > 1) {
                assertThat(s).isEqualTo(new RecordSelection.MultipleRecords<StsRecord>((int) candidates));
            } else {
                assertThat(s).isInstanceOfAny(RecordSelection.Selected.class, RecordSelection.InvalidRecord.class);
            }
            assertThat(StsRecord.select(rrset)).isEqualTo(s.record());
        });
    }

    private static final String FIELD = "([A-Za-z0-9][A-Za-z0-9_.-]{0,31})=([\\x21-\\x3a\\x3c\\x3e-\\x7e]+)";
    private static final Pattern FIELD_PATTERN = Pattern.compile(FIELD);
    private static final Pattern RECORD_PATTERN =
            Pattern.compile("v=STSv1((?:[ \\t]*;[ \\t]*" + FIELD + ")+)(?:[ \\t]*;[ \\t]*)?");

    /** An independent regex reading of the RFC 8461 §3.1 ABNF with STS-TXT-5 and STS-TXT-7. */
    private static boolean oracle(String txt) {
        Matcher record = RECORD_PATTERN.matcher(txt);
        if (!record.matches()) {
            return false;
        }
        Matcher field = FIELD_PATTERN.matcher(record.group(1));
        while (field.find()) {
            if (field.group(1).equals("id")) {
                return field.group(2).matches("[A-Za-z0-9]{1,32}");
            }
        }
        return false;
    }

    // STS-TXT-4..7, RFC 8461 §3.1: the parser accepts exactly what the regex reading accepts, on valid
    // records with one to three characters inserted, deleted or replaced.
    @Test
    void parse_agreesWithGrammarOracle() {
        List<Character> pool = List.of(' ', '\t', ';', '=', 'a', 'Z', '7', '_', '-', '.', '!', '\u00e9', '\u0000');
        Gen<String> mutated = records()
                .zip(
                        lists().of(integers().between(0, 2)).ofSizeBetween(0, 3),
                        lists().of(integers().between(0, 200)).ofSize(3),
                        lists().of(Generate.pick(pool)).ofSize(3),
                        (g, ops, at, chars) -> {
                            StringBuilder sb = new StringBuilder(g.text());
                            for (int k = 0; k < ops.size(); k++) {
                                int i = at.get(k) % (sb.length() + 1);
                                if (ops.get(k) == 0) {
                                    sb.insert(i, chars.get(k).charValue());
                                } else if (i < sb.length() && ops.get(k) == 1) {
                                    sb.deleteCharAt(i);
                                } else if (i < sb.length()) {
                                    sb.setCharAt(i, chars.get(k));
                                }
                            }
                            return sb.toString();
                        });
        AtomicInteger accepted = new AtomicInteger();
        qt().withExamples(5000).forAll(mutated).checkAssert(txt -> {
            boolean parsed;
            try {
                StsRecord.parse(txt);
                parsed = true;
                accepted.incrementAndGet();
            } catch (SyntaxException e) {
                parsed = false;
            }
            assertThat(parsed).as("parser accepts %s", txt).isEqualTo(oracle(txt));
        });
        assertThat(accepted.get()).isGreaterThan(500);
    }

    private static void parseOrSyntaxError(String txt) {
        try {
            StsRecord r = StsRecord.parse(txt);
            assertThat(r.id()).isNotEmpty().hasSizeLessThanOrEqualTo(32);
        } catch (Throwable t) {
            assertThat(t).isInstanceOf(SyntaxException.class);
            SyntaxException e = (SyntaxException) t;
            assertThat(e.subject()).isEqualTo(SyntaxException.Subject.STS_RECORD);
            if (e.column().isPresent()) {
                assertThat(e.column().getAsInt()).isBetween(1, txt.length() + 1);
            } else {
                assertThat(e.field()).contains("id");
            }
        }
    }
}
