package dev.mtasts.checker;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What one address of {@code mta-sts.<domain>} answered to {@code GET /.well-known/mta-sts.txt}.
 *
 * @param address the address connected to
 * @param tlsVersion the negotiated protocol, for example {@code TLSv1.3}
 * @param certificate the leaf certificate presented
 * @param httpStatus the status code
 * @param contentType the {@code Content-Type} header as sent
 * @param bodySize the body's length in bytes (as read, up to the limit plus one)
 * @param bodySha256 the body's SHA-256, hex
 * @param location the {@code Location} header of a redirect (never followed)
 * @param error why the fetch from this address did not complete
 */
public record PolicyHostFacts(
        InetAddress address,
        Optional<String> tlsVersion,
        Optional<CertificateSummary> certificate,
        OptionalInt httpStatus,
        Optional<String> contentType,
        OptionalLong bodySize,
        Optional<String> bodySha256,
        Optional<String> location,
        Optional<String> error) {

    /** Validates. */
    public PolicyHostFacts {
        requireNonNull(address, "address");
        requireNonNull(tlsVersion, "tlsVersion");
        requireNonNull(certificate, "certificate");
        requireNonNull(httpStatus, "httpStatus");
        requireNonNull(contentType, "contentType");
        requireNonNull(bodySize, "bodySize");
        requireNonNull(bodySha256, "bodySha256");
        requireNonNull(location, "location");
        requireNonNull(error, "error");
    }
}
