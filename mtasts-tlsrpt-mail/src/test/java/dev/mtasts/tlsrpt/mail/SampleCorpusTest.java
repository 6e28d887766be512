package dev.mtasts.tlsrpt.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mtasts.tlsrpt.PolicyEntry;
import dev.mtasts.tlsrpt.ReadMode;
import dev.mtasts.tlsrpt.TlsRptReading;
import dev.mtasts.tlsrpt.TlsRptReport;
import dev.mtasts.tlsrpt.TlsRptReportReader;
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
 * The repository root is found as the nearest directory upwards from the working directory that
 * holds {@code .mvn/}. The system property {@code mtasts.tlsrpt.samples} overrides the location; {@code
 * -Dmtasts.tlsrpt.samples.verbose=true} prints every tolerated deviation.
 */
final class SampleCorpusTest {
    static Path corpus() {
        String override = System.getProperty("mtasts.tlsrpt.samples");
        if (override != null && !override.isBlank()) {
            return Paths.get(override).toAbsolutePath().normalize();
        }
        // The repository root is the nearest directory upwards holding .mvn/ (the wrapper's); from
        // Maven that is the parent of the module directory, from an IDE it may be the root itself.
        Path dir = Paths.get("").toAbsolutePath();
        Path root = dir;
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve(".mvn"))) {
                root = p;
                break;
            }
        }
        return root.resolve("../shared/samples/tlsrpt").normalize();
    }

    @Test
    void everyCorpusFile_readsLeniently() throws IOException {
        Path dir = corpus();
        Assumptions.assumeTrue(Files.isDirectory(dir), "corpus folder absent: " + dir);
        TlsRptReportReader reader =
                TlsRptReportReader.builder().mode(ReadMode.LENIENT).build();
        TlsRptMailReader mailReader = TlsRptMailReader.builder()
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
                    MailReadOutcome outcome = mailReader.read(bytes);
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

    @Test
    void knownQuirks_keptAsSent() throws IOException {
        // RPT-READ-1: lenient reading never invents values; spot checks on real samples (SOURCES.md).
        Path dir = corpus();
        Assumptions.assumeTrue(Files.isDirectory(dir), "corpus folder absent: " + dir);
        TlsRptReportReader reader = TlsRptReportReader.builder().build();
        TlsRptMailReader mailReader =
                TlsRptMailReader.builder().acceptUnsigned(true).build();
        ifPresent(
                dir,
                "issue-transcribed/postfix-tlsrpt-reporter_report-2025-09-20_no-policy-domain_sys4-issue51.json",
                bytes -> assertThat(reader.read(bytes)
                                .report()
                                .policies()
                                .get(0)
                                .policy()
                                .policyDomain())
                        .isEmpty()); // RW-5
        ifPresent(dir, "json/mailru-2024_sts-fetch-error_no-ip.json", bytes -> {
            PolicyEntry e = reader.read(bytes).report().policies().get(0);
            assertThat(e.summary().totalFailureSessionCount()).hasValue(1); // RW-9: both numbers kept
            assertThat(e.detailedFailureCount()).isEqualTo(2);
        });
        ifPresent(dir, "json/synthetic_unknown-policy-type_missing-fields.json", bytes -> {
            TlsRptReport r = reader.read(bytes).report();
            assertThat(r.policies().get(0).summary().totalFailureSessionCount()).isEmpty(); // RW-6
            assertThat(r.policies().get(1).policy().type().token()).isEqualTo("invalid-policy-type"); // RW-12
        });
        ifPresent(
                dir,
                "json/stalwart-2026_contact-info-null_anonymized.json",
                bytes -> assertThat(reader.read(bytes).report().contactInfo()).isEmpty()); // RW-4
        ifPresent(
                dir,
                "json/rfc8460-appendix-b_mxhost-string.json",
                bytes -> assertThat(reader.read(bytes)
                                .report()
                                .policies()
                                .get(0)
                                .policy()
                                .mxHost())
                        .hasSize(1)); // RW-1
        ifPresent(dir, "eml/microsoft_report-2024-09-13_tlsa-json-in-string_kravietz.eml", bytes -> {
            MailReadOutcome o = mailReader.read(bytes);
            assertThat(o)
                    .isInstanceOfSatisfying(
                            MailReadOutcome.Report.class,
                            r -> assertThat(r.reading()
                                            .report()
                                            .policies()
                                            .get(1)
                                            .policy()
                                            .policyString())
                                    .hasSize(13)); // RW-7
        });
        ifPresent(dir, "eml/microsoft_report-2023-01-10_no-timezone_sent-2023-02-03_mox.eml", bytes -> {
            MailReadOutcome o = mailReader.read(bytes);
            assertThat(o)
                    .isInstanceOfSatisfying(
                            MailReadOutcome.Report.class,
                            r -> assertThat(r.reading().report().dateRange().start())
                                    .hasToString("2023-01-10T00:00:00Z")); // RW-2, RW-20: 24 days late is fine
        });
    }

    private interface BytesCheck {
        void check(byte[] bytes);
    }

    private static void ifPresent(Path dir, String relative, BytesCheck check) throws IOException {
        Path file = dir.resolve(relative);
        if (Files.isRegularFile(file)) {
            check.check(Files.readAllBytes(file));
        }
    }
}
