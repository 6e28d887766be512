package dev.mtasts.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Properties of {@link Policy#parse} and {@link Policy.Builder} over generated policies and noise. */
final class PolicyPropertiesTest {

    /** What a generated policy was built from. */
    record Spec(Mode mode, long maxAge, List<String> mx, List<Extension> extensions) {
        Policy build() {
            Policy.Builder b = Policy.builder().mode(mode).maxAge(Duration.ofSeconds(maxAge));
            mx.forEach(b::addMx);
            extensions.forEach(x -> b.addExtension(x.name(), x.value()));
            return b.build();
        }
    }

    private static Gen<Spec> specs() {
        Gen<Long> maxAge = Generate.frequency(
                Pair.of(4, longs().between(0, 31_557_600L)), Pair.of(1, longs().between(0, 9_999_999_999L)));
        Gen<Extension> extension = Gens.extensionName()
                .assuming(n -> !n.equals("version") && !n.equals("mode") && !n.equals("max_age"))
                .zip(Gens.policyExtensionValue(), Extension::new);
        return Generate.enumValues(Mode.class)
                .zip(
                        maxAge,
                        lists().of(Gens.mxPattern()).ofSizeBetween(0, 5),
                        lists().of(extension).ofSizeBetween(0, 3),
                        (mode, age, mx, ext) -> {
                            List<String> patterns = new ArrayList<>(mx);
                            if (patterns.isEmpty() && mode != Mode.NONE) {
                                patterns.add("mx.example");
                            }
                            return new Spec(mode, age, patterns, ext);
                        });
    }

    // STS-POL-2..8, RFC 8461 §3.2: what the builder writes parses back to the same policy.
    @Test
    void builder_roundTrip() {
        qt().withExamples(500).forAll(specs()).checkAssert(spec -> {
            Policy p = spec.build();

            assertThat(Policy.parse(p.text())).isEqualTo(p);
            assertThat(Policy.parse(p.text().getBytes(StandardCharsets.UTF_8))).isEqualTo(p);
            assertThat(p.mode()).isEqualTo(spec.mode());
            assertThat(p.maxAge().toSeconds()).isEqualTo(Math.min(spec.maxAge(), 31_557_600L));
            assertThat(p.mx()).extracting(MxPattern::toString).containsExactlyElementsOf(spec.mx());
            assertThat(p.extensions()).containsExactlyElementsOf(spec.extensions());
        });
    }

    // STS-POL-2 (erratum 6253), STS-POL-4: LF, CRLF, mixed terminators, trailing WSP and no final
    // terminator all give the same policy content, and the lines verbatim.
    @Test
    void parse_terminatorAndTrailingWhitespaceVariants() {
        Gen<List<String>> terminators =
                lists().of(Generate.pick(List.of("\n", "\r\n"))).ofSize(64);
        Gen<List<String>> trailers = lists().of(Gens.wsp()).ofSize(64);
        qt().withExamples(300)
                .forAll(specs(), terminators, trailers, Generate.booleans())
                .checkAssert((spec, terms, wsp, finalTerminator) -> {
                    Policy p = spec.build();
                    List<String> written = new ArrayList<>();
                    StringBuilder text = new StringBuilder();
                    for (int i = 0; i < p.lines().size(); i++) {
                        String line = p.lines().get(i) + wsp.get(i);
                        written.add(line);
                        text.append(line);
                        if (i < p.lines().size() - 1 || finalTerminator) {
                            text.append(terms.get(i));
                        }
                    }
                    Policy q = Policy.parse(text.toString());

                    assertThat(q.mode()).isEqualTo(p.mode());
                    assertThat(q.maxAge()).isEqualTo(p.maxAge());
                    assertThat(q.mx()).isEqualTo(p.mx());
                    assertThat(q.extensions()).isEqualTo(p.extensions());
                    assertThat(q.lines()).isEqualTo(written);
                });
    }

    // STS-POL-4: lines in any order give the same policy content.
    @Test
    void parse_lineOrderIrrelevant() {
        qt().withExamples(300).forAll(specs(), longs().all()).checkAssert((spec, seed) -> {
            Policy p = spec.build();
            List<String> shuffled = new ArrayList<>(p.lines());
            Collections.shuffle(shuffled, new Random(seed));
            Policy q = Policy.parse(String.join("\n", shuffled));

            assertThat(q.mode()).isEqualTo(p.mode());
            assertThat(q.maxAge()).isEqualTo(p.maxAge());
            assertThat(q.mx()).containsExactlyInAnyOrderElementsOf(p.mx());
        });
    }

    // STS-MX-1, RFC 8461 §4.1: whether an MX host is allowed does not depend on the order of mx lines.
    @Test
    void matches_independentOfMxOrder() {
        Gen<List<String>> hosts = lists().of(Generate.oneOf(
                        Gens.domain(),
                        Gens.mxPattern().map(p -> p.replace("*", "mx")),
                        Gens.mxPattern().map(p -> p.replace("*", "a.b"))))
                .ofSizeBetween(1, 5);
        qt().withExamples(300).forAll(specs(), hosts, longs().all()).checkAssert((spec, candidates, seed) -> {
            Policy p = spec.build();
            List<String> mx = new ArrayList<>(spec.mx());
            Collections.shuffle(mx, new Random(seed));
            Policy q = new Spec(spec.mode(), spec.maxAge(), mx, spec.extensions()).build();
            List<String> probes = new ArrayList<>(candidates);
            spec.mx().forEach(m -> probes.add(m.replace("*", "x1")));

            for (String host : probes) {
                assertThat(q.matches(host)).as(host).isEqualTo(p.matches(host));
                assertThat(q.matchingPattern(host).isPresent()).isEqualTo(p.matches(host));
            }
        });
    }

    // STS-POL-1..12: any string yields a policy or our SyntaxException, nothing else.
    @Test
    void parse_anyStringNeverCrashes() {
        qt().forAll(Gens.anyChars(200)).checkAssert(PolicyPropertiesTest::parseOrSyntaxError);
        qt().withExamples(300)
                .forAll(strings().allPossible().ofLengthBetween(0, 300))
                .checkAssert(PolicyPropertiesTest::parseOrSyntaxError);
    }

    // Strings made of grammar tokens get past the first checks and exercise every branch.
    @Test
    void parse_tokenSoupNeverCrashes() {
        List<String> tokens = List.of(
                "version",
                "mode",
                "max_age",
                "mx",
                "foo",
                "Mode",
                ":",
                ": ",
                " ",
                "\t",
                "\n",
                "\r\n",
                "\r",
                "STSv1",
                "enforce",
                "testing",
                "none",
                "604800",
                "99999999999",
                "0",
                "-",
                "*.",
                "*",
                ".",
                "example",
                "xn--a",
                "xn--mnchen-3ya",
                "192.0.2.1",
                "\u00fc",
                "\ud83d\udce7",
                "\ud800",
                "\u0000",
                "\ufeff",
                "version: STSv1\n",
                "mode: enforce\n",
                "mx: mx.example\n",
                "max_age: 1\n");
        qt().withExamples(2000)
                .forAll(Gens.tokenSoup(tokens, 40))
                .checkAssert(PolicyPropertiesTest::parseOrSyntaxError);
    }

    // STS-POL-1..11, RFC 8461 §3.2: the parser accepts exactly what an independent regex reading of
    // the ABNF (with our DECISIONs) accepts.
    @Test
    void parse_agreesWithGrammarOracle() {
        List<String> tokens = List.of(
                "version: STSv1",
                "version:STSv1",
                "version: STSv2",
                "mode: enforce",
                "mode: testing",
                "mode: none",
                "mode:\tnone",
                "mode: Enforce",
                "mx: mx.example",
                "mx: *.example",
                "mx: 192.0.2.1",
                "mx: *.*.x",
                "mx: a..b",
                "mx: xn--a.x",
                "max_age: 86400",
                "max_age: 0000000001",
                "max_age: 99999999999",
                "max_age: -1",
                "x: a b",
                "x: caf\u00e9",
                "x: a\tb",
                "Mode: none",
                "\n",
                "\n",
                "\r\n",
                "\r\n",
                "\r",
                " ",
                "\t",
                ":",
                "x",
                "-",
                "\u00e9",
                "\ud800",
                "\ufeff",
                "\u0000",
                "\ud83d\udce7");
        List<String> lines = List.of(
                "version: STSv1",
                "version: STSv1",
                "version:STSv1 \t",
                "version: STSv2",
                "mode: enforce",
                "mode: testing",
                "mode: none",
                "mode: none",
                "mode:\tnone",
                "mode: Enforce",
                "mode : none",
                "mx: mx.example",
                "mx: *.example",
                "mx: MX.Example",
                "mx: 192.0.2.1",
                "mx: *.*.x",
                "mx: a..b",
                "mx: xn--a.x",
                "mx: mx.example.",
                "mx: m\u00fc.x",
                "max_age: 86400",
                "max_age: 86400",
                "max_age: 0000000001",
                "max_age: 99999999999",
                "max_age: -1",
                "max_age: 1 ",
                "x: a b",
                "x: a b\t",
                "x: caf\u00e9",
                "x: a\tb",
                "x: \ud800",
                "x:",
                "Mode: none",
                " mode: none",
                "",
                "x");
        // A valid generated policy with up to three lines inserted or replaced from the pool above.
        Gen<List<String>> edited = specs().zip(
                        lists().of(integers().between(0, 100)).ofSize(3),
                        lists().of(Generate.pick(lines)).ofSizeBetween(0, 3),
                        Generate.booleans(),
                        (spec, at, pool, replace) -> {
                            List<String> ls = new ArrayList<>(spec.build().lines());
                            for (int i = 0; i < pool.size(); i++) {
                                int where = at.get(i) % (ls.size() + (replace ? 0 : 1));
                                if (replace) {
                                    ls.set(where, pool.get(i));
                                } else {
                                    ls.add(where, pool.get(i));
                                }
                            }
                            return ls;
                        });
        Gen<String> structured = edited.zip(
                lists().of(Generate.frequency(
                                Pair.of(20, Generate.pick(List.of("\n", "\r\n"))),
                                Pair.of(1, Generate.pick(List.of("\r", "\n\n", "\n\r\n")))))
                        .ofSize(16),
                Generate.booleans(),
                (ls, terms, last) -> {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < ls.size(); i++) {
                        sb.append(ls.get(i));
                        if (i < ls.size() - 1 || last) {
                            sb.append(terms.get(i));
                        }
                    }
                    return sb.toString();
                });
        AtomicInteger accepted = new AtomicInteger();
        qt().withExamples(5000)
                .forAll(Generate.oneOf(structured, structured, Gens.tokenSoup(tokens, 14)))
                .checkAssert(text -> {
                    boolean parsed;
                    try {
                        Policy.parse(text);
                        parsed = true;
                        accepted.incrementAndGet();
                    } catch (SyntaxException e) {
                        parsed = false;
                    }
                    assertThat(parsed).as("parser accepts %s", text).isEqualTo(PolicyGrammarOracle.isValid(text));
                });
        // The comparison must also cover acceptance, not only rejection.
        assertThat(accepted.get()).isGreaterThan(500);
    }

    // STS-POL-1: any bytes yield a policy or our SyntaxException (malformed UTF-8, BOM, anything).
    @Test
    void parseBytes_anyBytesNeverCrash() {
        Gen<byte[]> bytes =
                Generate.byteArrays(integers().between(0, 300), Generate.bytes((byte) -128, (byte) 127, (byte) 0));
        Gen<byte[]> utf8ish = Gens.tokenSoup(
                        List.of("version: STSv1\n", "mode: none\n", "max_age: 1\n", "x: ", "\u00e9", "\n"), 12)
                .zip(
                        Generate.byteArrays(
                                integers().between(0, 4), Generate.bytes((byte) -128, (byte) 127, (byte) 0)),
                        integers().between(0, 100),
                        (text, junk, at) -> {
                            byte[] t = text.getBytes(StandardCharsets.UTF_8);
                            int cut = Math.min(at, t.length);
                            byte[] out = new byte[t.length + junk.length];
                            System.arraycopy(t, 0, out, 0, cut);
                            System.arraycopy(junk, 0, out, cut, junk.length);
                            System.arraycopy(t, cut, out, cut + junk.length, t.length - cut);
                            return out;
                        });
        qt().forAll(bytes).checkAssert(b -> parseBytesOrSyntaxError(b));
        qt().forAll(utf8ish).checkAssert(b -> parseBytesOrSyntaxError(b));
    }

    // Mutation fuzzing: one inserted, deleted or replaced character in a valid policy.
    @Test
    void parse_mutatedValidPolicyNeverCrashes() {
        Gen<Integer> replacement = Generate.frequency(
                Pair.of(3, integers().between(0, 0x7f)), Pair.of(1, integers().between(0, 0xffff)));
        qt().withExamples(1000)
                .forAll(specs(), integers().between(0, 2), integers().between(0, 10_000), replacement)
                .checkAssert((spec, op, at, c) -> {
                    StringBuilder text = new StringBuilder(spec.build().text());
                    int i = at % (text.length() + 1);
                    char ch = (char) c.intValue();
                    if (op == 0) {
                        text.insert(i, ch);
                    } else if (i < text.length()) {
                        if (op == 1) {
                            text.deleteCharAt(i);
                        } else {
                            text.setCharAt(i, ch);
                        }
                    }
                    parseOrSyntaxError(text.toString());
                });
    }

    // STS-POL-10: any xn-- label that is valid LDH parses; bad Punycode only ever gives a warning.
    @Test
    void parse_anyXnLabelParsesWithAtMostAWarning() {
        qt().forAll(Gens.label()).checkAssert(tail -> {
            String label = ("xn--" + tail).length() > 63 ? "xn--" + tail.substring(4) : "xn--" + tail;
            Policy p = Policy.parse("version: STSv1\nmode: enforce\nmx: " + label + ".example\nmax_age: 1\n");

            assertThat(p.mx()).hasSize(1);
            assertThat(p.warnings())
                    .allSatisfy(w -> assertThat(w.code()).isEqualTo(PolicyWarning.Code.MX_INVALID_PUNYCODE));
        });
    }

    // Very long inputs are refused (or accepted) without any other exception.
    @Test
    void parse_veryLongInputs() {
        String head = "version: STSv1\nmode: enforce\nmax_age: 1\n";
        parseOrSyntaxError("mx: " + "a".repeat(1_000_000));
        parseOrSyntaxError(head + "mx: " + "a.".repeat(500_000) + "com\n");
        parseOrSyntaxError(head + "x: " + "\u00e9".repeat(1_000_000) + "\n");
        parseOrSyntaxError(head + "max_age: " + "9".repeat(1_000_000) + "\n");
        parseOrSyntaxError("\n".repeat(1_000_000));
        Policy many = Policy.parse(head + "mx: mx.example\n".repeat(100_000));
        assertThat(many.mx()).hasSize(100_000);
    }

    static void parseOrSyntaxError(String text) {
        try {
            Policy p = Policy.parse(text);
            assertThat(p.lines()).isNotEmpty();
        } catch (Throwable t) {
            assertThat(t).isInstanceOf(SyntaxException.class);
            assertWellFormed((SyntaxException) t, text.split("\r\n|\n|\r", -1).length);
        }
    }

    static void parseBytesOrSyntaxError(byte[] body) {
        try {
            Policy p = Policy.parse(body);
            assertThat(p.lines()).isNotEmpty();
        } catch (Throwable t) {
            assertThat(t).isInstanceOf(SyntaxException.class);
            int lines = 1;
            for (byte b : body) {
                lines += b == '\n' || b == '\r' ? 1 : 0;
            }
            assertWellFormed((SyntaxException) t, lines);
        }
    }

    /** STS-POL-12: the error is about the policy and its line, when given, exists. */
    private static void assertWellFormed(SyntaxException e, int maxLine) {
        assertThat(e.subject()).isEqualTo(SyntaxException.Subject.POLICY);
        assertThat(e.getMessage()).startsWith("MTA-STS policy").endsWith("]");
        if (e.line().isPresent()) {
            assertThat(e.line().getAsInt()).isBetween(1, maxLine);
            assertThat(e.getMessage()).contains("line " + e.line().getAsInt());
        }
    }
}
