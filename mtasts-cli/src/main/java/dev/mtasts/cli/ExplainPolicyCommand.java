package dev.mtasts.cli;

import dev.mtasts.core.Mode;
import dev.mtasts.core.MxPattern;
import dev.mtasts.core.Policy;
import dev.mtasts.core.PolicyWarning;
import dev.mtasts.core.SyntaxException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mtasts policy [FILE] [--mx HOST...]}: parses a policy file and says what a sender does with it. */
@Command(
        name = "policy",
        mixinStandardHelpOptions = true,
        // Kept for scripts that use it; 'lint' checks the same texts with line-precise findings.
        hidden = true,
        description =
                "Parse an MTA-STS policy file (RFC 8461 §3.2) and explain it. Without FILE, the RFC's own example.")
final class ExplainPolicyCommand implements Callable<Integer> {
    static final String EXAMPLE_RESOURCE = "rfc8461-example-policy.txt";

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "policy file; '-' reads standard input")
    @Nullable
    Path file;

    @Option(names = "--mx", paramLabel = "HOST", description = "MX host names to check against the policy")
    List<String> mxHosts = new ArrayList<>();

    @Spec
    @Nullable
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = Main.out(spec);
        PrintWriter err = Main.err(spec);
        Path source = file;
        byte[] body;
        String name;
        if (source == null) {
            body = example();
            name = "RFC 8461 §3.2 example";
        } else if (source.toString().equals("-")) {
            body = System.in.readAllBytes();
            name = "standard input";
        } else {
            try {
                body = Files.readAllBytes(source);
            } catch (IOException e) {
                err.println("cannot read " + source + ": " + e.getClass().getSimpleName() + " " + e.getMessage());
                return 2;
            }
            name = source.toString();
        }
        return explain(name, body, mxHosts, out, err);
    }

    void explainDefault(PrintWriter out, PrintWriter err) {
        explain(
                "RFC 8461 §3.2 example",
                example(),
                List.of("mail.example.com", "mx1.example.net", "a.b.example.net", "evil.example.org"),
                out,
                err);
    }

    static byte[] example() {
        try (InputStream in = ExplainPolicyCommand.class.getResourceAsStream(EXAMPLE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + EXAMPLE_RESOURCE);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int explain(String name, byte[] body, List<String> mxHosts, PrintWriter out, PrintWriter err) {
        Policy policy;
        try {
            policy = Policy.parse(body);
        } catch (SyntaxException e) {
            err.println("INVALID policy (" + name + "): " + e.getMessage());
            err.println("A sender treats the domain as if it had no policy it could fetch (RFC 8461 §3.3).");
            return 1;
        }
        out.println("Policy from " + name + ": valid");
        out.println("  mode     " + policy.mode().token() + " - " + meaning(policy.mode()));
        out.println("  max_age  " + policy.maxAge().toSeconds() + " s ("
                + policy.maxAge().toDays() + " days)");
        for (MxPattern pattern : policy.mx()) {
            out.println("  mx       " + pattern
                    + (pattern.isWildcard() ? "  (any one label under " + pattern.domain() + ")" : ""));
        }
        policy.extensions().forEach(x -> out.println("  " + x.name() + " (extension, ignored) = " + x.value()));
        for (PolicyWarning warning : policy.warnings()) {
            out.println("  warning  " + warning);
        }
        for (String host : mxHosts) {
            out.println("  MX " + host + ": " + verdict(policy, host));
        }
        return 0;
    }

    private static String meaning(Mode mode) {
        return switch (mode) {
            case ENFORCE -> "deliver only to listed MX hosts, over TLS with a valid certificate";
            case TESTING -> "deliver as usual; report TLS failures (TLSRPT)";
            case NONE -> "no active policy";
        };
    }

    private static String verdict(Policy policy, String host) {
        return policy.matchingPattern(host)
                .map(p -> "matches '" + p + "'"
                        + (policy.mode() == Mode.ENFORCE ? ": allowed, validated TLS required" : ""))
                .orElseGet(() -> "matches no pattern"
                        + (policy.mode() == Mode.ENFORCE
                                ? ": must not be used"
                                : ": allowed; the mismatch is reported"));
    }
}
