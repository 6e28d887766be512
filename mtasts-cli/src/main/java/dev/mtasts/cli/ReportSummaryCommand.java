package dev.mtasts.cli;

import dev.mtasts.tlsrpt.ReadMode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mtasts report summary}: totals over TLSRPT reports, as text, JSON or one HTML page. */
@Command(
        name = "summary",
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = ReportSummaryCommand.LOCAL_FAULT,
        description = {
            "Totals over TLSRPT reports (RFC 8460): *.json, *.json.gz / *.gz and *.eml files, or directories"
                    + " of them (recursively).",
            "Sessions by policy domain, sending organisation and UTC day; failed sessions by result type,"
                    + " receiving MX and sending IP. Duplicate reports (same organisation and report-id) count once.",
            "E-mails are read without DKIM verification.",
            "Exit status: 0 all files read, 1 some files unreadable (listed, the rest is still counted),"
                    + " 3 bad usage or the output file cannot be written."
        })
final class ReportSummaryCommand implements Callable<Integer> {
    /** Bad usage, or a fault on this machine (the HTML file cannot be written). */
    static final int LOCAL_FAULT = 3;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "report files or directories")
    List<Path> paths = List.of();

    @ArgGroup(exclusive = true)
    @Nullable
    Format format;

    @Option(
            names = "--strict",
            description = "every deviation from RFC 8460 makes a file unreadable (default: lenient)")
    boolean strict;

    @Option(
            names = "--progress",
            paramLabel = "WHEN",
            description = "progress bar on standard error: auto (a terminal and more than " + ProgressBar.THRESHOLD
                    + " files), always, never (default: ${DEFAULT-VALUE})")
    When progress = When.auto;

    @Spec
    @Nullable
    CommandSpec spec;

    /** The output format: text unless one of these. */
    static final class Format {
        @Option(names = "--json", description = "JSON with stable field names")
        boolean json;

        @Option(names = "--html", paramLabel = "FILE", description = "write one self-contained HTML page with charts")
        @Nullable
        Path html;
    }

    /** When to draw the progress bar. */
    enum When {
        auto,
        always,
        never
    }

    @Override
    public Integer call() {
        PrintWriter out = Main.out(spec);
        PrintWriter err = Main.err(spec);
        ReadMode mode = strict ? ReadMode.STRICT : ReadMode.LENIENT;
        ProgressBar.Factory bar = ProgressBar.on(err, total -> switch (progress) {
            case always -> true;
            case never -> false;
            // No bar in pipes, logs and tests.
            case auto -> total > ProgressBar.THRESHOLD && ProgressBar.interactive();
        });
        ReportSummary summary = ReportSummary.of(mode, ReportCorpus.read(paths, mode, bar));
        Optional<Path> html = Optional.ofNullable(format).map(f -> f.html);
        if (html.isPresent()) {
            try {
                Files.writeString(html.get(), HtmlReportPage.render(summary), StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("cannot write " + html.get() + ": " + e.getMessage());
                return LOCAL_FAULT;
            }
            out.printf(
                    java.util.Locale.ROOT,
                    "Wrote %s: %d reports, %d unreadable files%n",
                    html.get(),
                    summary.overview().reports(),
                    summary.corpus().unreadable().size());
            for (ReportCorpus.FileNote note : summary.corpus().unreadable()) {
                out.println("  " + note.path() + ": " + ReportSummary.clean(note.reason()));
            }
        } else if (format != null && format.json) {
            out.println(ReportJson.write(summary));
        } else {
            ReportText.write(summary, out);
        }
        out.flush();
        return summary.corpus().unreadable().isEmpty() ? 0 : 1;
    }
}
