package dev.mtasts.cli;

import dev.mtasts.checker.CheckOptions;
import dev.mtasts.checker.CheckReport;
import dev.mtasts.checker.DomainChecker;
import dev.mtasts.checker.LookupStatus;
import dev.mtasts.checker.PolicyHistory;
import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.core.dns.DnsResult;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mtasts check}: checks domains' MTA-STS and TLSRPT set-up as a sender sees it. */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        exitCodeOnInvalidInput = 3,
        exitCodeOnExecutionException = 3,
        description = {
            "Checks domains' MTA-STS and TLSRPT set-up as a sender sees it.",
            "",
            "Looks at the _mta-sts record (RFC 8461 §3.1), the policy from every address of mta-sts.DOMAIN"
                    + " (§3.2, §3.3), every MX host and address (STARTTLS, TLS version, certificate; §4), the"
                    + " _smtp._tls record (RFC 8460 §3), and cross-checks. Each finding has a stable ID"
                    + " (docs/checker.md says what each means) and a severity: E error, W warning, I information.",
            "",
            "Example:  mtasts check example.com example.net --no-smtp",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:no errors or warnings",
            "1:warnings only",
            "2:at least one error",
            "3:the check could not run (bad usage, DNS server unreachable from here)"
        })
final class CheckCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "DOMAIN", description = "the domains to check (checked concurrently)")
    List<String> domains = new ArrayList<>();

    @Option(names = "--json", description = "one JSON document (an array for several domains) instead of text")
    boolean json;

    @Option(names = "--no-smtp", description = "do not probe the MX hosts on the SMTP port (often blocked)")
    boolean noSmtp;

    @Option(names = "--no-ipv6", description = "do not probe IPv6 addresses (they are still listed)")
    boolean noIpv6;

    @Option(
            names = "--history",
            paramLabel = "FILE",
            description = "remember policy bodies by id in FILE, to find a policy changed under the same id")
    @Nullable
    Path history;

    @Option(
            names = "--probe-rua",
            description = "check each https: rua: resolve it, check its certificate and POST a small real report")
    boolean probeRua;

    @Option(
            names = "--color",
            paramLabel = "WHEN",
            description = "auto (on a terminal), always or never (default: ${DEFAULT-VALUE})")
    ColorWhen color = ColorWhen.auto;

    @Mixin
    NetworkOptions network = new NetworkOptions();

    @Spec
    @Nullable
    CommandSpec spec;

    /** When the text output is coloured. */
    enum ColorWhen {
        auto,
        always,
        never
    }

    @Override
    public Integer call() {
        PrintWriter out = Main.out(spec);
        PrintWriter err = Main.err(spec);
        CheckOptions options = options();
        List<CheckOutcome> outcomes = new ArrayList<>();
        try (DomainChecker checker = DomainChecker.create()) {
            List<CompletableFuture<CheckReport>> running = new ArrayList<>();
            for (String domain : domains) {
                try {
                    running.add(checker.checkAsync(domain, options, f -> {}));
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(commandLine(), e.getMessage());
                }
            }
            CheckText text = new CheckText(out, colour());
            for (int i = 0; i < domains.size(); i++) {
                CheckOutcome outcome = outcome(domains.get(i), running.get(i), options);
                outcome.localProblem().ifPresent(p -> err.println("mtasts check: " + outcome.domain() + ": " + p));
                outcomes.add(outcome);
                if (!json) {
                    // Each domain is printed as soon as it and those before it are done.
                    text.print(outcome);
                    out.flush();
                }
            }
        }
        if (json) {
            out.println(CheckJson.render(outcomes));
        }
        return outcomes.stream().mapToInt(CheckOutcome::exitCode).max().orElse(0);
    }

    CheckOptions options() {
        CheckOptions.Builder b = CheckOptions.builder()
                .probeSmtp(!noSmtp)
                .ipv6(!noIpv6)
                .probeRuaHttps(probeRua)
                .probeRuaPost(probeRua)
                .policyHostPort(network.httpsPort())
                .smtpPort(network.smtpPort())
                .privateAddressesExpected(network.privateOk);
        network.dnsServer().ifPresent(b::dnsServer);
        network.trustStore().ifPresent(b::trustStore);
        network.timeout().ifPresent(t -> b.dnsTimeout(t).httpTimeout(t).smtpTimeout(t));
        Path file = history;
        if (file != null) {
            try {
                b.history(PolicyHistory.file(file));
            } catch (UnsupportedOperationException e) {
                throw new CommandLine.ParameterException(commandLine(), "--history is not available in this build");
            }
        }
        return b.build();
    }

    private CheckOutcome outcome(String domain, CompletableFuture<CheckReport> running, CheckOptions options) {
        CheckReport report;
        try {
            report = running.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return CheckOutcome.notRun(domain, "the checker failed: " + cause);
        }
        if (dnsLookupsAllFailed(report)) {
            Optional<String> unreachable = dnsServerUnreachable(options);
            if (unreachable.isPresent()) {
                return CheckOutcome.notRun(domain, unreachable.get());
            }
        }
        return CheckOutcome.of(report);
    }

    /**
     * Whether every DNS lookup that decides the verdict failed: {@code _mta-sts} and {@code
     * _smtp._tls}, and the MX lookup when it ran. Only then may the DNS server itself be at fault.
     */
    static boolean dnsLookupsAllFailed(CheckReport report) {
        boolean mxFailedOrNotRun = report.mx().isEmpty();
        return report.stsTxt().status() == LookupStatus.FAILED
                && report.tlsRpt().lookup().status() == LookupStatus.FAILED
                && mxFailedOrNotRun;
    }

    /**
     * Asks the DNS server a question any working server answers at once ({@code invalid.}, a name
     * reserved never to exist, RFC 6761 §6.4): any answer, even SERVFAIL, means the server is there
     * and the failures belong to the domain; a timeout or a network error means it is not, a local
     * fault never blamed on the domain (CHK-CLI-2, CHK-CLI-3).
     */
    static Optional<String> dnsServerUnreachable(CheckOptions options) {
        Optional<InetSocketAddress> server = options.dnsServer();
        Duration timeout = options.dnsTimeout();
        DnsResolver resolver = server.isPresent() ? DnsResolver.dnsjava(server.get(), timeout) : DnsResolver.system();
        DnsResult<String> probe = resolver.txt("invalid");
        if (probe instanceof DnsResult.Unavailable<String> failed
                && (failed.kind() == DnsResult.FailureKind.TIMEOUT || failed.kind() == DnsResult.FailureKind.NETWORK)) {
            return Optional.of("cannot reach the DNS server "
                    + server.map(InetSocketAddress::toString).orElse("(system resolvers)") + ": "
                    + failed.detail() + "; the domain was not judged");
        }
        return Optional.empty();
    }

    private boolean colour() {
        return switch (color) {
            case always -> true;
            case never -> false;
            case auto -> System.console() != null;
        };
    }

    private CommandLine commandLine() {
        CommandSpec s = spec;
        if (s == null) {
            throw new IllegalStateException("not run by picocli");
        }
        return s.commandLine();
    }
}
