package dev.mtasts.checker.internal;

import dev.mtasts.checker.CertificateSummary;
import dev.mtasts.checker.Check;
import dev.mtasts.checker.Finding;
import dev.mtasts.checker.Severity;
import dev.mtasts.checker.internal.PolicyHostAnswer.Failure;
import dev.mtasts.checker.internal.PolicyHostAnswer.Stage;
import dev.mtasts.core.internal.HttpResponseReader;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns the answers of the policy host's addresses into findings: one finding per problem, naming
 * every address that has it, then whether the addresses agree ({@code sts.host.consistency}).
 */
final class PolicyHostFindings {
    private PolicyHostFindings() {}

    /** A problem of one address; equal problems of several addresses become one finding. */
    private record Problem(Check check, Severity severity, String message) {}

    /** Emits the per-address findings, then the consistency finding. */
    static void emit(CheckContext ctx, String host, List<PolicyHostAnswer> answers) {
        Map<Problem, List<String>> addresses = new LinkedHashMap<>();
        Map<Problem, Set<String>> evidence = new LinkedHashMap<>();
        for (PolicyHostAnswer answer : answers) {
            String at = answer.address().getHostAddress();
            problems(host, answer).forEach((problem, detail) -> {
                addresses.computeIfAbsent(problem, p -> new ArrayList<>()).add(at);
                evidence.computeIfAbsent(problem, p -> new LinkedHashSet<>()).add(at + ": " + detail);
            });
        }
        List<Problem> order = new ArrayList<>(addresses.keySet());
        order.sort(Comparator.comparing(p -> p.check().ordinal()));
        for (Problem problem : order) {
            List<String> at = addresses.getOrDefault(problem, List.of());
            Set<String> seen = evidence.getOrDefault(problem, Set.of());
            ctx.emit(Finding.of(
                    problem.check(),
                    problem.severity(),
                    host + " at " + String.join(", ", at) + ": " + problem.message(),
                    seen.toArray(String[]::new)));
        }
        consistency(ctx, host, answers);
    }

    /** The problems of one address, each with its evidence. */
    private static Map<Problem, String> problems(String host, PolicyHostAnswer answer) {
        Map<Problem, String> out = new LinkedHashMap<>();
        Optional<Failure> failure = answer.failure();
        Stage stage = failure.map(Failure::stage).orElse(null);
        String detail = failure.map(Failure::detail).orElse("");
        if (stage == Stage.NOT_PROBED) {
            return out;
        }
        if (stage == Stage.CONNECT) {
            // RFC 8461 §3.3: the policy is only ever fetched over HTTPS; no connection, no TLS, no policy.
            out.put(problem(Check.STS_HOST_TLS, "cannot connect, so no TLS session and no policy"), detail);
            return out;
        }
        if (stage == Stage.TLS) {
            // RFC 8461 §3.3, §7.2: HTTPS with TLS 1.2 or later.
            out.put(
                    problem(
                            Check.STS_HOST_TLS,
                            "the TLS handshake with TLS 1.2 or 1.3 fails, so senders get no policy"),
                    detail);
            return out;
        }
        answer.tlsVersion()
                .filter(v -> !answer.modernTls())
                .ifPresent(v -> out.put(
                        problem(Check.STS_HOST_TLS, "negotiates " + v + "; senders require TLS 1.2 or later"), v));
        answer.verdict().ifPresent(verdict -> certificateProblems(host, answer, verdict, out));
        if (stage == Stage.TIMEOUT) {
            out.put(
                    problem(Check.STS_HTTP_TIMEOUT, "no complete answer within the fetch deadline, so senders give up"),
                    detail);
            return out;
        }
        answer.status().ifPresent(status -> {
            if (status != 200) {
                out.put(
                        statusProblem(status, answer.location()),
                        "HTTP " + status
                                + answer.location().map(l -> ", Location: " + l).orElse(""));
            }
        });
        if (stage == Stage.TOO_LARGE) {
            // RFC 8461 §3.3 lets senders cap the body; ours, like others, stops at 64 KiB.
            out.put(
                    problem(Check.STS_HTTP_SIZE, "the policy body is over 64 KiB, so senders refuse it"),
                    answer.bodySize().isPresent()
                            ? answer.bodySize().getAsLong() + " bytes or more: " + detail
                            : detail);
        } else if (stage == Stage.PROTOCOL) {
            out.put(
                    problem(
                            Check.STS_HTTP_STATUS,
                            "the answer is not a well-formed HTTP/1.1 response, so senders drop it"),
                    detail);
        }
        if (answer.status().orElse(0) == 200) {
            contentProblems(answer, out);
        }
        return out;
    }

