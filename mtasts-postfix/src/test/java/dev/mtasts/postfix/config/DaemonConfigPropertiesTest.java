package dev.mtasts.postfix.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

final class DaemonConfigPropertiesTest {

    /** Pieces of YAML syntax and of our keys, so the text often gets deep into the reader. */
    private static final List<String> PIECES = List.of(
            "host",
            "port",
            "path",
            "mode",
            "cache",
            "type",
            "options",
            "sqlite",
            "postgres",
            "dsn",
            "postgres://u:p@h/db",
            "internal",
            "redis",
            "zones",
            "default_zone",
            "timeout",
            "strict_testing",
            "metrics",
            "dns",
            "server",
            "proactive_policy_fetching",
            "grace_ratio",
            "cache_size",
            "filename",
            ": ",
            ":",
            "\n",
            "\n  ",
            "\n    ",
            "- ",
            "[",
            "]",
            "{",
            "}",
            ",",
            "&a ",
            "*a",
            "!!int ",
            "!!str ",
            "!x ",
            "'",
            "\"",
            "#",
            "0666",
            "1e9",
            "-1",
            ".nan",
            ".inf",
            "yes",
            "~",
            "null",
            "0x1F",
            "1:30",
            "99999999999999999999",
            "\t",
            "%YAML 1.1\n",
            "---\n",
            "...\n",
            "? ",
            "|\n  ",
            ">\n",
            "\\u0000",
            "\u00e9");

    @Test
    void parse_arbitraryTextOnlyEverThrowsConfigException() {
        // PF-CONF-2: whatever the file holds, the daemon reports it; never a crash
        Gen<String> pieces =
                lists().of(Generate.pick(PIECES)).ofSizeBetween(0, 40).map(l -> String.join("", l));
        Gen<String> noise = strings().allPossible().ofLengthBetween(0, 60);
        Gen<String> text = Generate.oneOf(pieces, noise, pieces.zip(noise, (a, b) -> a + b));
        qt().withExamples(3000).forAll(text, integers().between(0, 1)).checkAssert((yaml, unused) -> {
            try {
                DaemonConfig c = DaemonConfig.parse(yaml, "p.yml");
                assertThat(c.source()).isEqualTo("p.yml");
            } catch (ConfigException e) {
                assertThat(e.getMessage()).startsWith("p.yml");
            }
        });
    }
}
