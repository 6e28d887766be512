package dev.mtasts.checker.internal;

import dev.mtasts.checker.Check;
import dev.mtasts.checker.Finding;
import dev.mtasts.checker.PolicyFacts;
import dev.mtasts.checker.PolicyHostFacts;
import dev.mtasts.checker.Severity;
import dev.mtasts.core.dns.DnsResult;
import dev.mtasts.core.fetch.AddressFilter;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * The policy host checks ({@code sts.host.*}, {@code sts.http.*}, {@code sts.host.consistency}):
 * the policy fetched from every A and AAAA address of {@code mta-sts.<domain>} with the sender's
 * limits, redirects reported and never followed.
 */
public final class PolicyHostCheck {
    private PolicyHostCheck() {}

    /**
     * What the host answered.
     *
     * @param addresses one entry per address
     * @param body the body a sender would use (what the sender's fetcher would accept, from the
     *     address a sender would reach first), or else the first body received, for the content checks
     * @param senderWouldAccept whether the sender's fetcher accepts that answer (status, media type,
     *     size, encoding, TLS, certificate)
     */
    public record Result(List<PolicyHostFacts> addresses, Optional<byte[]> body, boolean senderWouldAccept) {}

    /** Fetches from every address, emitting findings into {@code ctx}. */
    public static Result run(CheckContext ctx) {
        String host = "mta-sts." + ctx.domain();
        DnsResult<InetAddress> resolved = ctx.dns().addresses(host);
        if (resolved instanceof DnsResult.NoRecords<InetAddress> none) {
            // RFC 8461 §3.3: the policy is fetched from mta-sts.<domain>; without an address there is none.
            ctx.emit(Finding.of(
                    Check.STS_HOST_RESOLVE,
                    Severity.ERROR,
                    host + " has no A or AAAA record, so senders cannot fetch the policy",
                    host + ": " + none.kind()));
            return new Result(List.of(), Optional.empty(), false);
        }
        if (resolved instanceof DnsResult.Unavailable<InetAddress> failed) {
            ctx.emit(Finding.of(
                    Check.STS_HOST_RESOLVE,
                    Severity.ERROR,
                    "resolving " + host + " failed temporarily, so senders cannot fetch the policy now",
                    host + ": " + failed.kind() + " " + failed.detail()));
            return new Result(List.of(), Optional.empty(), false);
        }
        List<InetAddress> addresses = ((DnsResult.Records<InetAddress>) resolved).values();
        reportSpecialAddresses(ctx, host, addresses);

        List<CompletableFuture<PolicyHostAnswer>> probes = new ArrayList<>();
        for (InetAddress address : addresses) {
            if (address instanceof Inet6Address && !ctx.options().ipv6()) {
                probes.add(CompletableFuture.completedFuture(
                        PolicyHostAnswer.notProbed(address, "not probed: IPv6 probing is off")));
            } else {
                probes.add(
                        CompletableFuture.supplyAsync(() -> PolicyHostProbe.fetch(ctx, address, host), ctx.executor()));
            }
        }
        List<PolicyHostAnswer> answers =
                probes.stream().map(CompletableFuture::join).toList();
        if (answers.stream().noneMatch(PolicyHostAnswer::probed)) {
            ctx.emit(Finding.of(
                    Check.STS_HOST_RESOLVE,
                    Severity.INFO,
                    host + " has only IPv6 addresses and IPv6 probing is off: nothing was fetched",
                    addresses.stream().map(InetAddress::getHostAddress).collect(Collectors.joining(", "))));
        }
        PolicyHostFindings.emit(ctx, host, answers);
        return result(answers);
    }

