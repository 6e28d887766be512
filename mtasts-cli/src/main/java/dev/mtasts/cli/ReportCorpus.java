package dev.mtasts.cli;

import dev.mtasts.tlsrpt.ReadMode;
import dev.mtasts.tlsrpt.ReportFormatException;
import dev.mtasts.tlsrpt.TlsRptReading;
import dev.mtasts.tlsrpt.TlsRptReportReader;
import dev.mtasts.tlsrpt.mail.MailReadOutcome;
import dev.mtasts.tlsrpt.mail.TlsRptMailReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The reports read from files and directories, with every file that could not be read and why.
 *
 * @param files report files found (directories walked recursively)
 * @param readings the reports read, in file order
 * @param unreadable files that could not be read, or broke the report format
 * @param notReports e-mails that carry no TLS report
 */
record ReportCorpus(int files, List<TlsRptReading> readings, List<FileNote> unreadable, List<FileNote> notReports) {
    /** Copies the lists. */
    ReportCorpus {
        readings = List.copyOf(readings);
        unreadable = List.copyOf(unreadable);
        notReports = List.copyOf(notReports);
    }

    /**
     * A file and what happened to it.
     *
     * @param path the file
     * @param reason why it was not counted; may quote the file's content
     */
    record FileNote(Path path, String reason) {}

    /** Reads every report under {@code paths}: JSON, gzip, e-mails; directories recursively. */
    static ReportCorpus read(List<Path> paths, ReadMode mode, ProgressBar.Factory progress) {
        List<FileNote> unreadable = new ArrayList<>();
        List<Path> files = list(paths, unreadable);
        TlsRptReportReader reader = TlsRptReportReader.builder().mode(mode).build();
        // Stored files carry no DKIM verdict: they are read for analysis (RPT-READ-2), each with a warning.
        TlsRptMailReader mailReader = TlsRptMailReader.builder()
                .mode(mode)
                .reportReader(reader)
                .acceptUnsigned(true)
                .build();
        List<TlsRptReading> readings = new ArrayList<>();
        List<FileNote> notReports = new ArrayList<>();
        ProgressBar bar = progress.start(files.size());
        for (Path file : files) {
            try {
                byte[] bytes = Files.readAllBytes(file);
                if (!isMail(file, bytes)) {
                    readings.add(reader.read(bytes));
                } else {
                    MailReadOutcome outcome = mailReader.read(bytes);
                    if (outcome instanceof MailReadOutcome.Report report) {
                        readings.add(report.reading());
                    } else if (outcome instanceof MailReadOutcome.NotAReport not) {
                        notReports.add(new FileNote(file, "not a TLS report: " + not.reason()));
                    }
                }
            } catch (ReportFormatException e) {
                unreadable.add(new FileNote(file, String.valueOf(e.getMessage())));
            } catch (IOException | UncheckedIOException e) {
                unreadable.add(new FileNote(file, reason(e)));
            } catch (RuntimeException e) {
                // A reader bug must not hide the other files' totals; the file is named instead.
                unreadable.add(new FileNote(file, "cannot read: " + e));
            }
            bar.step();
        }
        bar.finish();
        return new ReportCorpus(files.size(), readings, unreadable, notReports);
    }

    /**
     * Files named on the command line, then under each directory (sorted) the report files and
     * every message of a maildir.
     */
    private static List<Path> list(List<Path> paths, List<FileNote> unreadable) {
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (!Files.isDirectory(path)) {
                files.add(path);
                continue;
            }
            try (Stream<Path> walk = Files.walk(path)) {
                walk.filter(Files::isRegularFile)
                        .filter(f -> isReportFileName(f) || inMaildir(f))
                        .sorted()
                        .forEach(files::add);
            } catch (IOException | UncheckedIOException e) {
                unreadable.add(new FileNote(path, "cannot list the directory: " + e.getMessage()));
            }
        }
        return files;
    }

    /** Whether a directory walk reads this file: {@code .json}, {@code .gz} ({@code .json.gz}) or {@code .eml}. */
    static boolean isReportFileName(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".json") || name.endsWith(".gz") || name.endsWith(".eml");
    }

    /** Whether the file is a message of a maildir ({@code cur/} or {@code new/}): its name has no extension. */
    private static boolean inMaildir(Path file) {
        Path parent = file.getParent();
        Path dirName = parent == null ? null : parent.getFileName();
        return dirName != null
                && (dirName.toString().equals("cur") || dirName.toString().equals("new"));
    }

    /**
     * Whether to read the file as an e-mail: {@code .eml}, or a file without a report extension (a
     * maildir message) whose content is neither JSON nor gzip.
     */
    private static boolean isMail(Path file, byte[] bytes) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".eml")) {
            return true;
        }
        if (name.endsWith(".json") || name.endsWith(".gz")) {
            return false;
        }
        for (byte b : bytes) {
            if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
                continue;
            }
            return b != '{' && b != (byte) 0x1f;
        }
        return false;
    }

    private static String reason(Exception e) {
        if (e instanceof UncheckedIOException u && u.getCause() != null) {
            return reason(u.getCause());
        }
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return "cannot read: " + e.getMessage();
    }
}
