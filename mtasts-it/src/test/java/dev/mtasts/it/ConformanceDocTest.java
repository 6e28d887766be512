package dev.mtasts.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/conformance.md} honest: every rule ID the code, tests or docs cite is defined
 * there, every test it names exists, and no document points outside the repository (users of the
 * project only ever see what is in it).
 */
final class ConformanceDocTest {

    /** Rule IDs: the rule groups of the RFCs, plus {@code RW-n}, the real-world report inputs {@code ReportIssue} cites. */
    private static final String ID = "(?:(?:STS|RPT|PF|CHK|DANE|FLEET)-[A-Z]+-[0-9]+|RW-[0-9]+)";

    /** A rule ID anywhere in a text. */
    private static final Pattern CITATION = Pattern.compile("\\b" + ID + "\\b");

    /** A rule ID that starts a Markdown heading or a table row: that is where it is defined. */
    private static final Pattern DEFINITION =
            Pattern.compile("^(?:#{1,6}[ \\t]+|\\|[ \\t]*)`?(" + ID + ")`?(?![\\w-])", Pattern.MULTILINE);

    /** A test the doc names, written {@code `SomethingTest.method`}. */
    private static final Pattern TEST_REFERENCE =
            Pattern.compile("`([A-Z][A-Za-z0-9]*Test)\\.([A-Za-z_][A-Za-z0-9_]*)`");

    private static final Pattern METHOD = Pattern.compile("\\bvoid\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*\\(");

    /** Pointers to material outside the repository, such as a checklist beside it or an issue tracker. */
    private static final Pattern OUTSIDE_POINTER = Pattern.compile(
            "\\.\\./shared|shared/spec|\\bissues?\\s+#?[0-9]+|(?<![\\w&/])#[0-9]+\\b", Pattern.CASE_INSENSITIVE);

    private static final Path ROOT = repositoryRoot();
    private static final Path DOC = ROOT.resolve("docs/conformance.md");

    @Test
    void everyCitedRuleId_isDefinedInTheConformanceDoc() {
        Set<String> defined = definitions(read(DOC)).keySet();
        Map<String, Set<String>> citedBy = new TreeMap<>();
        for (Path file : citingFiles()) {
            Matcher m = CITATION.matcher(read(file));
            while (m.find()) {
                citedBy.computeIfAbsent(m.group(), k -> new TreeSet<>()).add(relative(file));
            }
        }
        assertThat(citedBy)
                .as("no rule IDs found: is the repository root %s right?", ROOT)
                .isNotEmpty();

        List<String> missing = new ArrayList<>();
        citedBy.forEach((id, files) -> {
            if (!defined.contains(id)) {
                missing.add(id + " (cited in " + String.join(", ", files) + ")");
            }
        });
        assertThat(missing)
                .as("rule IDs cited but not defined by a heading or table row in docs/conformance.md")
                .isEmpty();
    }

