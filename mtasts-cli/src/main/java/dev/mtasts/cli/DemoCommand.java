package dev.mtasts.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code mtasts demo}: Runs a whole MTA-STS world on this machine and shows the SDK at work (no network). */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Runs a whole MTA-STS world on this machine and shows the SDK at work (no network).")
final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("not yet");
    }
}
