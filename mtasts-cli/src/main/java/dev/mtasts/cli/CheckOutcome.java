package dev.mtasts.cli;

import static java.util.Objects.requireNonNull;

import dev.mtasts.checker.CheckReport;
import java.util.Optional;

/**
 * How the check of one domain ended for the command line: a report, or a local problem (the DNS
 * server unreachable) that says nothing about the domain.
 *
 * @param domain the domain as given
 * @param report the checker's report, when the check could run
 * @param localProblem why the check could not run from here
 */
record CheckOutcome(String domain, Optional<CheckReport> report, Optional<String> localProblem) {

    /** Checks that exactly one of report and problem is present. */
    CheckOutcome {
        requireNonNull(domain, "domain");
        requireNonNull(report, "report");
        requireNonNull(localProblem, "localProblem");
        if (report.isPresent() == localProblem.isPresent()) {
            throw new IllegalArgumentException("exactly one of report and localProblem");
        }
    }

    static CheckOutcome of(CheckReport report) {
        return new CheckOutcome(report.domain(), Optional.of(report), Optional.empty());
    }

    static CheckOutcome notRun(String domain, String problem) {
        return new CheckOutcome(domain, Optional.empty(), Optional.of(problem));
    }

    /** CHK-CLI-2: 0 nothing above information, 1 warnings only, 2 errors, 3 not run. */
    int exitCode() {
        return report.map(CheckReport::exitCode).orElse(3);
    }

    /** {@code pass}, {@code warnings}, {@code errors} or {@code not-run}. */
    String verdict() {
        return switch (exitCode()) {
            case 0 -> "pass";
            case 1 -> "warnings";
            case 2 -> "errors";
            default -> "not-run";
        };
    }
}
