package dev.mtasts.checker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.mtasts.testkit.Generators;
import dev.mtasts.testkit.MultiAddressWorld;
import dev.mtasts.testkit.server.FakePolicyHost;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * {@link Lint} says what a whole domain check says about the same content: the checks' own code, no
 * network. Each world serves a body or record, and the report's content findings equal Lint's.
 */
final class LintTest {
    @AutoClose
    private final MultiAddressWorld world = MultiAddressWorld.start();

    private CheckReport check(String domain) {
        return Worlds.check(domain, Worlds.options(world).probeSmtp(false).build());
    }

    private static List<Finding> withPrefix(CheckReport report, String... prefixes) {
        return report.findings().stream()
                .filter(f -> List.of(prefixes).stream().anyMatch(p -> f.id().startsWith(p)))
                .toList();
    }

    /** The domain check's findings with the full record name put back to the bare label Lint uses. */
    private static List<Finding> unnamed(List<Finding> findings, String fullName, String label) {
        return findings.stream()
                .map(f -> new Finding(
                        f.check(), f.severity(), f.message().replace(fullName, label), f.evidence(), f.lenient()))
                .toList();
    }

    // RFC 8461 §3.2: valid, warned and broken bodies get the same policy findings from Lint as from a
    // check that fetched them from a real policy host, lenient flags included (CHK-API-4).
    @Test
    void policy_equalsTheWorldCheck() {
        List<String> bodies = List.of(
                "version: STSv1\nmode: enforce\nmx: mx.lint0.example\nmax_age: 604800\n",
                "version: STSv1\r\nmode: enforce\nmx: mx.lint1.example\nmx: *.example\nmax_age: 0\n"
                        + "mode: none\nnote: hello\n",
                "version: STSv1\nmode: Enforce\n\nmx: other.example\nmax_age: 86400\nMode: testing\n",
                "version: STSv1\nmode: testing\nmx: mx.lint3.example\nmax_age: 99999999\n");
        for (int i = 0; i < bodies.size(); i++) {
            String domain = "lint" + i + ".example";
            FakePolicyHost host = world.healthy(domain);
            host.policy(domain, bodies.get(i));
            List<Finding> checked = withPrefix(check(domain), "sts.policy.");
            List<Finding> linted = Lint.policy(bodies.get(i).getBytes(UTF_8));
            assertThat(linted).as(bodies.get(i)).isNotEmpty().isEqualTo(checked);
        }
    }

    // RFC 8461 §3.1 (STS-TXT-4): a bad id, and an extension field, as a check of the record reports them.
    @Test
    void stsRecord_equalsTheWorldCheck() {
        String[] records = {"v=STSv1; id=2016-08-31", "v=STSv1; id=20160831085700Z; ext=1;"};
        for (int i = 0; i < records.length; i++) {
            String domain = "sts" + i + ".example";
            world.dns().txt("_mta-sts." + domain, records[i]);
            List<Finding> checked = withPrefix(check(domain), "sts.txt.syntax", "sts.txt.unknown-field");
            assertThat(Lint.stsRecord(records[i]))
                    .as(records[i])
                    .isNotEmpty()
                    .isEqualTo(unnamed(checked, "_mta-sts." + domain, "_mta-sts"));
        }
    }

    // RFC 8460 §3: a raw '!' breaks the record; an ftp: rua is skipped and leaves none.
    @Test
    void tlsRptRecord_equalsTheWorldCheck() {
        String[] records = {"v=TLSRPTv1;rua=mailto:a@example.com!10m", "v=TLSRPTv1; rua=ftp://example.com/r"};
        for (int i = 0; i < records.length; i++) {
            String domain = "rpt" + i + ".example";
            world.dns().txt("_smtp._tls." + domain, records[i]);
            List<Finding> checked = withPrefix(check(domain), "rpt.txt.syntax", "rpt.rua.scheme");
            assertThat(Lint.tlsRptRecord(records[i]))
                    .as(records[i])
                    .isNotEmpty()
                    .isEqualTo(unnamed(checked, "_smtp._tls." + domain, "_smtp._tls"));
        }
    }

