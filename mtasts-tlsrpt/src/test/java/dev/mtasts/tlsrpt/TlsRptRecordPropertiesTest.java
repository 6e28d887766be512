package dev.mtasts.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.mtasts.core.RecordSelection;
import dev.mtasts.core.SyntaxException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Properties of {@link TlsRptRecord} (RFC 8460 §3). */
final class TlsRptRecordPropertiesTest {
    private static final String ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final Pattern LIST_SEPARATOR = Pattern.compile("[ \t]*,[ \t]*");

    /** A generated record and the rua list it must yield. */
    record Generated(String text, List<URI> rua) {}

    private static Gen<String> word(int max) {
        return integers()
                .between(1, max)
                .flatMap(n -> lists().of(integers().between(0, ALNUM.length() - 1))
                        .ofSize(n)
                        .map(ix -> {
                            StringBuilder sb = new StringBuilder();
                            ix.forEach(i -> sb.append(ALNUM.charAt(i)));
                            return sb.toString();
                        }));
    }

    /** RPT-TXT-5: mailto and https URIs, some with percent-encoded ',', '!' and ';'. */
    private static Gen<String> uris() {
        Gen<String> encoded = Generate.pick(List.of("", "%2C", "%21", "%3B", "%2B"));
        Gen<String> mailto = word(10).zip(
                        encoded, word(10), (local, enc, domain) -> "mailto:" + local + enc + "@" + domain + ".example");
        Gen<String> https =
                word(10).zip(word(10), encoded, (host, path, enc) -> "https://" + host + ".example/" + path + enc);
        return Generate.oneOf(mailto, https);
    }

    private static Gen<String> wsp() {
        return lists().of(Generate.pick(List.of(" ", "\t"))).ofSizeBetween(0, 2).map(l -> String.join("", l));
    }

    /** RPT-TXT-3, RPT-TXT-4: 1-3 rua fields of 1-3 URIs (repeats possible), extensions between. */
    private static Gen<Generated> records() {
        Gen<String> list = lists().of(uris())
                .ofSizeBetween(1, 3)
                .zip(lists().of(wsp().zip(wsp(), (a, b) -> a + "," + b)).ofSize(3), (u, seps) -> {
                    StringBuilder sb = new StringBuilder(u.get(0));
                    for (int i = 1; i < u.size(); i++) {
                        sb.append(seps.get(i)).append(u.get(i));
                    }
                    return sb.toString();
                });
        Gen<String> field = Generate.frequency(
                Pair.of(3, list.map(l -> "rua=" + l)),
                Pair.of(1, word(8).zip(word(8), (n, v) -> "x" + n + "=" + v + "!~")));
        return lists().of(field)
                .ofSizeBetween(1, 4)
                .zip(
                        list,
                        lists().of(wsp().zip(wsp(), (a, b) -> a + ";" + b)).ofSize(6),
                        Generate.booleans(),
                        (fields, firstRua, delims, trailing) -> {
                            List<String> all = new ArrayList<>(fields);
                            all.add(0, "rua=" + firstRua);
                            StringBuilder sb = new StringBuilder(TlsRptRecord.VERSION);
                            Set<URI> expected = new LinkedHashSet<>();
                            for (int i = 0; i < all.size(); i++) {
                                sb.append(delims.get(i)).append(all.get(i));
                                if (all.get(i).startsWith("rua=")) {
                                    for (String u :
                                            LIST_SEPARATOR.split(all.get(i).substring(4))) {
                                        expected.add(URI.create(u));
                                    }
                                }
                            }
                            if (trailing) {
                                sb.append(delims.get(5));
                            }
                            return new Generated(sb.toString(), new ArrayList<>(expected));
                        });
    }

    // RPT-TXT-3..5, RFC 8460 §3: generated records give back every rua URI, in order, without repeats.
    @Test
    void parse_generatedRecords() {
        qt().forAll(records()).checkAssert(g -> {
            TlsRptRecord r = TlsRptRecord.parse(g.text());

            assertThat(r.rua()).isEqualTo(g.rua());
            assertThat(r.deliverableRua()).isEqualTo(g.rua());
        });
    }

