package dev.mtasts.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RPT-JSON-6: reading memory is bounded by the report being built, not by the document's size: a
 * 512 KiB gzip report of 39,000 failure details (7 MB of JSON) reads in a JVM with a 32 MiB heap.
 * Reading the whole decompressed document into bytes and a tree needed more than 40 MiB.
 */
final class ReadingMemoryTest {
    @Test
    void read_512KiBGzipOfManyDetails_fitsA32MiBHeap(@TempDir Path dir) throws Exception {
        byte[] gz = ReadingMemoryProbe.gzipReport(5);
        assertThat(gz.length).isBetween(480 * 1024, 530 * 1024);
        Path file = dir.resolve("big.json.gz");
        Files.write(file, gz);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(
                        java,
                        "-Xmx32m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ReadingMemoryProbe.class.getName(),
                        file.toString())
                .redirectErrorStream(true)
                .start();
        child.getOutputStream().close();
        if (!child.waitFor(120, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            throw new AssertionError("the reading child did not finish within 120 s");
        }
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out).startsWith("ok details=39000");
        assertThat(child.exitValue()).isZero();
    }
}
