package dev.mtasts.checker.internal;

import dev.mtasts.checker.Check;
import dev.mtasts.checker.Finding;
import dev.mtasts.checker.MxHostFacts;
import dev.mtasts.checker.PolicyFacts;
import dev.mtasts.checker.Severity;
import dev.mtasts.core.Mode;
import dev.mtasts.core.MxPattern;
import dev.mtasts.core.dns.DnsResult;
import dev.mtasts.core.dns.MxRecord;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * The MX checks ({@code sts.mx.*}): lookup, coverage under the one-label rule, stale patterns,
 * addresses, and the SMTP probe of every address (STARTTLS, TLS version, certificate with SNI set
 * to the MX name); {@code sts.mx.postfix-skip}.
 */
public final class MxCheck {
    private MxCheck() {}

    /** One MX host as a sender lists it. */
    private record Host(String name, int preference, boolean implicit) {}

    /** The policy as far as the MX checks need it. */
    private record Patterns(List<MxPattern> patterns, Optional<Mode> mode, boolean lenient) {
        static Patterns of(Optional<PolicyFacts> facts) {
            if (facts.isEmpty()) {
                return new Patterns(List.of(), Optional.empty(), false);
            }
            PolicyFacts f = facts.get();
            if (f.policy().isPresent()) {
                return new Patterns(f.policy().get().mx(), f.mode(), false);
            }
            // The strict parse failed: read what can be read, and mark what follows from it.
            List<MxPattern> readable = new ArrayList<>();
            for (String written : f.mxPatterns()) {
                lenientPattern(written).ifPresent(readable::add);
            }
            return new Patterns(readable, f.mode(), f.lenient());
        }

        /**
         * {@code written} read as its author evidently meant it: surrounding blanks and one trailing
         * root dot dropped. Anything still unreadable covers nothing ({@code sts.policy.mx} names it).
         */
        static Optional<MxPattern> lenientPattern(String written) {
            String p = written.strip();
            if (p.endsWith(".")) {
                p = p.substring(0, p.length() - 1);
            }
            try {
                return Optional.of(MxPattern.parse(p));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }

        boolean present() {
            return !patterns.isEmpty();
        }

        boolean enforce() {
            return mode.equals(Optional.of(Mode.ENFORCE));
        }

        Optional<MxPattern> matching(String host) {
            return patterns.stream().filter(p -> p.matches(host)).findFirst();
        }

        Finding mark(Finding finding) {
            return lenient ? finding.asLenient() : finding;
        }
    }

    /** Runs the checks against {@code policy} (empty: list and probe without coverage), emitting into {@code ctx}. */
    public static List<MxHostFacts> run(CheckContext ctx, Optional<PolicyFacts> policy) {
        Patterns patterns = Patterns.of(policy);
        List<Host> hosts = lookup(ctx);
        if (hosts.isEmpty()) {
            return List.of();
        }
        coverage(ctx, patterns, hosts);

        Map<Host, CompletableFuture<DnsResult<InetAddress>>> lookups = new LinkedHashMap<>();
        for (Host host : hosts) {
            lookups.put(
                    host,
                    ctx.dns()
                            .addressesAsync(host.name())
                            .toCompletableFuture()
                            // a resolver that breaks its contract still must not read as "no address"
                            .exceptionally(
                                    e -> DnsResult.temporaryFailure(DnsResult.FailureKind.NETWORK, String.valueOf(e))));
        }
        Map<Host, List<InetAddress>> addresses = new LinkedHashMap<>();
        for (Map.Entry<Host, CompletableFuture<DnsResult<InetAddress>>> e : lookups.entrySet()) {
            addresses.put(e.getKey(), resolve(ctx, e.getKey(), e.getValue().join()));
        }

        Map<Host, List<CompletableFuture<MxAddressProbe>>> probes = new LinkedHashMap<>();
        for (Map.Entry<Host, List<InetAddress>> e : addresses.entrySet()) {
            List<CompletableFuture<MxAddressProbe>> perAddress = new ArrayList<>();
            for (InetAddress address : e.getValue()) {
                perAddress.add(probe(ctx, e.getKey().name(), address));
            }
            probes.put(e.getKey(), perAddress);
        }

        List<MxHostFacts> facts = new ArrayList<>();
        for (Map.Entry<Host, List<CompletableFuture<MxAddressProbe>>> e : probes.entrySet()) {
            Host host = e.getKey();
            List<MxAddressProbe> results =
                    e.getValue().stream().map(CompletableFuture::join).toList();
            MxProbeFindings.emit(ctx, host.name(), patterns.enforce(), results);
            Optional<MxPattern> match = patterns.matching(host.name());
            if (patterns.present() && patterns.enforce() && match.isEmpty()) {
                postfixSkip(ctx, patterns, host, results);
            }
            facts.add(new MxHostFacts(
                    host.name(),
                    host.preference(),
                    host.implicit(),
                    results.stream().map(MxAddressProbe::facts).toList(),
                    match.isPresent(),
                    match.map(MxPattern::toString)));
        }
        return List.copyOf(facts);
    }

