package dev.mtasts.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code mtasts lint}: Checks a policy file or a TXT record's text, line by line. */
@Command(
        name = "lint",
        mixinStandardHelpOptions = true,
        description = "Checks a policy file or a TXT record's text, line by line.")
final class LintCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("not yet");
    }
}
