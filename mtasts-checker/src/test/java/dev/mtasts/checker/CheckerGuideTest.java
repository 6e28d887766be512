package dev.mtasts.checker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code docs/checker.md} documents exactly the checks there are: one table row or more per ID. */
final class CheckerGuideTest {
    private static final Pattern ROW =
            Pattern.compile("^\\| `?((?:sts|rpt|cross)\\.[a-z_.-]+)`? \\|", Pattern.MULTILINE);

    @Test
    void everyCheck_hasARowAndEveryRowIsACheck() throws Exception {
        Path guide = repositoryRoot().resolve("docs/checker.md");
        Set<String> documented = new TreeSet<>();
        Matcher m = ROW.matcher(Files.readString(guide, UTF_8));
        while (m.find()) {
            documented.add(m.group(1));
        }
        Set<String> checks =
                new TreeSet<>(Arrays.stream(Check.values()).map(Check::id).toList());
        assertThat(documented).isEqualTo(checks);
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docs/checker.md")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "no docs/checker.md above " + Path.of("").toAbsolutePath());
    }
}
