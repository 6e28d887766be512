package dev.mtasts.tlsrpt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.SourceDSL;

/** Only literal-shaped text may reach {@code InetAddress.getByName}, which resolves anything else (RPT-READ-4). */
final class IpLiteralsNoDnsTest {

    private static final class Recorder implements Function<String, Optional<byte[]>> {
        final List<String> seen = new ArrayList<>();

        @Override
        public Optional<byte[]> apply(String text) {
            seen.add(text);
            return Optional.of(new byte[16]);
        }
    }

    @Test
    void isIpLiteral_dotColon_neverHandedToTheJdk() {
        // RPT-READ-4, §7: ".:" passed the old character filter and the JDK looked it up in DNS.
        Recorder jdk = new Recorder();
        for (String text : List.of(".:", "..:", ".1:2", ".::1", ".2001:db8::1")) {
            assertThat(IpLiterals.isIpLiteral(text, jdk)).as(text).isFalse();
        }
        assertThat(jdk.seen).isEmpty();
        assertThat(IpLiterals.isIpLiteral(".:")).isFalse();
    }

    @Test
    void isIpLiteral_literalShapes_stillReachTheParser() {
        // RW-10: real IPv6 literals are still checked by the JDK's literal parser.
        Recorder jdk = new Recorder();
        assertThat(IpLiterals.isIpLiteral("2001:db8::1", jdk)).isTrue();
        assertThat(IpLiterals.isIpLiteral("::1", jdk)).isTrue();
        assertThat(jdk.seen).containsExactly("2001:db8::1", "::1");
    }

    @Test
    void isIpLiteral_anythingHandedOn_startsLikeALiteral() {
        // RPT-READ-4: property: whatever reaches the JDK starts with a hex digit or ':' and has a ':'.
        qt().forAll(SourceDSL.strings().basicLatinAlphabet().ofLengthBetween(0, 12))
                .checkAssert(text -> {
                    Recorder jdk = new Recorder();
                    IpLiterals.isIpLiteral(text, jdk);
                    for (String s : jdk.seen) {
                        assertThat(s).contains(":");
                        assertThat(s.charAt(0) == ':' || Character.digit(s.charAt(0), 16) >= 0)
                                .as(s)
                                .isTrue();
                    }
                });
    }
}