    /** The MX hosts a sender would use, lowest preference first; empty when there are none to use. */
    private static List<Host> lookup(CheckContext ctx) {
        String domain = ctx.domain();
        DnsResult<MxRecord> answer = ctx.dns().mx(domain);
        if (answer instanceof DnsResult.Unavailable<MxRecord> failed) {
            // RFC 8461 §10.2: a failed lookup is never "no MX"; a sender defers
            ctx.emit(Finding.of(
                    Check.STS_MX_LOOKUP,
                    Severity.ERROR,
                    "The MX lookup for " + domain + " failed temporarily (" + failed.kind()
                            + "), so senders cannot tell where to deliver and defer mail.",
                    "MX " + domain + ": " + failed.kind() + " " + failed.detail()));
            return List.of();
        }
        if (answer instanceof DnsResult.NoRecords<MxRecord> none) {
            // RFC 5321 §5.1: without MX records the domain itself is the one MX, at preference 0
            ctx.emit(Finding.of(
                    Check.STS_MX_LOOKUP,
                    Severity.WARNING,
                    domain + " has no MX records, so senders deliver to the domain's own address (the implicit"
                            + " MX, RFC 5321 §5.1); publish an MX record to make the mail host explicit.",
                    "MX " + domain + ": " + none.kind()));
            return List.of(new Host(domain, 0, true));
        }
        List<MxRecord> records = ((DnsResult.Records<MxRecord>) answer).values();
        List<MxRecord> usable =
                records.stream().filter(r -> !isRoot(r.exchange())).toList();
        List<String> shown = records.stream()
                .map(r -> "MX " + r.preference() + " " + (isRoot(r.exchange()) ? "." : r.exchange()))
                .toList();
        if (usable.isEmpty()) {
            // RFC 7505 §3: the null MX, one record with the root as exchange
            ctx.emit(new Finding(
                    Check.STS_MX_LOOKUP,
                    Severity.INFO,
                    domain + " publishes a null MX (RFC 7505): it accepts no mail, so there is no MX to check.",
                    shown,
                    false));
            return List.of();
        }
        if (usable.size() < records.size()) {
            ctx.emit(new Finding(
                    Check.STS_MX_LOOKUP,
                    Severity.WARNING,
                    domain + " mixes a null MX (\".\") with other MX records; RFC 7505 §3 forbids that, and"
                            + " senders ignore the null MX and use the others.",
                    shown,
                    false));
        }
        // One host per name, at its lowest preference; ties in name order, so reports are stable.
        Map<String, Integer> best = new LinkedHashMap<>();
        for (MxRecord r : usable) {
            best.merge(r.exchange(), r.preference(), Math::min);
        }
        return best.entrySet().stream()
                .map(e -> new Host(e.getKey(), e.getValue(), false))
                .sorted(Comparator.comparingInt(Host::preference).thenComparing(Host::name))
                .toList();
    }

    private static boolean isRoot(String exchange) {
        return exchange.isEmpty() || exchange.equals(".");
    }

    /** {@code sts.mx.coverage} and {@code sts.mx.stale-pattern} (RFC 8461 §4.1). */
    private static void coverage(CheckContext ctx, Patterns patterns, List<Host> hosts) {
        if (!patterns.present()) {
            // No policy, or mode none without mx lines (valid, §3.2): nothing to match against.
            return;
        }
        Mode mode = patterns.mode().orElse(Mode.TESTING);
        Severity severity = switch (mode) {
            case ENFORCE -> Severity.ERROR;
            case TESTING -> Severity.WARNING;
            case NONE -> Severity.INFO;
        };
        String consequence = switch (mode) {
            case ENFORCE -> "senders enforcing the policy will not deliver to it";
            case TESTING -> "senders deliver to it but report a failure (sts-mx-not-in-policy)";
            case NONE -> "this matters once the mode is testing or enforce";
        };
        List<String> patternEvidence =
                patterns.patterns().stream().map(p -> "mx: " + p).toList();
        for (Host host : hosts) {
            if (patterns.matching(host.name()).isPresent()) {
                continue;
            }
            List<String> evidence = new ArrayList<>();
            evidence.add(
                    host.implicit() ? "implicit MX " + host.name() : "MX " + host.preference() + " " + host.name());
            evidence.addAll(patternEvidence);
            String what = host.implicit() ? "The implicit MX " : "MX ";
            ctx.emit(patterns.mark(new Finding(
                    Check.STS_MX_COVERAGE,
                    severity,
                    what + host.name() + " matches no mx pattern of the policy, so " + consequence + "."
                            + nearMiss(patterns.patterns(), host.name()),
                    evidence,
                    false)));
        }
        if (mode == Mode.NONE) {
            return; // patterns of a none policy steer nothing; an outdated one is no news
        }
        for (MxPattern pattern : patterns.patterns()) {
            if (hosts.stream().noneMatch(h -> pattern.matches(h.name()))) {
                List<String> evidence = new ArrayList<>();
                evidence.add("mx: " + pattern);
                hosts.forEach(h -> evidence.add("MX " + h.preference() + " " + h.name()));
                ctx.emit(patterns.mark(new Finding(
                        Check.STS_MX_STALE_PATTERN,
                        Severity.WARNING,
                        "The mx pattern " + pattern + " matches none of the current MX hosts; remove it, or it"
                                + " lets a host you no longer use receive mail under the policy.",
                        evidence,
                        false)));
            }
        }
    }

