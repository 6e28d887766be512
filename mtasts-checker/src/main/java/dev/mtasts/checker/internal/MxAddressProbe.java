package dev.mtasts.checker.internal;

import static java.util.Objects.requireNonNull;

import dev.mtasts.checker.CertificateSummary;
import dev.mtasts.checker.MxAddressFacts;
import dev.mtasts.checker.ProbeResult;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * One probed MX address with the checker's judgement of it: the facts for the report, and what the
 * findings need (the certificate verdict for the MX name, whether the handshake failed over the
 * protocol version).
 *
 * @param facts the facts for the report
 * @param verdict the certificate judged for the MX host name, when a handshake completed
 * @param certificateNames the leaf's SAN dNSNames, when a handshake completed
 * @param protocolRefused whether the handshake failed over the protocol version
 */
record MxAddressProbe(
        MxAddressFacts facts,
        Optional<CertificateVerdict> verdict,
        List<String> certificateNames,
        boolean protocolRefused) {

    MxAddressProbe {
        requireNonNull(facts, "facts");
        requireNonNull(verdict, "verdict");
        certificateNames = List.copyOf(certificateNames);
    }

    static MxAddressProbe notProbed(InetAddress address, String why) {
        return new MxAddressProbe(
                new MxAddressFacts(
                        address,
                        ProbeResult.NOT_PROBED,
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of(why)),
                Optional.empty(),
                List.of(),
                false);
    }

    /** An address whose probe could not be carried out: unknown, like an unreachable one. */
    static MxAddressProbe failed(InetAddress address, String why) {
        return new MxAddressProbe(
                new MxAddressFacts(
                        address,
                        ProbeResult.UNREACHABLE,
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of(why)),
                Optional.empty(),
                List.of(),
                false);
    }

    /** Judges what the probe of {@code address} as the MX {@code host} met. */
    static MxAddressProbe judge(CheckContext ctx, String host, InetAddress address, SmtpProbe.Outcome outcome) {
        if (outcome.result() != ProbeResult.TLS_OK) {
            return new MxAddressProbe(
                    new MxAddressFacts(
                            address,
                            outcome.result(),
                            Optional.empty(),
                            Optional.empty(),
                            Optional.empty(),
                            outcome.error()),
                    Optional.empty(),
                    List.of(),
                    outcome.protocolRefused());
        }
        X509Certificate[] chain = outcome.chain().toArray(new X509Certificate[0]);
        CertificateVerdict verdict = CertificateVerdict.judge(
                chain, host, ctx.pkix(), ctx.options().clock().instant());
        Optional<CertificateSummary> summary =
                chain.length == 0 ? Optional.empty() : Optional.of(CertificateSummary.of(chain[0]));
        return new MxAddressProbe(
                new MxAddressFacts(
                        address,
                        ProbeResult.TLS_OK,
                        outcome.protocol(),
                        summary,
                        Optional.of(verdict.nameMatches()),
                        verdict.pkixFailure()),
                Optional.of(verdict),
                summary.map(CertificateSummary::dnsNames).orElse(List.of()),
                false);
    }

    /** Whether a certificate was seen that chains to a trusted root and is within its validity. */
    boolean trustedAndCurrent() {
        return verdict.map(v -> v.pkixFailure().isEmpty() && !v.expired() && !v.notYetValid())
                .orElse(false);
    }

    /** The address as shown in evidence. */
    String shownAddress() {
        return facts.address().getHostAddress();
    }
}
