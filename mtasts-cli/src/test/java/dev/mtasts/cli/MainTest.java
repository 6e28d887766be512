package dev.mtasts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class MainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    // The README's first command: no arguments explains the RFC 8461 §3.2 example.
    @Test
    void run_noArgumentsExplainsRfcExample() {
        int status = run();

        assertThat(status).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(out.toString())
                .contains("RFC 8461 §3.2 example: valid")
                .contains("mode     enforce")
                .contains("max_age  604800 s (7 days)")
                .contains("mx       *.example.net  (any one label under example.net)")
                .contains("MX mail.example.com: matches 'mail.example.com': allowed, validated TLS required")
                .contains("MX mx1.example.net: matches '*.example.net'")
                .contains("MX a.b.example.net: matches no pattern: must not be used")
                .contains("MX evil.example.org: matches no pattern: must not be used");
    }

    // STS-POL-12: a bad file gives exit status 1 and an error naming the line.
    @Test
    void policy_invalidFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("mta-sts.txt");
        Files.writeString(file, "version: STSv1\nmode: enforce\nmode : testing\nmax_age: 1\n", StandardCharsets.UTF_8);

        int status = run("policy", file.toString());

        assertThat(status).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString())
                .contains("INVALID policy (" + file + ")")
                .contains("line 3")
                .contains("whitespace before ':'")
                .contains("RFC 8461 §3.3");
    }

    // A valid file with extensions, warnings and --mx checks, in mode testing.
    @Test
    void policy_validFileWithMxChecks(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("mta-sts.txt");
        Files.writeString(
                file,
                "version: STSv1\nmode: testing\nmx: mx.example.com\nmax_age: 99999999\nnote: hi\n",
                StandardCharsets.UTF_8);

        int status = run("policy", file.toString(), "--mx", "MX.example.com.", "--mx", "other.example.com");

        assertThat(status).isZero();
        assertThat(out.toString())
                .contains("mode     testing - deliver as usual; report TLS failures (TLSRPT)")
                .contains("max_age  31557600 s")
                .contains("note (extension, ignored) = hi")
                .contains("warning  MAX_AGE_CAPPED (line 4)")
                .contains("MX MX.example.com.: matches 'mx.example.com'" + System.lineSeparator())
                .contains("MX other.example.com: matches no pattern: allowed; the mismatch is reported");
    }

    @Test
    void policy_modeNone(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("none.txt");
        Files.writeString(file, "version: STSv1\nmode: none\nmax_age: 0\n", StandardCharsets.UTF_8);

        assertThat(run("policy", file.toString(), "--mx", "mx.example.com")).isZero();
        assertThat(out.toString()).contains("mode     none - no active policy").contains("matches no pattern");
    }

    // Without FILE the policy command explains the RFC example too.
    @Test
    void policy_noFileUsesExample() {
        assertThat(run("policy")).isZero();
        assertThat(out.toString()).contains("RFC 8461 §3.2 example: valid").contains("mx       mail.example.com");
    }

    // A file that cannot be read is an error, not a policy verdict.
    @Test
    void policy_missingFile(@TempDir Path dir) {
        int status = run("policy", dir.resolve("absent.txt").toString());

        assertThat(status).isNotZero();
        assertThat(err.toString()).contains("absent.txt");
    }

    @Test
    void run_help() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("mtasts").contains("policy").contains("txt");
    }

    @Test
    void run_unknownCommand() {
        assertThat(run("bogus")).isEqualTo(2);
        assertThat(err.toString()).contains("bogus");
    }
}
