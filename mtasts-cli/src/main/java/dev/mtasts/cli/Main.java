package dev.mtasts.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/** Entry point of the {@code mtasts} command. */
@Command(
        name = "mtasts",
        mixinStandardHelpOptions = true,
        version = "mtasts 0.1.0-SNAPSHOT",
        description = {
            "MTA-STS (RFC 8461) and TLSRPT (RFC 8460) tools for mail domain owners and senders.",
            "",
            "Is my domain set up right?     mtasts check example.com",
            "What would a sender do?        mtasts resolve example.com",
            "Is this policy file valid?     mtasts lint mta-sts.txt",
            "Read received TLSRPT reports:  mtasts tlsrpt reports/",
            "Summarise TLSRPT reports:      mtasts report summary",
            "See it all in a local world:   mtasts demo",
            "Postfix MTA-STS lookups:       mtasts serve -c daemon.yml",
            "",
            "With no command: explains the RFC 8461 example policy. 'mtasts COMMAND --help' tells more;"
                    + " docs/cli.md has every command's options and exit codes.",
        },
        subcommands = {
            ExplainPolicyCommand.class,
            ExplainRecordCommand.class,
            ReadReportsCommand.class,
            ServeCommand.class,
            CheckCommand.class,
            ResolveCommand.class,
            LintCommand.class,
            ReportCommand.class,
            DemoCommand.class
        })
public final class Main implements Runnable {
    private final PrintWriter out;
    private final PrintWriter err;

    Main(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        int status = run(args, out(null), err(null));
        if (status != 0) {
            System.exit(status);
        }
    }

    /** The command's output stream: picocli's when it runs the command, else standard output. */
    static PrintWriter out(@Nullable CommandSpec spec) {
        return spec == null
                ? new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true)
                : spec.commandLine().getOut();
    }

    /** The command's error stream: picocli's when it runs the command, else standard error. */
    static PrintWriter err(@Nullable CommandSpec spec) {
        return spec == null
                ? new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true)
                : spec.commandLine().getErr();
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
