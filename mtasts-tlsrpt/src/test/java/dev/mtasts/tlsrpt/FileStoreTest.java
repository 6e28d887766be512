package dev.mtasts.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtasts.core.Policy;
import dev.mtasts.testkit.server.TestClock;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The counts file store: torn and empty files, and one opener per file. */
final class FileStoreTest {
    private static final AppliedPolicy STS = AppliedPolicy.of(
            "recv.example", Policy.parse("version: STSv1\nmode: enforce\nmx: mx1.recv.example\nmax_age: 86400\n"));

    private final TestClock clock = TestClock.at(Instant.parse("2026-03-01T12:00:00Z"));

    private static List<Path> asides(Path dir, String name) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(name + ".corrupt-"))
                    .toList();
        }
    }

    private TlsRptRecorder recorder(TlsRptStore store) {
        return TlsRptRecorder.builder().clock(clock).store(store).build();
    }

    @Test
    void load_tornFile_movedAsideRecorderStartsFromZero(@TempDir Path dir) throws Exception {
        // A crash mid-write on a file system without atomic rename leaves truncated JSON: the
        // recorder must still start (RPT-AGG-9: recording never fails), keeping the bytes for a human.
        Path file = dir.resolve("counts.json");
        byte[] torn = "[{\"day\":\"2026-03-01\",\"policy\":{\"policy-type\":\"s".getBytes(StandardCharsets.UTF_8);
        Files.write(file, torn);
        try (TlsRptStore store = TlsRptStore.file(file)) {
            TlsRptRecorder r = recorder(store);
            assertThat(r.snapshot()).isEmpty();
            r.recordSuccess(STS);
            r.flush();
            assertThat(store.load()).hasSize(1);
        }
        assertThat(asides(dir, "counts.json"))
                .singleElement()
                .satisfies(p -> assertThat(Files.readAllBytes(p)).isEqualTo(torn));
    }

    @Test
    void load_wrongShape_movedAside(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "[{\"day\":\"x\"}]");
        try (TlsRptStore store = TlsRptStore.file(file)) {
            assertThat(store.load()).isEmpty();
        }
        assertThat(asides(dir, "bad.json")).hasSize(1);
        assertThat(file).doesNotExist();
    }

    @Test
    void load_emptyFile_movedAsideNotSilentlyZero(@TempDir Path dir) throws Exception {
        // An empty file is a lost write, not "no counts": it is kept aside and reported.
        Path file = dir.resolve("counts.json");
        Files.write(file, new byte[0]);
        try (TlsRptStore store = TlsRptStore.file(file)) {
            assertThat(recorder(store).snapshot()).isEmpty();
        }
        assertThat(asides(dir, "counts.json")).hasSize(1);
    }

    @Test
    void save_thenLoad_roundTripsAndLeavesNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("counts.json");
        try (TlsRptStore store = TlsRptStore.file(file)) {
            TlsRptRecorder r = recorder(store);
            r.recordSuccess(STS);
            r.flush();
            assertThat(store.load()).isEqualTo(r.snapshot());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("counts.json", "counts.json.lock");
        }
    }

    @Test
    void open_secondStoreInThisJvm_refusedNamingPath(@TempDir Path dir) {
        // Two writers of one file would overwrite each other's counts.
        Path file = dir.resolve("counts.json");
        try (TlsRptStore first = TlsRptStore.file(file)) {
            assertThatThrownBy(() -> TlsRptStore.file(file))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(file.toString());
        }
        // Closing releases it.
        try (TlsRptStore again = TlsRptStore.file(file)) {
            assertThat(again.load()).isEmpty();
        }
    }

    @Test
    void open_heldByAnotherProcess_refusedNamingPath(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("counts.json");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process other = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        StoreLockHolder.class.getName(),
                        file.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> {
                        try {
                            return out.readLine();
                        } catch (java.io.IOException e) {
                            return "error " + e;
                        }
                    })
                    .get(60, TimeUnit.SECONDS);
            assertThat(line).isEqualTo("locked 0");
            assertThatThrownBy(() -> TlsRptStore.file(file))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("another process");
        } finally {
            other.getOutputStream().close();
            if (!other.waitFor(30, TimeUnit.SECONDS)) {
                other.destroyForcibly();
            }
        }
        assertThat(other.exitValue()).isZero();
        try (TlsRptStore mine = TlsRptStore.file(file)) {
            assertThat(mine.load()).isEmpty();
        }
    }

    @Test
    void classPath_isUsableByAChildProcess() {
        // The lock test spawns java with our class path; make a broken setup fail loudly, not skip.
        assertThat(System.getProperty("java.class.path").split(File.pathSeparator))
                .anySatisfy(entry -> assertThat(entry).contains("test-classes"));
    }
}