    // RPT-TXT-2: the one candidate is found among other TXT records; two candidates are none.
    @Test
    void selection_oneAmongOthers() {
        Gen<List<String>> others = lists().of(Generate.pick(List.of(
                        "v=spf1 -all", "v=STSv1; id=1", "v=TLSRPTv10; rua=mailto:a@b.example", "V=TLSRPTv1; rua=x:y")))
                .ofSizeBetween(0, 3);
        qt().forAll(records(), others).checkAssert((g, noise) -> {
            List<String> rrset = new ArrayList<>(noise);
            rrset.add(g.text());

            assertThat(TlsRptRecord.select(rrset)).map(TlsRptRecord::rua).contains(g.rua());
            rrset.add(0, g.text());
            assertThat(TlsRptRecord.selection(rrset)).isInstanceOf(RecordSelection.MultipleRecords.class);
        });
    }

    // RPT-TXT-3..6: any string parses or throws our SyntaxException, nothing else.
    @Test
    void parse_anyStringNeverCrashes() {
        Gen<String> chars = lists().of(Generate.frequency(
                        Pair.of(4, integers().between(0, 0x7f)),
                        Pair.of(1, integers().between(0, 0xffff))))
                .ofSizeBetween(0, 120)
                .map(units -> {
                    StringBuilder sb = new StringBuilder();
                    units.forEach(u -> sb.append((char) u.intValue()));
                    return sb.toString();
                });
        qt().forAll(chars).checkAssert(TlsRptRecordPropertiesTest::parseOrSyntaxError);
        qt().withExamples(300)
                .forAll(strings().allPossible().ofLengthBetween(0, 200))
                .checkAssert(TlsRptRecordPropertiesTest::parseOrSyntaxError);
        List<String> tokens = List.of(
                "v=TLSRPTv1",
                ";",
                " ",
                "\t",
                "rua=",
                "rua",
                "=",
                ",",
                "mailto:",
                "https://",
                "a@b.example",
                "[",
                "]",
                ":",
                "/",
                "?",
                "#",
                "%",
                "%2",
                "%21",
                "!",
                "x",
                "@",
                ".",
                "-",
                "\\",
                "{",
                "|",
                "^",
                "`",
                "\"",
                "<",
                "::1",
                "[::1]",
                "\u00e9");
        qt().withExamples(3000)
                .forAll(lists().of(Generate.pick(tokens)).ofSizeBetween(0, 30).map(l -> String.join("", l)))
                .checkAssert(TlsRptRecordPropertiesTest::parseOrSyntaxError);
        qt().withExamples(2000)
                .forAll(lists().of(Generate.pick(tokens))
                        .ofSizeBetween(0, 20)
                        .map(l -> "v=TLSRPTv1; rua=" + String.join("", l)))
                .checkAssert(TlsRptRecordPropertiesTest::parseOrSyntaxError);
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

    // RPT-TXT-2: selection never throws, whatever the RRset holds.
    @Test
    void selection_neverThrows() {
        Gen<String> txt = Generate.oneOf(
                strings().ascii().ofLengthBetween(0, 40),
                strings().ascii().ofLengthBetween(0, 40).map(s -> "v=TLSRPTv1;" + s),
                records().map(Generated::text));
        qt().forAll(lists().of(txt).ofSizeBetween(0, 4)).checkAssert(rrset -> {
            RecordSelection<TlsRptRecord> s = TlsRptRecord.selection(rrset);

            assertThat(TlsRptRecord.select(rrset)).isEqualTo(s.record());
        });
    }

    private static void parseOrSyntaxError(String txt) {
        try {
            TlsRptRecord r = TlsRptRecord.parse(txt);
            assertThat(r.rua())
                    .isNotEmpty()
                    .allSatisfy(u -> assertThat(u.isAbsolute()).isTrue());
        } catch (Throwable t) {
            assertThat(t).isInstanceOf(SyntaxException.class);
            SyntaxException e = (SyntaxException) t;
            assertThat(e.subject()).isEqualTo(SyntaxException.Subject.TLSRPT_RECORD);
            if (e.column().isPresent()) {
                assertThat(e.column().getAsInt()).isBetween(1, txt.length() + 1);
            } else {
                assertThat(e.field()).contains("rua");
            }
        }
    }
}
