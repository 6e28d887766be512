package dev.mtasts.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code mtasts} command. */
@Command(
        name = "mtasts",
        mixinStandardHelpOptions = true,
        version = "mtasts 0.1.0-SNAPSHOT",
        description =
                "MTA-STS (RFC 8461) and TLSRPT (RFC 8460) tools. With no command: explains the RFC 8461 example policy.",
        subcommands = {ExplainPolicyCommand.class, ExplainRecordCommand.class})
public final class Main implements Runnable {
    private final PrintWriter out;
    private final PrintWriter err;

    Main(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int status = run(args, out, err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs the command line with the given streams and returns its exit status. */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main(out, err));
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    @Override
    public void run() {
        new ExplainPolicyCommand().explainDefault(out, err);
    }
}
