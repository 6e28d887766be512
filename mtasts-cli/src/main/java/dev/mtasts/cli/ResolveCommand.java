package dev.mtasts.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mtasts.core.MxPattern;
import dev.mtasts.core.dns.DnsResolver;
import dev.mtasts.core.dns.DnsResult;
import dev.mtasts.core.dns.MxRecord;
import dev.mtasts.core.fetch.AddressFilter;
import dev.mtasts.core.fetch.PolicyFetcher;
import dev.mtasts.core.resolve.MtaSts;
import dev.mtasts.core.resolve.MxDecision;
import dev.mtasts.core.resolve.MxPlan;
import dev.mtasts.core.resolve.PolicyProblem;
import dev.mtasts.core.resolve.PolicyResult;
import dev.mtasts.core.resolve.PolicySource;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mtasts resolve}: what a sender would do for a domain: the policy, its source, the decision per MX host. */
@Command(
        name = "resolve",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        exitCodeOnInvalidInput = 3,
        exitCodeOnExecutionException = 3,
        description = {
            "What a sender would do for a domain: the policy, where it came from, the decision per MX host.",
            "",
            "Runs this SDK's own sender engine (MtaSts) once: the policy it applies to DOMAIN and where it came"
                    + " from, and for each MX host (given, or else from DNS) the decision and why. --smtp-port"
                    + " is not used: resolve connects to no MX host.",
            "",
            "Example:  mtasts resolve example.com            (MX hosts from DNS)",
            "          mtasts resolve example.com mx1.example.com mx2.example.net",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:a decision was made (including \"no policy\" and \"defer: no MX matches the enforced policy\")",
            "2:the policy or the MX hosts are unavailable for now (temporary DNS or fetch failure): a sender defers",
            "3:bad usage or a local fault"
        })
final class ResolveCommand implements Callable<Integer> {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Parameters(index = "0", paramLabel = "DOMAIN", description = "the recipient domain")
    String domain = "";

    @Parameters(
            index = "1..*",
            arity = "0..*",
            paramLabel = "MX",
            description = "MX host names in the order to try them (default: the domain's MX records)")
    List<String> mxHosts = new ArrayList<>();

    @Option(names = "--json", description = "print a JSON document instead of text")
    boolean json;

    @Mixin
    NetworkOptions network = new NetworkOptions();

    @Spec
    @Nullable
    CommandSpec spec;

    /** The MX hosts to plan for, and where they came from. */
    private record MxHosts(List<String> hosts, String source, Optional<String> problem) {}

    @Override
    public Integer call() throws Exception {
        PrintWriter out = Main.out(spec);
        Optional<Duration> timeout = network.timeout();
        DnsResolver dns = network.dnsServer()
                .map(s -> DnsResolver.dnsjava(s, timeout.orElse(Duration.ofSeconds(10))))
                .orElseGet(DnsResolver::system);
        PolicyFetcher.Builder fetcher =
                PolicyFetcher.https().dns(dns).sslContext(network.sslContext()).port(network.httpsPort());
        // A lab's loopback and private policy hosts; a real sender refuses them (STS-HTTP-11).
        fetcher.addressFilter(network.privateOk ? address -> true : AddressFilter.publicOnly());
        timeout.ifPresent(fetcher::timeout);
        PolicyResult result;
        try (MtaSts engine = MtaSts.builder().dns(dns).fetcher(fetcher.build()).build()) {
            result = engine.policyFor(domain);
        }
        if (result instanceof PolicyResult.NoPolicy none
                && (none.problem() instanceof PolicyProblem.NotADomain
                        || none.problem() instanceof PolicyProblem.AddressLiteral)) {
            throw new CommandLine.ParameterException(
                    commandLine(), none.problem().detail());
        }
        MxHosts hosts = mxHosts(dns, result.domain());
        MxPlan plan = result.plan(hosts.hosts());
        int status =
                result instanceof PolicyResult.Unavailable || hosts.problem().isPresent() ? 2 : 0;
        if (json) {
            out.println(json(result, hosts, plan, status));
        } else {
            text(out, result, hosts, plan);
        }
        return status;
    }

    private MxHosts mxHosts(DnsResolver dns, String policyDomain) {
        if (!mxHosts.isEmpty()) {
            return new MxHosts(List.copyOf(mxHosts), "given", Optional.empty());
        }
        DnsResult<MxRecord> mx = dns.mx(policyDomain);
        if (mx instanceof DnsResult.Records<MxRecord> records) {
            List<MxRecord> sorted = new ArrayList<>(records.values());
            // RFC 5321 §5.1: lowest preference first, ties in the order received.
            sorted.sort(Comparator.comparingInt(MxRecord::preference));
            List<String> names = sorted.stream()
                    .map(MxRecord::exchange)
                    .filter(h -> !h.isEmpty() && !h.equals("."))
                    .toList();
            if (names.isEmpty()) {
                return new MxHosts(List.of(), "null MX (RFC 7505): the domain accepts no mail", Optional.empty());
            }
            return new MxHosts(names, "DNS MX records", Optional.empty());
        }
        if (mx instanceof DnsResult.Unavailable<MxRecord> failed) {
            return new MxHosts(
                    List.of(),
                    "DNS MX records",
                    Optional.of("MX lookup of " + policyDomain + " failed: " + failed.kind() + " " + failed.detail()
                            + "; a sender retries later"));
        }
        // RFC 5321 §5.1: no MX records, the domain itself is the implicit MX.
        return new MxHosts(List.of(policyDomain), "implicit MX (no MX records)", Optional.empty());
    }

    private static void text(PrintWriter out, PolicyResult result, MxHosts hosts, MxPlan plan) {
        if (result instanceof PolicyResult.PolicyFound found) {
            out.println(found.domain() + ": MTA-STS policy, " + source(found));
            out.println("  id       " + found.id());
            out.println("  mode     " + found.mode().token());
            out.println("  max_age  " + found.policy().maxAge().toSeconds() + " s (cached until " + found.expiresAt()
                    + ")");
            for (MxPattern pattern : found.policy().mx()) {
                out.println("  mx       " + pattern);
            }
        } else if (result instanceof PolicyResult.NoPolicy none) {
            out.println(none.domain() + ": no MTA-STS policy (" + none.problem().detail()
                    + "); a sender delivers as without MTA-STS");
        } else if (result instanceof PolicyResult.Unavailable unavailable) {
            out.println(unavailable.domain() + ": policy UNAVAILABLE for now ("
                    + unavailable.problem().detail()
                    + "); a sender defers, never delivering as if there were no policy (RFC 8461 §10.2)");
        }
        out.println("MX hosts (" + hosts.source() + "):");
        hosts.problem().ifPresent(p -> out.println("  " + p));
        for (MxPlan.Candidate c : plan.candidates()) {
            out.println("  " + c.host() + ": " + explain(c.decision(), c.inPolicy()));
        }
        for (String skipped : plan.skipped()) {
            out.println("  " + skipped + ": SKIP, matches no mx pattern of the enforced policy (RFC 8461 §4.1)");
        }
        plan.deferral()
                .ifPresent(d -> out.println("Decision: DEFER (" + d.detail() + ")"
                        + d.reportedAs()
                                .map(r -> "; reported via TLSRPT as " + r)
                                .orElse("")));
        if (plan.deferral().isEmpty() && !plan.candidates().isEmpty()) {
            out.println("Decision: try "
                    + String.join(
                            ", ",
                            plan.candidates().stream()
                                    .map(MxPlan.Candidate::host)
                                    .toList()) + " in this order");
        }
    }

    private static String source(PolicyResult.PolicyFound found) {
        return switch (found.source()) {
            case FRESH -> "fetched now";
            case CACHED -> "from the cache";
            case STALE_FALLBACK ->
                "from the cache although "
                        + found.fallbackCause().map(PolicyProblem::detail).orElse("something failed");
        };
    }

    private static String explain(MxDecision decision, boolean inPolicy) {
        return switch (decision) {
            case REQUIRE_VALIDATED_TLS -> "deliver only over STARTTLS with a validated certificate (enforce)";
            case REPORT_ONLY ->
                "deliver as usual (testing); TLS failures are reported"
                        + (inPolicy ? "" : "; matches no mx pattern, reported as sts-mx-not-in-policy");
            case UNCONSTRAINED -> "deliver as usual: no MTA-STS constraint";
            case DEFER -> "defer: the policy is unavailable";
            case SKIP -> "skip: matches no mx pattern of the enforced policy";
        };
    }

    private static String json(PolicyResult result, MxHosts hosts, MxPlan plan, int status) throws Exception {
        ObjectNode o = NODES.objectNode();
        o.put("domain", result.domain());
        o.put("exitCode", status);
        if (result instanceof PolicyResult.PolicyFound found) {
            o.put("result", "policy");
            o.put("source", found.source() == PolicySource.FRESH ? "fetched" : "cache");
            ObjectNode policy = o.putObject("policy");
            policy.put("id", found.id());
            policy.put("mode", found.mode().token());
            policy.put("maxAge", found.policy().maxAge().toSeconds());
            ArrayNode mx = policy.putArray("mx");
            found.policy().mx().forEach(p -> mx.add(p.toString()));
            policy.put("fetchedAt", found.fetchedAt().toString());
            policy.put("expiresAt", found.expiresAt().toString());
            o.putNull("problem");
        } else if (result instanceof PolicyResult.NoPolicy none) {
            o.put("result", "none");
            o.put("source", "none");
            o.putNull("policy");
            o.put("problem", none.problem().detail());
        } else if (result instanceof PolicyResult.Unavailable unavailable) {
            o.put("result", "unavailable");
            o.put("source", "none");
            o.putNull("policy");
            o.put("problem", unavailable.problem().detail());
        }
        o.put("mxSource", hosts.source());
        if (hosts.problem().isPresent()) {
            o.put("mxProblem", hosts.problem().get());
        } else {
            o.putNull("mxProblem");
        }
        ArrayNode decisions = o.putArray("mx");
        for (MxPlan.Candidate c : plan.candidates()) {
            decisions
                    .addObject()
                    .put("host", c.host())
                    .put("decision", c.decision().name())
                    .put("inPolicy", c.inPolicy())
                    .put("why", explain(c.decision(), c.inPolicy()));
        }
        for (String skipped : plan.skipped()) {
            decisions
                    .addObject()
                    .put("host", skipped)
                    .put("decision", MxDecision.SKIP.name())
                    .put("inPolicy", false)
                    .put("why", explain(MxDecision.SKIP, false));
        }
        if (plan.deferral().isPresent()) {
            MxPlan.Deferral d = plan.deferral().get();
            o.putObject("deferral").put("kind", d.kind().name()).put("detail", d.detail());
        } else {
            o.putNull("deferral");
        }
        return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(o);
    }

    private CommandLine commandLine() {
        CommandSpec s = spec;
        if (s == null) {
            throw new IllegalStateException("not run by picocli");
        }
        return s.commandLine();
    }
}
