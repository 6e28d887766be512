package dev.mtasts.checker.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.checker.Check;
import dev.mtasts.checker.CheckOptions;
import dev.mtasts.checker.Finding;
import dev.mtasts.checker.PolicyFacts;
import dev.mtasts.checker.PolicyHistory;
import dev.mtasts.checker.Severity;
import dev.mtasts.core.Mode;
import dev.mtasts.core.StsRecord;
import dev.mtasts.testkit.MultiAddressWorld;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code sts.policy.*} findings and {@code sts.id.drift}, one rule at a time. */
final class PolicyContentCheckTest {
    /** The body {@link MultiAddressWorld#healthy} serves. */
    private static final String HEALTHY = "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 604800\n";

    private static PolicyContentCheck.Evaluation evaluate(String body) {
        return PolicyContentCheck.evaluate(body.getBytes(UTF_8));
    }

    private static List<Finding> findings(String body) {
        return evaluate(body).findings();
    }

    private static List<Finding> of(List<Finding> findings, Check check, Severity severity) {
        return findings.stream()
                .filter(f -> f.check() == check && f.severity() == severity)
                .toList();
    }

    private static List<Finding> errors(List<Finding> findings) {
        return findings.stream().filter(f -> f.severity() == Severity.ERROR).toList();
    }

    private static List<Finding> notInfo(List<Finding> findings) {
        return findings.stream().filter(f -> f.severity() != Severity.INFO).toList();
    }

    /** A context that collects what is emitted; no DNS is ever asked. */
    private static final class Sink {
        final List<Finding> emitted = new ArrayList<>();
        final CheckContext ctx;

        Sink(CheckOptions options) {
            ctx = new CheckContext("example.com", options, Runnable::run, emitted::add);
        }

        PolicyFacts run(String body, String id) {
            return PolicyContentCheck.run(
                    ctx, body.getBytes(UTF_8), Optional.of(StsRecord.parse("v=STSv1; id=" + id + ";")));
        }
    }

