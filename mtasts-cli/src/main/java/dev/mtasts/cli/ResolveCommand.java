package dev.mtasts.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code mtasts resolve}: What a sender would do for a domain: the policy, where it came from, the decision per MX host. */
@Command(
        name = "resolve",
        mixinStandardHelpOptions = true,
        description = "What a sender would do for a domain: the policy, where it came from, the decision per MX host.")
final class ResolveCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("not yet");
    }
}
