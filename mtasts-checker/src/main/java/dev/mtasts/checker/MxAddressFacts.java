package dev.mtasts.checker;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.util.Optional;

/**
 * The SMTP probe of one address of one MX host, with SNI set to the MX host name.
 *
 * @param address the address
 * @param probe how the probe ended
 * @param tlsVersion the negotiated protocol
 * @param certificate the leaf certificate presented
 * @param certificateNameMatches whether a SAN dNSName matches the MX host (one-label wildcard, no CN)
 * @param error what went wrong, in the server's or the TLS stack's words
 */
public record MxAddressFacts(
        InetAddress address,
        ProbeResult probe,
        Optional<String> tlsVersion,
        Optional<CertificateSummary> certificate,
        Optional<Boolean> certificateNameMatches,
        Optional<String> error) {

    /** Validates. */
    public MxAddressFacts {
        requireNonNull(address, "address");
        requireNonNull(probe, "probe");
        requireNonNull(tlsVersion, "tlsVersion");
        requireNonNull(certificate, "certificate");
        requireNonNull(certificateNameMatches, "certificateNameMatches");
        requireNonNull(error, "error");
    }
}
