package dev.mtasts.cli;

import picocli.CommandLine.Command;

/** {@code mtasts report}: the TLSRPT reports a domain receives. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = ReportSummaryCommand.LOCAL_FAULT,
        description = "Reads the TLSRPT reports a domain receives.",
        subcommands = {ReportSummaryCommand.class})
final class ReportCommand {}