    @Test
    void ruleIds_areDefinedOnce() {
        Map<String, Integer> definitions = definitions(read(DOC));
        assertThat(definitions)
                .as("rule IDs defined more than once in docs/conformance.md")
                .allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1));
    }

    @Test
    void everyTestTheDocNames_existsInTheTestSources() {
        Map<String, Set<String>> methodsByClass = testMethodsByClass();
        List<String> doc = read(DOC).lines().collect(Collectors.toList());
        List<String> unknown = new ArrayList<>();
        int references = 0;
        for (int i = 0; i < doc.size(); i++) {
            Matcher m = TEST_REFERENCE.matcher(doc.get(i));
            while (m.find()) {
                references++;
                String testClass = m.group(1);
                String method = m.group(2);
                Set<String> methods = methodsByClass.get(testClass);
                if (methods == null) {
                    unknown.add(
                            "line " + (i + 1) + ": " + testClass + "." + method + " (no test class " + testClass + ")");
                } else if (!methods.contains(method)) {
                    unknown.add("line " + (i + 1) + ": " + testClass + "." + method + " (" + testClass
                            + " has no method " + method + ")");
                }
            }
        }
        assertThat(references).as("tests named in docs/conformance.md").isPositive();
        assertThat(unknown)
                .as("tests named in docs/conformance.md that do not exist (renamed or moved?)")
                .isEmpty();
    }

    @Test
    void docs_neverPointOutsideTheRepository() {
        List<String> pointers = new ArrayList<>();
        for (Path file : documents()) {
            List<String> lines = read(file).lines().collect(Collectors.toList());
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = OUTSIDE_POINTER.matcher(lines.get(i));
                while (m.find()) {
                    pointers.add(relative(file) + ":" + (i + 1) + ": '" + m.group() + "'");
                }
            }
        }
        assertThat(pointers)
                .as("README.md and docs/ must not point outside the repository")
                .isEmpty();
    }

    @Test
    void definitions_areHeadingsAndTableRowsNotMentions() {
        String doc = String.join(
                "\n",
                "### STS-CACHE-6 — proactive refresh",
                "## `STS-TXT-3` — one record",
                "| RW-1 | mx-host as a string |",
                "|`RPT-AGG-1`| one report |",
                "See STS-CACHE-5 and the table row | RPT-DAY-2 |.",
                "- STS-POL-8 in a list",
                "### STS-MX-1x is not an ID",
                "### STS-HTTP-1");
        assertThat(definitions(doc)).containsOnlyKeys("STS-CACHE-6", "STS-TXT-3", "RW-1", "RPT-AGG-1", "STS-HTTP-1");
        assertThat(OUTSIDE_POINTER
                        .matcher("see issue 5, PKCS#12 and [x](#rw-1)")
                        .results()
                        .map(MatchResult::group))
                .containsExactly("issue 5");
        assertThat(OUTSIDE_POINTER.matcher("the ../shared/spec folder").find()).isTrue();
    }

    /** How often each ID is defined in {@code doc}. */
    private static Map<String, Integer> definitions(String doc) {
        Map<String, Integer> definitions = new TreeMap<>();
        Matcher m = DEFINITION.matcher(doc);
        while (m.find()) {
            definitions.merge(m.group(1), 1, Integer::sum);
        }
        return definitions;
    }

    /** Every Java file under a module's {@code src}, every {@code docs/*.md} and the README. */
    private static List<Path> citingFiles() {
        List<Path> files = new ArrayList<>(documents());
        for (Path module : modules()) {
            // This class's own self-check strings are examples, not citations.
            walk(module.resolve("src"), ".java").stream()
                    .filter(file -> !file.endsWith(Path.of("dev/mtasts/it/ConformanceDocTest.java")))
                    .forEach(files::add);
        }
        return files;
    }

    private static List<Path> documents() {
        List<Path> files = new ArrayList<>(list(ROOT.resolve("docs"), ".md"));
        files.add(ROOT.resolve("README.md"));
        return files;
    }

    private static List<Path> modules() {
        return list(ROOT, "").stream()
                .filter(dir -> Files.isDirectory(dir.resolve("src")))
                .collect(Collectors.toList());
    }

    /** Simple class name to the methods declared in it, over every module's test sources. */
    private static Map<String, Set<String>> testMethodsByClass() {
        Map<String, Set<String>> methods = new TreeMap<>();
        for (Path module : modules()) {
            for (Path file : walk(module.resolve("src/test/java"), ".java")) {
                String name = file.getFileName().toString();
                Set<String> declared =
                        methods.computeIfAbsent(name.substring(0, name.length() - 5), k -> new TreeSet<>());
                Matcher m = METHOD.matcher(read(file));
                while (m.find()) {
                    declared.add(m.group(1));
                }
            }
        }
        return methods;
    }

    private static List<Path> list(Path dir, String suffix) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().endsWith(suffix))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> walk(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.walk(dir)) {
            return entries.filter(p -> p.getFileName().toString().endsWith(suffix) && Files.isRegularFile(p))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String relative(Path file) {
        return ROOT.relativize(file).toString().replace('\\', '/');
    }

    /** The build runs tests in {@code mtasts-it}; the repository root is the ancestor holding it. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("mtasts-it")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "no repository root above " + Path.of("").toAbsolutePath());
    }
}