    // RFC 8461 §3.2: the line of each finding, and the strict parser's column for the error it stopped at.
    @Test
    void policyLocated_linesAndColumn() {
        List<LintFinding> located = Lint.policyLocated(
                "version: STSv1\nmode: enforce\nmx: mx.example.com\nmx: mx.example.com\nmax_age: 1\n".getBytes(UTF_8));
        assertThat(located)
                .extracting(l -> l.finding().id(), LintFinding::line)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("sts.policy.dup-key", 4),
                        org.assertj.core.groups.Tuple.tuple("sts.policy.mode", 2),
                        org.assertj.core.groups.Tuple.tuple("sts.policy.max_age", 5));
        // RFC 8461 §3.1 (STS-TXT-4): the id's column.
        assertThat(Lint.stsRecordLocated("v=STSv1; id=2016-08-31"))
                .singleElement()
                .satisfies(l -> assertThat(l.column()).isEqualTo(17));
    }

    // RFC 8461 §3.2: a byte order mark makes senders refuse the body; the checker calls it sts.http.encoding.
    @Test
    void policy_byteOrderMark_isTheEncodingError() {
        byte[] body = ("\uFEFFversion: STSv1\nmode: none\nmax_age: 86400\n").getBytes(UTF_8);
        assertThat(Lint.policy(body))
                .filteredOn(f -> f.severity() == Severity.ERROR)
                .extracting(Finding::check)
                .containsExactly(Check.STS_HTTP_ENCODING);
    }

    // RFC 8461 §3.1: a near miss (the wrong case) is an error, not silence, when linted on its own.
    @Test
    void stsRecord_nearMiss_isASyntaxError() {
        assertThat(Lint.stsRecord("V=STSv1; id=1")).singleElement().satisfies(f -> {
            assertThat(f.check()).isEqualTo(Check.STS_TXT_SYNTAX);
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
        });
        assertThat(Lint.tlsRptRecord("v=tlsrptv1; rua=mailto:a@example.com"))
                .extracting(Finding::check)
                .containsExactly(Check.RPT_TXT_SYNTAX);
    }

    // A healthy set-up: no error or warning from any of the three.
    @Test
    void healthy_noErrorOrWarning() {
        assertThat(Lint.policy("version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 604800\n".getBytes(UTF_8)))
                .allMatch(f -> f.severity() == Severity.INFO);
        assertThat(Lint.stsRecord("v=STSv1; id=20160831085700Z;")).isEmpty();
        assertThat(Lint.tlsRptRecord("v=TLSRPTv1; rua=mailto:tls@example.com")).isEmpty();
    }

    // Arbitrary bytes and text: findings, never an exception.
    @Test
    void neverThrows() {
        qt().withExamples(300).forAll(longs().all()).checkAssert(seed -> {
            Random random = new Random(seed);
            byte[] bytes = new byte[random.nextInt(200)];
            random.nextBytes(bytes);
            assertThatCode(() -> Lint.policyLocated(bytes)).doesNotThrowAnyException();
            String mutated = Generators.validPolicy(seed).replace('\n', random.nextBoolean() ? '\r' : ' ');
            assertThatCode(() -> Lint.policy(mutated.getBytes(UTF_8))).doesNotThrowAnyException();
        });
        qt().withExamples(300)
                .forAll(strings().allPossible().ofLengthBetween(0, 60))
                .checkAssert(s -> {
                    assertThatCode(() -> Lint.stsRecordLocated("v=STSv1; " + s)).doesNotThrowAnyException();
                    assertThatCode(() -> Lint.tlsRptRecordLocated("v=TLSRPTv1; " + s))
                            .doesNotThrowAnyException();
                    assertThatCode(() -> Lint.stsRecord(s)).doesNotThrowAnyException();
                    assertThatCode(() -> Lint.tlsRptRecord(s)).doesNotThrowAnyException();
                });
    }
}
