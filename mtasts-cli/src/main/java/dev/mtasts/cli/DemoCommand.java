package dev.mtasts.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mtasts.checker.CheckOptions;
import dev.mtasts.checker.CheckReport;
import dev.mtasts.checker.DomainChecker;
import dev.mtasts.checker.Finding;
import dev.mtasts.checker.Severity;
import dev.mtasts.core.resolve.MxDecision;
import dev.mtasts.core.resolve.PolicyResult;
import dev.mtasts.core.tls.TlsSessionOutcome;
import dev.mtasts.testkit.MultiAddressWorld;
import dev.mtasts.tlsrpt.DailyAggregate;
import dev.mtasts.tlsrpt.DailyReport;
import dev.mtasts.tlsrpt.DailyReportAssembler;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mtasts demo}: Runs a whole MTA-STS world on this machine and shows the SDK at work (no network). */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a whole MTA-STS world on this machine and shows the SDK at work (no network).",
            "DNS, policy hosts and MX hosts on 127.x addresses with a test CA, and three domains (one right,"
                    + " one with common mistakes, one in mode testing with a bad MX certificate): checked as a"
                    + " domain owner would, resolved and mailed to as a sender would, and the TLSRPT report the"
                    + " sender would send."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the demo ran",
            "1:a step went wrong (the message says which)",
            "3:the world could not start here (127.0.0.0/8 must be loopback, as on Linux)"
        })
final class DemoCommand implements Callable<Integer> {
    /** Exit status when a step of the demo failed. */
    static final int STEP_FAILED = 1;
    /** Exit status when the loopback world cannot start. */
    static final int CANNOT_START = 3;

    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(
            names = {"-v", "--verbose"},
            description = "show the SDK's log on standard error (default: errors only)")
    boolean verbose;

