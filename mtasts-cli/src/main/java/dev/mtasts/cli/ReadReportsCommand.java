package dev.mtasts.cli;

import dev.mtasts.tlsrpt.ReadMode;
import dev.mtasts.tlsrpt.ReportFormatException;
import dev.mtasts.tlsrpt.ReportWarning;
import dev.mtasts.tlsrpt.ReportsOverview;
import dev.mtasts.tlsrpt.TlsRptReading;
import dev.mtasts.tlsrpt.TlsRptReportReader;
import dev.mtasts.tlsrpt.mail.MailReadOutcome;
import dev.mtasts.tlsrpt.mail.TlsRptMailReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mtasts tlsrpt PATH...}: reads TLSRPT reports (JSON, gzip or whole e-mails; directories
 * recursively) and says per file what was read and which deviations were tolerated.
 */
@Command(
        name = "tlsrpt",
        mixinStandardHelpOptions = true,
        description = {
            "Read TLSRPT reports (RFC 8460): *.json, *.json.gz / *.gz and *.eml files, or directories of them.",
            "E-mails are read without DKIM verification (this tool cannot check signatures; RFC 8460 §3"
                    + " says unsigned reports must be ignored by a real receiver).",
            "Exit status 1 if any file could not be read."
        })
final class ReadReportsCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "report files or directories")
    List<Path> paths = List.of();

    @Option(names = "--strict", description = "every deviation from RFC 8460 is an error (default: lenient)")
    boolean strict;

    @Option(names = "--verbose", description = "print each tolerated deviation")
    boolean verbose;

    @Option(names = "--summary", description = "print totals over all reports read")
    boolean summary;

    @Spec
    @Nullable
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = Main.out(spec);
        ReadMode mode = strict ? ReadMode.STRICT : ReadMode.LENIENT;
        TlsRptReportReader reader = TlsRptReportReader.builder().mode(mode).build();
        // Stored files carry no DKIM verdict: read for analysis (RPT-READ-2), each with a warning.
        TlsRptMailReader mailReader =
                TlsRptMailReader.builder().mode(mode).acceptUnsigned(true).build();
        List<TlsRptReading> readings = new ArrayList<>();
        int errors = 0;
        int notReports = 0;
        for (Path file : files(out)) {
            try {
                TlsRptReading reading = readOne(reader, mailReader, file);
                if (reading == null) {
                    notReports++;
                    continue;
                }
                readings.add(reading);
                out.printf(
                        Locale.ROOT,
                        "OK     %s: %s, report-id %s, %d polic%s, %d warning%s%n",
                        file,
                        reading.report().organizationName(),
                        reading.report().reportId(),
                        reading.report().policies().size(),
                        reading.report().policies().size() == 1 ? "y" : "ies",
                        reading.warnings().size(),
                        reading.warnings().size() == 1 ? "" : "s");
                if (verbose) {
                    for (ReportWarning warning : reading.warnings()) {
                        out.println("         " + warning);
                    }
                }
            } catch (ReportFormatException e) {
                errors++;
                out.println("ERROR  " + file + ": " + e.issue() + " at " + e.location() + ": " + e.getMessage());
            } catch (IOException | UncheckedIOException e) {
                errors++;
                out.println("ERROR  " + file + ": cannot read: " + e.getMessage());
            }
        }
        out.printf(
                Locale.ROOT,
                "%d read, %d not reports, %d errors (%s mode)%n",
                readings.size(),
                notReports,
                errors,
                strict ? "strict" : "lenient");
        if (summary && !readings.isEmpty()) {
            printSummary(out, ReportsOverview.of(readings));
        }
        return errors == 0 ? 0 : 1;
    }

    /** The reading, or null (after saying so) when an e-mail is not a TLSRPT report. */
    private @Nullable TlsRptReading readOne(TlsRptReportReader reader, TlsRptMailReader mailReader, Path file)
            throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (!file.getFileName().toString().endsWith(".eml")) {
            return reader.read(bytes);
        }
        MailReadOutcome outcome = mailReader.read(bytes);
        if (outcome instanceof MailReadOutcome.Report report) {
            return report.reading();
        }
        Main.out(spec)
                .println("SKIP   " + file + ": not a TLSRPT report (" + ((MailReadOutcome.NotAReport) outcome).reason()
                        + ")");
        return null;
    }

    private List<Path> files(PrintWriter out) {
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (!Files.isDirectory(path)) {
                files.add(path);
                continue;
            }
            try (Stream<Path> walk = Files.walk(path)) {
                walk.filter(Files::isRegularFile)
                        .filter(ReportCorpus::isReportFileName)
                        .sorted()
                        .forEach(files::add);
            } catch (IOException e) {
                out.println("ERROR  " + path + ": cannot list: " + e.getMessage());
            }
        }
        return files;
    }

    private static void printSummary(PrintWriter out, ReportsOverview summary) {
        out.println("Summary over " + summary.reports() + " reports (" + summary.duplicates() + " duplicates dropped)");
        summary.byPolicyDomain()
                .forEach((domain, totals) -> out.printf(
                        Locale.ROOT,
                        "  %-40s %10d ok %10d failed%n",
                        domain,
                        totals.successfulSessions(),
                        totals.failedSessions()));
        summary.failuresByResultType().forEach((type, count) -> out.printf(Locale.ROOT, "  %-40s %10d%n", type, count));
    }
}
