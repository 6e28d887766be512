package dev.mtasts.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code mtasts report summary}: totals over TLSRPT reports, as text, JSON or one HTML page. */
@Command(name = "summary", mixinStandardHelpOptions = true, description = "Totals over TLSRPT reports.")
final class ReportSummaryCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("not yet");
    }
}
