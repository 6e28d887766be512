package dev.mtasts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mtasts.testkit.MultiAddressWorld;
import dev.mtasts.testkit.server.PolicyResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the shaded {@code mtasts.jar} as users will: {@code java -jar mtasts.jar check ...} (CHK-CLI-1, CHK-CLI-2). */
final class CheckJarTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static MultiAddressWorld world;
    private static Path caFile;

    @TempDir
    static Path dir;

    /** What one run of the jar printed and returned. */
    record Run(int status, String out, String err) {}

    /** Runs {@code java -jar mtasts.jar ARGS}, waiting up to two minutes. */
    static Run jar(Path dir, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                System.getProperty("mtasts.jar", "target/mtasts.jar")));
        command.addAll(args);
        Path stdout = Files.createTempFile(dir, "out", ".txt");
        Path stderr = Files.createTempFile(dir, "err", ".txt");
        Process process = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("mtasts " + args + " did not end within 120 s");
        }
        return new Run(
                process.exitValue(),
                Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void world() throws IOException {
        world = MultiAddressWorld.start();
        world.healthy("good.test");
        world.healthy("bad.test").respond("bad.test", PolicyResponse.notFound());
        caFile = WorldOptions.writeCa(world, dir);
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private static Run check(String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("check"));
        all.addAll(WorldOptions.of(world, caFile));
        all.addAll(List.of(args));
        return jar(dir, all);
    }

    @Test
    void help_exit0() throws Exception {
        Run run = jar(dir, List.of("check", "--help"));

        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("Usage: mtasts check").contains("--json").contains("Exit codes:");
    }

    @Test
    void mainHelp_namesEveryCommandWithAnExample() throws Exception {
        Run run = jar(dir, List.of("--help"));

        assertThat(run.status()).isZero();
        assertThat(run.out())
                .contains("mtasts check example.com")
                .contains("mtasts resolve example.com")
                .contains("mtasts lint mta-sts.txt");
    }

    @Test
    void healthyDomain_exit0() throws Exception {
        Run run = check("good.test");

        assertThat(run.status()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("Verdict good.test: PASS");
    }

    // RFC 8461 §3.3: no policy at the well-known path is an error: exit 2.
    @Test
    void brokenDomain_exit2_json() throws Exception {
        Run run = check("bad.test", "--json", "--no-smtp");

        assertThat(run.status()).as(run.out() + run.err()).isEqualTo(2);
        JsonNode doc = JSON.readTree(run.out());
        List<String> errors = new ArrayList<>();
        doc.get("findings").forEach(f -> {
            if (f.get("severity").asText().equals("E")) {
                errors.add(f.get("id").asText());
            }
        });
        assertThat(errors).contains("sts.http.status");
    }

    @Test
    void badUsage_exit3() throws Exception {
        Run run = jar(dir, List.of("check", "--no-such-option", "good.test"));

        assertThat(run.status()).isEqualTo(3);
        assertThat(run.err()).contains("--no-such-option");
    }
}
