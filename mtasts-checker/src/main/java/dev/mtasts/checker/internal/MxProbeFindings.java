package dev.mtasts.checker.internal;

import dev.mtasts.checker.CertificateSummary;
import dev.mtasts.checker.Check;
import dev.mtasts.checker.Finding;
import dev.mtasts.checker.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The findings of the SMTP probes of one MX host: {@code sts.mx.starttls}, {@code sts.mx.cert},
 * {@code sts.mx.tls-version} and {@code sts.mx.probe}. Every address is judged on its own (a sender
 * may land on any of them); addresses with the same problem share one finding that lists them.
 */
final class MxProbeFindings {
    private static final Set<String> MODERN = Set.of("TLSv1.2", "TLSv1.3");

    private MxProbeFindings() {}

    private record Key(Check check, Severity severity, String message) {}

    /** Emits the findings for {@code host}'s probes, in address order. */
    static void emit(CheckContext ctx, String host, boolean enforce, List<MxAddressProbe> probes) {
        Map<Key, List<String>> grouped = new LinkedHashMap<>();
        int port = ctx.options().smtpPort();
        Severity starttlsSeverity = enforce ? Severity.ERROR : Severity.WARNING;
        String refused = enforce
                ? "senders enforcing the policy will not deliver to it"
                : "senders would not deliver to it once the policy is in enforce mode";
        for (MxAddressProbe probe : probes) {
            String address = probe.shownAddress();
            String error = probe.facts().error().orElse("");
            switch (probe.facts().probe()) {
                case NOT_PROBED -> {
                    // probing is off for it: nothing is known, nothing is said
                }
                case UNREACHABLE ->
                    add(
                            grouped,
                            new Key(
                                    Check.STS_MX_PROBE,
                                    Severity.INFO,
                                    "MX " + host + " could not be probed from here on port " + port
                                            + ", so its STARTTLS and certificate are unknown. Outgoing port 25 is"
                                            + " often blocked; this is not a fault of the server."),
                            address + ": " + error);
                // RFC 8461 §4, §5: a policy host must offer STARTTLS
                case NO_STARTTLS ->
                    add(
                            grouped,
                            new Key(
                                    Check.STS_MX_STARTTLS,
                                    starttlsSeverity,
                                    "MX " + host + " does not offer STARTTLS on port " + port + ", or refuses it, so "
                                            + refused + "."),
                            address + ": " + error);
                case TLS_FAILED -> {
                    if (probe.protocolRefused()) {
                        // RFC 8461 §7.2: TLS 1.2 or later
                        add(
                                grouped,
                                new Key(
                                        Check.STS_MX_TLS_VERSION,
                                        Severity.ERROR,
                                        "MX " + host + " refuses a handshake at TLS 1.2 or later (RFC 8461 §7.2),"
                                                + " so senders cannot use TLS with it."),
                                address + ": " + error);
                    } else {
                        add(
                                grouped,
                                new Key(
                                        Check.STS_MX_STARTTLS,
                                        starttlsSeverity,
                                        "MX " + host + " accepts STARTTLS but the TLS handshake fails, so " + refused
                                                + "."),
                                address + ": " + error);
                    }
                }
                case TLS_OK -> judgeTls(grouped, host, probe, address);
            }
        }
        grouped.forEach(
                (key, evidence) -> ctx.emit(new Finding(key.check(), key.severity(), key.message(), evidence, false)));
    }

    private static void judgeTls(Map<Key, List<String>> grouped, String host, MxAddressProbe probe, String address) {
        String protocol = probe.facts().tlsVersion().orElse("unknown");
        if (!MODERN.contains(protocol)) {
            add(
                    grouped,
                    new Key(
                            Check.STS_MX_TLS_VERSION,
                            Severity.ERROR,
                            "MX " + host + " negotiates " + protocol + "; RFC 8461 §7.2 requires TLS 1.2 or later."),
                    address + ": " + protocol);
        }
        if (probe.verdict().isEmpty()) {
            return;
        }
        CertificateVerdict verdict = probe.verdict().get();
        String shown = address + ": "
                + probe.facts().certificate().map(MxProbeFindings::describe).orElse("no certificate")
                + verdict.pkixFailure().map(f -> "; PKIX: " + f).orElse("");
        if (!verdict.acceptable()) {
            // RFC 8461 §4.2: trusted, current, and a SAN dNSName for the MX host; RFC 6125: no CN fallback
            List<String> reasons = new ArrayList<>();
            if (verdict.pkixFailure().isPresent()) {
                reasons.add("is not trusted (no valid chain to a trusted root)");
            }
            if (verdict.expired()) {
                reasons.add("has expired");
            }
            if (verdict.notYetValid()) {
                reasons.add("is not yet valid");
            }
            if (!verdict.nameMatches()) {
                String reason = "has no subjectAltName dNSName matching " + host;
                if (probe.facts()
                        .certificate()
                        .map(c -> namesInCommonNameOnly(c, host))
                        .orElse(false)) {
                    reason += " (it names the host only in the subject CN, which senders never use)";
                }
                reasons.add(reason);
            }
            add(
                    grouped,
                    new Key(
                            Check.STS_MX_CERT,
                            Severity.ERROR,
                            "The certificate MX " + host + " presents (SNI " + host + ") " + String.join(", ", reasons)
                                    + ", so senders validating it refuse the connection."),
                    shown);
        } else if (verdict.expiresSoon()) {
            add(
                    grouped,
                    new Key(
                            Check.STS_MX_CERT,
                            Severity.WARNING,
                            "The certificate MX " + host + " presents expires within "
                                    + CertificateVerdict.EXPIRY_WARNING.toDays() + " days; renew it before senders"
                                    + " start refusing it."),
                    shown + "; " + days(verdict.remaining()) + " left");
        }
    }

    private static boolean namesInCommonNameOnly(CertificateSummary certificate, String host) {
        if (!certificate.dnsNames().isEmpty()) {
            return false;
        }
        for (String part : certificate.subject().split(",")) {
            String p = part.strip();
            if (p.regionMatches(true, 0, "CN=", 0, 3)
                    && p.substring(3).toLowerCase(Locale.ROOT).equals(host)) {
                return true;
            }
        }
        return false;
    }

    private static String describe(CertificateSummary c) {
        return "names " + c.dnsNames() + ", subject " + c.subject() + ", issuer " + c.issuer() + ", valid until "
                + c.notAfter();
    }

    private static String days(Duration d) {
        long days = d.toDays();
        return days == 1 ? "1 day" : days + " days";
    }

    private static void add(Map<Key, List<String>> grouped, Key key, String evidence) {
        grouped.computeIfAbsent(key, k -> new ArrayList<>()).add(evidence);
    }
}