    private static void certificateProblems(
            String host, PolicyHostAnswer answer, CertificateVerdict verdict, Map<Problem, String> out) {
        X509Certificate leaf = answer.chain().isEmpty() ? null : answer.chain().get(0);
        String shown = leaf == null ? "no certificate" : describe(CertificateSummary.of(leaf));
        // RFC 8461 §3.3: the certificate must be valid for mta-sts.<domain> under RFC 6125, PKIX-trusted.
        // An expired chain also fails PKIX: one finding says so, with the PKIX reason as evidence.
        String pkix = verdict.pkixFailure().map(why -> "; PKIX: " + why).orElse("");
        if (verdict.expired()) {
            out.put(problem(Check.STS_HOST_CERT, "the certificate has expired"), shown + pkix);
        } else if (verdict.notYetValid()) {
            out.put(problem(Check.STS_HOST_CERT, "the certificate is not yet valid"), shown + pkix);
        } else {
            verdict.pkixFailure()
                    .ifPresent(why -> out.put(
                            problem(Check.STS_HOST_CERT, "the certificate is not trusted (PKIX validation fails)"),
                            why + "; " + shown));
        }
        if (!verdict.nameMatches()) {
            out.put(
                    problem(
                            Check.STS_HOST_CERT,
                            "no subjectAltName dNSName of the certificate matches " + host
                                    + " (the subject CN is never used)"),
                    shown);
        }
        if (verdict.expiresSoon()) {
            out.put(
                    new Problem(Check.STS_HOST_CERT, Severity.WARNING, "the certificate expires within 14 days"),
                    PolicyHostCheck.days(verdict.remaining()) + " left; " + shown);
        }
    }

    private static String describe(CertificateSummary c) {
        return "subject " + c.subject() + ", SAN " + c.dnsNames() + ", issuer " + c.issuer() + ", valid "
                + c.notBefore() + " to " + c.notAfter();
    }

    private static Problem statusProblem(int status, Optional<String> location) {
        // RFC 8461 §3.3: only a 200 gives a policy, and senders must not follow redirects.
        if (status >= 300 && status < 400) {
            return problem(
                    Check.STS_HTTP_STATUS,
                    "answers " + status + " redirecting to " + location.orElse("(no Location)")
                            + "; senders never follow redirects, so they get no policy");
        }
        if (status == 404) {
            return problem(
                    Check.STS_HTTP_STATUS, "answers 404 Not Found: no policy is published at " + PolicyHostProbe.PATH);
        }
        return problem(Check.STS_HTTP_STATUS, "answers " + status + "; only 200 gives senders a policy");
    }

    private static void contentProblems(PolicyHostAnswer answer, Map<Problem, String> out) {
        // RFC 8461 §3.2: the policy is served as text/plain; validating senders, ours by default, drop it otherwise.
        if (answer.contentType().isEmpty()) {
            out.put(
                    problem(
                            Check.STS_HTTP_CTYPE,
                            "the answer has no Content-Type; senders that require text/plain drop it"),
                    "no Content-Type header");
        } else if (!answer.textPlain()) {
            String ct = answer.contentType().get();
            out.put(
                    problem(
                            Check.STS_HTTP_CTYPE,
                            "Content-Type '" + HttpResponseReader.abbreviate(ct)
                                    + "' is not text/plain; senders that require text/plain drop the policy"),
                    "Content-Type: " + HttpResponseReader.abbreviate(ct));
        }
        if (answer.encoded()) {
            out.put(
                    problem(
                            Check.STS_HTTP_ENCODING,
                            "the body has a Content-Encoding; senders, which ask for none, refuse it"),
                    "Content-Encoding: " + answer.contentEncoding().orElse(""));
        }
        // RFC 8461 §3.2: the policy is UTF-8 text; a byte order mark is not part of the grammar.
        if (answer.bom()) {
            out.put(
                    problem(
                            Check.STS_HTTP_ENCODING,
                            "the body starts with a UTF-8 byte order mark, which senders reject"),
                    "bytes EF BB BF at offset 0");
        }
        answer.invalidUtf8At()
                .ifPresent(offset -> out.put(
                        problem(Check.STS_HTTP_ENCODING, "the body is not valid UTF-8, so senders reject it"),
                        "first malformed byte at offset " + offset));
    }

