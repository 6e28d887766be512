package dev.mtasts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code java -jar mtasts.jar demo}, the README's main job, as a user does. */
final class DemoJarTest {
    @Test
    void jar_demoRunsQuietlyAndShowsEveryStep(@TempDir Path dir) throws Exception {
        Path stdout = dir.resolve("out.txt");
        Path stderr = dir.resolve("err.txt");
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                System.getProperty("mtasts.jar", "target/mtasts.jar"),
                "demo");
        long start = System.nanoTime();
        Process demo = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        try {
            assertThat(demo.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            demo.destroyForcibly();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        String out = Files.readString(stdout, StandardCharsets.UTF_8);

        assertThat(demo.exitValue()).as(out).isZero();
        // No log lines and no stack traces: the SDK's log is off unless --verbose.
        assertThat(Files.readString(stderr, StandardCharsets.UTF_8)).isEmpty();
        assertThat(out)
                .contains("1. Check")
                .contains("good.example     OK")
                .contains("E sts.mx.coverage")
                .contains("E sts.mx.cert")
                .contains("2. Resolve")
                .contains("REQUIRE_VALIDATED_TLS")
                .contains("3. Deliver")
                .contains("DELIVERED to mx.good.example over validated TLS")
                .contains("broken.example   REFUSED")
                .contains("TLS failure recorded: certificate-host-mismatch")
                .contains("4. Report")
                .contains("\"result-type\" : \"certificate-host-mismatch\"")
                .contains("Done in ");
        // The goal is 10 s (measured and reported); a loaded build machine gets some slack.
        assertThat(took).isLessThan(Duration.ofSeconds(30));
    }
}
