package dev.mtasts.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Interoperability run over the shared real-world corpus (RPT-READ-1: lenient reading accepts every
 * real sample). The corpus lives beside the repository at {@code ../shared/samples/tlsrpt} (CI keeps
 * a copy of {@code shared/} next to the clone); the test is skipped only when that folder is absent.
 * Surefire runs with the module directory as working directory, so the repository root is its
 * parent. The system property {@code mtasts.tlsrpt.samples} overrides the location; {@code
 * -Dmtasts.tlsrpt.samples.verbose=true} prints every tolerated deviation.
 */
final class SampleCorpusTest {
    static Path corpus() {
        String override = System.getProperty("mtasts.tlsrpt.samples");
        if (override != null && !override.isBlank()) {
            return Paths.get(override).toAbsolutePath().normalize();
        }
        Path moduleDir = Paths.get("").toAbsolutePath();
        Path repoRoot = moduleDir.getParent() == null ? moduleDir : moduleDir.getParent();
        return repoRoot.resolve("../shared/samples/tlsrpt").normalize();
    }

    @Test
    void everyCorpusFile_readsLeniently() throws IOException {
        Path dir = corpus();
        Assumptions.assumeTrue(Files.isDirectory(dir), "corpus folder absent: " + dir);
        TlsRptReportReader reader = TlsRptReportReader.builder()
                .mode(ReadMode.LENIENT)
                .acceptUnsigned(true) // stored samples: no DKIM verdict (RPT-READ-2 analysis flag)
                .build();
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().endsWith(".md"))
                    .sorted()
                    .toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(48);
        List<String> failures = new ArrayList<>();
        int reports = 0;
        int negatives = 0;
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            try {
                if (file.toString().endsWith(".eml")) {
                    MailReadOutcome outcome = reader.readMail(bytes);
                    if (outcome instanceof MailReadOutcome.Report r) {
                        reports++;
                        log(file, r.reading());
                    } else if (file.getFileName().toString().startsWith("negative_")) {
                        negatives++;
                    } else {
                        failures.add(dir.relativize(file) + ": " + outcome);
                    }
                } else {
                    reports++;
                    log(file, reader.read(bytes));
                }
            } catch (RuntimeException e) {
                failures.add(dir.relativize(file) + ": " + e);
            }
        }
        if (!failures.isEmpty()) {
            fail("lenient reading failed for:\n" + String.join("\n", failures));
        }
        // Every file is either a report or a deliberate negative sample ("negative_*"), read as NotAReport.
        assertThat(reports + negatives).isEqualTo(files.size());
        assertThat(negatives).isPositive();
    }

    private static void log(Path file, TlsRptReading reading) {
        if (!Boolean.getBoolean("mtasts.tlsrpt.samples.verbose")) {
            return;
        }
        System.out.println(
                "[corpus] " + file.getFileName() + ": " + reading.warnings().size() + " warnings");
        reading.warnings().forEach(w -> System.out.println("[corpus]    " + w));
    }
}