    // RFC 8461 §3.2: the healthy domain's policy gives the mode and nothing else.
    @Test
    void healthy_onlyTheModeAsInformation() {
        PolicyContentCheck.Evaluation e = evaluate(HEALTHY);
        assertThat(e.findings())
                .extracting(Finding::id, Finding::severity)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("sts.policy.mode", Severity.INFO));
        assertThat(e.findings().get(0).message()).startsWith("Mode enforce");
        assertThat(e.findings().get(0).lenient()).isFalse();
        assertThat(e.facts().policy()).isPresent();
        assertThat(e.facts().lenient()).isFalse();
        assertThat(e.facts().mode()).contains(Mode.ENFORCE);
        assertThat(e.facts().mxPatterns()).containsExactly("mx.example.com");
        assertThat(e.facts().maxAge()).contains(Duration.ofDays(7));
        assertThat(e.encodingProblem()).isEmpty();
    }

    // RFC 8461 §3.2: the RFC's own example, fields in its order, CRLF line ends.
    @Test
    void rfcExample_noErrorOrWarning() {
        String body = "version: STSv1\r\nmode: testing\r\nmx: mx1.example.com\r\nmx: mx2.example.com\r\n"
                + "mx: mx.backup-example.com\r\nmax_age: 1296000\r\n";
        assertThat(notInfo(findings(body))).isEmpty();
    }

    // RFC 8461 §3.2: every line of the file is reported, not only the first bad one.
    @Test
    void syntax_everyBadLineIsReported() {
        String body = "version: STSv1\n"
                + "mode: enforce\n"
                + "\n" // line 3: blank
                + " mx: mx.example.com\n" // line 4: leading white space
                + "max_age : 604800\n" // line 5: white space before ':'
                + "garbage\n" // line 6: no ':'
                + "_ext: 1\n" // line 7: bad name
                + "ext: a\u0001b\n"; // line 8: control character in a value
        List<Finding> syntax = of(findings(body), Check.STS_POLICY_SYNTAX, Severity.ERROR);
        assertThat(syntax)
                .extracting(Finding::message)
                .satisfiesExactly(
                        m -> assertThat(m).startsWith("Line 3 is blank"),
                        m -> assertThat(m).startsWith("Line 4 starts with white space"),
                        m -> assertThat(m).startsWith("Line 5 has white space before ':'"),
                        m -> assertThat(m).startsWith("Line 6 has no ':'"),
                        m -> assertThat(m).startsWith("Line 7: '_ext' is not a field name"),
                        m -> assertThat(m).startsWith("Line 8: the value of 'ext' contains U+0001"));
        assertThat(syntax.get(1).evidence()).containsExactly("line 4: \" mx: mx.example.com\"");
        assertThat(syntax.get(7 - 3).evidence()).containsExactly("line 7: \"_ext: 1\"");
    }

    // RFC 8461 §3.2: the lenient reading goes on past a bad line: mx and max_age are still read.
    @Test
    void lenient_readsFieldsPastErrors() {
        String body = "version: STSv1\nmode: enforce\n\n mx: mx.example.com\nmax_age : 604800\n";
        PolicyContentCheck.Evaluation e = evaluate(body);
        assertThat(e.facts().policy()).isEmpty();
        assertThat(e.facts().lenient()).isTrue();
        assertThat(e.facts().mode()).contains(Mode.ENFORCE);
        assertThat(e.facts().mxPatterns()).containsExactly("mx.example.com");
        assertThat(e.facts().maxAge()).contains(Duration.ofDays(7));
    }

    // CHK-API-4: after a strict failure, the finding for the parser's error is strict, all others lenient.
    @Test
    void lenient_onlyTheParsersOwnErrorIsStrict() {
        String body = "version: STSv1\nmode: Enforce\nmx: a*.example.com\nmax_age: 1d\n";
        List<Finding> all = findings(body);
        List<Finding> strict = all.stream().filter(f -> !f.lenient()).toList();
        assertThat(strict).singleElement().satisfies(f -> {
            assertThat(f.check()).isEqualTo(Check.STS_POLICY_MODE);
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.message()).startsWith("Line 2:");
        });
        assertThat(errors(all))
                .extracting(Finding::id)
                .containsExactly("sts.policy.mode", "sts.policy.mx", "sts.policy.max_age");
        // The mode is still read (its case folded) and reported, marked lenient.
        assertThat(of(all, Check.STS_POLICY_MODE, Severity.INFO))
                .singleElement()
                .satisfies(f -> assertThat(f.lenient()).isTrue());
    }

    // CHK-API-4: a missing field is a whole-file error; the parser's is matched by field.
    @Test
    void lenient_missingFieldMatchedByField() {
        List<Finding> all = findings("version: STSv1\nmax_age: 604800\n");
        assertThat(errors(all)).singleElement().satisfies(f -> {
            assertThat(f.check()).isEqualTo(Check.STS_POLICY_MODE);
            assertThat(f.message()).startsWith("There is no 'mode' line");
            assertThat(f.lenient()).isFalse();
        });
    }

    // RFC 8461 §3.2: a bare CR is no line end; the fields on either side are still read.
    @Test
    void syntax_bareCr() {
        PolicyContentCheck.Evaluation e = evaluate("version: STSv1\rmode: none\nmax_age: 86400\n");
        assertThat(errors(e.findings())).singleElement().satisfies(f -> {
            assertThat(f.check()).isEqualTo(Check.STS_POLICY_SYNTAX);
            assertThat(f.message()).startsWith("Line 1 contains a bare CR");
            assertThat(f.evidence()).containsExactly("line 1: \"version: STSv1<U+000D>mode: none\"");
        });
        assertThat(e.facts().mode()).contains(Mode.NONE);
        assertThat(e.facts().lines()).containsExactly("version: STSv1\rmode: none", "max_age: 86400");
    }

    // RFC 8461 §3.2: a blank line at the very end is a second terminator, which the grammar refuses.
    @Test
    void syntax_blankLastLineAndEmptyBody() {
        assertThat(errors(findings(HEALTHY + "\n")))
                .extracting(Finding::message)
                .singleElement()
                .asString()
                .startsWith("Line 5 is blank");
        assertThat(errors(findings(""))).extracting(Finding::check).containsExactly(Check.STS_POLICY_SYNTAX);
    }

    // RFC 8461 §3.2: version is required and case-exact.
    @Test
    void version_missingOrWrong() {
        assertThat(of(findings("mode: none\nmax_age: 86400\n"), Check.STS_POLICY_VERSION, Severity.ERROR))
                .extracting(Finding::message)
                .containsExactly("There is no 'version: STSv1' line.");
        assertThat(of(
                        findings("version: stsv1\nmode: none\nmax_age: 86400\n"),
                        Check.STS_POLICY_VERSION,
                        Severity.ERROR))
                .extracting(Finding::message)
                .singleElement()
                .asString()
                .contains("case-exact", "'stsv1'");
    }

    // RFC 8461 §3.2, §5: mode values are case-exact; the draft value 'report' is named as such.
    @Test
    void mode_invalidValues() {
        String base = "version: STSv1\nmx: mx.example.com\nmax_age: 604800\nmode: ";
        assertThat(of(findings(base + "Enforce\n"), Check.STS_POLICY_MODE, Severity.ERROR))
                .singleElement()
                .satisfies(f -> assertThat(f.message()).contains("case-exact", "'enforce'"));
        assertThat(of(findings(base + "report\n"), Check.STS_POLICY_MODE, Severity.ERROR))
                .singleElement()
                .satisfies(f -> assertThat(f.message()).contains("draft value", "'testing'"));
        assertThat(of(findings(base + "strict\n"), Check.STS_POLICY_MODE, Severity.ERROR))
                .singleElement()
                .satisfies(f -> assertThat(f.message()).contains("'enforce', 'testing' or 'none'"));
        assertThat(evaluate(base + "report\n").facts().mode()).isEmpty();
    }

    // RFC 8461 §3.2: a missing mode, with a wrongly cased 'Mode' line named.
    @Test
    void mode_missingNamesMiscasedLine() {
        List<Finding> all = findings("version: STSv1\nMode: enforce\nmx: mx.example.com\nmax_age: 604800\n");
        assertThat(of(all, Check.STS_POLICY_MODE, Severity.ERROR))
                .singleElement()
                .satisfies(f -> assertThat(f.message()).contains("'Mode'"));
        assertThat(of(all, Check.STS_POLICY_UNKNOWN_KEY, Severity.WARNING))
                .singleElement()
                .satisfies(f -> assertThat(f.message()).contains("'Mode' is not 'mode'"));
    }

    // RFC 8461 §5: each mode is reported as information.
    @Test
    void mode_reportedAsInformation() {
        for (Mode mode : Mode.values()) {
            String body = "version: STSv1\nmode: " + mode.token() + "\nmx: mx.example.com\nmax_age: 1209600\n";
            assertThat(findings(body)).singleElement().satisfies(f -> {
                assertThat(f.check()).isEqualTo(Check.STS_POLICY_MODE);
                assertThat(f.severity()).isEqualTo(Severity.INFO);
                assertThat(f.message()).startsWith("Mode " + mode.token() + ":");
            });
        }
    }

    // RFC 8461 §3.2: max_age is required, 1 to 10 digits.
    @Test
    void maxAge_missingOrMalformed() {
        String base = "version: STSv1\nmode: none\n";
        assertThat(of(findings(base), Check.STS_POLICY_MAX_AGE, Severity.ERROR))
                .extracting(Finding::message)
                .singleElement()
                .asString()
                .startsWith("There is no 'max_age' line");
        for (String bad : List.of("1d", "-1", "+5", "12345678901", "1 2", "0x10")) {
            assertThat(of(findings(base + "max_age: " + bad + "\n"), Check.STS_POLICY_MAX_AGE, Severity.ERROR))
                    .as(bad)
                    .singleElement()
                    .satisfies(f -> assertThat(f.message()).contains("1 to 10 digits"));
        }
    }

    // RFC 8461 §3.2: above 31557600 is an error for other senders, though this SDK caps it.
    @Test
    void maxAge_aboveLimit() {
        PolicyContentCheck.Evaluation e = evaluate("version: STSv1\nmode: none\nmax_age: 31557601\n");
        assertThat(e.facts().policy()).as("the core parser caps and accepts").isPresent();
        assertThat(of(e.findings(), Check.STS_POLICY_MAX_AGE, Severity.ERROR))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.message()).contains("31557600", "other senders reject");
                    assertThat(f.lenient()).isFalse();
                });
        assertThat(notInfo(findings("version: STSv1\nmode: none\nmax_age: 31557600\n")))
                .isEmpty();
    }

    // RFC 8461 §3.2, §10.2: short lifetimes are warned about: 0, under a day, under a week in enforce.
    @Test
    void maxAge_shortLifetimes() {
        String enforce = "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: ";
        String testing = "version: STSv1\nmode: testing\nmx: mx.example.com\nmax_age: ";
        assertThat(of(findings(enforce + "0\n"), Check.STS_POLICY_MAX_AGE, Severity.WARNING))
                .singleElement()
                .satisfies(f -> assertThat(f.message()).contains("never cached"));
        assertThat(of(findings(testing + "86399\n"), Check.STS_POLICY_MAX_AGE, Severity.WARNING))
                .singleElement()
                .satisfies(f -> assertThat(f.message()).contains("under a day"));
        assertThat(of(findings(enforce + "604799\n"), Check.STS_POLICY_MAX_AGE, Severity.WARNING))
                .singleElement()
                .satisfies(f -> assertThat(f.message()).contains("under a week in enforce"));
        assertThat(notInfo(findings(testing + "86400\n"))).isEmpty();
        assertThat(notInfo(findings(enforce + "0604800\n")))
                .as("leading zeros are valid")
                .isEmpty();
    }

    // RFC 8461 §3.2: enforce and testing need an mx; none does not (a none policy without mx is valid).
    @Test
    void mx_requiredOutsideModeNone() {
        assertThat(of(findings("version: STSv1\nmode: testing\nmax_age: 86400\n"), Check.STS_POLICY_MX, Severity.ERROR))
                .singleElement()
                .satisfies(f -> assertThat(f.message()).startsWith("Mode testing needs at least one 'mx' line"));
        assertThat(notInfo(findings("version: STSv1\nmode: none\nmax_age: 86400\n")))
                .isEmpty();
    }

    // RFC 8461 §3.2, §4.1: invalid patterns, each named with its line, column and a fix.
    @Test
    void mx_invalidPatterns() {
        record Case(String pattern, String says) {}
        List<Case> cases = List.of(
                new Case("*", "bare '*'"),
                new Case("a*.example.com", "whole left-most label"),
                new Case("*.*.example.com", "whole left-most label"),
                new Case(".example.com", "write '*.example.com'"),
                new Case("192.0.2.1", "IP address"),
                new Case("[192.0.2.1]", "IP address"),
                new Case("bücher.example", "write 'xn--bcher-kva.example'"),
                new Case("mx.example.com.", "trailing dot"),
                new Case("mx_1.example.com", "'_' is not allowed"),
                new Case("-mx.example.com", "starts with '-'"));
        for (Case c : cases) {
            String body = "version: STSv1\nmode: enforce\nmx: " + c.pattern() + "\nmax_age: 604800\n";
            PolicyContentCheck.Evaluation e = evaluate(body);
            assertThat(errors(e.findings())).as(c.pattern()).singleElement().satisfies(f -> {
                assertThat(f.check()).isEqualTo(Check.STS_POLICY_MX);
                assertThat(f.message()).startsWith("Line 3, column ").contains(c.says());
                assertThat(f.lenient()).isFalse();
            });
            assertThat(e.facts().policy()).isEmpty();
            assertThat(e.facts().mxPatterns()).isEmpty();
        }
    }

    // RFC 8461 §3.2: the column points into the line, past the name and white space.
    @Test
    void mx_errorColumn() {
        String body = "version: STSv1\nmode: enforce\nmx:  mx.exa_mple.com\nmax_age: 604800\n";
        assertThat(of(findings(body), Check.STS_POLICY_MX, Severity.ERROR))
                .singleElement()
                .satisfies(f -> assertThat(f.message()).startsWith("Line 3, column 12:"));
    }

    // RFC 8461 §3.2: an xn-- label that is not Punycode, and a wildcard over a top-level domain, are warnings.
    @Test
    void mx_warnings() {
        String base = "version: STSv1\nmode: enforce\nmax_age: 604800\nmx: ";
        assertThat(of(findings(base + "xn--zz.example\n"), Check.STS_POLICY_MX, Severity.WARNING))
                .singleElement()
                .satisfies(f -> assertThat(f.message()).contains("not valid Punycode"));
        assertThat(notInfo(findings(base + "xn--bcher-kva.example\n"))).isEmpty();
        assertThat(of(findings(base + "*.com\n"), Check.STS_POLICY_MX, Severity.WARNING))
                .singleElement()
                .satisfies(f -> assertThat(f.message()).contains("top-level domain"));
        assertThat(notInfo(findings(base + "*.example.com\n"))).isEmpty();
    }

    // RFC 8461 §3.2: a repeated field other than mx: the first wins; an identical mx twice.
    @Test
    void dupKey() {
        List<Finding> all = findings(
                "version: STSv1\nmode: enforce\nmode: none\nmx: mx.example.com\nmx: MX.example.com\nmax_age: 604800\n");
        assertThat(of(all, Check.STS_POLICY_DUP_KEY, Severity.WARNING))
                .extracting(Finding::message)
                .satisfiesExactly(
                        m -> assertThat(m).startsWith("Line 3 repeats the field 'mode'"),
                        m -> assertThat(m).startsWith("Line 5 repeats mx 'MX.example.com'"));
        assertThat(errors(all)).isEmpty();
        assertThat(notInfo(findings(HEALTHY + "mx: mx2.example.com\n")))
                .as("two different mx")
                .isEmpty();
    }

    // RFC 8461 §3.2: unknown fields are information, never errors.
    @Test
    void unknownKey_isInformation() {
        List<Finding> all = findings(HEALTHY + "contact: postmaster@example.com\nx-note: anything goes é\n");
        assertThat(of(all, Check.STS_POLICY_UNKNOWN_KEY, Severity.INFO))
                .extracting(Finding::message)
                .containsExactly(
                        "Line 5: unknown field 'contact'; senders ignore it.",
                        "Line 6: unknown field 'x-note'; senders ignore it.");
        assertThat(notInfo(all)).isEmpty();
    }

    // RFC 8461 §3.2, erratum 6253: mixed LF and CRLF is information; LF alone or CRLF alone says nothing.
    @Test
    void lineEndings() {
        assertThat(of(
                        findings("version: STSv1\r\nmode: enforce\nmx: mx.example.com\r\nmax_age: 604800\n"),
                        Check.STS_POLICY_LINE_ENDINGS,
                        Severity.INFO))
                .singleElement()
                .satisfies(f -> assertThat(f.message()).contains("first: line 1", "first: line 2"));
        assertThat(findings(HEALTHY)).noneMatch(f -> f.check() == Check.STS_POLICY_LINE_ENDINGS);
        assertThat(findings(HEALTHY.replace("\n", "\r\n"))).noneMatch(f -> f.check() == Check.STS_POLICY_LINE_ENDINGS);
        assertThat(findings(HEALTHY.strip())).noneMatch(f -> f.check() == Check.STS_POLICY_LINE_ENDINGS);
    }

    // RFC 8461 §3.2: facts keep the lines as received, the CR of each CRLF removed.
    @Test
    void facts_linesAsReceived() {
        assertThat(evaluate("version: STSv1\r\nmode: none\nmax_age: 86400")
                        .facts()
                        .lines())
                .containsExactly("version: STSv1", "mode: none", "max_age: 86400");
    }

    // RFC 8461 §3.2: a byte order mark or bad UTF-8 is sts.http.encoding, said once.
    @Test
    void encoding_reportedOnceThenReadLeniently() {
        Sink sink = new Sink(CheckOptions.defaults());
        byte[] body = ("\uFEFF" + HEALTHY).getBytes(UTF_8);
        PolicyFacts facts = PolicyContentCheck.run(sink.ctx, body, Optional.empty());
        assertThat(of(sink.emitted, Check.STS_HTTP_ENCODING, Severity.ERROR))
                .singleElement()
                .satisfies(f -> assertThat(f.message()).contains("byte order mark"));
        assertThat(facts.policy()).isEmpty();
        assertThat(facts.mode()).contains(Mode.ENFORCE);
        assertThat(sink.emitted)
                .filteredOn(f -> f.check() != Check.STS_HTTP_ENCODING)
                .allMatch(Finding::lenient);

        Sink fetched = new Sink(CheckOptions.defaults());
        fetched.ctx.emit(Finding.of(Check.STS_HTTP_ENCODING, Severity.ERROR, "reported by the fetch"));
        byte[] latin1 = "version: STSv1\nmode: none\nmax_age: 86400\nnote: caf\u00e9\n"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        PolicyContentCheck.run(fetched.ctx, latin1, Optional.empty());
        assertThat(fetched.emitted)
                .filteredOn(f -> f.check() == Check.STS_HTTP_ENCODING)
                .hasSize(1);
    }

    // RFC 8461 §3.1: the body changed under the same id is sts.id.drift, naming both hashes.
    @Test
    void drift_sameIdChangedBody() {
        Sink sink = new Sink(
                CheckOptions.builder().history(PolicyHistory.inMemory()).build());
        sink.run(HEALTHY, "20260101");
        sink.run(HEALTHY, "20260101");
        assertThat(sink.emitted).noneMatch(f -> f.check() == Check.STS_ID_DRIFT);

        String changed = HEALTHY.replace("mx.example.com", "mx2.example.com");
        sink.run(changed, "20260101");
        assertThat(of(sink.emitted, Check.STS_ID_DRIFT, Severity.WARNING))
                .singleElement()
                .satisfies(f -> assertThat(f.evidence())
                        .containsExactly(
                                "id: 20260101",
                                "earlier body sha256: " + PolicyContentCheck.sha256(HEALTHY.getBytes(UTF_8)),
                                "current body sha256: " + PolicyContentCheck.sha256(changed.getBytes(UTF_8))));

        sink.emitted.clear();
        sink.run(HEALTHY, "20260102");
        assertThat(sink.emitted)
                .as("a new id is how a change is announced")
                .noneMatch(f -> f.check() == Check.STS_ID_DRIFT);
    }

    // RFC 8461 §3.1: without a history there is nothing to compare.
    @Test
    void drift_needsHistory() {
        Sink sink = new Sink(CheckOptions.defaults());
        sink.run(HEALTHY, "a");
        sink.run(HEALTHY.replace("604800", "1209600"), "a");
        assertThat(sink.emitted).noneMatch(f -> f.check() == Check.STS_ID_DRIFT);
    }

    // A local history that cannot be written is no fault of the domain: no finding, the check goes on.
    @Test
    void drift_unusableHistoryIsNoFinding(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path blocker = dir.resolve("file");
        java.nio.file.Files.writeString(blocker, "x");
        Sink sink = new Sink(CheckOptions.builder()
                .history(PolicyHistory.file(blocker.resolve("history.txt")))
                .build());
        PolicyFacts facts = sink.run(HEALTHY, "a");
        assertThat(facts.policy()).isPresent();
        assertThat(sink.emitted).noneMatch(f -> f.check() == Check.STS_ID_DRIFT);
        assertThat(sink.emitted).extracting(Finding::check).containsExactly(Check.STS_POLICY_MODE);
    }

    // RFC 8461 §3.1: without a record there is no id to remember the body under.
    @Test
    void drift_needsRecord() {
        PolicyHistory history = PolicyHistory.inMemory();
        Sink sink = new Sink(CheckOptions.builder().history(history).build());
        PolicyContentCheck.run(sink.ctx, HEALTHY.getBytes(UTF_8), Optional.empty());
        assertThat(history.bodyHash("example.com", "a")).isEmpty();
        sink.run(HEALTHY, "a");
        assertThat(history.bodyHash("example.com", "a")).contains(PolicyContentCheck.sha256(HEALTHY.getBytes(UTF_8)));
    }
}
