package dev.mtasts.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code mtasts check}: Checks domains' MTA-STS and TLSRPT set-up as a sender sees it. */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = "Checks domains' MTA-STS and TLSRPT set-up as a sender sees it.")
final class CheckCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("not yet");
    }
}