    @Spec
    @Nullable
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = Main.out(spec);
        PrintWriter err = Main.err(spec);
        long start = System.nanoTime();
        try (DemoLogging quiet = DemoLogging.quiet(verbose)) {
            DemoWorld world;
            try {
                world = DemoWorld.start(Instant.now());
            } catch (UncheckedIOException e) {
                err.println("mtasts demo: cannot start the loopback servers: " + cause(e));
                err.println("mtasts demo: the demo needs every address of 127.0.0.0/8 on loopback (Linux has it;"
                        + " on macOS add aliases with `ifconfig lo0 alias 127.x.y.z`)");
                return CANNOT_START;
            }
            try (world) {
                boolean ok = run(world, out, err);
                out.printf(Locale.ROOT, "%nDone in %.1f s.%n", (System.nanoTime() - start) / 1e9);
                out.flush();
                return ok ? 0 : STEP_FAILED;
            }
        }
    }

    /** Runs the four steps; false when one could not finish. */
    private static boolean run(DemoWorld world, PrintWriter out, PrintWriter err) {
        out.println("mtasts demo: DNS, policy hosts and MX hosts on 127.x addresses, a test CA; no network.");
        out.println();
        out.println("The world");
        for (DemoWorld.DemoDomain d : world.domains()) {
            out.printf(Locale.ROOT, "  %-16s %s%n", d.name(), d.setUp());
        }
        boolean ok = check(world, out, err);
        try (DemoSender sender = new DemoSender(world.servers())) {
            resolve(world, sender, out);
            ok &= deliver(world, sender, out, err);
            report(sender, out);
        }
        return ok;
    }

    /** Step 1: the domain owner's view, {@code mtasts check}. */
    private static boolean check(DemoWorld world, PrintWriter out, PrintWriter err) {
        out.println();
        out.println("1. Check: what `mtasts check DOMAIN` tells each domain owner (errors and warnings)");
        MultiAddressWorld servers = world.servers();
        CheckOptions options = CheckOptions.builder()
                .dnsServer(servers.dnsAddress())
                .policyHostPort(servers.httpsPort())
                .smtpPort(servers.smtpPort())
                .trustStore(servers.certificateAuthority().trustStore())
                .privateAddressesExpected(true)
                .dnsTimeout(Duration.ofSeconds(2))
                .httpTimeout(Duration.ofSeconds(5))
                .smtpTimeout(Duration.ofSeconds(5))
                .build();
        boolean ok = true;
        try (DomainChecker checker = DomainChecker.create()) {
            Map<String, CompletableFuture<CheckReport>> running = new LinkedHashMap<>();
            for (DemoWorld.DemoDomain d : world.domains()) {
                running.put(d.name(), checker.checkAsync(d.name(), options, f -> {}));
            }
            for (Map.Entry<String, CompletableFuture<CheckReport>> e : running.entrySet()) {
                try {
                    printCheck(e.getValue().get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS), out);
                } catch (Exception failure) {
                    ok = false;
                    out.printf(Locale.ROOT, "  %-16s could not be checked%n", e.getKey());
                    err.println("mtasts demo: checking " + e.getKey() + " failed: " + cause(failure));
                }
            }
        }
        return ok;
    }

    private static void printCheck(CheckReport report, PrintWriter out) {
        long errors = report.findings().stream()
                .filter(f -> f.severity() == Severity.ERROR)
                .count();
        long warnings = report.findings().stream()
                .filter(f -> f.severity() == Severity.WARNING)
                .count();
        out.printf(
                Locale.ROOT,
                "  %-16s %-8s %d error%s, %d warning%s%n",
                report.domain(),
                verdict(report),
                errors,
                errors == 1 ? "" : "s",
                warnings,
                warnings == 1 ? "" : "s");
        // Errors first, then warnings, each in the order found.
        report.findings().stream()
                .filter(f -> f.severity().atLeast(Severity.WARNING))
                .sorted(Comparator.comparing(Finding::severity))
                .forEach(f -> out.printf(
                        Locale.ROOT, "      %s %-20s %s%n", f.severity().letter(), f.id(), oneLine(f.message())));
    }

    /** The verdict word of a report: OK (information at most), WARNINGS or ERRORS. */
    static String verdict(CheckReport report) {
        return switch (report.exitCode()) {
            case 0 -> "OK";
            case 1 -> "WARNINGS";
            default -> "ERRORS";
        };
    }

    /** Step 2: the sender's view, {@code MtaSts.policyFor} and the decision per MX. */
    private static void resolve(DemoWorld world, DemoSender sender, PrintWriter out) {
        out.println();
        out.println("2. Resolve: what a sender's MtaSts.policyFor(domain) decides for each MX");
        for (DemoWorld.DemoDomain d : world.domains()) {
            PolicyResult result = sender.policyFor(d.name());
            out.printf(Locale.ROOT, "  %-16s %s%n", d.name(), describe(result));
            for (String mx : sender.mxHosts(d.name())) {
                out.printf(Locale.ROOT, "      MX %-20s %s%n", mx, explain(result.decisionFor(mx)));
            }
        }
    }

    private static String explain(MxDecision decision) {
        return switch (decision) {
            case REQUIRE_VALIDATED_TLS -> "REQUIRE_VALIDATED_TLS: STARTTLS with a valid certificate, or no delivery";
            case SKIP -> "SKIP: matches no mx pattern of the enforced policy, never used";
            case REPORT_ONLY -> "REPORT_ONLY: deliver anyway, report TLS failures";
            case UNCONSTRAINED -> "UNCONSTRAINED: no MTA-STS constraint";
            case DEFER -> "DEFER: policy unknown, try later";
        };
    }

    private static String describe(PolicyResult result) {
        if (result instanceof PolicyResult.PolicyFound found) {
            return "policy id " + found.id() + ": mode " + found.mode().token() + ", mx "
                    + found.policy().mx().stream().map(Object::toString).collect(Collectors.joining(" "))
                    + ", max_age " + found.policy().maxAge().toSeconds();
        }
        if (result instanceof PolicyResult.NoPolicy none) {
            return "no policy: " + none.problem().detail();
        }
        PolicyResult.Unavailable unavailable = (PolicyResult.Unavailable) result;
        return "policy unavailable (defer): " + unavailable.problem().detail();
    }

    /** Step 3: one message to each domain through Angus Mail, the policy enforced. */
    private static boolean deliver(DemoWorld world, DemoSender sender, PrintWriter out, PrintWriter err) {
        out.println();
        out.println("3. Deliver: one message to postmaster@DOMAIN each, with Angus Mail and core's DeliveryTls");
        boolean ok = true;
        for (DemoWorld.DemoDomain d : world.domains()) {
            try {
                DemoSender.Outcome outcome = sender.send(d.name());
                out.printf(Locale.ROOT, "  %-16s %s%n", d.name(), describe(outcome));
            } catch (MessagingException | RuntimeException e) {
                ok = false;
                out.printf(Locale.ROOT, "  %-16s could not be sent%n", d.name());
                err.println("mtasts demo: sending to " + d.name() + " failed: " + cause(e));
            }
        }
        return ok;
    }

    private static String describe(DemoSender.Outcome outcome) {
        if (outcome.kind() == DemoSender.Outcome.Kind.REFUSED) {
            return "REFUSED, kept in the queue: " + outcome.detail();
        }
        String mx = outcome.mxHost().orElse("?");
        TlsSessionOutcome tls = outcome.tls().orElse(null);
        return switch (outcome.decision()) {
            case REQUIRE_VALIDATED_TLS ->
                tls instanceof TlsSessionOutcome.Succeeded
                        ? "DELIVERED to " + mx + " over validated TLS (enforce)"
                        : "DELIVERED to " + mx;
            case REPORT_ONLY ->
                tls instanceof TlsSessionOutcome.Failed failed
                        ? "DELIVERED to " + mx + " (mode testing), TLS failure recorded: "
                                + failed.resultType().token()
                        : "DELIVERED to " + mx + " (mode testing), TLS validated";
            default -> "DELIVERED to " + mx + " (no MTA-STS constraint)";
        };
    }

    /** Step 4: what the recorder counted, and the report the testing domain gets tomorrow. */
    private static void report(DemoSender sender, PrintWriter out) {
        out.println();
        out.println("4. Report: what the TlsRptRecorder counted today (RFC 8460)");
        List<DailyAggregate> today = sender.recorder().snapshot();
        for (DailyAggregate a : today) {
            List<String> failures = new ArrayList<>();
            a.failures()
                    .forEach((f, n) -> failures.add(n + " x " + f.resultType().token()
                            + f.failureReasonCode().map(c -> " (" + c + ")").orElse("")));
            out.printf(
                    Locale.ROOT,
                    "  %-16s %d successful, %d failed%s%n",
                    a.policy().policyDomain(),
                    a.successfulSessions(),
                    a.failedSessions(),
                    failures.isEmpty() ? "" : ": " + String.join(", ", failures));
        }
        DailyReportAssembler assembler = DailyReportAssembler.builder()
                .organizationName("mtasts demo sender")
                .contactInfo("tlsrpt@sender.example")
                .build();
        for (DailyReport report : assembler.assemble(today)) {
            if (report.policyDomain().equals(DemoWorld.TESTING)) {
                out.println();
                out.println("  The report " + DemoWorld.TESTING + " gets after midnight UTC, at the rua of its"
                        + " _smtp._tls record (canonical JSON, indented here):");
                out.println(indented(report.report().toJson()));
            }
        }
    }

    /** The report for reading; what is sent is {@code json} as it is, without white space. */
    private static String indented(byte[] json) {
        try {
            JsonNode tree = JSON.readTree(json);
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
        } catch (IOException e) {
            return new String(json, StandardCharsets.UTF_8);
        }
    }

    private static String oneLine(String message) {
        return message.replaceAll("[\\r\\n\\t]+", " ");
    }

    private static String cause(Throwable e) {
        Throwable t = e;
        for (Throwable next = t.getCause();
                next != null
                        && (t instanceof CompletionException
                                || t instanceof java.util.concurrent.ExecutionException
                                || t instanceof UncheckedIOException);
                next = t.getCause()) {
            t = next;
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