    /**
     * Loopback, private, link-local and other addresses not globally reachable: senders that filter
     * addresses against SSRF, ours by default, refuse to connect to them.
     */
    private static void reportSpecialAddresses(CheckContext ctx, String host, List<InetAddress> addresses) {
        List<String> special = new ArrayList<>();
        for (InetAddress address : addresses) {
            if (!AddressFilter.isPublic(address)) {
                special.add(address.getHostAddress() + " (" + kind(address) + ")");
            }
        }
        if (special.isEmpty()) {
            return;
        }
        boolean expected = ctx.options().privateAddressesExpected();
        String list = String.join(", ", special);
        ctx.emit(Finding.of(
                Check.STS_HOST_RESOLVE,
                expected ? Severity.INFO : Severity.WARNING,
                expected
                        ? host + " resolves to addresses that are not globally reachable, as expected here: " + list
                        : host + " resolves to addresses that are not globally reachable: " + list
                                + "; senders that refuse such addresses (against SSRF) cannot fetch the policy",
                special.toArray(String[]::new)));
    }

    private static String kind(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return "loopback";
        }
        if (address.isSiteLocalAddress()) {
            return "private";
        }
        if (address.isLinkLocalAddress()) {
            return "link-local";
        }
        if (address.isAnyLocalAddress()) {
            return "unspecified";
        }
        if (address.isMulticastAddress()) {
            return "multicast";
        }
        return "special-purpose, not globally reachable";
    }

    /**
     * The answer a sender gets comes from the first address (DNS order) that accepts a connection:
     * the sender tries the next address only when connecting fails.
     */
    private static Result result(List<PolicyHostAnswer> answers) {
        List<PolicyHostFacts> facts =
                answers.stream().map(PolicyHostAnswer::facts).toList();
        Optional<PolicyHostAnswer> reached =
                answers.stream().filter(PolicyHostAnswer::connected).findFirst();
        boolean accepted = reached.map(PolicyHostAnswer::senderAccepts).orElse(false);
        Optional<byte[]> body;
        if (accepted) {
            body = reached.flatMap(PolicyHostAnswer::body);
        } else {
            body = answers.stream()
                    .filter(PolicyHostAnswer::senderAccepts)
                    .findFirst()
                    .or(() -> answers.stream().filter(a -> a.body().isPresent()).findFirst())
                    .flatMap(PolicyHostAnswer::body);
        }
        return new Result(facts, body.map(byte[]::clone), accepted);
    }

    /** {@code sts.max_age.cert}: the policy's max_age against the host certificate's remaining life. */
    public static void maxAgeVersusCertificate(CheckContext ctx, Result host, PolicyFacts policy) {
        Optional<Duration> maxAge = policy.maxAge();
        if (maxAge.isEmpty()) {
            return;
        }
        Instant now = ctx.options().clock().instant();
        Optional<PolicyHostFacts> shortest = host.addresses().stream()
                .filter(f -> f.certificate().isPresent())
                .min((a, b) -> a.certificate()
                        .orElseThrow()
                        .notAfter()
                        .compareTo(b.certificate().orElseThrow().notAfter()));
        if (shortest.isEmpty()) {
            return;
        }
        Instant notAfter = shortest.get().certificate().orElseThrow().notAfter();
        Duration remaining = Duration.between(now, notAfter);
        if (remaining.isNegative() || remaining.isZero()) {
            return; // an expired certificate is sts.host.cert's error already
        }
        if (maxAge.get().compareTo(remaining) <= 0) {
            return;
        }
        // RFC 8461 §3.3, §10.2: senders keep the policy for max_age; if the certificate is not renewed
        // before it expires, they can no longer refresh it while still holding it.
        Finding finding = Finding.of(
                Check.STS_MAX_AGE_CERT,
                Severity.WARNING,
                "max_age " + maxAge.get().toSeconds() + " s (" + days(maxAge.get())
                        + ") outlives the policy host certificate, which expires in " + days(remaining)
                        + " on " + notAfter + ": renew it well before then, or senders cannot refresh the"
                        + " policy they still hold",
                "max_age: " + maxAge.get().toSeconds(),
                shortest.get().address().getHostAddress() + ": certificate notAfter " + notAfter);
        ctx.emit(policy.lenient() ? finding.asLenient() : finding);
    }

    static String days(Duration d) {
        long days = d.toDays();
        if (days >= 1) {
            return days + (days == 1 ? " day" : " days");
        }
        long hours = d.toHours();
        return hours + (hours == 1 ? " hour" : " hours");
    }
}
