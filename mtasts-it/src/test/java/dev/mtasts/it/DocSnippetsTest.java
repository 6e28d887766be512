package dev.mtasts.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Compiles every {@code ```java} block of {@code README.md} and {@code docs/*.md} against the test
 * class path, so the documented API cannot silently drift from the real one.
 *
 * <p>Convention: each block becomes a class {@code Snippet} with the fixed {@link #IMPORTS}. A block
 * that starts with a type or method declaration (or an annotation) is pasted as the members of that
 * class; any other block is the body of a method {@code void snippet() throws Exception}. Free
 * variables and helper types a block uses are declared by an HTML comment right before the block,
 * {@code <!-- snippet-context: Policy policy; -->}, invisible to readers: its text is pasted as
 * members of {@code Snippet}. Pseudo-code belongs in a plain {@code ```} block, not a {@code ```java}
 * one. Blocks are compiled, never run.
 */
final class DocSnippetsTest {

    private static final List<String> IMPORTS = List.of(
            "dev.mtasts.core.*",
            "dev.mtasts.core.cache.*",
            "dev.mtasts.core.dane.*",
            "dev.mtasts.core.delivery.*",
            "dev.mtasts.core.dns.*",
            "dev.mtasts.core.fetch.*",
            "dev.mtasts.core.resolve.*",
            "dev.mtasts.core.time.*",
            "dev.mtasts.core.tls.*",
            "dev.mtasts.tlsrpt.*",
            "dev.mtasts.tlsrpt.mail.*",
            "dev.mtasts.checker.*",
            // Both dev.mtasts.tlsrpt and dev.mtasts.checker have a TxtLookup; the docs mean the former.
            "dev.mtasts.tlsrpt.TxtLookup",
            "dev.mtasts.examples.*",
            "dev.mtasts.store.jdbc.*",
            "com.zaxxer.hikari.HikariConfig",
            "com.zaxxer.hikari.HikariDataSource",
            "dev.mtasts.testkit.*",
            "dev.mtasts.testkit.server.*",
            "java.util.*",
            "java.util.concurrent.*",
            "java.time.*",
            "java.nio.file.*",
            "java.net.*",
            "java.net.http.*",
            "java.net.http.HttpResponse.BodyHandlers",
            "javax.net.ssl.*",
            "jakarta.mail.*",
            // The testkit guide shows dnsjava's own validator reading a signed zone; java.lang.Record
            // is not used by any snippet, so dnsjava's Record may take the simple name (its Message
            // may not: Jakarta Mail's is the one the guides mean).
            "org.xbill.DNS.DClass",
            "org.xbill.DNS.Flags",
            "org.xbill.DNS.Name",
            "org.xbill.DNS.Record",
            "org.xbill.DNS.SimpleResolver",
            "org.xbill.DNS.Type",
            "org.xbill.DNS.dnssec.ValidatingResolver",
            "java.io.ByteArrayInputStream",
            "java.nio.charset.StandardCharsets",
            "jakarta.mail.internet.*",
            "org.slf4j.*",
            "org.junit.jupiter.api.*",
            "org.junit.jupiter.api.extension.*",
            "static org.assertj.core.api.Assertions.*",
            "static org.quicktheories.QuickTheory.qt",
            "static org.quicktheories.generators.SourceDSL.*");

    private static final Pattern FENCE = Pattern.compile("^```");
    private static final Pattern CONTEXT = Pattern.compile("<!--\\s*snippet-context:(.*?)-->", Pattern.DOTALL);

    /** The first code line of a block declaring members rather than statements. */
    private static final Pattern DECLARATION = Pattern.compile(
            "^(@\\w+|((public|protected|private|static|final|abstract|sealed)\\s+)*(class|record|interface|enum)\\s"
                    + "|[\\w<>\\[\\], .?]+\\s+\\w+\\s*\\([^;]*\\)\\s*(throws\\s+[\\w., ]+)?\\{\\s*$)");

    private static final Path ROOT = repositoryRoot();
    private static final JavaCompiler COMPILER = ToolProvider.getSystemJavaCompiler();
    // One file manager for all blocks: it caches the class path's jar indexes.
    private static final StandardJavaFileManager FILES = COMPILER.getStandardFileManager(null, Locale.ROOT, UTF_8);

    @AfterAll
    static void closeFileManager() throws IOException {
        FILES.close();
    }

    @TestFactory
    Stream<DynamicTest> everyJavaBlock_compilesAgainstTheCurrentApi() {
        List<Block> blocks = blocks();
        assertThat(blocks).as("java blocks in README.md and docs/*.md").hasSizeGreaterThan(20);
        return blocks.stream().map(b -> DynamicTest.dynamicTest(b.file() + ":" + b.line(), () -> assertCompiles(b)));
    }

    private static void assertCompiles(Block block) throws IOException {
        StringBuilder unit = new StringBuilder();
        IMPORTS.forEach(i -> unit.append("import ").append(i).append(";\n"));
        unit.append("@SuppressWarnings(\"all\")\nclass Snippet {\n")
                .append(block.context())
                .append('\n');
        boolean members = firstCodeLine(block.code())
                .map(l -> DECLARATION.matcher(l).find())
                .orElse(false);
        if (!members) {
            unit.append("void snippet() throws Exception {\n");
        }
        long codeStart = unit.chars().filter(c -> c == '\n').count() + 1;
        unit.append(block.code()).append(members ? "\n}\n" : "\n}\n}\n");

        Path out = Files.createTempDirectory("snippet");
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavaFileObject source =
                new SimpleJavaFileObject(URI.create("string:///Snippet.java"), JavaFileObject.Kind.SOURCE) {
                    @Override
                    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                        return unit;
                    }
                };
        List<String> options = List.of(
                "-classpath",
                System.getProperty("java.class.path"),
                "-d",
                out.toString(),
                "-proc:none",
                "-nowarn",
                "-Xlint:none");
        boolean ok;
        try {
            ok = COMPILER.getTask(null, FILES, diagnostics, options, null, List.of(source))
                    .call();
        } finally {
            deleteRecursively(out);
        }
        String messages = diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> {
                    long line = d.getLineNumber() - codeStart;
                    String where = line >= 0
                            ? block.file() + ":" + (block.line() + 1 + line)
                            : block.file() + ":" + block.line() + " (snippet-context)";
                    return where + ": " + d.getMessage(Locale.ROOT);
                })
                .collect(Collectors.joining("\n"));
        assertThat(ok)
                .as("the ```java block at %s:%d does not compile:%n%s", block.file(), block.line(), messages)
                .isTrue();
    }

    private static java.util.Optional<String> firstCodeLine(String code) {
        return code.lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("//"))
                .findFirst();
    }

    private static List<Block> blocks() {
        List<Path> files = new ArrayList<>();
        files.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Block> blocks = new ArrayList<>();
        for (Path file : files) {
            blocks.addAll(blocksOf(ROOT.relativize(file).toString(), read(file)));
        }
        return blocks;
    }

    /** The {@code ```java} blocks of one Markdown text, each with the context comment right before it. */
    static List<Block> blocksOf(String file, String markdown) {
        List<String> lines = markdown.lines().toList();
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!FENCE.matcher(lines.get(i)).find()) {
                continue;
            }
            boolean java = lines.get(i).strip().equals("```java");
            int start = i;
            StringBuilder code = new StringBuilder();
            for (i++; i < lines.size() && !FENCE.matcher(lines.get(i)).find(); i++) {
                code.append(lines.get(i)).append('\n');
            }
            if (java) {
                blocks.add(new Block(file, start + 1, contextBefore(lines, start), code.toString()));
            }
        }
        return blocks;
    }

    /** The text of a {@code snippet-context} comment ending on the last non-blank line before the fence. */
    private static String contextBefore(List<String> lines, int fence) {
        int end = fence - 1;
        while (end >= 0 && lines.get(end).isBlank()) {
            end--;
        }
        if (end < 0 || !lines.get(end).strip().endsWith("-->")) {
            return "";
        }
        int begin = end;
        while (begin > 0 && !lines.get(begin).contains("<!--")) {
            begin--;
        }
        Matcher m = CONTEXT.matcher(String.join("\n", lines.subList(begin, end + 1)));
        return m.find() ? m.group(1) : "";
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    /** One {@code ```java} block: its file, the line of its opening fence, its context and its code. */
    record Block(String file, int line, String context, String code) {}
}
