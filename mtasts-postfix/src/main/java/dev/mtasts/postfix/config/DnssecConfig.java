package dev.mtasts.postfix.config;

import static java.util.Objects.requireNonNull;

import dev.mtasts.core.dns.TrustAnchors;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The mtasts-only DNSSEC settings of zones with {@code dane: true}: which server the validating
 * resolver asks and where validation starts (PF-DANE-2). Immutable.
 *
 * @param server {@code dns.dnssec_server}: the server asked for DNSSEC records; empty means {@code
 *     dns.server}, and without that the first name server of the system configuration
 * @param trustAnchors the anchors: those of {@code dns.dnssec_trust_anchor}, else the IANA root's
 * @param trustAnchorFile the file the anchors were read from, empty for the IANA root
 */
public record DnssecConfig(
        Optional<InetSocketAddress> server, TrustAnchors trustAnchors, Optional<Path> trustAnchorFile) {

    /** Checks for null. */
    public DnssecConfig {
        requireNonNull(server, "server");
        requireNonNull(trustAnchors, "trustAnchors");
        requireNonNull(trustAnchorFile, "trustAnchorFile");
    }

    /** Equal when the server, the anchors' records and the file are. */
    @Override
    public boolean equals(Object o) {
        // TrustAnchors has no equality of its own: compare what it holds.
        return o instanceof DnssecConfig other
                && server.equals(other.server)
                && trustAnchors.records().equals(other.trustAnchors.records())
                && trustAnchorFile.equals(other.trustAnchorFile);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(server, trustAnchors.records(), trustAnchorFile);
    }

    /** No server of its own, the IANA root anchors. */
    public static DnssecConfig defaults() {
        return new DnssecConfig(Optional.empty(), TrustAnchors.ianaRoot(), Optional.empty());
    }
}
