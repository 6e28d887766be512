package dev.mtasts.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.mtasts.core.MxPattern;
import dev.mtasts.core.Policy;
import dev.mtasts.core.StsRecord;
import dev.mtasts.core.SyntaxException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Generated validity agrees with the core parsers, over QuickTheories-chosen seeds. */
final class GeneratorsTest {

    @Test
    void validPolicy_parses() {
        // STS-POL-2..9: what the generator calls valid, Policy.parse accepts
        qt().forAll(longs().all())
                .checkAssert(seed -> assertThat(Policy.parse(Generators.validPolicy(seed)))
                        .as("seed %d", seed)
                        .isNotNull());
    }

    @Test
    void invalidPolicy_isRejectedWithSyntaxException() {
        qt().forAll(longs().all())
                .checkAssert(seed -> assertThatThrownBy(() -> Policy.parse(Generators.invalidPolicy(seed)))
                        .as("seed %d: %s", seed, Generators.invalidPolicy(seed))
                        .isInstanceOf(SyntaxException.class));
    }

    @Test
    void validStsRecord_parses_andIsSelected() {
        // STS-TXT-3..6
        qt().forAll(longs().all()).checkAssert(seed -> {
            String record = Generators.validStsRecord(seed);
            assertThat(StsRecord.parse(record).id()).as("seed %d", seed).isNotEmpty();
            assertThat(StsRecord.select(List.of(record, "v=spf1 -all"))).isPresent();
        });
    }

    @Test
    void invalidStsRecord_isRejectedWithSyntaxException() {
        qt().forAll(longs().all())
                .checkAssert(seed -> assertThatThrownBy(() -> StsRecord.parse(Generators.invalidStsRecord(seed)))
                        .as("seed %d: %s", seed, Generators.invalidStsRecord(seed))
                        .isInstanceOf(SyntaxException.class));
    }

    @Test
    void mxPatterns_validAndInvalid() {
        // STS-POL-9
        qt().forAll(longs().all()).checkAssert(seed -> {
            assertThat(MxPattern.parse(Generators.mxPattern(seed))).isNotNull();
            assertThatThrownBy(() -> MxPattern.parse(Generators.invalidMxPattern(seed)))
                    .as("seed %d: %s", seed, Generators.invalidMxPattern(seed))
                    .isInstanceOf(SyntaxException.class);
        });
    }

    @Test
    void hostMatching_matches_hostNotMatching_doesNot() {
        // STS-MX-2, STS-MX-3
        qt().forAll(longs().all()).checkAssert(seed -> {
            String pattern = Generators.mxPattern(seed);
            MxPattern parsed = MxPattern.parse(pattern);
            assertThat(parsed.matches(Generators.hostMatching(pattern, seed + 1)))
                    .as("seed %d", seed)
                    .isTrue();
            assertThat(parsed.matches(Generators.hostNotMatching(pattern, seed + 2)))
                    .as("seed %d", seed)
                    .isFalse();
        });
    }

    @Test
    void mxHosts_areDistinctValidNames() {
        qt().forAll(longs().all()).checkAssert(seed -> {
            List<String> hosts = Generators.mxHosts(seed);
            assertThat(hosts).isNotEmpty().hasSizeLessThanOrEqualTo(5).doesNotHaveDuplicates();
            hosts.forEach(h -> assertThat(MxPattern.parse(h).matches(h)).isTrue());
        });
    }

    @Test
    void characterStrings_joinBackAndFitTxt() {
        // STS-TXT-2: character-strings are joined with nothing between
        qt().forAll(longs().all()).checkAssert(seed -> {
            String text = Generators.validStsRecord(seed) + "; x=" + "y".repeat(Math.floorMod(seed, 600));
            List<String> parts = Generators.characterStrings(text, seed);
            assertThat(String.join("", parts)).isEqualTo(text);
            assertThat(parts).allMatch(p -> !p.isEmpty() && p.length() <= 255);
        });
    }

    @Test
    void sameSeed_sameOutput() {
        qt().forAll(longs().all()).checkAssert(seed -> {
            assertThat(Generators.validPolicy(seed)).isEqualTo(Generators.validPolicy(seed));
            assertThat(Generators.invalidStsRecord(seed)).isEqualTo(Generators.invalidStsRecord(seed));
            assertThat(Generators.mxHosts(seed)).isEqualTo(Generators.mxHosts(seed));
        });
    }

    @Test
    void stsId_isOneTo32Alphanumerics() {
        qt().forAll(longs().all())
                .checkAssert(seed -> assertThat(Generators.stsId(seed)).matches("[A-Za-z0-9]{1,32}"));
    }
}