    /** Why a wildcard that looks as if it should cover {@code host} does not. */
    private static String nearMiss(List<MxPattern> patterns, String host) {
        for (MxPattern p : patterns) {
            if (p.isWildcard() && host.endsWith("." + p.domain())) {
                return " The pattern " + p + " covers exactly one label in place of *, not "
                        + host.substring(0, host.length() - p.domain().length() - 1) + " (RFC 8461 §4.1).";
            }
        }
        return "";
    }

    /** The addresses of {@code host}; {@code sts.mx.resolve} when there are none. */
    private static List<InetAddress> resolve(CheckContext ctx, Host host, DnsResult<InetAddress> answer) {
        if (answer instanceof DnsResult.Records<InetAddress> records) {
            return records.values();
        }
        String why = answer instanceof DnsResult.Unavailable<InetAddress> failed
                ? "the A/AAAA lookup failed temporarily (" + failed.kind() + ": " + failed.detail() + ")"
                : "it has no A or AAAA record";
        ctx.emit(Finding.of(
                Check.STS_MX_RESOLVE,
                Severity.ERROR,
                (host.implicit() ? "The implicit MX " : "MX ") + host.name() + " cannot be reached: " + why + ".",
                "MX " + host.preference() + " " + host.name()));
        return List.of();
    }

    private static CompletableFuture<MxAddressProbe> probe(CheckContext ctx, String host, InetAddress address) {
        if (!ctx.options().probeSmtp()) {
            return CompletableFuture.completedFuture(MxAddressProbe.notProbed(address, "SMTP probing is off"));
        }
        if (address instanceof Inet6Address && !ctx.options().ipv6()) {
            return CompletableFuture.completedFuture(MxAddressProbe.notProbed(address, "IPv6 probing is off"));
        }
        return CompletableFuture.<MxAddressProbe>supplyAsync(
                        () -> MxAddressProbe.judge(
                                ctx,
                                host,
                                address,
                                SmtpProbe.probe(
                                        address,
                                        ctx.options().smtpPort(),
                                        host,
                                        ctx.handshakeContext(),
                                        ctx.options().smtpTimeout())),
                        ctx.executor())
                // a bug in the probe leaves this address unknown rather than losing the whole report
                .exceptionally(e -> MxAddressProbe.failed(address, "the probe itself failed: " + e));
    }

    /**
     * {@code sts.mx.postfix-skip}: {@code host} matches no pattern, yet a Postfix sender without the
     * {@code mx_host_pattern} rule (before 3.10.5) accepts it, because the certificate it presents (or,
     * when no certificate was seen, the host's own name) satisfies a {@code match=} entry. Postfix
     * 3.10.5+ with {@code smtp_tls_enforce_sts_mx_patterns} skips it, as RFC 8461 §4.1 says: mail that
     * flows today through older Postfix senders stops when they upgrade. See {@link MxPostfixMatch}.
     */
    private static void postfixSkip(CheckContext ctx, Patterns patterns, Host host, List<MxAddressProbe> results) {
        List<String> names = new ArrayList<>();
        boolean seen = false;
        boolean definite = false;
        for (MxAddressProbe r : results) {
            switch (r.facts().probe()) {
                case TLS_OK -> {
                    definite = true;
                    if (r.trustedAndCurrent()) {
                        names.addAll(r.certificateNames());
                        seen = true;
                    }
                }
                case NO_STARTTLS, TLS_FAILED -> definite = true;
                case NOT_PROBED, UNREACHABLE -> {
                    // nothing learnt here
                }
            }
        }
        boolean assumed = !definite;
        if (assumed) {
            names.add(host.name()); // no certificate seen: assume the usual one, naming the host
        } else if (!seen) {
            return; // older Postfix fails on this host as well: nothing differs
        }
        Optional<String> accepted = MxPostfixMatch.legacyAcceptance(
                patterns.patterns(), names.stream().distinct().toList());
        if (accepted.isEmpty()) {
            return;
        }
        String match = patterns.patterns().stream()
                .map(MxPostfixMatch::matchEntry)
                .distinct()
                .collect(Collectors.joining(":"));
        ctx.emit(patterns.mark(Finding.of(
                Check.STS_MX_POSTFIX_SKIP,
                Severity.WARNING,
                "Postfix 3.10.5 and later (smtp_tls_enforce_sts_mx_patterns) skip MX " + host.name()
                        + " because its name matches no mx pattern, while older Postfix senders given"
                        + " match=" + match + " accept it through the certificate name "
                        + accepted.get() + (assumed ? " (assuming the certificate names the host)" : "")
                        + "; list the host in the policy, or mail through it stops as senders upgrade.",
                "MX " + host.preference() + " " + host.name(),
                "certificate name " + accepted.get())));
    }
}