    private static Problem problem(Check check, String message) {
        return new Problem(check, Severity.ERROR, message);
    }

    /**
     * {@code sts.host.consistency} (RFC 8461 §3.3): a sender fetches from whichever address it
     * reaches. An error when that decides whether it gets a policy, or which; a warning when the
     * addresses differ otherwise (another certificate, another failure) with the same outcome.
     */
    private static void consistency(CheckContext ctx, String host, List<PolicyHostAnswer> answers) {
        List<PolicyHostAnswer> probed =
                answers.stream().filter(PolicyHostAnswer::probed).toList();
        if (probed.size() < 2) {
            return;
        }
        String[] evidence = probed.stream()
                .map(a -> a.address().getHostAddress() + ": " + summary(a))
                .toArray(String[]::new);
        String list = probed.stream().map(a -> a.address().getHostAddress()).collect(Collectors.joining(", "));
        // A sender that cannot connect to one address tries the next (so does ours): an unreachable
        // address delays senders but decides nothing, unless it is the only kind they can reach.
        Set<Boolean> acceptance = probed.stream()
                .filter(PolicyHostAnswer::connected)
                .map(PolicyHostAnswer::senderAccepts)
                .collect(Collectors.toSet());
        if (acceptance.size() > 1) {
            ctx.emit(Finding.of(
                    Check.STS_HOST_CONSISTENCY,
                    Severity.ERROR,
                    host + " answers differently at " + list
                            + ": some addresses give senders the policy and others do not, so whether a sender"
                            + " gets one depends on the address it reaches",
                    evidence));
            return;
        }
        Set<String> bodies = probed.stream()
                .filter(PolicyHostAnswer::senderAccepts)
                .map(a -> a.bodySha256().orElse(""))
                .collect(Collectors.toSet());
        if (bodies.size() > 1) {
            ctx.emit(Finding.of(
                    Check.STS_HOST_CONSISTENCY,
                    Severity.ERROR,
                    host + " serves different policy bodies at " + list
                            + ", so which policy a sender gets depends on the address it reaches",
                    evidence));
            return;
        }
        List<String> unreachable = probed.stream()
                .filter(a -> !a.connected())
                .map(a -> a.address().getHostAddress())
                .toList();
        if (!unreachable.isEmpty() && probed.stream().anyMatch(PolicyHostAnswer::senderAccepts)) {
            ctx.emit(Finding.of(
                    Check.STS_HOST_CONSISTENCY,
                    Severity.WARNING,
                    host + " cannot be reached at " + String.join(", ", unreachable)
                            + " while other addresses serve the policy: senders fall back to those after a"
                            + " failed connection, late, and senders with only that address family get none",
                    evidence));
            return;
        }
        long distinct =
                probed.stream().map(PolicyHostFindings::summary).distinct().count();
        if (distinct > 1) {
            ctx.emit(Finding.of(
                    Check.STS_HOST_CONSISTENCY,
                    Severity.WARNING,
                    host + " answers differently at " + list
                            + " (certificate or answer), though senders get the same outcome from each",
                    evidence));
        }
    }

    /** What an address answered, comparable between addresses. */
    private static String summary(PolicyHostAnswer a) {
        StringBuilder s = new StringBuilder();
        a.failure()
                .ifPresent(f -> s.append(f.stage().name().toLowerCase(java.util.Locale.ROOT))
                        .append(", "));
        a.status().ifPresent(status -> s.append("status ").append(status).append(", "));
        a.contentType().ifPresent(ct -> s.append("Content-Type ").append(ct).append(", "));
        a.bodySha256().ifPresent(h -> s.append("body sha256 ").append(h, 0, 16).append(", "));
        a.leafSha256()
                .ifPresent(h -> s.append("certificate sha256 ").append(h, 0, 16).append(", "));
        s.append(a.senderAccepts() ? "accepted by senders" : "refused by senders");
        return s.toString();
    }
}
