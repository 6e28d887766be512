package dev.mtasts.checker.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.mtasts.checker.Check;
import dev.mtasts.checker.Finding;
import dev.mtasts.checker.Severity;
import dev.mtasts.core.Policy;
import dev.mtasts.core.SyntaxException;
import dev.mtasts.testkit.Generators;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The policy content checks against the sender's own parser, over generated input: they never throw,
 * and the parser accepts a file exactly when the checks find no error (CHK-API-4, RFC 8461 §3.2).
 */
final class PolicyContentPropertyTest {

    /** Characters that matter to the grammar, and some that do not, for mutations. */
    private static final String NOISE = " \t\r\n:*.-_x0Aé\u0001\u007f\uFEFF";

    /** Errors a sender makes too: all but the max_age-over-the-cap one, which this SDK caps. */
    private static List<Finding> senderErrors(List<Finding> findings) {
        return findings.stream()
                .filter(f -> f.severity() == Severity.ERROR)
                .filter(f ->
                        !(f.check() == Check.STS_POLICY_MAX_AGE && f.message().contains("this SDK caps it")))
                .toList();
    }

    private static boolean strictAccepts(byte[] body) {
        try {
            Policy.parse(body);
            return true;
        } catch (SyntaxException e) {
            return false;
        }
    }

    /** The agreement every body must show with the strict parser. */
    private static void assertAgreesWithParser(byte[] body) {
        PolicyContentCheck.Evaluation e = PolicyContentCheck.evaluate(body);
        boolean accepted = strictAccepts(body);
        assertThat(e.facts().policy().isPresent()).isEqualTo(accepted);
        assertThat(e.facts().lenient()).isEqualTo(!accepted);
        if (accepted) {
            assertThat(senderErrors(e.findings()))
                    .as("errors on a policy the parser accepts")
                    .isEmpty();
            assertThat(e.findings()).noneMatch(Finding::lenient);
            return;
        }
        if (e.encodingProblem().isPresent()) {
            // sts.http.encoding is the error (the run emits it); every content finding is lenient.
            assertThat(e.findings()).allMatch(Finding::lenient);
            return;
        }
        assertThat(senderErrors(e.findings()))
                .as("errors on a policy the parser refuses")
                .isNotEmpty();
        // Exactly the parser's own error is strict, and the reader found it itself (no fallback).
        assertThat(e.findings().stream().filter(f -> !f.lenient()))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.severity()).isEqualTo(Severity.ERROR);
                    assertThat(f.message()).doesNotStartWith("MTA-STS policy");
                });
    }

    // RFC 8461 §3.2: any bytes at all: no exception, and agreement with the parser.
    @Test
    void anyBytes_neverThrowAndAgree() {
        qt().withExamples(3000)
                .forAll(lists().of(integers().between(0, 255)).ofSizeBetween(0, 200))
                .checkAssert(values -> {
                    byte[] body = new byte[values.size()];
                    for (int i = 0; i < body.length; i++) {
                        body[i] = (byte) (int) values.get(i);
                    }
                    assertAgreesWithParser(body);
                });
    }

    // RFC 8461 §3.2: any text, encoded as UTF-8.
    @Test
    void anyText_neverThrowsAndAgrees() {
        qt().withExamples(3000)
                .forAll(strings().allPossible().ofLengthBetween(0, 120))
                .checkAssert(text -> assertAgreesWithParser(text.getBytes(UTF_8)));
    }

    // RFC 8461 §3.2: the testkit's valid policies give no error; its invalid ones at least one.
    @Test
    void generatedPolicies_validAndInvalid() {
        qt().withExamples(2000).forAll(longs().all()).checkAssert(seed -> {
            byte[] valid = Generators.validPolicy(seed).getBytes(UTF_8);
            assertThat(strictAccepts(valid)).isTrue();
            assertThat(senderErrors(PolicyContentCheck.evaluate(valid).findings()))
                    .isEmpty();
            byte[] invalid = Generators.invalidPolicy(seed).getBytes(UTF_8);
            assertThat(strictAccepts(invalid)).isFalse();
            assertAgreesWithParser(invalid);
        });
    }

    // RFC 8461 §3.2: valid policies with a few random edits (white space, terminators, ':', '*',
    // controls, case) land on both sides of the grammar; the checks agree with the parser on each.
    @Test
    void mutatedPolicies_agreeWithParser() {
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        qt().withExamples(5000).forAll(longs().all()).checkAssert(seed -> {
            Random random = new Random(seed);
            StringBuilder text = new StringBuilder(Generators.validPolicy(seed));
            int edits = 1 + random.nextInt(3);
            for (int i = 0; i < edits && text.length() > 0; i++) {
                int at = random.nextInt(text.length());
                switch (random.nextInt(4)) {
                    case 0 -> text.insert(at, NOISE.charAt(random.nextInt(NOISE.length())));
                    case 1 -> text.deleteCharAt(at);
                    case 2 -> text.setCharAt(at, Character.toUpperCase(text.charAt(at)));
                    default -> text.setCharAt(at, NOISE.charAt(random.nextInt(NOISE.length())));
                }
            }
            byte[] body = text.toString().getBytes(UTF_8);
            (strictAccepts(body) ? accepted : refused).incrementAndGet();
            assertAgreesWithParser(body);
        });
        // Both sides of the grammar were exercised, or the agreement above would mean little.
        assertThat(accepted.get()).isGreaterThan(500);
        assertThat(refused.get()).isGreaterThan(500);
    }

    // RFC 8461 §3.2: with a max_age above the cap the parser accepts and only that one error is found.
    @Test
    void maxAgeAboveCap_theOnlyError() {
        qt().withExamples(300)
                .forAll(longs().between(31_557_601L, 9_999_999_999L))
                .checkAssert(age -> {
                    String body = "version: STSv1\nmode: none\nmax_age: " + age + "\n";
                    PolicyContentCheck.Evaluation e = PolicyContentCheck.evaluate(body.getBytes(UTF_8));
                    assertThat(e.facts().policy()).isPresent();
                    assertThat(e.findings().stream().filter(f -> f.severity() == Severity.ERROR))
                            .singleElement()
                            .satisfies(f -> assertThat(f.message().toLowerCase(Locale.ROOT))
                                    .contains("this sdk caps it"));
                });
    }
}
